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
