package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/samples"
)

// The hostile-sample suite: samples that try what a contributor's pull
// request could try on the build machine. Each must fail (or pass) with a
// clear message and leave no process and no file behind.

const hostileSite = `title: Hostile
subjects:
  python:
    name: Python
    language: python
    extensions: [.py]
    run: [python3, "{file}"]
`

// contained skips the suite where samples cannot be contained (it would
// run a fork bomb on the machine itself), except in CI, which installs
// bubblewrap and runs as root.
func contained(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	if w := samples.Isolation(""); w != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must contain samples: %s", w)
		}
		t.Skip(w)
	}
}

// hostileRun writes a site with one sample (file name → content), verifies
// it and returns the single run's error message ("" when it passed). It
// checks that no process whose command line holds marker survives and that
// the runner's temporary folder is empty afterwards.
func hostileRun(t *testing.T, marker string, files map[string]string) (string, string) {
	t.Helper()
	root := t.TempDir()
	files["site.yaml"] = hostileSite
	for name, content := range files {
		p := filepath.Join(root, name)
		if !strings.HasPrefix(name, "site.") {
			p = filepath.Join(root, "content/samples/hostile", name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	r := &samples.Runner{TempDir: tmp}
	start := time.Now()
	rep, err := r.VerifyAll(context.Background(), os.DirFS(root), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the sample took %s; the build must stay responsive", d)
	}
	for _, w := range rep.Warnings {
		t.Errorf("warning: %v", w)
	}
	if pids := survivors(marker); len(pids) > 0 {
		t.Errorf("processes of the sample survived it: %v", pids)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the run left %d files in its temporary folder: %v", len(left), left[0].Name())
	}
	msg := ""
	if len(rep.Errors) > 0 {
		msg = rep.Errors.Error()
	}
	return msg, root
}

// survivors lists the processes whose command line holds marker, killing
// them so one failing test does not leave them to the next.
func survivors(marker string) []string {
	if marker == "" {
		return nil
	}
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(data), marker) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && strings.HasPrefix(string(stat[i+1:]), " Z") {
			continue
		}
		out = append(out, e.Name()+" "+strings.ReplaceAll(string(data), "\x00", " "))
		if p, err := os.FindProcess(atoi(e.Name())); err == nil {
			_ = p.Kill()
		}
	}
	return out
}

func atoi(s string) int {
	n := 0
	fmt.Sscanf(s, "%d", &n)
	return n
}

func wantIn(t *testing.T, msg string, wants ...string) {
	t.Helper()
	if msg == "" {
		t.Fatalf("the hostile sample passed; want a failure saying %q", wants)
	}
	if strings.Count(msg, "\n") > 40 {
		t.Errorf("the failure is %d lines long", strings.Count(msg, "\n"))
	}
	t.Log(msg)
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("the failure does not say %q:\n%s", w, msg)
		}
	}
}

func TestHostileSampleHasNoNetwork(t *testing.T) {
	contained(t)
	// A listener on the machine's loopback stands in for the network: a
	// contained sample has a loopback of its own and cannot reach it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
			accepted <- struct{}{}
		}
	}()
	code := fmt.Sprintf("import socket\nsocket.create_connection((\"127.0.0.1\", %d), timeout=3)\nprint(\"connected\")\n", ln.Addr().(*net.TCPAddr).Port)
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code, "expected.txt": "connected\n"})
	wantIn(t, msg, "exited with status 1", "ConnectionRefusedError")
	select {
	case <-accepted:
		t.Error("the sample reached the machine's loopback")
	default:
	}

	// network: true gives it the machine's network on purpose.
	msg, _ = hostileRun(t, "", map[string]string{"main.py": code, "expected.txt": "connected\n", "sample.yaml": "network: true\n"})
	if msg != "" {
		t.Errorf("with network: true the sample should connect:\n%s", msg)
	}
}

func TestHostileSampleSeesNoOutsideFiles(t *testing.T) {
	contained(t)
	secret := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(secret, []byte("PRIVATE KEY"), 0o644); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	code := fmt.Sprintf(`import os
for p in [%q, os.path.expanduser("~/.ssh/id_ed25519"), %q, "../../../site.yaml"]:
    try:
        print(p, open(p).read())
    except OSError as e:
        print(p, type(e).__name__)
`, secret, filepath.Join(home, ".ssh", "id_ed25519"))
	msg, root := hostileRun(t, "", map[string]string{"main.py": code, "sample.yaml": "exit: 0\n"})
	if msg != "" {
		t.Fatal(msg)
	}
	_ = root
	// The run passed (it expects nothing); what it printed is in the report.
	out := lastOutput(t, code)
	for _, leak := range []string{"PRIVATE KEY", "title: Hostile"} {
		if strings.Contains(out, leak) {
			t.Errorf("the sample read %q:\n%s", leak, out)
		}
	}
}

