package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"maps"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// A small site with everything a rebuild must follow: sections, tags,
// subjects with criteria, a sample, links between pages, a copied file and
// a draft.
var incSite = map[string]string{
	"site.yaml": `title: Inc
description: Incremental test site.
baseURL: https://example.org/inc/
subjects:
  node:
    name: Node.js
    language: javascript
    extensions: [.js]
  python:
    name: Python
    language: python
    extensions: [.py]
`,
	"content/_index.md":        "---\ntitle: Home\n---\nWelcome. See [alpha](guides/alpha.md).\n",
	"content/guides/_index.md": "---\ntitle: Guides\n---\nAll the guides.\n",
	"content/guides/alpha.md": `---
title: Alpha
date: 2026-01-03
tags: [web, async]
criteria:
  - name: Speed
    node: fast
    python: fine
    winner: node
---
Alpha body. Links to [beta](beta.md) and [the missing one](gamma.md).

{{< sample "hello" >}}

## Part two

More text.
`,
	"content/guides/beta.md":        "---\ntitle: Beta\ndate: 2026-01-02\ntags: [web]\n---\nBeta body with an image ![pic](../pic.svg).\n",
	"content/notes/one.md":          "---\ntitle: One\ndate: 2026-01-01\ntags: [async, io]\nsubjects: [python]\n---\nFirst paragraph of one.\n\nSecond paragraph.\n",
	"content/notes/two.md":          "---\ntitle: Two\ndate: 2025-12-01\ndescription: Two has its own description.\n---\nTwo body.\n",
	"content/draft.md":              "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
	"content/pic.png":               tinyPNG(2, 1),
	"content/pic.svg":               `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"></svg>`,
	"content/samples/hello/main.js": "console.log('hello')\n",
	"content/samples/hello/main.py": "print('hello')\n",
}

// tinyPNG is a PNG of w×h pixels, for pages that show a picture.
func tinyPNG(w, h int) string {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return buf.String()
}

var incNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func writeSite(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		write(t, dir, name, data)
	}
	return dir
}

