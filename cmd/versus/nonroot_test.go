//go:build linux

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Samples run, contained, when versus itself runs as an ordinary user: CI
// runs as root, but writers run versus as themselves. The test binary is
// copied where that user can run it, named versus, which makes it versus
// (see TestMain), and run as nobody on a site nobody owns.
func TestSamplesRunAsAnOrdinaryUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run versus as another user")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("needs setpriv (util-linux)")
	}
	bash := "/bin/bash"
	if _, err := os.Stat(bash); err != nil {
		t.Skip("needs /bin/bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Not t.TempDir: its parents are private to root.
	top, err := os.MkdirTemp("/tmp", "versus-nonroot-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(top) })
	bin := filepath.Join(top, "versus")
	copyFile(t, self, bin)
	site := filepath.Join(top, "site")
	files := map[string]string{
		"site.yaml":    "title: Ordinary\nbaseURL: https://example.org/\nsubjects:\n  sh:\n    name: Bash\n    extensions: [.sh]\n    run: [bash, \"{file}\"]\n",
		"content/a.md": "---\ntitle: A\n---\n{{< sample \"where\" >}}\n",
		// The run writes in its folder, in HOME and in TMPDIR, and says
		// where it is.
		"content/samples/where/main.sh":      "echo made > made.txt && cat made.txt\necho ok > \"$HOME/h\" && echo ok > \"$TMPDIR/t\" && cat \"$HOME/h\" \"$TMPDIR/t\"\npwd\n",
		"content/samples/where/expected.txt": "made\nok\nok\n{cwd}\n",
	}
	if py, err := exec.LookPath("/usr/bin/python3"); err == nil {
		files["site.yaml"] += "  py:\n    name: Python\n    extensions: [.py]\n    run: [" + py + ", \"{file}\"]\n"
		files["content/a.md"] += "\n{{< sample \"serve\" >}}\n"
		files["content/samples/serve/main.py"] = "import http.server, os\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(200)\n        self.end_headers()\n        self.wfile.write(b'Hello World')\nhttp.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()\n"
		files["content/samples/serve/sample.yaml"] = "serve: {env: PORT, path: /, expect: Hello World}\n"
	}
	writeFiles(t, site, files)
	if out, err := exec.Command("chown", "-R", "nobody:nogroup", top).CombinedOutput(); err != nil {
		t.Skipf("chown nobody: %v %s", err, out)
	}
	if err := os.Chmod(top, 0o755); err != nil {
		t.Fatal(err)
	}
	runAs := func(args ...string) (string, error) {
		cmd := exec.Command(setpriv, append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", bin}, args...)...)
		cmd.Dir = site
		cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + site, "TMPDIR=/tmp"}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := runAs("check", "--samples")
	if err != nil {
		t.Fatalf("check --samples as nobody: %v\n%s", err, out)
	}
	t.Logf("check --samples as nobody:\n%s", out)
	if !strings.Contains(out, "verified (") || strings.Contains(out, "failed") {
		t.Errorf("check --samples as nobody:\n%s", out)
	}
	if strings.Contains(out, "samples run without") {
		// Some machines refuse unprivileged user namespaces: versus then
		// says so, and the runs are bounded but not isolated.
		t.Logf("runs were not contained here:\n%s", out)
	}
	out, err = runAs("generate", "--verify")
	if err != nil {
		t.Fatalf("generate --verify as nobody: %v\n%s", err, out)
	}
	page, err := os.ReadFile(filepath.Join(site, "public", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "made\nok\nok\n{cwd}</code>") {
		t.Errorf("the page does not show the run's output with its folder as {cwd}")
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
