package scaffold

import (
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	for _, c := range []struct {
		arg                  string
		path, section, title string
		index                bool
	}{
		{"Go vs Rust", "content/go-vs-rust.md", "", "Go vs Rust", false},
		{"basics/loops.md", "content/basics/loops.md", "basics", "Loops", false},
		{"content/basics/loops.md", "content/basics/loops.md", "basics", "Loops", false},
		{"./basics//loops.md", "content/basics/loops.md", "basics", "Loops", false},
		{"basics/Loops", "content/basics/loops.md", "basics", "Loops", false},
		{"Basics/While Loops", "content/basics/while-loops.md", "basics", "While Loops", false},
		{"basics/getting_started.md", "content/basics/getting_started.md", "basics", "Getting started", false},
		{"guides/deep/dive.markdown", "content/guides/deep/dive.markdown", "guides", "Dive", false},
		{"basics/_index.md", "content/basics/_index.md", "basics", "Basics", true},
		{"_index.md", "content/_index.md", "", "Home", true},
		{"tools/hammer/index.md", "content/tools/hammer/index.md", "tools", "Hammer", false},
		{`basics\loops.md`, "content/basics/loops.md", "basics", "Loops", false},
		{"Node.js vs Deno", "content/node-js-vs-deno.md", "", "Node.js vs Deno", false},
		{"C++ vs C#", "content/cplusplus-vs-csharp.md", "", "C++ vs C#", false},
	} {
		got, err := Resolve(c.arg)
		if err != nil {
			t.Errorf("Resolve(%q): %v", c.arg, err)
			continue
		}
		if got.Path != c.path || got.Section != c.section || got.Title != c.title || got.Index != c.index {
			t.Errorf("Resolve(%q) = %+v, want path %s, section %q, title %q, index %v", c.arg, got, c.path, c.section, c.title, c.index)
		}
	}
	for arg, want := range map[string]string{
		"":               "give the page's title or path",
		"/abs/x.md":      "is an absolute path",
		"../x.md":        "leaves content/",
		"basics/../../x": "leaves content/",
		"samples/x.md":   "content/samples/ holds code samples",
		"basics/.md":     "is not a page's file name",
		"basics/???":     "has no letters or digits",
		"!!!/Loops":      `the section "!!!" has no letters or digits`,
		"index.md":       "would be the home page",
	} {
		_, err := Resolve(arg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Resolve(%q): error %v, want one saying %q", arg, err, want)
		}
	}
}