func write(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func incOptions(dir string) Options {
	return Options{Source: os.DirFS(dir), Now: incNow, Workers: 2}
}

// sameAsBuild checks that the state's output is byte for byte what a fresh
// Build writes from the same files.
func sameAsBuild(t *testing.T, st *State, dir string) {
	t.Helper()
	sink := NewMemSink()
	if _, err := Build(context.Background(), incOptions(dir), sink); err != nil {
		t.Fatalf("fresh build: %v", err)
	}
	got := st.Files()
	for _, p := range sink.Paths() {
		g, ok := got[p]
		if !ok {
			t.Errorf("rebuild lacks %s", p)
			continue
		}
		if !bytes.Equal(g, sink.Files[p]) {
			t.Errorf("rebuild's %s differs from a fresh build's:\n%s", p, firstDiff(string(g), string(sink.Files[p])))
		}
	}
	for p := range got {
		if _, ok := sink.Files[p]; !ok {
			t.Errorf("rebuild still has %s, which a fresh build does not write", p)
		}
	}
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("rebuild: …%s…\nfresh:   …%s…", a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}

func rebuild(t *testing.T, st *State, changed ...string) *Update {
	t.Helper()
	u, err := st.Rebuild(context.Background(), changed)
	if err != nil {
		t.Fatalf("rebuild after %v: %v", changed, err)
	}
	return u
}

func TestRebuildSelectsWhatAChangeAffects(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(t *testing.T, dir string) []string
		full   bool
		render []string // exactly these pages are rendered again
		has    []string // at least these are rendered again
		hasnt  []string // these are not
		remove []string
	}{
		{
			name: "body edit of an article with its own description",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/notes/two.md", "---\ntitle: Two\ndate: 2025-12-01\ndescription: Two has its own description.\n---\nTwo body, edited.\n")
				return []string{"content/notes/two.md"}
			},
			render: []string{"notes/two/index.html"},
		},
		{
			name: "body edit that changes the summary lists show",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/notes/one.md", "---\ntitle: One\ndate: 2026-01-01\ntags: [async, io]\nsubjects: [python]\n---\nA new first paragraph.\n\nSecond paragraph.\n")
				return []string{"content/notes/one.md"}
			},
			has:   []string{"notes/one/index.html", "index.html", "notes/index.html", "tags/async/index.html", "tags/io/index.html"},
			hasnt: []string{"guides/alpha/index.html", "guides/beta/index.html", "tags/web/index.html", "tags/index.html"},
		},
		{
			name: "title edit re-renders neighbours and lists",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/guides/beta.md", "---\ntitle: Beta renamed\ndate: 2026-01-02\ntags: [web]\n---\nBeta body with an image ![pic](../pic.svg).\n")
				return []string{"content/guides/beta.md"}
			},
			has:   []string{"guides/beta/index.html", "guides/alpha/index.html", "index.html", "guides/index.html", "tags/web/index.html", "404.html"},
			hasnt: []string{"notes/two/index.html"},
		},
		{
			name: "a changed sample re-renders the pages that show it",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/samples/hello/main.py", "print('hello, world')\n")
				return []string{"content/samples/hello/main.py"}
			},
			render: []string{"guides/alpha/index.html"},
		},
		{
			name: "a new page a link pointed to",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/guides/gamma.md", "---\ntitle: Gamma\ndate: 2025-06-01\n---\nGamma.\n")
				return []string{"content/guides/gamma.md"}
			},
			has:   []string{"guides/gamma/index.html", "guides/alpha/index.html", "guides/index.html", "index.html"},
			hasnt: []string{"notes/two/index.html"},
		},
		{
			name: "deletion",
			edit: func(t *testing.T, dir string) []string {
				if err := os.Remove(filepath.Join(dir, "content/guides/beta.md")); err != nil {
					t.Fatal(err)
				}
				return []string{"content/guides/beta.md"}
			},
			has:    []string{"guides/alpha/index.html", "index.html", "guides/index.html"},
			remove: []string{"guides/beta/index.html"},
		},
		{
			name: "rename",
			edit: func(t *testing.T, dir string) []string {
				if err := os.Rename(filepath.Join(dir, "content/notes/two.md"), filepath.Join(dir, "content/notes/deux.md")); err != nil {
					t.Fatal(err)
				}
				return []string{"content/notes/two.md", "content/notes/deux.md"}
			},
			has:    []string{"notes/deux/index.html", "notes/index.html", "index.html"},
			remove: []string{"notes/two/index.html"},
		},
		{
			name: "a new folder of pages",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/extra/x.md", "---\ntitle: X\ndate: 2024-01-01\n---\nX.\n")
				write(t, dir, "content/extra/y.md", "---\ntitle: Y\ndate: 2024-01-02\n---\nY.\n")
				return []string{"content/extra"}
			},
			// A new section changes every page's navigation.
			has: []string{"extra/index.html", "extra/x/index.html", "extra/y/index.html", "notes/two/index.html"},
		},
		{
			name: "a removed folder",
			edit: func(t *testing.T, dir string) []string {
				if err := os.RemoveAll(filepath.Join(dir, "content/notes")); err != nil {
					t.Fatal(err)
				}
				return []string{"content/notes"}
			},
			remove: []string{"notes/index.html", "notes/one/index.html", "notes/two/index.html", "tags/io/index.html"},
		},
		{
			name: "a draft published",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/draft.md", "---\ntitle: Draft\n---\nNow out.\n")
				return []string{"content/draft.md"}
			},
			has: []string{"draft/index.html", "index.html"},
		},
		{
			name: "a copied file",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/pic.png", tinyPNG(3, 1))
				return []string{"content/pic.png"}
			},
			render: []string{},
		},
		{
			// Its size is written in the page.
			name: "a picture a page shows",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/pic.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10"></svg>`)
				return []string{"content/pic.svg"}
			},
			render: []string{"guides/beta/index.html"},
		},
		{
			name: "a layout edit rebuilds everything",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "layouts/partials/footer.html", "<footer>custom footer</footer>")
				return []string{"layouts/partials/footer.html"}
			},
			full: true,
		},
		{
			name: "a site.yaml edit rebuilds everything",
			edit: func(t *testing.T, dir string) []string {
				data := strings.Replace(incSite["site.yaml"], "title: Inc", "title: Inc renamed", 1)
				write(t, dir, "site.yaml", data)
				return []string{"site.yaml"}
			},
			full: true,
		},
		{
			name: "saving the same bytes renders nothing",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/guides/alpha.md", incSite["content/guides/alpha.md"])
				return []string{"content/guides/alpha.md"}
			},
			render: []string{},
		},
		{
			name: "editor files are ignored",
			edit: func(t *testing.T, dir string) []string {
				write(t, dir, "content/notes/one.md~", "backup")
				write(t, dir, "content/notes/.one.md.swp", "swap")
				return []string{"content/notes/one.md~", "content/notes/.one.md.swp"}
			},
			render: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t, incSite)
			st := NewState(incOptions(dir))
			first := rebuild(t, st)
			if !first.Full {
				t.Fatal("the first rebuild should build everything")
			}
			u := rebuild(t, st, tc.edit(t, dir)...)
			if u.Full != tc.full {
				t.Errorf("Full = %v, want %v", u.Full, tc.full)
			}
			if tc.render != nil && !slices.Equal(u.Rendered, tc.render) && !(len(u.Rendered) == 0 && len(tc.render) == 0) {
				t.Errorf("rendered %v, want exactly %v", u.Rendered, tc.render)
			}
			for _, p := range tc.has {
				if !slices.Contains(u.Rendered, p) {
					t.Errorf("did not render %s again (rendered %v)", p, u.Rendered)
				}
			}
			for _, p := range tc.hasnt {
				if slices.Contains(u.Rendered, p) {
					t.Errorf("rendered %s again, which the change cannot affect", p)
				}
			}
			for _, p := range tc.remove {
				if !slices.Contains(u.Removed, p) {
					t.Errorf("did not remove %s (removed %v)", p, u.Removed)
				}
			}
			sameAsBuild(t, st, dir)
		})
	}
}

