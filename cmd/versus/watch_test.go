package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer that the test may read while watch writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"watch", "--port", "70000"},
		{"watch", "extra"},
		{"watch", "--nope"},
		{"watch", "--source", "/does/not/exist"},
	} {
		var out, errOut syncBuffer
		if code := run(context.Background(), &env{stdout: &out, stderr: &errOut, dir: t.TempDir()}, args); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errOut.String())
		}
	}
}

// TestWatchServesRebuildsAndStops runs the command in-process: it serves
// the site under its base path, an edit shows up, a broken page is
// reported with its position while the last good page stays served, the
// output is mirrored to --destination, and cancelling (Ctrl-C) returns 0
// with the server gone.
func TestWatchServesRebuildsAndStops(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Watched\nbaseURL: https://example.org/sub/\n")
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nFirst version.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut, dir: dir}, []string{"watch", "--port", "0", "--destination", "public"})
	}()
	var base string
	pattern := regexp.MustCompile(`serving Watched at (http://127\.0\.0\.1:\d+/sub/)`)
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := pattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("not serving:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, out.String(), errOut.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code, body := get(base + "a/"); code != 200 || !strings.Contains(body, "First version.") {
		t.Fatalf("GET a/: %d %q", code, body)
	}
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nSecond version.\n")
	waitFor("the edit to be served", func() bool { _, body := get(base + "a/"); return strings.Contains(body, "Second version.") })
	waitFor("the edit on disk", func() bool {
		data, _ := os.ReadFile(filepath.Join(dir, "public", "a", "index.html"))
		return strings.Contains(string(data), "Second version.") && !strings.Contains(string(data), "__versus")
	})
	line := regexp.MustCompile(`content/a\.md → \d+ pages? re-rendered, \d+ files? changed in \d+ ms`)
	waitFor("the rebuild line", func() bool { return line.MatchString(out.String()) })

	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: not a date\n---\nThird.\n")
	waitFor("the error", func() bool { return strings.Contains(errOut.String(), "content/a.md:3:7: ") })
	if !strings.Contains(errOut.String(), "still serving the last good build") {
		t.Errorf("stderr: %s", errOut.String())
	}
	if _, body := get(base + "a/"); !strings.Contains(body, "Second version.") {
		t.Errorf("a failed build changed what is served: %q", body)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop")
	}
	if code, _ := get(base); code != 0 {
		t.Errorf("the server still answers after stopping (%d)", code)
	}
}
