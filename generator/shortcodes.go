package generator

// ShortcodeSpec describes one shortcode that versus defines. Every
// built-in shortcode is listed once, in BuiltinShortcodes; the Markdown
// stage reads from it which shortcodes must be closed and which it renders
// itself, the shortcode stage which arguments each takes and the names its
// messages list. A site's own shortcodes (layouts/shortcodes/NAME.html)
// are not in it.
type ShortcodeSpec struct {
	Name string
	// Named are the named arguments it reads; Positional is how many
	// positional ones it takes. Anything else is an error at the tag.
	Named      []string
	Positional int
	// Paired shortcodes always have content and a closing tag.
	Paired bool
	// Markdown shortcodes are rendered by the Markdown stage; the others
	// by their template in the theme's layouts/shortcodes/.
	Markdown bool
	// Placeable shortcodes are comparison blocks that the default layout
	// shows after the body when the body does not place them itself.
	Placeable bool
}

// BuiltinShortcodes returns the shortcodes versus defines, in the order
// docs/content.md lists them.
func BuiltinShortcodes() []ShortcodeSpec {
	return []ShortcodeSpec{
		{Name: "table", Named: []string{"criteria", "caption"}, Placeable: true},
		{Name: "scoreboard", Placeable: true},
		{Name: "verdict", Placeable: true},
		{Name: "faq", Placeable: true},
		{Name: "compare", Named: []string{"title"}, Paired: true},
		{Name: "sample", Named: []string{"name", "region", "lines"}, Positional: 1},
		{Name: "benchmark", Named: []string{"name", "title"}, Positional: 1},
		{Name: "callout", Named: []string{"type", "title", "collapsible", "open"}, Positional: 1, Paired: true, Markdown: true},
		// The one shortcode written inside a line: a value of a data file.
		{Name: "data", Positional: 1, Markdown: true},
	}
}

// BuiltinShortcode returns the spec of a built-in shortcode.
func BuiltinShortcode(name string) (ShortcodeSpec, bool) {
	for _, s := range BuiltinShortcodes() {
		if s.Name == name {
			return s, true
		}
	}
	return ShortcodeSpec{}, false
}