// lastOutput runs code as a sample expecting nothing and returns its stdout.
func lastOutput(t *testing.T, code string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range map[string]string{"site.yaml": hostileSite, "content/samples/s/main.py": code} {
		p := filepath.Join(root, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&samples.Runner{TempDir: t.TempDir()}).VerifyAll(context.Background(), os.DirFS(root), cfg)
	if err != nil || rep.Err() != nil || len(rep.Runs) != 1 || rep.Runs[0].Output == nil {
		t.Fatalf("running the sample: %v %v", err, rep.Err())
	}
	return rep.Runs[0].Output.Text
}

func TestHostileSampleCannotWriteTheSite(t *testing.T) {
	contained(t)
	root := t.TempDir()
	target := filepath.Join(root, "content", "pwned.md")
	code := fmt.Sprintf("open(%q, \"w\").write(\"pwned\")\n", target)
	// The sample's own site is another folder; aim at this one too.
	msg, site := hostileRun(t, "", map[string]string{"main.py": code})
	wantIn(t, msg, "exited with status 1", "No such file or directory")
	for _, p := range []string{target, filepath.Join(site, "content", "pwned.md")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("the sample wrote %s", p)
		}
	}
	code = fmt.Sprintf("open(%q, \"w\").write(\"pwned\")\n", filepath.Join("..", "..", "..", "content", "pwned.md"))
	msg, site = hostileRun(t, "", map[string]string{"main.py": code})
	wantIn(t, msg, "exited with status 1")
	if _, err := os.Stat(filepath.Join(site, "content", "pwned.md")); err == nil {
		t.Error("the sample wrote into the site's content/")
	}
}

func TestHostileSampleGetsNoSecrets(t *testing.T) {
	contained(t)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "hunter2")
	t.Setenv("GITHUB_TOKEN", "ghp_secret")
	t.Setenv("VERSUS_PASSED", "on purpose")
	code := `import os
print(os.environ.get("AWS_SECRET_ACCESS_KEY"), os.environ.get("GITHUB_TOKEN"))
print(os.environ.get("VERSUS_PASSED"), os.environ["TZ"], os.environ["HOME"].endswith("/home"))
`
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code, "sample.yaml": "env: [VERSUS_PASSED]\n",
		"expected.txt": "None None\non purpose UTC True\n"})
	if msg != "" {
		t.Fatal(msg)
	}
}

func TestHostileForkBomb(t *testing.T) {
	contained(t)
	code := "import os, sys, time\nwhile True:\n    os.fork()\n"
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code, "sample.yaml": "timeout: 10s\nlimits:\n  processes: 64\n"})
	wantIn(t, msg, "it reached the limit of 64 processes")
}

func TestHostileAllocationLoop(t *testing.T) {
	contained(t)
	code := "chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))\n"
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code, "sample.yaml": "limits:\n  memory: 512MiB\n"})
	wantIn(t, msg, "MemoryError", "it reached the memory limit of 512 MiB")
}

func TestHostileOutputFlood(t *testing.T) {
	contained(t)
	code := "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n"
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code})
	wantIn(t, msg, "output truncated after 1 MiB")
}

func TestHostileCPULoop(t *testing.T) {
	contained(t)
	msg, _ := hostileRun(t, "", map[string]string{"main.py": "while True:\n    pass\n", "sample.yaml": "timeout: 20s\nlimits:\n  cpu: 1s\n"})
	wantIn(t, msg, "used more than 1s of CPU time")
}

func TestHostileBigFile(t *testing.T) {
	contained(t)
	code := "open('big', 'wb').write(b'x' * (8 << 20))\n"
	msg, _ := hostileRun(t, "", map[string]string{"main.py": code, "sample.yaml": "limits:\n  fileSize: 1MiB\n"})
	wantIn(t, msg, "File too large", "file size limit of 1 MiB")
}

func TestHostileDoubleForkDies(t *testing.T) {
	contained(t)
	marker := fmt.Sprintf("versus-hostile-%d", time.Now().UnixNano())
	// The child forks a grandchild that leaves the session and the
	// process group, then exits: only the pid namespace holds it.
	code := fmt.Sprintf(`import os, sys, time
if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(60)", %q])
    os._exit(0)
os.wait()
time.sleep(0.3)
print("started")
`, marker)
	msg, _ := hostileRun(t, marker, map[string]string{"main.py": code, "expected.txt": "started\n"})
	if msg != "" {
		t.Fatal(msg)
	}
}