// TestRebuildFailureKeepsLastGood breaks a page, checks the error and that
// the output stayed as it was, then fixes it.
func TestRebuildFailureKeepsLastGood(t *testing.T) {
	dir := writeSite(t, incSite)
	st := NewState(incOptions(dir))
	rebuild(t, st)
	before := st.Files()
	write(t, dir, "content/notes/two.md", "---\ntitle: [unclosed\n---\nTwo.\n")
	write(t, dir, "content/guides/beta.md", "---\ntitle: Beta\ndate: 2026-01-02\ncriteria:\n  - node: x\n---\nBeta.\n")
	_, err := st.Rebuild(context.Background(), []string{"content/notes/two.md", "content/guides/beta.md"})
	if err == nil {
		t.Fatal("a broken front matter built")
	}
	errs := generator.Errors(err)
	var files []string
	for _, e := range errs {
		files = append(files, e.Pos.File)
		if e.Pos.Line == 0 {
			t.Errorf("error without a line: %v", e)
		}
	}
	if !slices.Contains(files, "content/notes/two.md") || !slices.Contains(files, "content/guides/beta.md") {
		t.Errorf("errors %v should name both broken files", err)
	}
	if fmt.Sprint(st.Files()) != fmt.Sprint(before) {
		t.Error("a failed rebuild changed the output")
	}
	// Fixing only one file still reports the other: the failed changes are
	// remembered.
	write(t, dir, "content/notes/two.md", incSite["content/notes/two.md"])
	_, err = st.Rebuild(context.Background(), []string{"content/notes/two.md"})
	if err == nil || !strings.Contains(err.Error(), "content/guides/beta.md") {
		t.Fatalf("after fixing one file: %v, want beta's error", err)
	}
	write(t, dir, "content/guides/beta.md", incSite["content/guides/beta.md"]+"Fixed.\n")
	u := rebuild(t, st, "content/guides/beta.md")
	if !slices.Contains(u.Changed, "guides/beta/index.html") {
		t.Errorf("the fix did not change beta's page: %v", u.Changed)
	}
	sameAsBuild(t, st, dir)
}

