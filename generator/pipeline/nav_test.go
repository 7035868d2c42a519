package pipeline

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
)

// Watch mode keeps aliases, menus and the site's own assets in step with
// the sources, as a fresh build would write them.
func TestRebuildFollowsAliasesMenusAndAssets(t *testing.T) {
	files := maps.Clone(incSite)
	files["site.yaml"] += "css: [extra.css]\nredirectsFile: true\n"
	files["assets/extra.css"] = "p { color: red; }\n"
	files["content/notes/two.md"] = "---\ntitle: Two\ndate: 2025-12-01\ndescription: Two has its own description.\naliases: [/old/two/]\nmenu: main\n---\nTwo body.\n"
	dir := writeSite(t, files)
	st := NewState(incOptions(dir))
	if _, err := st.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Files()["old/two/index.html"]; !ok {
		t.Fatal("no redirect page for the alias")
	}
	if !strings.Contains(string(st.Files()["guides/beta/index.html"]), `<ul class="menu">`) {
		t.Fatal("pages do not show the main menu")
	}

	// The alias moves: the old redirect goes, the new one comes.
	write(t, dir, "content/notes/two.md", "---\ntitle: Two\ndate: 2025-12-01\ndescription: Two has its own description.\naliases: [/older/two/]\nmenu: main\n---\nTwo body.\n")
	u := rebuild(t, st, "content/notes/two.md")
	if !slices.Contains(u.Removed, "old/two/index.html") || !slices.Contains(u.Changed, "older/two/index.html") || !slices.Contains(u.Changed, "_redirects") {
		t.Errorf("changed %v, removed %v: want older/two/ and _redirects in, old/two/ out", u.Changed, u.Removed)
	}
	sameAsBuild(t, st, dir)

	// The page leaves the menu: every page's header changes.
	write(t, dir, "content/notes/two.md", "---\ntitle: Two\ndate: 2025-12-01\ndescription: Two has its own description.\naliases: [/older/two/]\n---\nTwo body.\n")
	u = rebuild(t, st, "content/notes/two.md")
	if !slices.Contains(u.Rendered, "guides/beta/index.html") || strings.Contains(string(st.Files()["guides/beta/index.html"]), `<ul class="menu">`) {
		t.Errorf("rendered %v: want guides/beta/ again, without the menu", u.Rendered)
	}
	sameAsBuild(t, st, dir)

	// The site's stylesheet changes: its hashed name does too.
	old := ""
	for n := range st.Files() {
		if strings.HasPrefix(n, "assets/extra.") {
			old = n
		}
	}
	write(t, dir, "assets/extra.css", "p { color: blue; }\n")
	u = rebuild(t, st, "assets/extra.css")
	if !u.Full || !slices.Contains(u.Removed, old) {
		t.Errorf("full %v, removed %v: want a full rebuild without %s", u.Full, u.Removed, old)
	}
	sameAsBuild(t, st, dir)
}
