// Package e2e holds end-to-end tests: the repository's own showcase site
// built with versus, served on 127.0.0.1 and driven in chromium.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"versus/generator/build"
	"versus/generator/config"
	"versus/generator/output"
	"versus/generator/samples"
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
		// verified output; the cache lives and dies with the build.
		cfg, err := config.Load(os.DirFS(root))
		if err != nil {
			showcaseErr = err
			return
		}
		runner := &samples.Runner{Cache: &samples.Cache{Dir: filepath.Join(dir, "cache")}, TempDir: dir}
		rep, err := runner.VerifyAll(context.Background(), os.DirFS(root), cfg)
		if err == nil {
			err = rep.Err()
		}
		if err != nil {
			showcaseErr = fmt.Errorf("verifying the samples: %w", err)
			return
		}
		dest := filepath.Join(dir, "public")
		stage, err := output.Stage(dest, root)
		if err != nil {
			showcaseErr = err
			return
		}
		outputs := samples.NewOutputs(rep, runner.Cache)
		if _, err := build.Build(context.Background(), build.Options{Source: os.DirFS(root), BaseURL: "/", Outputs: outputs}, stage); err != nil {
			_ = stage.Abort()
			showcaseErr = err
			return
		}
		showcaseErr = stage.Commit()
		showcaseDir = dest
	})
	if showcaseErr != nil {
		t.Fatalf("building the showcase: %v", showcaseErr)
	}
	return showcaseDir
}
