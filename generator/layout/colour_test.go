package layout

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

// Whatever colour a site gives a subject, the theme's text and marks in
// that colour meet WCAG AA on every background they are drawn on, in both
// themes, and keep the colour's hue where they can.
func TestPaletteIsReadable(t *testing.T) {
	for _, c := range []string{"#f7df1e", "#00ADD8", "#dea584", "#a8b9cc", "#ffffff", "#000000", "#5fa04e", "#3776ab", "#fff", "", "not a colour"} {
		p := Palette(c)
		check := func(name, fg string, bgs ...string) {
			f, ok := ParseColor(fg)
			if !ok {
				t.Fatalf("%q: %s %q is not a colour", c, name, fg)
			}
			for _, bg := range bgs {
				b, _ := ParseColor(bg)
				if r := contrast(f, b); r < 4.5 {
					t.Errorf("%q: %s %s on %s has contrast %.2f, below 4.5", c, name, fg, bg, r)
				}
			}
		}
		check("light text", p.TextLight, "#ffffff", "#f6f8fa", p.TintLight)
		check("dark text", p.TextDark, "#0d1117", "#161b22", p.TintDark)
		// Body text stays readable on a won cell's tint.
		check("body text on the light tint", "#1f2328", p.TintLight)
		check("body text on the dark tint", "#e6edf3", p.TintDark)
	}
	// A colour that is already readable is kept as it is.
	if p := Palette("#0a58ca"); p.TextLight != "#0a58ca" {
		t.Errorf("#0a58ca was changed to %s in the light theme though it reads at 6:1", p.TextLight)
	}
}

func TestSubjectCSS(t *testing.T) {
	css := SubjectCSS([]*generator.Subject{{ID: "node", Color: "#5fa04e"}, {ID: "bash"}})
	for _, want := range []string{
		".subject-none { --subject: #6e7781;",
		".subject-node { --subject: #5fa04e; --subject-fg: light-dark(",
		".subject-bash { --subject: #6e7781;",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("subjects.css lacks %q:\n%s", want, css)
		}
	}
}
