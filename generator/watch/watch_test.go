package watch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
)

func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"site.yaml":           "title: T\n",
		"content/a.md":        "---\ntitle: A\n---\nA.\n",
		"content/sub/b.md":    "---\ntitle: B\n---\nB.\n",
		"layouts/single.html": "{{ .Title }}",
		"README.md":           "not a source",
	} {
		put(t, dir, name, data)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func put(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// start watches dir with a quiet time long enough that a slow test machine
// cannot split one burst into two batches.
func start(t *testing.T, dir string, opts Options) *Watcher {
	t.Helper()
	if opts.Quiet == 0 {
		opts.Quiet = 150 * time.Millisecond
	}
	w, err := New(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// next waits (boundedly) for the next batch.
func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no batch within 10s")
		return nil
	}
}

// none checks that nothing is reported for a while after the last event.
func none(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("reported %v, which should have been ignored", b)
	case <-time.After(600 * time.Millisecond):
	}
}

func TestAtomicSaveIsOneChange(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	// Write a temporary file and rename it over the page, as many editors
	// save; the hidden temporary name is ignored.
	tmp := filepath.Join(dir, "content", ".a.md.tmp1234")
	if err := os.WriteFile(tmp, []byte("---\ntitle: A2\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "content", "a.md")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, w); !slices.Equal(got, []string{"content/a.md"}) {
		t.Errorf("batch %v, want [content/a.md]", got)
	}
}

// sed -i writes a temporary file with an ordinary name beside the file and
// renames it over: the batch names the file, not sedXXXXXX.
func TestSedInPlaceNamesTheRealFile(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	cmd := exec.Command("sed", "-i", "s/B\\./B2./", filepath.Join(dir, "content", "sub", "b.md"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("sed -i: %v %s", err, out)
	}
	if got := next(t, w); !slices.Equal(got, []string{"content/sub/b.md"}) {
		t.Errorf("batch %v, want [content/sub/b.md]", got)
	}
	// A file made and removed within one batch changed nothing at all.
	tmp := filepath.Join(dir, "content", "scratch4x")
	put(t, dir, "content/scratch4x", "x")
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	none(t, w)
}

func TestVimSaveIgnoresItsHelperFiles(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	c := filepath.Join(dir, "content")
	// vim: a 4913 write test, a swap file, a backup by rename, the new file.
	put(t, dir, "content/4913", "")
	os.Remove(filepath.Join(c, "4913"))
	put(t, dir, "content/.a.md.swp", "swap")
	if err := os.Rename(filepath.Join(c, "a.md"), filepath.Join(c, "a.md~")); err != nil {
		t.Fatal(err)
	}
	put(t, dir, "content/a.md", "---\ntitle: A3\n---\n")
	os.Remove(filepath.Join(c, "a.md~"))
	os.Chmod(filepath.Join(c, "a.md"), 0o600)
	if got := next(t, w); !slices.Equal(got, []string{"content/a.md"}) {
		t.Errorf("batch %v, want [content/a.md]", got)
	}
}

func TestEditorFilesAndChmodAreIgnored(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{Ignore: []string{filepath.Join(dir, "content", "out")}})
	for _, name := range []string{"content/.#a.md", "content/a.md~", "content/.a.md.swp", "content/4913", "content/#a.md#",
		"content/a.md___jb_tmp___", ".git/index", "README.md", "public/index.html", "content/out/x.html"} {
		put(t, dir, name, "x")
	}
	if err := os.Chmod(filepath.Join(dir, "content", "a.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	none(t, w)
}

func TestNewFolderIsWatched(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	put(t, dir, "content/new/deep/c.md", "---\ntitle: C\n---\n")
	// The folder stands for what is in it; what was written after its watch
	// was set may be named as well.
	got := next(t, w)
	if !slices.Contains(got, "content/new") {
		t.Errorf("batch %v, want content/new in it", got)
	}
	for _, p := range got {
		if p != "content/new" && !strings.HasPrefix(p, "content/new/") {
			t.Errorf("batch %v names %s", got, p)
		}
	}
	// A file written later in the new folder is seen: the folder is watched.
	put(t, dir, "content/new/deep/d.md", "---\ntitle: D\n---\n")
	if got := next(t, w); !slices.Equal(got, []string{"content/new/deep/d.md"}) {
		t.Errorf("batch %v, want [content/new/deep/d.md]", got)
	}
	if !slices.Contains(w.Dirs(), "content/new/deep") {
		t.Errorf("watching %v, want content/new/deep among them", w.Dirs())
	}
}

func TestDeletionsAndRemovedFolders(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	if err := os.Remove(filepath.Join(dir, "content", "a.md")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, w); !slices.Equal(got, []string{"content/a.md"}) {
		t.Errorf("batch %v, want [content/a.md]", got)
	}
	if err := os.RemoveAll(filepath.Join(dir, "content", "sub")); err != nil {
		t.Fatal(err)
	}
	got := next(t, w)
	if !slices.Contains(got, "content/sub") {
		t.Errorf("batch %v should name content/sub", got)
	}
	if slices.Contains(w.Dirs(), "content/sub") {
		t.Errorf("still watching content/sub: %v", w.Dirs())
	}
	// Renaming a folder reports both names.
	put(t, dir, "content/x/e.md", "e")
	next(t, w)
	if err := os.Rename(filepath.Join(dir, "content", "x"), filepath.Join(dir, "content", "y")); err != nil {
		t.Fatal(err)
	}
	if got := next(t, w); !slices.Equal(got, []string{"content/x", "content/y"}) {
		t.Errorf("batch %v, want [content/x content/y]", got)
	}
}

func TestBurstIsOneBatch(t *testing.T) {
	dir := site(t)
	// A generous quiet time: on a loaded machine the writes below may pause.
	w := start(t, dir, Options{Quiet: 400 * time.Millisecond})
	var want []string
	for i := range 300 {
		name := fmt.Sprintf("content/burst/%03d.md", i)
		if i < 100 {
			name = fmt.Sprintf("content/%03d.md", i)
			want = append(want, name)
		}
		put(t, dir, name, "x")
	}
	put(t, dir, "layouts/list.html", "x")
	put(t, dir, "site.yaml", "title: U\n")
	want = append(want, "content/burst", "layouts/list.html", "site.yaml")
	slices.Sort(want)
	got := next(t, w)
	// The new folder stands for its 200 files, though some may have been
	// written after its watch was set and be named as well.
	var short []string
	for _, p := range got {
		if filepath.Dir(p) != "content/burst" {
			short = append(short, p)
		}
	}
	if !slices.Equal(short, want) {
		t.Errorf("batch %v\nwant %v", short, want)
	}
	none(t, w)
}

// Every settings file name the config accepts is watched, site.yml too.
func TestEverySettingsFileIsWatched(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	put(t, dir, "site.yml", "title: Y\n")
	if got := next(t, w); !slices.Contains(got, "site.yml") {
		t.Errorf("batch %v, want site.yml in it", got)
	}
	for _, name := range generator.SettingsFiles() {
		if w.Ignored(name) {
			t.Errorf("%s is ignored", name)
		}
	}
}

// The site's assets/ folder (css: and js:) is watched, and appears later
// too, like content/.
func TestAssetsFolderIsWatched(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	if w.Ignored("assets/extra.css") {
		t.Error("assets/extra.css is ignored")
	}
	if !w.Ignored("static/extra.css") {
		t.Error("static/extra.css is reported, but no build reads it")
	}
	put(t, dir, "assets/extra.css", "p{}")
	got := next(t, w)
	if !slices.Contains(got, "assets") && !slices.Contains(got, "assets/extra.css") {
		t.Errorf("batch %v, want assets/extra.css (or its new folder) in it", got)
	}
}

// Data files are read by pages and layouts: an edit under data/ is a
// change, and so is data/ appearing after watch started.
func TestDataFilesAreWatched(t *testing.T) {
	dir := site(t)
	w := start(t, dir, Options{})
	put(t, dir, "data/versions.yaml", "node: 24\n")
	if got := next(t, w); !slices.Contains(got, "data") && !slices.Contains(got, "data/versions.yaml") {
		t.Errorf("batch %v, want data/ in it", got)
	}
	put(t, dir, "data/versions.yaml", "node: 26\n")
	if got := next(t, w); !slices.Equal(got, []string{"data/versions.yaml"}) {
		t.Errorf("batch %v, want [data/versions.yaml]", got)
	}
	if w.Ignored("data/versions.yaml") || !w.Ignored("public/x.html") || !w.Ignored("data/.versions.yaml.swp") {
		t.Error("Ignored disagrees about data/")
	}
}
