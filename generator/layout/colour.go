package layout

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/versus-ssg/versus/generator"
)

// The theme's backgrounds a subject's colour must stay readable on. They
// are the values of --bg and --bg-soft in layouts/assets/style.css.
var (
	lightBackgrounds = []rgb{{0xff, 0xff, 0xff}, {0xf6, 0xf8, 0xfa}}
	darkBackgrounds  = []rgb{{0x0d, 0x11, 0x17}, {0x16, 0x1b, 0x22}}
	// neutral stands in for a subject without a colour of its own.
	neutral = rgb{0x6e, 0x77, 0x81}
)

// Tint strengths: how much of the subject's colour a winning cell's
// background takes in each theme.
const (
	lightTint = 0.14
	darkTint  = 0.24
	// minContrast is WCAG AA for normal text, which also covers the 3:1
	// asked of marks and large text.
	minContrast = 4.5
)

type rgb struct{ r, g, b float64 }

// ParseColor reads a hex colour, "#rgb" or "#rrggbb", as site settings
// give a subject's colour.
func ParseColor(s string) (rgb, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "#") {
		return rgb{}, false
	}
	h := s[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}, true
}

func (c rgb) hex() string {
	q := func(x float64) int { return int(math.Round(math.Max(0, math.Min(255, x)))) }
	return fmt.Sprintf("#%02x%02x%02x", q(c.r), q(c.g), q(c.b))
}

// mix returns c moved toward d by t (0 = c, 1 = d), rounded to the 8-bit
// colour the CSS will name, so contrast is checked on what is shown.
func (c rgb) mix(d rgb, t float64) rgb {
	m := rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
	return rgb{math.Round(m.r), math.Round(m.g), math.Round(m.b)}
}

// luminance is WCAG 2's relative luminance.
func (c rgb) luminance() float64 { return generator.Luminance(c.r, c.g, c.b) }

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b rgb) float64 { return generator.Contrast(a.luminance(), b.luminance()) }

// readable moves c toward toward (black for light themes, white for dark
// ones) in small steps until it reaches minContrast on every background,
// keeping as much of the subject's own colour as it can.
func readable(c, toward rgb, backgrounds []rgb) rgb {
	for i := 0; i <= 100; i++ {
		d := c.mix(toward, float64(i)/100)
		ok := true
		for _, bg := range backgrounds {
			if contrast(d, bg) < minContrast {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return toward
}

// SubjectPalette is a subject's colour as the theme uses it: the colour the
// site chose, and readable variants of it for text, marks and tints in the
// light and the dark theme.
type SubjectPalette struct {
	Base                string // the colour as given, or the neutral grey
	TextLight, TextDark string // text and marks: 4.5:1 on the page and on the tint
	TintLight, TintDark string // background of a cell the subject won
}

// Palette derives the theme's colours from a subject's colour. A colour
// that is not hex (the config accepts only hex) falls back to neutral.
func Palette(color string) SubjectPalette {
	var p SubjectPalette
	base, ok := ParseColor(color)
	if !ok {
		base = neutral
	}
	p.Base = base.hex()
	tl := base.mix(rgb{255, 255, 255}, 1-lightTint)
	td := base.mix(darkBackgrounds[0], 1-darkTint)
	p.TintLight, p.TintDark = tl.hex(), td.hex()
	p.TextLight = readable(base, rgb{0, 0, 0}, append([]rgb{tl}, lightBackgrounds...)).hex()
	p.TextDark = readable(base, rgb{255, 255, 255}, append([]rgb{td}, darkBackgrounds...)).hex()
	return p
}

// SubjectCSS is the stylesheet that gives each subject its colours: a rule
// per subject, .subject-ID, setting --subject (the colour as chosen, for
// decoration), --subject-fg (text and marks) and --subject-tint (a won
// cell's background), each switching with the theme through light-dark().
// Elements of no subject get the neutral grey from .subject-none.
func SubjectCSS(subjects []*generator.Subject) string {
	var b strings.Builder
	b.WriteString("/* Subject colours, derived by versus from site settings: readable in both themes. */\n")
	rule := func(class string, p SubjectPalette) {
		fmt.Fprintf(&b, ".%s { --subject: %s; --subject-fg: light-dark(%s, %s); --subject-tint: light-dark(%s, %s); }\n",
			class, p.Base, p.TextLight, p.TextDark, p.TintLight, p.TintDark)
	}
	rule("subject-none", Palette(""))
	for _, s := range subjects {
		rule("subject-"+s.ID, Palette(s.Color))
	}
	return b.String()
}
