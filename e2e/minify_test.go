package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/versus-ssg/versus/generator/linkcheck"
	"github.com/versus-ssg/versus/generator/minify"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/publish"
	"github.com/versus-ssg/versus/internal/browsertest"
)

// TestMinifiedShowcase builds the showcase with --minify's sink: every link
// still resolves, and search still takes a reader to the criterion.
func TestMinifiedShowcase(t *testing.T) {
	root := repoRoot(t)
	mem := pipeline.NewMemSink()
	res, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(root)}, minify.New(mem))
	if err != nil {
		t.Fatal(err)
	}
	rep := linkcheck.Check(res.Site, mem.Files)
	for _, b := range rep.Broken {
		t.Errorf("broken in the minified showcase: %s", b)
	}
	if rep.Checked < 500 {
		t.Errorf("only %d internal links found in the minified showcase", rep.Checked)
	}

	dest := filepath.Join(t.TempDir(), "public")
	if _, err := publish.Generate(context.Background(), publish.Options{Source: root, Dest: dest, BaseURL: "/", Minify: true}); err != nil {
		t.Fatal(err)
	}
	searchCriterion(t, browsertest.ServeDir(t, dest))
}
