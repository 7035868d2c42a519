package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// KeepAll carries files into the new output without their bytes only
// while the manifest vouches for them as they are on disk.
func TestKeepAll(t *testing.T) {
	src := t.TempDir()
	dest := filepath.Join(src, "public")
	manifest := filepath.Join(src, ".cache", "output.manifest")
	stage := func() *Staging {
		t.Helper()
		s, err := Stage(dest, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.KeepUnchanged(manifest); err != nil && !strings.Contains(err.Error(), "no output manifest") {
			t.Fatal(err)
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
	s := stage()
	// Without a previous output and its manifest, nothing can be kept.
	if err := s.KeepAll([]string{"a/index.html"}); err == nil {
		t.Fatal("kept a file from no previous output")
	}
	for p, c := range map[string]string{"a/index.html": "A", "a/b/c.txt": "C", "top.txt": "T"} {
		if err := s.Write(p, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	commit(s)
	before, err := os.Stat(filepath.Join(dest, "a/b/c.txt"))
	if err != nil {
		t.Fatal(err)
	}

	s = stage()
	if err := s.Write("a/index.html", []byte("A2")); err != nil {
		t.Fatal(err)
	}
	if err := s.KeepAll([]string{"a/b/c.txt", "top.txt"}); err != nil {
		t.Fatal(err)
	}
	commit(s)
	for p, want := range map[string]string{"a/index.html": "A2", "a/b/c.txt": "C", "top.txt": "T"} {
		got, err := os.ReadFile(filepath.Join(dest, p))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", p, got, err, want)
		}
	}
	after, err := os.Stat(filepath.Join(dest, "a/b/c.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("a/b/c.txt was written again, not linked")
	}

	// A file edited by hand since, one the manifest does not list, and one
	// gone: each refuses.
	if err := os.WriteFile(filepath.Join(dest, "top.txt"), []byte("by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dest, "a/b/c.txt")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"top.txt", "nope.txt", "a/b/c.txt", "../x"} {
		s = stage()
		if err := s.KeepAll([]string{name}); err == nil {
			t.Errorf("kept %s", name)
		}
		if err := s.Abort(); err != nil {
			t.Fatal(err)
		}
	}
}