// TestRebuildRandomEdits applies random edits to a larger site, one batch
// after another, and checks after each that the output is exactly a fresh
// build's.
func TestRebuildRandomEdits(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	tags := []string{"a", "b", "c", "d", "e"}
	page := func(i, v int) string {
		var tg []string
		for _, x := range rng.Perm(len(tags))[:1+rng.Intn(3)] {
			tg = append(tg, tags[x])
		}
		desc := ""
		if rng.Intn(2) == 0 {
			desc = "description: Page " + fmt.Sprint(i) + " v" + fmt.Sprint(v) + "\n"
		}
		return fmt.Sprintf("---\ntitle: Page %d v%d\ndate: 2025-%02d-%02d\ntags: [%s]\n%s---\nBody %d, version %d. See [p%d](p%d.md).\n",
			i, v%3, 1+rng.Intn(12), 1+rng.Intn(28), strings.Join(tg, ", "), desc, i, v, (i+1)%40, (i+1)%40)
	}
	files := map[string]string{"site.yaml": incSite["site.yaml"]}
	for i := range 30 {
		sec := []string{"x", "y", "z"}[i%3]
		files[fmt.Sprintf("content/%s/p%d.md", sec, i)] = page(i, 0)
	}
	dir := writeSite(t, files)
	st := NewState(incOptions(dir))
	rebuild(t, st)
	for round := range 25 {
		var changed []string
		for range 1 + rng.Intn(3) {
			i := rng.Intn(40)
			sec := []string{"x", "y", "z"}[i%3]
			name := fmt.Sprintf("content/%s/p%d.md", sec, i)
			if rng.Intn(6) == 0 {
				_ = os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
			} else {
				write(t, dir, name, page(i, round+1))
			}
			changed = append(changed, name)
		}
		rebuild(t, st, changed...)
		sameAsBuild(t, st, dir)
		if t.Failed() {
			t.Fatalf("round %d (%v) went wrong", round, changed)
		}
	}
}

// TestRelatedIncrementalMatchesRelated checks the patched related pages
// against related() on many random changes.
func TestRelatedIncrementalMatchesRelated(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	mk := func(n int) []*generator.Page {
		var pages []*generator.Page
		for i := range n {
			p := &generator.Page{Kind: generator.KindPage, File: fmt.Sprintf("content/p%03d.md", i), Path: fmt.Sprintf("/p%03d/", i), Title: fmt.Sprint("T", rng.Intn(5))}
			for range rng.Intn(4) {
				p.TagNames = append(p.TagNames, []string{"a", "b", "c", "d", "A"}[rng.Intn(5)])
			}
			p.Date = time.Date(2025, 1, 1+rng.Intn(20), 0, 0, 0, 0, time.UTC)
			pages = append(pages, p)
		}
		sortPages(pages)
		return pages
	}
	pages := mk(120)
	related(pages)
	prev := &snapshot{keys: map[string]relKey{}, rel: map[string][]string{}, site: &generator.Site{Pages: pages}}
	for _, p := range pages {
		prev.keys[p.File] = keyOf(p)
		for _, r := range p.Related {
			prev.rel[p.File] = append(prev.rel[p.File], r.File)
		}
		if prev.rel[p.File] == nil {
			prev.rel[p.File] = []string{}
		}
	}
	for round := range 200 {
		dirty := map[string]bool{}
		next := make([]*generator.Page, 0, len(pages))
		for _, p := range pages {
			cp := *p
			cp.Related = nil
			next = append(next, &cp)
		}
		for range 1 + rng.Intn(3) {
			i := rng.Intn(len(next))
			switch rng.Intn(4) {
			case 3:
				// A title: a tie-break in the site's order, which may or
				// may not move the page.
				next[i].Title = fmt.Sprint("T", rng.Intn(5))
			case 0:
				next[i].TagNames = []string{[]string{"a", "b", "c", "d"}[rng.Intn(4)]}
			case 1:
				next[i].Date = next[i].Date.AddDate(0, 0, rng.Intn(9)-4)
			case 2:
				if len(next) > 80 {
					next = slices.Delete(next, i, i+1)
					continue
				}
			}
			dirty[next[i].File] = true
		}
		sortPages(next)
		res := relatedIncremental(next, prev, dirty)
		want := make([]*generator.Page, len(next))
		for i, p := range next {
			cp := *p
			cp.Related = nil
			want[i] = &cp
		}
		related(want)
		for i := range next {
			var got, exp []string
			for _, r := range next[i].Related {
				got = append(got, r.File)
			}
			for _, r := range want[i].Related {
				exp = append(exp, r.File)
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("round %d: %s related %v, want %v", round, next[i].File, got, exp)
			}
		}
		pages = next
		prev = &snapshot{keys: res.keys, rel: res.rel, site: &generator.Site{Pages: next}}
	}
}

