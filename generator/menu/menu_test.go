package menu_test

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/menu"
	"github.com/versus-ssg/versus/generator/meta"
)

func decode(t *testing.T, src string) *generator.Node {
	t.Helper()
	n, err := meta.Decode(meta.Source{Format: meta.YAML, Data: []byte(src), File: "site.yaml", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func rel(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return "/base/" + strings.TrimPrefix(p, "/")
}

func TestResolveOrdersAndNests(t *testing.T) {
	home := &generator.Page{Kind: generator.KindHome, File: "content/_index.md", Path: "/", RelPermalink: "/base/", Title: "Home"}
	guides := &generator.Page{Kind: generator.KindSection, File: "content/guides/_index.md", Path: "/guides/", RelPermalink: "/base/guides/", Title: "Guides"}
	a := &generator.Page{Kind: generator.KindPage, File: "content/guides/a.md", Path: "/guides/a/", RelPermalink: "/base/guides/a/", Title: "A", Weight: 5}
	b := &generator.Page{Kind: generator.KindPage, File: "content/b.md", Path: "/b/", RelPermalink: "/base/b/", Title: "B"}
	var errs generator.ErrorList
	specs := menu.Settings(decode(t, `main:
  - {name: Zed, url: /zed/}
  - {name: Guides, pageRef: guides/_index.md, weight: 2}
  - {identifier: ext, name: Elsewhere, weight: 1}
  - {name: Go, url: "https://go.dev/", parent: ext}
footer:
  - {pageRef: /b}
`), &errs)
	a.MenuSpecs = menu.FrontMatter(decode(t, "menu: {main: {parent: Guides}}").Get("menu"), &errs)
	b.MenuSpecs = menu.FrontMatter(decode(t, "menu: [main]").Get("menu"), &errs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, errs := menu.Resolve(specs, []*generator.Page{home, guides, a, b}, rel)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// Weighted first (1, 2), then unweighted by name; the page's own
	// entry takes its weight and title.
	if s := menu.String(got["main"]); s != "Elsewhere()[Go(https://go.dev/)] Guides(/base/guides/)[A(/base/guides/a/)] B(/base/b/) Zed(/base/zed/)" {
		t.Errorf("main = %s", s)
	}
	if s := menu.String(got["footer"]); s != "B(/base/b/)" {
		t.Errorf("footer = %s", s)
	}
	g := got["main"][1]
	if !a.HasMenuCurrent("main", g) || a.IsMenuCurrent("main", g) || !a.IsMenuCurrent("main", g.Children[0]) {
		t.Error("the page is not marked below Guides and current in its own entry")
	}
	if !guides.IsMenuCurrent("main", g) || guides.HasMenuCurrent("main", g) {
		t.Error("the section is not the current Guides entry")
	}
	if b.IsMenuCurrent("footer", got["main"][2]) {
		t.Error("an entry of main counts as current in footer")
	}
}

func TestResolveReportsLoops(t *testing.T) {
	var errs generator.ErrorList
	specs := menu.Settings(decode(t, `main:
  - {name: A, url: /a/, parent: B}
  - {name: B, url: /b/, parent: A}
  - {name: C, url: /c/}
`), &errs)
	got, errs := menu.Resolve(specs, nil, rel)
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "site.yaml:2:") || !strings.Contains(errs[0].Error(), "is its own ancestor") {
		t.Fatalf("errors = %v, want one for each entry of the loop", errs)
	}
	if s := menu.String(got["main"]); s != "C(/base/c/)" {
		t.Errorf("main = %s", s)
	}
}
