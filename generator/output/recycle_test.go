package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A recycled staging folder starts from the output before the previous
// one, and while it is brought up to date the live output is never
// written into, though most of its files are shared with it.
func TestRecycleNeverWritesIntoTheLiveOutput(t *testing.T) {
	src := t.TempDir()
	dest := filepath.Join(src, "public")
	cache := filepath.Join(src, ".cache")
	manifest := filepath.Join(cache, "output.manifest")
	kept := filepath.Join(cache, "previous-output")
	build := func(files map[string]string, keep []string, recycle bool) *Staging {
		t.Helper()
		s, err := Stage(dest, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.KeepUnchanged(manifest); err != nil && !strings.Contains(err.Error(), "no output manifest") {
			t.Fatal(err)
		}
		s.KeepPrevious(kept)
		if recycle {
			s.Recycle()
			if ok, err := s.Recycled(); !ok {
				t.Fatalf("not recycled: %v", err)
			}
		}
		for p, c := range files {
			if err := s.Write(p, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if len(keep) > 0 {
			if err := s.KeepAll(keep); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	commit := func(s *Staging) {
		t.Helper()
		if err := s.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveManifest("", Stats{}); err != nil {
			t.Fatal(err)
		}
	}
	commit(build(map[string]string{"a/index.html": "A1", "b/index.html": "B1", "c.txt": "C1"}, nil, false))
	nothing := &Staging{}
	nothing.Recycle()
	if ok, err := nothing.Recycled(); ok || err == nil {
		t.Error("recycled with nothing kept")
	}
	// The second build swaps the first's output out, and keeps it.
	commit(build(map[string]string{"a/index.html": "A2"}, []string{"b/index.html", "c.txt"}, false))
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("the swapped-out output was not kept: %v", err)
	}
	// Now the kept tree holds A1, B1, C1; B1 and C1 are the live files.
	s := build(map[string]string{"b/index.html": "B3", "d/index.html": "D3"}, []string{"a/index.html"}, true)
	for p, want := range map[string]string{"a/index.html": "A2", "b/index.html": "B1", "c.txt": "C1"} {
		if b, _ := os.ReadFile(filepath.Join(dest, p)); string(b) != want {
			t.Errorf("while staging, the live %s holds %q, want %q", p, b, want)
		}
	}
	commit(s)
	for p, want := range map[string]string{"a/index.html": "A2", "b/index.html": "B3", "d/index.html": "D3"} {
		if b, _ := os.ReadFile(filepath.Join(dest, p)); string(b) != want {
			t.Errorf("%s holds %q, want %q", p, b, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "c.txt")); !os.IsNotExist(err) {
		t.Errorf("c.txt, which the build dropped, is still there: %v", err)
	}
	// The kept tree is the output before: B1 and C1 again.
	if b, _ := os.ReadFile(filepath.Join(kept, "b", "index.html")); string(b) != "B1" {
		t.Errorf("the kept tree's b/index.html holds %q", b)
	}
	// A file where the next build needs nothing, and a link, planted in
	// the kept tree, never reach the output.
	os.WriteFile(filepath.Join(kept, "planted.html"), []byte("x"), 0o644)
	os.Symlink("/etc/passwd", filepath.Join(kept, "b", "link"))
	commit(build(map[string]string{"a/index.html": "A4"}, []string{"b/index.html", "d/index.html"}, true))
	for _, p := range []string{"planted.html", "b/link", "c.txt"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); !os.IsNotExist(err) {
			t.Errorf("%s reached the output: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "b", "index.html")); string(b) != "B3" {
		t.Errorf("b/index.html holds %q, want B3", b)
	}
}