// TestRebuildBodyEdits edits only page bodies, the common case that
// rebuilds pages in place, and checks each result against a fresh build.
func TestRebuildBodyEdits(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	dir := writeSite(t, incSite)
	st := NewState(incOptions(dir))
	rebuild(t, st)
	names := []string{"content/guides/alpha.md", "content/guides/beta.md", "content/notes/one.md", "content/notes/two.md"}
	for round := range 30 {
		name := names[rng.Intn(len(names))]
		orig := incSite[name]
		end := strings.Index(orig[3:], "---\n") + 7
		body := orig[end:]
		switch rng.Intn(3) {
		case 0: // a later paragraph
			body += fmt.Sprintf("\nAnother paragraph, round %d.\n", round)
		case 1: // the first paragraph, which is the summary
			body = fmt.Sprintf("Round %d starts here.\n\n", round) + body
		case 2: // a link to another page
			body += fmt.Sprintf("\nSee [two](%s) (round %d).\n", "../notes/two.md", round)
		}
		write(t, dir, name, orig[:end]+body)
		u := rebuild(t, st, name)
		if len(u.Rendered) == 0 {
			t.Errorf("round %d: editing %s rendered nothing", round, name)
		}
		sameAsBuild(t, st, dir)
		if t.Failed() {
			t.Fatalf("round %d (%s) went wrong", round, name)
		}
	}
}

// listExt is an extension that lists every page it saw with its title and
// body size, as a search index would.
type listExt struct {
	mu    sync.Mutex
	pages map[string]string
}

func (x *listExt) Page(p *generator.Page, html []byte) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.pages[p.OutFile] = fmt.Sprintf("%s %q content=%d html=%d", p.OutFile, p.Title, len(p.Content), len(html))
	return nil
}

