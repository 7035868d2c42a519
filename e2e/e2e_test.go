// Package e2e holds end-to-end tests: the repository's own showcase site
// built with versus, served on 127.0.0.1 and driven in chromium.
package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/versus-ssg/versus/generator/publish"
)

var (
	showcaseOnce sync.Once
	showcaseDir  string
	showcaseErr  error
)

// repoRoot is the repository root (the showcase's site root).
func repoRoot(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the repository root")
	}
	return filepath.Dir(filepath.Dir(file))
}

// showcase builds the repository's site once per test binary into a
// temporary folder and returns that folder, ready to serve.
func showcase(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	showcaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "versus-e2e-")
		if err != nil {
			showcaseErr = err
			return
		}
		// Run every sample, as generate --verify does, so pages show their
		// verified output; the caches live and die with the build.
		dest := filepath.Join(dir, "public")
		_, showcaseErr = publish.Generate(context.Background(), publish.Options{
			Source:   root,
			Dest:     dest,
			CacheDir: filepath.Join(dir, "cache"),
			BaseURL:  "/",
			Verify:   true,
			TempDir:  dir,
		})
		showcaseDir = dest
	})
	if showcaseErr != nil {
		var failed *publish.SamplesFailed
		if errors.As(showcaseErr, &failed) {
			t.Fatalf("building the showcase: %v\n%v", showcaseErr, failed.Report.Errors)
		}
		t.Fatalf("building the showcase: %v", showcaseErr)
	}
	return showcaseDir
}
