package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sameTree fails unless the folders a and b hold the same files with the
// same bytes, and nothing but files and folders.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	read := func(root string) map[string][]byte {
		files := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !d.Type().IsRegular() {
				return fmt.Errorf("%s is not a regular file", p)
			}
			data, err := os.ReadFile(p)
			files[p[len(root):]] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fa, fb := read(a), read(b)
	for p, data := range fa {
		if other, ok := fb[p]; !ok {
			t.Errorf("%s: only in %s", p, a)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s differs from a clean build's", p)
		}
	}
	for p := range fb {
		if _, ok := fa[p]; !ok {
			t.Errorf("%s: missing from %s", p, a)
		}
	}
}

// Builds killed at any moment (SIGKILL, so nothing is cleaned up), with
// same-size edits in between, never make a later build publish anything a
// clean build would not, and the next run removes what they left.
func TestKilledBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site many times")
	}
	versus, err := exec.LookPath("versus") // this test binary, as testscript installs it
	if err != nil {
		t.Skip("no versus command on PATH")
	}
	root := t.TempDir()
	files := map[string]string{"site.yaml": "title: T\nbaseURL: https://example.org/\n"}
	for i := range 500 {
		files[fmt.Sprintf("content/posts/p%04d.md", i)] = fmt.Sprintf("---\ntitle: Post %d\ntags: [t%d]\n---\nThis is one of the posts.\n\n```go\nvar x = %d\n```\n", i, i%20, i)
	}
	writeFiles(t, root, files)
	post := func(word string) {
		writeFiles(t, root, map[string]string{"content/posts/p0007.md": fmt.Sprintf("---\ntitle: Post 7\ntags: [t7]\n---\nThis is one of %s posts.\n", word)})
	}
	generate := func(args ...string) *exec.Cmd {
		cmd := exec.Command(versus, append([]string{"generate"}, args...)...)
		cmd.Dir = root
		return cmd
	}
	start := time.Now()
	if out, err := generate().CombinedOutput(); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	full := time.Since(start)
	const kills = 6
	for i := range kills {
		if i%2 == 0 {
			post("THE")
		} else {
			post("the")
		}
		cmd := generate()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(full * time.Duration(i+1) / (kills + 1))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	post("the")
	left, _ := filepath.Glob(filepath.Join(root, ".public.versus-new-*"))
	out, err := generate("--verbose").CombinedOutput()
	if err != nil {
		t.Fatalf("generate after the kills: %v\n%s", err, out)
	}
	if len(left) > 0 && !strings.Contains(string(out), " of killed runs: ") {
		t.Errorf("%d staging folders were left, and --verbose did not say they were removed:\n%s", len(left), out)
	}
	for _, pattern := range []string{".public.versus-new-*", ".versus-cache/*.new-*"} {
		if still, _ := filepath.Glob(filepath.Join(root, pattern)); len(still) > 0 {
			t.Errorf("left after a good build: %v", still)
		}
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if out, err := generate("--cache-dir", "", "--destination", clean).CombinedOutput(); err != nil {
		t.Fatalf("clean build: %v\n%s", err, out)
	}
	sameTree(t, filepath.Join(root, "public"), clean)
}

// plant is a sample that tries to make the build publish a page of its
// own or write outside the destination: it plants a page and a link in
// every staging folder beside public/, a staging-like folder with a link,
// and turns public/p into a link to a folder outside.
const plant = `import glob, os, shutil
site = SITE
fake = os.path.join(site, ".public.versus-new-fake")
os.makedirs(fake, exist_ok=True)
for d in glob.glob(os.path.join(site, ".public.versus-new-*")):
    open(os.path.join(d, "planted.html"), "w").write("planted")
    if not os.path.lexists(os.path.join(d, "p")):
        os.symlink(OUTSIDE, os.path.join(d, "p"))
p = os.path.join(site, "public", "p")
if os.path.isdir(p) and not os.path.islink(p):
    shutil.rmtree(p)
    os.symlink(OUTSIDE, p)
print("ok")
`

// Whatever such a sample plants changes nothing: the staging folder does
// not exist while samples run, links are never written through, and the
// output is a clean build's.
func TestSamplePlantingChangesNothing(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	root := t.TempDir()
	outside := t.TempDir()
	script := strings.NewReplacer("OUTSIDE", fmt.Sprintf("%q", outside), "SITE", fmt.Sprintf("%q", root)).Replace(plant)
	writeFiles(t, root, map[string]string{
		"site.yaml":                          "title: T\nbaseURL: https://example.org/\nsubjects:\n  python:\n    name: Python\n    language: python\n    extensions: [.py]\n    run: [python3, \"{file}\"]\n",
		"content/p.md":                       "---\ntitle: P\n---\n\n{{< sample \"plant\" >}}\n",
		"content/samples/plant/main.py":      script,
		"content/samples/plant/expected.txt": "ok\n",
	})
	// A clean build of the same sources elsewhere, first: the sample
	// runs in it too, and would plant links into public/ after it.
	clean := filepath.Join(t.TempDir(), "clean")
	if code, _, stderr := runCLI(t, root, "generate", "--verify", "--cache-dir", "", "--destination", clean); code != exitOK {
		t.Fatalf("clean build: %s", stderr)
	}
	for i := range 2 {
		code, stdout, stderr := runCLI(t, root, "generate", "--verify")
		if code != exitOK || !strings.Contains(stdout, "0 from cache") {
			t.Fatalf("generate %d: exit %d\n%s\n%s", i, code, stdout, stderr)
		}
		// A new run the next time, not the cached one.
		if err := os.RemoveAll(filepath.Join(root, ".versus-cache", "samples")); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("written outside the destination: %v", entries)
	}
	if fi, err := os.Lstat(filepath.Join(root, "public", "p")); err != nil || !fi.IsDir() {
		t.Errorf("public/p must be the build's folder, not the planted link: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(root, ".public.versus-new-*")); len(left) != 0 {
		t.Errorf("left beside public/: %v", left)
	}
	sameTree(t, filepath.Join(root, "public"), clean)
}