func (x *listExt) Finish(site *generator.Site) (map[string][]byte, error) {
	var lines []string
	for _, l := range x.pages {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	out := map[string][]byte{"pages.txt": []byte(strings.Join(lines, "\n"))}
	// One file per article, so that removed pages remove files.
	for _, p := range site.Pages {
		out["ext/"+p.OutFile+".txt"] = []byte(p.Title)
	}
	return out, nil
}

func (x *listExt) Forget(outFile string) {
	x.mu.Lock()
	delete(x.pages, outFile)
	x.mu.Unlock()
}

func TestRebuildWithExtensions(t *testing.T) {
	dir := writeSite(t, incSite)
	opts := incOptions(dir)
	opts.Extensions = []ExtensionFactory{func(*generator.Config) Extension {
		return &listExt{pages: map[string]string{}}
	}}
	st := NewState(opts)
	rebuild(t, st)
	check := func() {
		t.Helper()
		sink := NewMemSink()
		fresh := incOptions(dir)
		fresh.Extensions = []ExtensionFactory{func(*generator.Config) Extension { return &listExt{pages: map[string]string{}} }}
		if _, err := Build(context.Background(), fresh, sink); err != nil {
			t.Fatal(err)
		}
		for _, p := range sink.Paths() {
			if !bytes.Equal(st.Files()[p], sink.Files[p]) {
				t.Errorf("%s differs from a fresh build's:\n%s", p, firstDiff(string(st.Files()[p]), string(sink.Files[p])))
			}
		}
		for p := range st.Files() {
			if _, ok := sink.Files[p]; !ok {
				t.Errorf("rebuild still has %s", p)
			}
		}
	}
	steps := []func() []string{
		func() []string {
			write(t, dir, "content/notes/two.md", strings.Replace(incSite["content/notes/two.md"], "Two body.", "Two body, longer now.", 1))
			return []string{"content/notes/two.md"}
		},
		func() []string {
			write(t, dir, "content/guides/beta.md", strings.Replace(incSite["content/guides/beta.md"], "title: Beta", "title: Beta two", 1))
			return []string{"content/guides/beta.md"}
		},
		func() []string {
			os.Remove(filepath.Join(dir, "content/notes/one.md"))
			return []string{"content/notes/one.md"}
		},
	}
	for i, step := range steps {
		u := rebuild(t, st, step()...)
		if u.Full {
			t.Errorf("step %d: a full rebuild; an extension keeps rebuilds incremental", i)
		}
		check()
	}
}

// TestEarlyServesArticlesBeforeLists checks that a title edit hands over the
// re-rendered articles before the lists that show them, and a body edit
// the article before the search index.
func TestEarlyServesArticlesBeforeLists(t *testing.T) {
	dir := writeSite(t, incSite)
	st := NewState(incOptions(dir))
	var calls [][]string
	var first map[string][]byte
	st.Early = func(files map[string][]byte, changed []string) {
		if calls == nil {
			first = files
		}
		calls = append(calls, changed)
	}
	rebuild(t, st)
	if len(calls) != 0 {
		t.Errorf("the first build called Early %d times", len(calls))
	}
	write(t, dir, "content/guides/beta.md", strings.Replace(incSite["content/guides/beta.md"], "title: Beta", "title: Beta renamed", 1))
	u := rebuild(t, st, "content/guides/beta.md")
	// First the edited article alone (with its card, which shows the
	// title), then its neighbour alpha (which links to it), then the lists.
	if want := [][]string{{"guides/beta/card.png", "guides/beta/index.html"}, {"guides/alpha/index.html"}}; !slices.EqualFunc(calls, want, slices.Equal[[]string]) {
		t.Errorf("Early got %v, want %v", calls, want)
	}
	if !strings.Contains(string(first["guides/beta/index.html"]), "Beta renamed") {
		t.Error("Early's files lack the edited article")
	}
	if !slices.Contains(u.Changed, "index.html") || !slices.Contains(u.Changed, "guides/beta/index.html") {
		t.Errorf("the rebuild's changes %v lack the article or the lists", u.Changed)
	}
	calls = nil
	// A body edit that no list shows: the page is served before the
	// search index, which reads every page, is written again.
	write(t, dir, "content/notes/two.md", strings.Replace(incSite["content/notes/two.md"], "Two body.", "Two body again.", 1))
	rebuild(t, st, "content/notes/two.md")
	if want := [][]string{{"notes/two/index.html"}}; !slices.EqualFunc(calls, want, slices.Equal[[]string]) {
		t.Errorf("after a body edit, Early got %v, want %v", calls, want)
	}
}

// TestRebuildWithOwnLayouts gives the site a layout that shows every
// page's title in every article, which the built-in theme never does: a
// title edit must then reach every article.
func TestRebuildWithOwnLayouts(t *testing.T) {
	files := maps.Clone(incSite)
	files["layouts/single.html"] = `<!DOCTYPE html><html><body><h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Site.Pages }}<li>{{ .Title }}</li>{{ end }}</ul></body></html>`
	dir := writeSite(t, files)
	st := NewState(incOptions(dir))
	rebuild(t, st)
	write(t, dir, "content/notes/two.md", strings.Replace(incSite["content/notes/two.md"], "title: Two", "title: Two renamed", 1))
	u := rebuild(t, st, "content/notes/two.md")
	for _, p := range []string{"guides/alpha/index.html", "guides/beta/index.html", "notes/one/index.html"} {
		if !slices.Contains(u.Changed, p) {
			t.Errorf("%s shows every title but was not rendered again (changed: %v)", p, u.Changed)
		}
	}
	sameAsBuild(t, st, dir)
	// (What an article shows of other articles' bodies, such as a
	// description made from their summary, depends on the order a full
	// build renders them in, so it is left out here.)
}
