package e2e

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/versus-ssg/versus/generator/output"
	"github.com/versus-ssg/versus/generator/pipeline"
)

// The test sites under testdata/sites/, each built once per test binary.
var (
	sitesMu    sync.Mutex
	sitesBuilt = map[string]string{}
)

// testSite builds testdata/sites/NAME into a temporary folder (once per
// test binary) and returns that folder, ready to serve.
func testSite(t testing.TB, name string) string {
	t.Helper()
	sitesMu.Lock()
	defer sitesMu.Unlock()
	if dir, ok := sitesBuilt[name]; ok {
		return dir
	}
	root := filepath.Join(repoRoot(t), "e2e", "testdata", "sites", name)
	tmp, err := os.MkdirTemp("", "versus-e2e-"+name+"-")
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(tmp, "public")
	stage, err := output.Stage(dest, root)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(root)}, stage)
	if err != nil {
		_ = stage.Abort()
		t.Fatalf("building the %s test site: %v", name, err)
	}
	for _, w := range res.Warnings {
		t.Errorf("building the %s test site: warning: %v", name, w)
	}
	if err := stage.Commit(); err != nil {
		t.Fatal(err)
	}
	sitesBuilt[name] = dest
	return dest
}

// pagesOf lists every HTML page of a built site as the URL path a reader
// visits: "/", "/a/", "/404.html".
func pagesOf(t testing.TB, dir string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		if data, err := os.ReadFile(p); err != nil {
			return err
		} else if bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
			// A list's page/1/, which sends the reader on to the list.
			return nil
		}
		rel := "/" + filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		pages = append(pages, strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(pages)
	if len(pages) < 10 {
		t.Fatalf("%s has only %d pages: %v", dir, len(pages), pages)
	}
	return pages
}
