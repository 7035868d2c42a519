package samples_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/samples"
)

// siteYAML declares the two runtimes the tests run: real node and python3.
const siteYAML = `title: Test
subjects:
  node:
    name: Node.js
    language: javascript
    extensions: [.js, .mjs]
    run: [node, "{file}"]
  python:
    name: Python
    language: python
    extensions: [.py]
    run: [python3, "{file}"]
`

// needRuntimes skips a test when node or python3 is missing, except in CI,
// which installs both, so there a missing runtime fails.
func needRuntimes(t *testing.T) {
	t.Helper()
	for _, name := range []string{"node", "python3"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run installs it", name)
			}
			t.Skipf("%s is not installed", name)
		}
	}
}

// writeSite writes files (path → content) under a new folder and returns
// the folder. A value starting with "->" makes a symbolic link to the rest.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func loadConfig(t *testing.T, root string) *generator.Config {
	t.Helper()
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		t.Fatalf("site.yaml: %v", err)
	}
	return cfg
}

var testDay = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func newRunner(t *testing.T, root string) *samples.Runner {
	return &samples.Runner{
		Cache:   samples.NewCache(root),
		Now:     func() time.Time { return testDay },
		TempDir: t.TempDir(),
	}
}

func verify(t *testing.T, r *samples.Runner, root string) *samples.Report {
	t.Helper()
	rep, err := r.VerifyAll(context.Background(), os.DirFS(root), loadConfig(t, root))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func runOf(t *testing.T, rep *samples.Report, sample, subject string) *samples.Run {
	t.Helper()
	for _, r := range rep.Runs {
		if r.Sample.Name == sample && r.File.Subject.ID == subject {
			return r
		}
	}
	t.Fatalf("no run of %s for %s", sample, subject)
	return nil
}

func runtimeVersion(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func TestVerifyPassingSample(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                          siteYAML,
		"content/samples/hello/main.mjs":     "console.log('hello');\nconsole.log(1 + 1);\n",
		"content/samples/hello/main.py":      "print('hello')\nprint(1 + 1)\n",
		"content/samples/hello/expected.txt": "hello\n2\n",
		// A folder no page uses is verified all the same.
		"content/samples/unused/main.py": "import os\nfor k in ['HOME', 'TMPDIR', 'LANG', 'VERSUS_TEST_SECRET']:\n    print(k, os.environ.get(k))\n",
	})
	t.Setenv("VERSUS_TEST_SECRET", "leaked")
	r := newRunner(t, root)
	rep := verify(t, r, root)
	if err := rep.Err(); err != nil {
		t.Fatalf("verification failed:\n%v", err)
	}
	if rep.Samples != 2 || rep.Verified != 2 || len(rep.Runs) != 3 || rep.FromCache != 0 {
		t.Fatalf("got %d samples, %d verified, %d runs, %d from cache; want 2, 2, 3, 0", rep.Samples, rep.Verified, len(rep.Runs), rep.FromCache)
	}
	node := runOf(t, rep, "hello", "node").Output
	if node == nil || node.Text != "hello\n2" || !node.Verified || node.Date != "2026-03-14" {
		t.Fatalf("node output = %+v", node)
	}
	if want := "Node.js " + runtimeVersion(t, "node", "--version"); node.Runtime != want {
		t.Errorf("node runtime = %q, want %q", node.Runtime, want)
	}
	py := runOf(t, rep, "hello", "python").Output
	if want := runtimeVersion(t, "python3", "--version"); py.Runtime != want {
		t.Errorf("python runtime = %q, want %q (the subject's name and the number, once)", py.Runtime, want)
	}
	// The environment is the minimal one, not the test's own, and HOME and
	// TMPDIR are inside the run's temporary folder.
	env := map[string]string{}
	for _, l := range strings.Split(runOf(t, rep, "unused", "python").Output.Text, "\n") {
		k, v, _ := strings.Cut(l, " ")
		env[k] = v
	}
	if env["LANG"] != "C.UTF-8" || env["VERSUS_TEST_SECRET"] != "None" ||
		!strings.HasPrefix(env["HOME"], r.TempDir) || !strings.HasPrefix(env["TMPDIR"], r.TempDir) {
		t.Errorf("the sample saw the environment %q", env)
	}
}

