package shortcode

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/layouts"
)

// The theme's shortcode templates and the table of built-in shortcodes
// name the same shortcodes: a template nobody registered would skip the
// argument checks, a registered shortcode without a template would fail
// at its first use.
func TestEveryBuiltinHasItsTemplate(t *testing.T) {
	templates := map[string]bool{}
	entries, err := fs.ReadDir(layouts.FS, "shortcodes")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		templates[strings.TrimSuffix(e.Name(), ".html")] = true
	}
	seen := map[string]bool{}
	for _, s := range generator.BuiltinShortcodes() {
		if seen[s.Name] {
			t.Errorf("%s is registered twice", s.Name)
		}
		seen[s.Name] = true
		switch {
		case s.Markdown && templates[s.Name]:
			t.Errorf("%s is rendered by the Markdown stage, yet the theme has layouts/shortcodes/%s.html", s.Name, s.Name)
		case !s.Markdown && !templates[s.Name]:
			t.Errorf("%s has no template layouts/shortcodes/%s.html", s.Name, s.Name)
		}
	}
	for name := range templates {
		if !seen[name] {
			t.Errorf("layouts/shortcodes/%s.html is not in generator.BuiltinShortcodes", name)
		}
	}
}
