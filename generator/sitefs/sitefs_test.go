package sitefs_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator/sitefs"
)

// site makes a folder with files (path → content) and links (path →
// target, written as given).
func site(t *testing.T, files, links map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range links {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(strings.ReplaceAll(target, "$SITE", dir), full); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func open(t *testing.T, dir string) *sitefs.FS {
	t.Helper()
	f, err := sitefs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestLinksOutsideTheSiteAreRefused(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("root:x:0:0"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(outside, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "dir", "main.py"), []byte("print('outside')"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := site(t, map[string]string{"content/a.md": "# A\n"}, map[string]string{
		"content/passwd.txt":        secret,                        // absolute, one hop
		"content/samples/f/main.py": "../g/main.py",                // chain: relative, then absolute
		"content/samples/g/main.py": secret,                        //
		"content/samples/h":         "../samples/i",                // folder chain
		"content/samples/i":         filepath.Join(outside, "dir"), //
		"content/up.txt":            "../../" + filepath.Base(outside) + "/secret.txt",
		"layouts/partials/x.html":   "../../content/samples/g/main.py",
		"content/posts/linked.md":   filepath.Join(outside, "secret.txt"),
	})
	f := open(t, dir)
	for _, name := range []string{
		"content/passwd.txt", "content/samples/f/main.py", "content/samples/h/main.py",
		"content/up.txt", "layouts/partials/x.html", "content/posts/linked.md",
	} {
		b, err := fs.ReadFile(f, name)
		var esc *sitefs.EscapeError
		if !errors.As(err, &esc) {
			t.Errorf("%s: read %q, err %v; want an EscapeError", name, b, err)
			continue
		}
		if !strings.Contains(err.Error(), outside) || !strings.Contains(err.Error(), "outside the site") {
			t.Errorf("%s: the error does not say where the link leads: %v", name, err)
		}
		if _, err := fs.Stat(f, name); !errors.As(err, &esc) {
			t.Errorf("stat %s: %v; want an EscapeError", name, err)
		}
	}
	if _, err := fs.ReadDir(f, "content/samples/h"); err == nil {
		t.Error("listing a linked folder outside the site worked")
	}
	// The message names the final target of the chain, not the first hop.
	_, err := fs.ReadFile(f, "content/samples/f/main.py")
	if !strings.Contains(err.Error(), secret) {
		t.Errorf("chain: %v does not name %s", err, secret)
	}
}

func TestLinksInsideTheSiteWork(t *testing.T) {
	dir := site(t, map[string]string{"content/a.txt": "A", "shared/b.py": "B"}, map[string]string{
		"content/rel.txt":           "a.txt",
		"content/chain.txt":         "rel.txt",
		"content/abs.txt":           "$SITE/content/a.txt", // absolute but inside: os.Root alone refuses it
		"content/samples/s/main.py": "../../../shared/b.py",
		"content/samples/t":         "../../shared",
	})
	f := open(t, dir)
	for name, want := range map[string]string{
		"content/rel.txt": "A", "content/chain.txt": "A", "content/abs.txt": "A",
		"content/samples/s/main.py": "B", "content/samples/t/b.py": "B",
	} {
		b, err := fs.ReadFile(f, name)
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", name, b, err, want)
		}
	}
	rel, err := f.Resolve("content/samples/t/b.py")
	if err != nil || rel != "shared/b.py" {
		t.Errorf("Resolve = %q, %v; want shared/b.py", rel, err)
	}
}

func TestALoopOfLinksFails(t *testing.T) {
	dir := site(t, nil, map[string]string{"content/a": "b", "content/b": "a"})
	f := open(t, dir)
	if _, err := f.Resolve("content/a"); err == nil || !strings.Contains(err.Error(), "loop") {
		t.Errorf("Resolve of a loop: %v", err)
	}
	if _, err := fs.ReadFile(f, "content/a"); err == nil {
		t.Error("reading a loop worked")
	}
}

func TestResolveOnDirFS(t *testing.T) {
	outside := t.TempDir()
	dir := site(t, map[string]string{"content/samples/g/x.py": "x"}, map[string]string{
		"content/samples/f/x.py": "../g/x.py",
		"content/samples/e/x.py": filepath.Join(outside, "x.py"),
	})
	fsys := os.DirFS(dir)
	if rel, err := sitefs.Resolve(fsys, "content/samples/f/x.py"); err != nil || rel != "content/samples/g/x.py" {
		t.Errorf("relative link: %q, %v", rel, err)
	}
	var esc *sitefs.EscapeError
	if _, err := sitefs.Resolve(fsys, "content/samples/e/x.py"); !errors.As(err, &esc) {
		t.Errorf("absolute link: %v; want an EscapeError", err)
	}
}

func TestReadFileLimits(t *testing.T) {
	dir := site(t, map[string]string{"small.md": "hello"}, nil)
	big := filepath.Join(dir, "big.md")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Sparse: 256 MiB that take no disk and must take no memory.
	if err := os.Truncate(big, 256<<20); err != nil {
		t.Fatal(err)
	}
	fsys := open(t, dir)
	if b, err := sitefs.ReadFile(fsys, "small.md", 5, "limits.page"); err != nil || string(b) != "hello" {
		t.Errorf("small: %q, %v", b, err)
	}
	_, err = sitefs.ReadFile(fsys, "small.md", 4, "limits.page")
	var se *sitefs.SizeError
	if !errors.As(err, &se) || se.Size != 5 {
		t.Errorf("one byte over: %v", err)
	}
	_, err = sitefs.ReadFile(fsys, "big.md", 8<<20, "limits.page")
	if !errors.As(err, &se) {
		t.Fatalf("big: %v", err)
	}
	if msg := sitefs.Reason(err).Error(); msg != "is 256 MiB, over the 8 MiB limit; make it smaller, or raise limits.page in site.yaml" {
		t.Errorf("message: %s", msg)
	}
}

func TestReadFileRefusesANamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	// Reading a pipe nobody writes to would block forever; ReadFile must
	// return.
	done := make(chan error, 1)
	go func() {
		_, err := sitefs.ReadFile(open(t, dir), "pipe.md", 1<<20, "limits.page")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("pipe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadFile blocked on a named pipe")
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		300: "300 bytes", 1024: "1 KiB", 8 << 20: "8 MiB", 1536 << 20: "1.5 GiB", 64 << 20: "64 MiB",
	} {
		if got := sitefs.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