func TestVerifyWrongOutputShowsDiff(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                          siteYAML,
		"content/samples/sums/main.py":       "for i in range(1, 6):\n    print('line', i * (2 if i == 4 else 1))\n",
		"content/samples/sums/main.mjs":      "for (let i = 1; i <= 5; i++) console.log('line', i);\n",
		"content/samples/sums/expected.txt":  "line 1\nline 2\nline 3\nline 4\nline 5\n",
		"content/samples/other/main.py":      "print('fine')\n",
		"content/samples/other/expected.txt": "fine\n",
	})
	rep := verify(t, newRunner(t, root), root)
	if rep.Verified != 1 || rep.Samples != 2 {
		t.Fatalf("verified %d of %d samples, want 1 of 2", rep.Verified, rep.Samples)
	}
	if len(rep.Errors) != 1 {
		t.Fatalf("want one error, got:\n%v", rep.Err())
	}
	e := rep.Errors[0]
	if e.Pos.File != "content/samples/sums/main.py" {
		t.Errorf("the error is at %q, want the Python file", e.Pos.File)
	}
	want := `sample "sums", Python: the output differs from expected.txt:
--- content/samples/sums/expected.txt
+++ stdout of python3 main.py
@@ -1,5 +1,5 @@
 line 1
 line 2
 line 3
-line 4
+line 8
 line 5`
	if e.Msg != want {
		t.Errorf("message:\n%s\nwant:\n%s", e.Msg, want)
	}
	if runOf(t, rep, "sums", "node").Err != nil {
		t.Error("the Node.js file printed what was expected but failed")
	}
}

// survives reports whether a process is still running a few seconds
// after it was sent SIGKILL (the kill is asynchronous: kill(2) returns
// before the process has died).
func survives(pid int) bool {
	for range 100 {
		if !alive(pid) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// alive reports whether a process exists and is not a zombie.
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || !strings.HasPrefix(s[i+1:], " Z")
}

func pids(t *testing.T, file string) []int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the sample did not record its children: %v", err)
	}
	var out []int
	for _, f := range strings.Fields(string(data)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pid)
	}
	return out
}

// spawner is a Python sample that starts a child and a grandchild that
// sleep for a minute, records their pids in pidFile, prints "started" and
// then either hangs or exits.
func spawner(pidFile string, hang bool) string {
	end := ""
	if hang {
		end = "time.sleep(60)\n"
	}
	return fmt.Sprintf(`import subprocess, sys, time
PIDS = %q
CHILD = """
import subprocess, sys, time
g = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open(sys.argv[1], "a").write(str(g.pid) + " ")
time.sleep(60)
"""
child = subprocess.Popen([sys.executable, "-c", CHILD, PIDS])
open(PIDS, "a").write(str(child.pid) + " ")
while len(open(PIDS).read().split()) < 2:
    time.sleep(0.02)
print("started", flush=True)
%s`, pidFile, end)
}

func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	needRuntimes(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see processes")
	}
	pidFile := filepath.Join(t.TempDir(), "pids")
	root := writeSite(t, map[string]string{
		"site.yaml":                        siteYAML,
		"content/samples/hang/main.py":     spawner(pidFile, true),
		"content/samples/hang/sample.yaml": "timeout: 2s\n",
	})
	// Uncontained, so the sample can record its children's pids outside
	// its copy: the process group alone must take them down.
	r := newRunner(t, root)
	r.Bwrap = "-"
	rep := verify(t, r, root)
	if len(rep.Errors) != 1 {
		t.Fatalf("want one error, got %v", rep.Err())
	}
	msg := rep.Errors[0].Msg
	for _, want := range []string{`sample "hang", Python:`, "did not finish within 2s", "started"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q:\n%s", want, msg)
		}
	}
	for _, pid := range pids(t, pidFile) {
		if survives(pid) {
			t.Errorf("process %d, started by the sample, survived the timeout", pid)
			_ = killProcess(pid)
		}
	}
}

