package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckRefuses(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	link := filepath.Join(root, "link-to-site")
	if err := os.Symlink(src, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for dest, why := range map[string]string{
		"/":                            "whole file system",
		home:                           "home folder",
		src:                            "source folder",
		root:                           "contains the source",
		link:                           "source folder",
		file:                           "is a file",
		filepath.Join(src, "..", ".."): "contains the source",
	} {
		err := Check(dest, src)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("Check(%s) = %v, want a refusal (%s)", dest, err, why)
		}
	}
	for _, ok := range []string{filepath.Join(src, "public"), filepath.Join(root, "out"), filepath.Join(src, "a", "b")} {
		if err := Check(ok, src); err != nil {
			t.Errorf("Check(%s) = %v, want ok", ok, err)
		}
	}
}

func TestStageCommitAbort(t *testing.T) {
	src := t.TempDir()
	dest := filepath.Join(src, "public")
	keep := filepath.Join(src, "keep.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(files map[string]string, commit bool) {
		t.Helper()
		s, err := Stage(dest, src)
		if err != nil {
			t.Fatal(err)
		}
		for p, c := range files {
			if err := s.Write(p, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			err = s.Commit()
		} else {
			err = s.Abort()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	write(map[string]string{"index.html": "one", "old/page.html": "stale"}, true)
	write(map[string]string{"index.html": "half-written"}, false)
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "one" {
		t.Fatalf("an aborted build changed the output: %q", b)
	}
	write(map[string]string{"index.html": "two", "a/b/c.html": "deep"}, true)
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "two" {
		t.Fatalf("index = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "old")); !os.IsNotExist(err) {
		t.Error("files the new build does not write are removed")
	}
	entries, _ := os.ReadDir(src)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "keep.txt,public" {
		t.Errorf("the source folder holds %v; staging folders must be gone and nothing else touched", names)
	}
	s, err := Stage(dest, src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, bad := range []string{"../escape.txt", "/abs", "a/../../b", ""} {
		if err := s.Write(bad, []byte("x")); err == nil {
			t.Errorf("Write(%q) must be refused", bad)
		}
	}
}

func TestKeepUnchanged(t *testing.T) {
	src := t.TempDir()
	dest := filepath.Join(src, "public")
	manifest := filepath.Join(src, ".cache", "output.manifest")
	build := func(files map[string]string) *Staging {
		t.Helper()
		s, err := Stage(dest, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.KeepUnchanged(manifest); err != nil {
			t.Fatal(err)
		}
		for p, c := range files {
			if err := s.Write(p, []byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveManifest("d1", Stats{Pages: 1}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	stat := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(filepath.Join(dest, p))
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	build(map[string]string{"a/index.html": "same", "b/index.html": "old", "c.txt": "hand"})
	a1, b1 := stat("a/index.html"), stat("b/index.html")
	// Someone edits the output by hand; that file must be written again.
	if err := os.WriteFile(filepath.Join(dest, "c.txt"), []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := build(map[string]string{"a/index.html": "same", "b/index.html": "new", "c.txt": "hand"})
	if !os.SameFile(a1, stat("a/index.html")) || !a1.ModTime().Equal(stat("a/index.html").ModTime()) {
		t.Error("an unchanged file must be the same file, with its modification time")
	}
	if os.SameFile(b1, stat("b/index.html")) {
		t.Error("a changed file must be written anew")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "c.txt")); string(b) != "hand" {
		t.Errorf("a hand-edited file must be replaced by what the build wrote, got %q", b)
	}
	if s.Linked() != 1 {
		t.Errorf("linked %d files, want 1", s.Linked())
	}
	// The same digest with the output intact: nothing to do.
	s3, err := Stage(dest, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.KeepUnchanged(manifest); err != nil {
		t.Fatal(err)
	}
	if st, ok := s3.Unchanged("d1"); !ok || st.Pages != 1 {
		t.Errorf("Unchanged(d1) = %v, %v; want the stored stats", st, ok)
	}
	if _, ok := s3.Unchanged("d2"); ok {
		t.Error("another digest is a change")
	}
	if err := os.Remove(filepath.Join(dest, "c.txt")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s3.Unchanged("d1"); ok {
		t.Error("an output missing a file is not unchanged")
	}
	s3.Abort()
	// A manifest of another destination is not trusted.
	other := filepath.Join(src, "elsewhere")
	s2, err := Stage(other, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.KeepUnchanged(manifest); err != nil {
		t.Fatal(err)
	}
	if err := s2.Write("a/index.html", []byte("same")); err != nil {
		t.Fatal(err)
	}
	if s2.Linked() != 0 {
		t.Error("a manifest for another folder must be ignored")
	}
	s2.Abort()
}
