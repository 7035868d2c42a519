package content_test

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
)

// Front matter values of the wrong shape for menu:, css:, js: and
// aliases: are errors at the value, saying what to write instead.
func TestParseReportsBadNavigationKeys(t *testing.T) {
	tests := []struct{ front, want string }{
		{"menu: 3", "content/a.md:2:7: menu must name a menu (menu: main)"},
		{"menu:\n  main: {url: /x/}", "content/a.md:3:10: a page's own menu entry links to the page, so it takes no url:"},
		{"menu:\n  main: {pageRef: /x/}", "content/a.md:3:10: a page's own menu entry links to the page, so it takes no pageRef:"},
		{"menu:\n  main: {weight: high}", "content/a.md:3:18: weight must be a whole number, found a string"},
		{"menu:\n  main: [a]", "content/a.md:3:9: an entry of menu \"main\" must be a map"},
		{"js: [{file: x.js}]", "content/a.md:2:6: expected the name of a file under assets/ (extra.css), found a map"},
		{"css: 3", "content/a.md:2:6: expected the name of a file under assets/ (extra.css), found a integer"},
		{"aliases: [3]", "content/a.md:2:11: an alias must be a URL path such as /old/url/, found a integer"},
		{"aliases: ['/a?b=1']", "content/a.md:2:11: alias \"/a?b=1\" must be a plain URL path"},
	}
	for _, tc := range tests {
		_, errs := content.Parse("content/a.md", []byte("---\n"+tc.front+"\n---\nBody.\n"))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), tc.want) {
			t.Errorf("%q: errors %v, want one starting %q", tc.front, errs, tc.want)
		}
	}
}

func TestParseAliases(t *testing.T) {
	tests := []struct {
		file, aliases string
		want          []generator.Alias
	}{
		{"content/guides/a.md", "[/old/a/, /old/b, a.html, was/]", []generator.Alias{
			{Path: "/old/a/", OutFile: "old/a/index.html"},
			{Path: "/old/b/", OutFile: "old/b/index.html"},
			{Path: "/guides/a.html", OutFile: "guides/a.html"},
			{Path: "/guides/was/", OutFile: "guides/was/index.html"},
		}},
		// A section's relative alias is read from its own folder.
		{"content/guides/_index.md", "older/", []generator.Alias{{Path: "/guides/older/", OutFile: "guides/older/index.html"}}},
	}
	for _, tc := range tests {
		p, errs := content.Parse(tc.file, []byte("---\naliases: "+tc.aliases+"\n---\n"))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tc.file, errs)
		}
		if len(p.Aliases) != len(tc.want) {
			t.Fatalf("%s: aliases %+v, want %+v", tc.file, p.Aliases, tc.want)
		}
		for i, a := range p.Aliases {
			if a.Path != tc.want[i].Path || a.OutFile != tc.want[i].OutFile || a.Pos.Line != 2 {
				t.Errorf("%s: alias %d is %+v, want %+v on line 2", tc.file, i, a, tc.want[i])
			}
		}
	}
}