func TestChildrenAreKilledWhenTheSampleEnds(t *testing.T) {
	needRuntimes(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see processes")
	}
	pidFile := filepath.Join(t.TempDir(), "pids")
	root := writeSite(t, map[string]string{
		"site.yaml":                          siteYAML,
		"content/samples/leaky/main.py":      spawner(pidFile, false),
		"content/samples/leaky/expected.txt": "started\n",
	})
	r := newRunner(t, root)
	r.Bwrap = "-"
	rep := verify(t, r, root)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids(t, pidFile) {
		if survives(pid) {
			t.Errorf("process %d, left behind by the sample, is still running", pid)
			_ = killProcess(pid)
		}
	}
}

func TestServeSample(t *testing.T) {
	needRuntimes(t)
	server := `import { createServer } from 'node:http';
createServer((req, res) => res.end('Hello from ' + req.url + '\n'))
  .listen(Number(process.env.APP_PORT), '127.0.0.1');
`
	root := writeSite(t, map[string]string{
		"site.yaml":                         siteYAML,
		"content/samples/web/server.mjs":    server,
		"content/samples/web/sample.yaml":   "serve:\n  env: APP_PORT\n  path: /greet\n  expect: Hello from /greet\n",
		"content/samples/wrong/server.mjs":  server,
		"content/samples/wrong/sample.yaml": "serve:\n  env: APP_PORT\n  path: /\n  expect: Goodbye\n",
		// Never listens: it must fail at its timeout, not hang.
		"content/samples/deaf/server.py":   "import time\nprint('not listening', flush=True)\ntime.sleep(60)\n",
		"content/samples/deaf/sample.yaml": "timeout: 1s\nserve:\n  expect: anything\n",
		// Exits at once.
		"content/samples/crash/server.py":   "raise SystemExit('no port for me')\n",
		"content/samples/crash/sample.yaml": "serve:\n  expect: anything\n",
	})
	rep := verify(t, newRunner(t, root), root)
	out := runOf(t, rep, "web", "node").Output
	if out == nil || out.Text != "Hello from /greet" || out.Served != "/greet" || !out.Verified {
		t.Fatalf("served output = %+v, errors:\n%v", out, rep.Err())
	}
	msgs := map[string]string{}
	for _, e := range rep.Errors {
		msgs[e.Pos.File] = e.Msg
	}
	for file, want := range map[string]string{
		"content/samples/wrong/server.mjs": `the response to GET / (200 OK) does not contain "Goodbye"; it was:
body:
  Hello from /`,
		"content/samples/deaf/server.py":  "did not listen on 127.0.0.1:",
		"content/samples/crash/server.py": "exited with status 1 before it listened",
	} {
		if !strings.Contains(msgs[file], want) {
			t.Errorf("%s: the error does not say %q:\n%s", file, want, msgs[file])
		}
	}
	if len(rep.Errors) != 3 {
		t.Errorf("want 3 errors, got:\n%v", rep.Err())
	}
}

