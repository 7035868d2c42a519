package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const sampleSite = `title: T
subjects:
  node:
    name: Node.js
    language: javascript
    extensions: [.mjs]
    run: [node, "{file}"]
  python:
    name: Python
    language: python
    extensions: [.py]
    run: [python3, "{file}"]
`

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

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// withoutProgress drops the progress lines a slow machine may print after
// a second ("versus: [1/2] hello ok"), which depend on timing.
func withoutProgress(s string) string {
	return regexp.MustCompile(`(?m)^versus: \[\d+/\d+\] .*\n`).ReplaceAllString(s, "")
}

func runCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errOut, dir: dir}, args)
	return code, out.String(), errOut.String()
}

func TestCheckSamples(t *testing.T) {
	needRuntimes(t)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"site.yaml":                          sampleSite,
		"content/samples/hello/main.mjs":     "console.log('hi');\n",
		"content/samples/hello/main.py":      "print('hi')\n",
		"content/samples/hello/expected.txt": "hi\n",
	})
	code, stdout, stderr := runCLI(t, root, "check", "--samples")
	stderr = withoutProgress(stderr)
	if code != exitOK || !regexp.MustCompile(`^versus: 1 sample verified \(2 runs, 0 from cache\) in \S+\n$`).MatchString(stdout) || stderr != "" {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, root, "check", "--samples")
	if code != exitOK || !strings.Contains(stdout, "(2 runs, 2 from cache)") {
		t.Errorf("second run: exit %d, %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(root, ".versus-cache", ".gitignore")); err != nil {
		t.Errorf("the cache is not git-ignored: %v", err)
	}

	writeFiles(t, root, map[string]string{"content/samples/hello/main.py": "print('hello')\n"})
	code, stdout, stderr = runCLI(t, root, "check", "--samples")
	stderr = withoutProgress(stderr)
	want := `content/samples/hello/main.py: sample "hello", Python: the output differs from expected.txt:
--- content/samples/hello/expected.txt
+++ stdout of python3 main.py
@@ -1 +1 @@
-hi
+hello
versus: 1 of 1 sample failed (2 runs, 0 from cache) in `
	if code != exitFail || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("a failing sample: exit %d\nstdout: %q\nstderr:\n%s\nwant:\n%s…", code, stdout, stderr, want)
	}
}

func TestCheckSamplesUsage(t *testing.T) {
	if code, _, stderr := runCLI(t, t.TempDir(), "check", "--samples", "--source", "nowhere"); code != exitUsage || !strings.Contains(stderr, "nowhere is not a folder") {
		t.Errorf("a missing source: exit %d, %q", code, stderr)
	}
	if code, _, _ := runCLI(t, t.TempDir(), "check", "--samples", "extra"); code != exitUsage {
		t.Errorf("an extra argument: exit %d", code)
	}
	if code, _, _ := runCLI(t, t.TempDir(), "generate", "--verify=maybe"); code != exitUsage {
		t.Errorf("a bad flag value: exit %d", code)
	}
}

func TestGenerateVerify(t *testing.T) {
	needRuntimes(t)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"site.yaml":                          sampleSite,
		"content/page.md":                    "---\ntitle: Page\ndate: 2026-01-01\n---\n\n{{< sample \"hello\" >}}\n",
		"content/samples/hello/main.mjs":     "console.log('hi');\n",
		"content/samples/hello/main.py":      "print('hi')\n",
		"content/samples/hello/expected.txt": "hi\n",
	})
	code, stdout, stderr := runCLI(t, root, "generate", "--verify")
	if code != exitOK || !strings.Contains(stdout, "; 1 sample verified (2 runs, 0 from cache) in ") {
		t.Fatalf("exit %d\nstdout: %q\nstderr: %q", code, stdout, stderr)
	}
	page, err := os.ReadFile(filepath.Join(root, "public/page/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "verified with Node.js v") || !strings.Contains(string(page), "verified with Python 3") {
		t.Error("the page does not say its sample was verified")
	}
	// A failing sample fails the build and leaves the last output alone.
	writeFiles(t, root, map[string]string{"content/samples/hello/main.mjs": "console.log('bye');\n"})
	code, _, stderr = runCLI(t, root, "generate", "--verify")
	if code != exitFail || !strings.Contains(stderr, `sample "hello", Node.js: the output differs`) || !strings.Contains(stderr, "public was left as it was") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(root, "public/page/index.html")); !bytes.Equal(again, page) {
		t.Error("a failed verification changed public/")
	}
	// Without --verify, the changed Node.js file is shown without a claim;
	// the Python file passed with the sample as it is now, so it keeps one.
	if code, _, stderr := runCLI(t, root, "generate"); code != exitOK {
		t.Fatalf("generate: exit %d, %s", code, stderr)
	}
	page, _ = os.ReadFile(filepath.Join(root, "public/page/index.html"))
	if strings.Contains(string(page), "verified with Node.js") || !strings.Contains(string(page), "bye") {
		t.Error("the changed Node.js file still claims the old output")
	}
	if !strings.Contains(string(page), "verified with Python") {
		t.Error("the Python file lost its verified output")
	}
}
