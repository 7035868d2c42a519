package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A data file is read by pages (front matter and bodies) and layouts: an
// edit to it rebuilds them all, and the output is a cold build's.
func TestRebuildAfterDataChange(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.yaml":          "title: Data\nbaseURL: https://example.org/\nsubjects:\n  node:\n    name: Node.js\n  python:\n    name: Python\n",
		"data/versions.yaml": "node: {lts: 24.11.1}\npython: {stable: \"3.14\"}\n",
		"content/a.md":       "---\ntitle: A\ncriteria:\n  - name: Version\n    node: {$data: versions.node.lts}\n    python: {$data: versions.python.stable}\n---\nLTS: {{< data \"versions.node.lts\" >}}.\n",
		"content/b.md":       "---\ntitle: B\n---\nNo data here.\n",
	})
	st := NewState(incOptions(dir))
	rebuild(t, st)
	if a := string(st.Files()["a/index.html"]); !strings.Contains(a, "<p>LTS: 24.11.1.</p>") || !strings.Contains(a, `<span class="cmp-value">24.11.1</span>`) {
		t.Fatalf("a lacks the data values:\n%s", a)
	}
	write(t, dir, "data/versions.yaml", "node: {lts: 26.0.0}\npython: {stable: \"3.15\"}\n")
	u := rebuild(t, st, "data/versions.yaml")
	if !u.Full || !slices.Contains(u.Changed, "a/index.html") {
		t.Errorf("after a data edit: full %v, changed %v", u.Full, u.Changed)
	}
	if a := string(st.Files()["a/index.html"]); !strings.Contains(a, "<p>LTS: 26.0.0.</p>") || !strings.Contains(a, `<span class="cmp-value">3.15</span>`) {
		t.Errorf("a shows old data:\n%s", a)
	}
	sameAsBuild(t, st, dir)

	// A key gone from the file is an error at the page that names it; the
	// last good output stays.
	write(t, dir, "data/versions.yaml", "node: {current: 26.0.0}\npython: {stable: \"3.15\"}\n")
	if _, err := st.Rebuild(t.Context(), []string{"data/versions.yaml"}); err == nil || !strings.Contains(err.Error(), `content/a.md:5:19: unknown data "versions.node.lts"`) {
		t.Errorf("a missing key: %v", err)
	}
	if !strings.Contains(string(st.Files()["a/index.html"]), "26.0.0") {
		t.Error("a failed rebuild changed the output")
	}
}

// Replacing a large picture writes its copies again; a picture that
// shrank below the copies' widths, or went away, leaves none behind, as a
// cold build would.
func TestRebuildPictureCopies(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.yaml":        "title: Pics\nbaseURL: https://example.org/\n",
		"content/a.md":     "---\ntitle: A\n---\n![wide](wide.png)\n",
		"content/wide.png": tinyPNG(1300, 20),
	})
	st := NewState(incOptions(dir))
	rebuild(t, st)
	for _, f := range []string{"wide-480w.png", "wide-800w.png", "wide-1200w.png"} {
		if _, ok := st.Files()[f]; !ok {
			t.Errorf("no %s", f)
		}
	}
	write(t, dir, "content/wide.png", tinyPNG(900, 20))
	u := rebuild(t, st, "content/wide.png")
	if !slices.Contains(u.Removed, "wide-1200w.png") || !slices.Contains(u.Rendered, "a/index.html") {
		t.Errorf("a smaller picture: removed %v, rendered %v", u.Removed, u.Rendered)
	}
	if a := string(st.Files()["a/index.html"]); !strings.Contains(a, `width="900" height="20" srcset="/wide-480w.png 480w, /wide-800w.png 800w, /wide.png 900w"`) {
		t.Errorf("a: %s", between(a, "<img", ">"))
	}
	sameAsBuild(t, st, dir)
	if err := os.Remove(filepath.Join(dir, "content/wide.png")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "content/a.md", "---\ntitle: A\n---\nNo picture.\n")
	u = rebuild(t, st, "content/wide.png", "content/a.md")
	if !slices.Contains(u.Removed, "wide-480w.png") || !slices.Contains(u.Removed, "wide-800w.png") {
		t.Errorf("a picture gone: removed %v", u.Removed)
	}
	sameAsBuild(t, st, dir)
}
