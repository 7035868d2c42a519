package publish

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

func writeSite(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var site = map[string]string{
	"site.yaml":        "title: T\nbaseURL: https://example.org/\n",
	"content/hello.md": "---\ntitle: Hello\n---\nHi.\n\n```go\nvar x = 1\n```\n",
}

// Generate builds, then finds nothing changed, then builds again after an
// edit, keeping the unchanged files.
func TestGenerate(t *testing.T) {
	root := t.TempDir()
	writeSite(t, root, site)
	opts := Options{Source: root, Dest: filepath.Join(root, "public"), CacheDir: filepath.Join(root, ".versus-cache")}
	res, err := Generate(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged || !res.Committed || res.Stats.Pages == 0 {
		t.Fatalf("first build: %+v", res)
	}
	for _, f := range []string{"highlight.bin", "output.manifest"} {
		if _, err := os.Stat(filepath.Join(root, ".versus-cache", f)); err != nil {
			t.Errorf("the cache folder lacks %s: %v", f, err)
		}
	}
	if res, err = Generate(context.Background(), opts); err != nil || !res.Unchanged {
		t.Fatalf("second build: unchanged %v, %v", res.Unchanged, err)
	}
	writeSite(t, root, map[string]string{"content/hello.md": "---\ntitle: Hello\n---\nHello.\n"})
	if res, err = Generate(context.Background(), opts); err != nil || res.Unchanged || res.Linked == 0 || res.Compared != 0 {
		t.Fatalf("after an edit: %+v, %v", res, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "public", "hello", "index.html")); !strings.Contains(string(b), "Hello.") {
		t.Error("the edit is not in the output")
	}
}

// A failed build is a generator.ErrorList and leaves the output alone.
func TestGenerateFails(t *testing.T) {
	root := t.TempDir()
	writeSite(t, root, site)
	opts := Options{Source: root, Dest: filepath.Join(root, "public"), CacheDir: filepath.Join(root, ".versus-cache")}
	if _, err := Generate(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	writeSite(t, root, map[string]string{"content/broken.md": "---\ntitle: [\n---\n"})
	res, err := Generate(context.Background(), opts)
	var list generator.ErrorList
	if !errors.As(err, &list) || res.Committed {
		t.Fatalf("want the build's errors and nothing committed, got %v (%+v)", err, res)
	}
	if _, err := os.Stat(filepath.Join(root, "public", "hello", "index.html")); err != nil {
		t.Error("a failed build changed the output")
	}
	if left, _ := filepath.Glob(filepath.Join(root, ".public.versus-new-*")); len(left) != 0 {
		t.Errorf("a failed build left %v", left)
	}
}

// With no cache folder nothing is cached anywhere, not even sample runs;
// failing samples are *SamplesFailed.
func TestGenerateWithoutCache(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	root := t.TempDir()
	writeSite(t, root, site)
	writeSite(t, root, map[string]string{
		"site.yaml":                        site["site.yaml"] + "subjects:\n  python:\n    name: Python\n    language: python\n    extensions: [.py]\n    run: [python3, \"{file}\"]\n",
		"content/s.md":                     "---\ntitle: S\n---\n\n{{< sample \"s\" >}}\n",
		"content/samples/s/main.py":        "print('hi')\n",
		"content/samples/s/expected.txt":   "hi\n",
		"content/samples/bad/main.py":      "print('no')\n",
		"content/samples/bad/expected.txt": "yes\n",
	})
	opts := Options{Source: root, Dest: filepath.Join(root, "public"), Verify: true}
	_, err := Generate(context.Background(), opts)
	var failed *SamplesFailed
	if !errors.As(err, &failed) || failed.Report.Verified != 1 {
		t.Fatalf("want one failed sample, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed verification must write nothing")
	}
	os.RemoveAll(filepath.Join(root, "content", "samples", "bad"))
	if _, err := Generate(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".versus-cache")); !errors.Is(err, os.ErrNotExist) {
		t.Error(`with CacheDir "", no .versus-cache folder may be written`)
	}
}

// An incremental generate keeps the social cards of the pages it did not
// render again in the cache (a full build prunes the cards it did not use),
// and gives the same stats as a full build.
func TestIncrementalKeepsCards(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{"site.yaml": site["site.yaml"]}
	for _, n := range []string{"a", "b", "c"} {
		files["content/"+n+".md"] = "---\ntitle: " + n + "\n---\nBody of " + n + ".\n"
	}
	writeSite(t, root, files)
	cache := filepath.Join(root, ".versus-cache")
	opts := Options{Source: root, Dest: filepath.Join(root, "public"), CacheDir: cache}
	count := func() int {
		entries, err := os.ReadDir(filepath.Join(cache, cardCache))
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	full, err := Generate(context.Background(), opts)
	if err != nil || full.Incremental {
		t.Fatalf("first build: %+v, %v", full, err)
	}
	cards := count()
	if cards < 3 {
		t.Fatalf("%d cards cached, want one per page at least", cards)
	}
	writeSite(t, root, map[string]string{"content/b.md": "---\ntitle: b\n---\nAnother body of b.\n"})
	res, err := Generate(context.Background(), opts)
	if err != nil || !res.Incremental {
		t.Fatalf("after a body edit: %+v, %v", res, err)
	}
	if n := count(); n != cards {
		t.Errorf("%d cards cached after an incremental build, %d before", n, cards)
	}
	if res.Stats != full.Stats {
		t.Errorf("stats %+v, a full build's %+v", res.Stats, full.Stats)
	}
}
