package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/pipeline"
)

const threeSubjects = `title: Languages
subjects:
  go: {name: Go, language: go}
  rust: {name: Rust, language: rust}
  zig: {name: Zig, language: zig}
`

func TestNewScaffoldsADraftThatBuilds(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"site.yaml": threeSubjects})

	code, out, errs := runCLI(t, dir, "new", "--subjects", "rust,go", "Go vs Rust")
	if code != exitOK {
		t.Fatalf("new exited %d: %s", code, errs)
	}
	if !strings.Contains(out, "content/go-vs-rust.md") {
		t.Errorf("new did not say what it created: %q", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "content", "go-vs-rust.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{`title: "Go vs Rust"`, "draft: true", "subjects: [rust, go]", "date: " + time.Now().Format("2006-01-02"), "\n    rust: \"\"\n    go: \"\"\n", "## When to choose which"} {
		if !strings.Contains(text, want) {
			t.Errorf("scaffold lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "zig") {
		t.Errorf("--subjects rust,go still scaffolds zig:\n%s", text)
	}

	// It parses, and builds with --drafts into a page with a comparison
	// table of the chosen subjects in the chosen order.
	loaded, err := content.Load(os.DirFS(dir), content.Options{Drafts: true, Now: time.Now()})
	if err != nil {
		t.Fatalf("the scaffold does not parse: %v", err)
	}
	if len(loaded.Pages) != 1 || !loaded.Pages[0].Draft || loaded.Pages[0].Title != "Go vs Rust" {
		t.Fatalf("parsed %+v", loaded.Pages)
	}
	sink := pipeline.NewMemSink()
	if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(dir), Drafts: true}, sink); err != nil {
		t.Fatalf("the scaffold does not build: %v", err)
	}
	page, ok := sink.Get("go-vs-rust/index.html")
	if !ok {
		t.Fatal("no go-vs-rust/index.html")
	}
	html := string(page)
	if r, g := strings.Index(html, `<a href="/subjects/rust/">Rust</a></th>`), strings.Index(html, `<a href="/subjects/go/">Go</a></th>`); r < 0 || g < 0 || r > g {
		t.Errorf("the table should compare Rust then Go")
	}
	// Without --drafts it stays out.
	sink = pipeline.NewMemSink()
	if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(dir)}, sink); err != nil {
		t.Fatal(err)
	}
	if _, ok := sink.Get("go-vs-rust/index.html"); ok {
		t.Error("a draft was built without --drafts")
	}

	// A second run refuses to overwrite the writer's work.
	if err := os.WriteFile(filepath.Join(dir, "content", "go-vs-rust.md"), []byte("my work"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, dir, "new", "Go vs Rust")
	if code != exitFail || !strings.Contains(errs, "content/go-vs-rust.md already exists") {
		t.Errorf("second new exited %d: %s", code, errs)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "content", "go-vs-rust.md")); string(data) != "my work" {
		t.Errorf("the existing file was changed: %q", data)
	}
}

func TestNewUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"site.yaml": threeSubjects})
	if code, _, errs := runCLI(t, dir, "new"); code != exitUsage || !strings.Contains(errs, "give the article's title") {
		t.Errorf("no title: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, dir, "new", "--subjects", "go,cobol", "Go vs COBOL"); code != exitUsage || !strings.Contains(errs, "no subject cobol in site.yaml; known: go, rust, zig") {
		t.Errorf("unknown subject: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		t.Error("a failed new left files behind")
	}
}

func TestCheckLinksReportsSourceLines(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"site.yaml":      "title: T\n",
		"content/a.md":   "---\ntitle: A\n---\n\nFine: [b](b.md).\n\nBroken: [c](c.md) and [anchor](b.md#nowhere).\n",
		"content/b.md":   "---\ntitle: B\n---\n\nText.\n",
		"content/img.md": "---\ntitle: Img\n---\n\n[external](https://example.com/x)\n",
	})
	code, out, errs := runCLI(t, dir, "check", "--links")
	if code != exitFail {
		t.Fatalf("check --links exited %d, want 1\n%s%s", code, out, errs)
	}
	want := "content/a.md:7:9: c.md → /a/c.md (no page is built from content/c.md)\ncontent/a.md:7:23: b.md#nowhere → /b/#nowhere (no element with id nowhere on /b/)\n"
	if !strings.HasPrefix(errs, want) {
		t.Errorf("stderr:\n%s\nwant it to start with:\n%s", errs, want)
	}
	if !strings.Contains(errs, "2 broken links") || !strings.Contains(errs, "skipped 1 link outside the site, to 1 host") {
		t.Errorf("summary missing: %s", errs)
	}
}

func TestCheckLinksShowcaseIsClean(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	code, out, errs := runCLI(t, root, "check", "--links")
	if code != exitOK {
		t.Fatalf("the showcase has broken links (exit %d):\n%s%s", code, errs, out)
	}
	if !strings.Contains(out, "none broken") {
		t.Errorf("stdout %q", out)
	}
}