func TestMissingRuntimeIsAClearError(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml": siteYAML + `  ruby:
    name: Ruby
    language: ruby
    extensions: [.rb]
    run: [versus-no-such-ruby, "{file}"]
`,
		"content/samples/a/main.rb": "puts 1\n",
		"content/samples/a/main.py": "print(1)\n",
		"content/samples/b/main.rb": "puts 2\n",
	})
	rep := verify(t, newRunner(t, root), root)
	if len(rep.Errors) != 1 {
		t.Fatalf("want the missing runtime reported once, got:\n%v", rep.Err())
	}
	e := rep.Errors[0]
	if e.Pos.File != "site.yaml" || e.Pos.Line != 13 {
		t.Errorf("the error is at %v, want the ruby subject in site.yaml (line 13)", e.Pos)
	}
	if !strings.Contains(e.Msg, "versus-no-such-ruby is not installed") {
		t.Errorf("the error does not name the missing program: %s", e.Msg)
	}
	if rep.Verified != 0 || runOf(t, rep, "a", "python").Err != nil {
		t.Errorf("verified %d samples (want 0: both have a Ruby file); Python run error: %v", rep.Verified, runOf(t, rep, "a", "python").Err)
	}
}

func TestCacheSkipsUnchangedSamples(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                      siteYAML,
		"content/samples/a/main.mjs":     "console.log('a');\n",
		"content/samples/a/main.py":      "print('a')\n",
		"content/samples/a/expected.txt": "a\n",
		"content/samples/b/main.py":      "print('b')\n",
	})
	r := newRunner(t, root)
	first := verify(t, r, root)
	if err := first.Err(); err != nil || first.FromCache != 0 {
		t.Fatalf("first run: %d from cache, errors %v", first.FromCache, err)
	}
	second := verify(t, r, root)
	if second.FromCache != 3 || second.Verified != 2 {
		t.Fatalf("unchanged samples: %d of 3 runs from cache, %d verified", second.FromCache, second.Verified)
	}
	if got := runOf(t, second, "a", "node").Output; got.Text != "a" || got.Date != "2026-03-14" {
		t.Errorf("cached output = %+v", got)
	}
	// Editing one file of a sample runs every subject of that sample again,
	// and only that sample.
	if err := os.WriteFile(filepath.Join(root, "content/samples/a/main.py"), []byte("print('a')  # edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := verify(t, r, root)
	if third.FromCache != 1 || runOf(t, third, "b", "python").Cached != true {
		t.Errorf("after an edit of a/main.py: %d runs from cache, want 1 (b's)", third.FromCache)
	}
	// A different argv is a different run too.
	cfg := loadConfig(t, root)
	cfg.Subject("python").Run = []string{"python3", "-X", "utf8", "{file}"}
	fourth, err := r.VerifyAll(context.Background(), os.DirFS(root), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fourth.FromCache != 1 {
		t.Errorf("after changing python's run argv: %d runs from cache, want 1 (node's)", fourth.FromCache)
	}
	// So is another runtime version.
	cfg.Subject("node").VersionCommand = []string{"node", "-e", "console.log('v99.0.0')"}
	fifth, err := r.VerifyAll(context.Background(), os.DirFS(root), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := runOf(t, fifth, "a", "node"); got.Cached || got.Output.Runtime != "Node.js v99.0.0" {
		t.Errorf("after a runtime upgrade: cached %v, runtime %q", got.Cached, got.Output.Runtime)
	}
}

func TestExpectedSubjectFileTakesPrecedence(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                           siteYAML,
		"content/samples/p/main.mjs":          "console.log('js says hi');\n",
		"content/samples/p/main.py":           "print('hi')\n",
		"content/samples/p/expected.txt":      "hi\n",
		"content/samples/p/expected.node.txt": "js says hi\n",
		"content/samples/q/main.mjs":          "console.log('hi');\n",
		"content/samples/q/expected.txt":      "hi\n",
		"content/samples/q/expected.node.txt": "js says hi\n",
	})
	rep := verify(t, newRunner(t, root), root)
	if rep.Verified != 1 || runOf(t, rep, "p", "node").Err != nil || runOf(t, rep, "p", "python").Err != nil {
		t.Fatalf("sample p should pass (node against expected.node.txt, python against expected.txt):\n%v", rep.Err())
	}
	if err := runOf(t, rep, "q", "node").Err; err == nil || !strings.Contains(err.Msg, "differs from expected.node.txt") {
		t.Errorf("sample q's node file should fail against expected.node.txt, got %v", err)
	}
}

func TestLineEndingsAndTrailingBlankLines(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml": siteYAML,
		// Expected written on Windows, with blank lines at the end.
		"content/samples/crlf/main.py":      "print('one')\nprint('two')\n",
		"content/samples/crlf/expected.txt": "one\r\ntwo\r\n\r\n\r\n",
		// Output with CRLF against an expected file without a final newline.
		"content/samples/out/main.py":      "import sys\nsys.stdout.write('one\\r\\ntwo\\r\\n\\n')\n",
		"content/samples/out/expected.txt": "one\ntwo",
		// But a space at the end of a line is a difference.
		"content/samples/space/main.py":      "print('one ')\n",
		"content/samples/space/expected.txt": "one\n",
	})
	rep := verify(t, newRunner(t, root), root)
	if runOf(t, rep, "crlf", "python").Err != nil || runOf(t, rep, "out", "python").Err != nil {
		t.Fatalf("line endings and trailing blank lines should not matter:\n%v", rep.Err())
	}
	if runOf(t, rep, "space", "python").Err == nil {
		t.Error("a trailing space was ignored")
	}
	if got := runOf(t, rep, "out", "python").Output.Text; got != "one\ntwo" {
		t.Errorf("the shown output is %q", got)
	}
}

func TestProgressReportsEverySample(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                  siteYAML,
		"content/samples/a/main.py":  "print(1)\n",
		"content/samples/b/main.py":  "print(2)\n",
		"content/samples/b/main.mjs": "console.log(2)\n",
		"content/samples/c/main.py":  "raise SystemExit(3)\n",
	})
	r := newRunner(t, root)
	var got []string
	r.Progress = func(p samples.Progress) {
		got = append(got, fmt.Sprintf("%d/%d %s failed=%v", p.Done, p.Total, p.Sample, p.Failed))
	}
	rep := verify(t, r, root)
	if len(got) != 3 || !strings.HasPrefix(got[2], "3/3 ") {
		t.Fatalf("progress: %q", got)
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{" a failed=false", " b failed=false", " c failed=true"} {
		if !strings.Contains(joined, want) {
			t.Errorf("progress lacks %q: %q", want, got)
		}
	}
	if err := runOf(t, rep, "c", "python").Err; err == nil || !strings.Contains(err.Msg, "python3 main.py exited with status 3") {
		t.Errorf("a failing exit status: %v", err)
	}
}

func TestList(t *testing.T) {
	root := writeSite(t, map[string]string{
		"content/samples/README.md":         "not a sample",
		"content/samples/a/main.py":         "",
		"content/samples/a/lib/util.py":     "",
		"content/samples/group/b/main.py":   "",
		"content/samples/.hidden/main.py":   "",
		"content/samples/c/__pycache__/x.c": "",
		"content/samples/c/main.mjs":        "",
	})
	names, err := samples.List(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, " "); got != "a c group/b" {
		t.Errorf("List = %q, want %q", got, "a c group/b")
	}
	none, err := samples.List(os.DirFS(t.TempDir()))
	if err != nil || len(none) != 0 {
		t.Errorf("a site without samples: %v, %v", none, err)
	}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct{ name, a, b, want string }{
		{"equal", "a\nb", "a\nb", ""},
		{"changed line", "a\nb\nc", "a\nB\nc", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"added at end", "a", "a\nb", "@@ -1 +1,2 @@\n a\n+b\n"},
		{"removed all", "a\nb", "", "@@ -1,2 +0,0 @@\n-a\n-b\n"},
		{"from nothing", "", "x", "@@ -0,0 +1 @@\n+x\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12", "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12",
			"@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := samples.Diff("want", "got", tc.a, tc.b)
			want := tc.want
			if want != "" {
				want = "--- want\n+++ got\n" + want
			}
			if got != want {
				t.Errorf("Diff:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\r\n":    "a\nb",
		"a\rb":          "a\nb",
		"a\n\n  \n\t\n": "a",
		"  a \n":        "  a ",
		"":              "",
	} {
		if got := samples.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// The cache key covers everything the run depends on, runtime aside.
func TestKey(t *testing.T) {
	root := writeSite(t, map[string]string{
		"site.yaml":                  siteYAML,
		"content/samples/k/main.py":  "print(1)\n",
		"content/samples/k/data.txt": "x",
	})
	cfg := loadConfig(t, root)
	load := func() (*samples.Sample, *samples.File) {
		s, err := samples.Load(os.DirFS(root), cfg, "k", generator.Pos{})
		if err != nil {
			t.Fatal(err)
		}
		return s, s.Files[0]
	}
	s, f := load()
	base := samples.Key(s, f)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(base) {
		t.Fatalf("key %q", base)
	}
	if again := samples.Key(load()); again != base {
		t.Error("the same sample gave another key")
	}
	if err := os.WriteFile(filepath.Join(root, "content/samples/k/data.txt"), []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if samples.Key(load()) == base {
		t.Error("changing a data file of the sample kept the key")
	}
	if err := os.Chmod(filepath.Join(root, "content/samples/k/data.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	s, f = load()
	k := samples.Key(s, f)
	f.Subject.Run = []string{"python3", "-u", "{file}"}
	if samples.Key(s, f) == k {
		t.Error("changing the run argv kept the key")
	}
}

func killProcess(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// What a run prints of its working directory is {cwd}, whether the path
// comes from the argv (the temporary folder as named) or from the kernel
// (resolved through the symbolic link the temporary folder is under).
func TestCwdIsStable(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                          siteYAML,
		"content/samples/where/main.py":      "import os, sys\nprint(os.getcwd())\nprint(sys.argv[1])\nprint(open(sys.argv[1] + '/data.txt').read().strip())\n",
		"content/samples/where/data.txt":     "apples\n",
		"content/samples/where/sample.yaml":  "args: [\"{cwd}\"]\n",
		"content/samples/where/expected.txt": "{cwd}\n{cwd}\napples\n",
	})
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, root)
	r.TempDir = link
	rep := verify(t, r, root)
	if err := rep.Err(); err != nil {
		t.Fatalf("verification failed:\n%v", err)
	}
	if out := runOf(t, rep, "where", "python").Output; out.Text != "{cwd}\n{cwd}\napples" {
		t.Errorf("output %q", out.Text)
	}
}

// A cached result older than samples.maxAge runs again; a younger one is
// reused. An output from a runtime older than the subject's version says
// which version the site describes.
func TestMaxAgeAndDeclaredVersion(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                      siteYAML + "    version: \"999\"\nsamples:\n  maxAge: 90d\n",
		"content/samples/a/main.py":      "print('a')\n",
		"content/samples/a/expected.txt": "a\n",
	})
	r := newRunner(t, root)
	first := verify(t, r, root)
	if err := first.Err(); err != nil {
		t.Fatal(err)
	}
	if out := runOf(t, first, "a", "python").Output; out.Declared != "999" {
		t.Errorf("output from Python 3 under version 999: Declared = %q", out.Declared)
	}
	r.Now = func() time.Time { return testDay.AddDate(0, 0, 90) }
	if second := verify(t, r, root); second.FromCache != 1 {
		t.Errorf("90 days on: %d runs from cache, want 1", second.FromCache)
	}
	r.Now = func() time.Time { return testDay.AddDate(0, 0, 91) }
	third := verify(t, r, root)
	if third.FromCache != 0 {
		t.Errorf("91 days on: %d runs from cache, want 0", third.FromCache)
	}
	if out := runOf(t, third, "a", "python").Output; out.Date != "2026-06-13" {
		t.Errorf("the result run again is dated %s", out.Date)
	}
	warns := third.Freshness(loadConfig(t, root), testDay)
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), "site.yaml:13:14: 1 sample (a) verified with Python 3.") {
		t.Errorf("freshness warnings: %v", warns)
	}
}
