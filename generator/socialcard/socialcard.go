// Package socialcard draws a page's social card: the PNG that sites such as
// Mastodon, Slack or LinkedIn show beside a shared link (og:image). It is
// pure: a Card goes in, PNG bytes come out; caching and writing the file
// are the caller's business.
//
// A card is 1200×630 pixels: a band of the subjects' colours along the
// top, the site's name, the page title as large as fits (wrapped, and cut
// with an ellipsis when even the smallest size does not fit) and a chip
// per subject in its colour. Text is set in the Go fonts, which ship with
// golang.org/x/image under a BSD-style licence.
//
// The image is paletted: every colour it uses is a flat colour or an
// anti-aliasing ramp from one flat colour to another, so a card encodes in
// a few milliseconds and weighs a few tens of kilobytes.
package socialcard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/versus-ssg/versus/generator"
)

// Width and Height are the card's size in pixels: the 1.91:1 image that
// Open Graph consumers and X's summary_large_image show uncropped.
const (
	Width  = 1200
	Height = 630
)

// design names the look of the cards; Key includes it so that a new design
// never reuses cards cached by an old one. Change it with any change to
// what Draw produces.
const design = "versus social card 2"

// Subject is one technology shown on the card.
type Subject struct {
	Name string
	// Color is the subject's colour from site settings, "#rgb" or
	// "#rrggbb"; anything else draws the neutral grey.
	Color string
}

// Card is everything a card shows.
type Card struct {
	Title string
	Site  string
	// Description, when set, goes under the title in smaller type, in
	// the lines the title leaves free (up to two).
	Description string
	// Subjects get a chip each, in order; more than MaxChips show as
	// "+N".
	Subjects []Subject
	// Versus joins the chips with "vs", for a page that compares them.
	Versus bool
}

// MaxChips is how many subject chips a card shows before "+N".
const MaxChips = 4

// Key names the card by everything drawn on it, so a cache can tell an
// unchanged card without drawing it.
func (c Card) Key() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%q\x00%q\x00%q\x00%v\x00", design, c.Title, c.Site, c.Description, c.Versus)
	for _, s := range c.Subjects {
		fmt.Fprintf(h, "%q\x00%q\x00", s.Name, s.Color)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The card's layout, in pixels.
const (
	margin      = 80
	bandHeight  = 14
	siteSize    = 36
	siteBase    = 128 // baseline of the site's name
	titleTop    = 176 // top of the title's first line
	titleBottom = 472 // the title's last line ends above this
	footerTop   = 484 // the soft band the chips sit on
	chipHeight  = 64
	chipBottom  = Height - 41
	chipSize    = 32
	chipPad     = 30
	chipGap     = 18
	vsSize      = 28
	descSize    = 34
	lineSpacing = 1.16
)

// titleSizes are the title's font sizes, largest first: a title takes the
// first at which it fits whole.
var titleSizes = []float64{96, 84, 72, 60, 52}

// Theme colours: the light theme's text on white (layouts/assets/style.css).
var (
	background = rgb{0xff, 0xff, 0xff}
	titleInk   = rgb{0x1f, 0x23, 0x28}
	siteInk    = rgb{0x57, 0x60, 0x6a}
	neutral    = rgb{0x6e, 0x77, 0x81}
	footer     = rgb{0xf6, 0xf8, 0xfa}
	moreFill   = rgb{0xdf, 0xe4, 0xea}
	black      = rgb{0x1f, 0x23, 0x28}
	white      = rgb{0xff, 0xff, 0xff}
)

// Renderer draws cards. It parses the fonts once and keeps the glyphs it
// rasterized, so that a site's thousands of cards share them. It is safe
// for concurrent use.
type Renderer struct {
	bold, medium *opentype.Font
	faces        sync.Pool // *faceSet: faces are not safe for concurrent use
	canvases     sync.Pool // *canvas: two card-sized buffers, reused
	png          pngWriter
	mu           sync.RWMutex
	glyphs       map[glyphKey]*glyph
}

type glyphKey struct {
	font *opentype.Font
	size float64
	r    rune
}

// glyph is a rasterized glyph drawn with its origin at (0, 0).
type glyph struct {
	mask *image.Alpha // bounds relative to the origin
}

// New returns a Renderer.
func New() (*Renderer, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("social cards: reading the Go Bold font: %w", err)
	}
	medium, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return nil, fmt.Errorf("social cards: reading the Go Medium font: %w", err)
	}
	r := &Renderer{bold: bold, medium: medium, glyphs: map[glyphKey]*glyph{}}
	r.faces.New = func() any { return &faceSet{r: r, faces: map[faceKey]font.Face{}} }
	return r, nil
}

type faceKey struct {
	font *opentype.Font
	size float64
}

// faceSet is one goroutine's faces, by font and size.
type faceSet struct {
	r     *Renderer
	faces map[faceKey]font.Face
	err   error
}

func (fs *faceSet) face(f *opentype.Font, size float64) font.Face {
	k := faceKey{f, size}
	if face, ok := fs.faces[k]; ok {
		return face
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// Only an invalid size fails, and the sizes are the package's own.
		if fs.err == nil {
			fs.err = err
		}
		return nil
	}
	fs.faces[k] = face
	return face
}

// text is a run of text in one font and size.
type text struct {
	font *opentype.Font
	size float64
}

// width measures s as drawString places it: each glyph at a whole pixel.
func (fs *faceSet) width(t text, s string) int {
	face := fs.face(t.font, t.size)
	if face == nil {
		return 0
	}
	var x fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			x += face.Kern(prev, r)
		}
		a, _ := face.GlyphAdvance(r)
		x += a
		prev = r
	}
	return x.Round()
}

// glyph returns r rasterized, from the Renderer's cache or drawn now.
func (fs *faceSet) glyph(t text, r rune) *glyph {
	k := glyphKey{t.font, t.size, r}
	fs.r.mu.RLock()
	g, ok := fs.r.glyphs[k]
	fs.r.mu.RUnlock()
	if ok {
		return g
	}
	face := fs.face(t.font, t.size)
	if face == nil {
		return &glyph{mask: image.NewAlpha(image.Rectangle{})}
	}
	dr, mask, maskp, _, _ := face.Glyph(fixed.Point26_6{}, r)
	m := image.NewAlpha(dr)
	if mask != nil {
		// The face reuses its mask for the next glyph: keep a copy.
		draw.Draw(m, dr, mask, maskp, draw.Src)
	}
	g = &glyph{mask: m}
	fs.r.mu.Lock()
	fs.r.glyphs[k] = g
	fs.r.mu.Unlock()
	return g
}

// Missing lists the characters of the card's text that its fonts lack,
// each once, in order: those draw as boxes.
func (r *Renderer) Missing(c Card) []rune {
	fs := r.faces.Get().(*faceSet)
	defer r.faces.Put(fs)
	var out []rune
	seen := map[rune]bool{}
	check := func(f *opentype.Font, s string) {
		face := fs.face(f, chipSize)
		if face == nil {
			return
		}
		for _, ch := range s {
			if unicode.IsSpace(ch) || seen[ch] {
				continue
			}
			if _, ok := face.GlyphAdvance(ch); !ok {
				seen[ch] = true
				out = append(out, ch)
			}
		}
	}
	check(r.bold, c.Title)
	check(r.bold, c.Site)
	check(r.medium, c.Description)
	for _, s := range c.Subjects {
		check(r.medium, s.Name)
	}
	return out
}

// Draw draws the card and returns it as PNG.
func (r *Renderer) Draw(c Card) ([]byte, error) {
	fs := r.faces.Get().(*faceSet)
	defer r.faces.Put(fs)
	cv, _ := r.canvases.Get().(*canvas)
	if cv == nil {
		cv = newCanvas()
	}
	defer r.canvases.Put(cv)
	cv.reset()
	cv.layout(fs, c)
	if fs.err != nil {
		return nil, fmt.Errorf("social card for %q: %w", c.Title, fs.err)
	}
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := r.png.encode(&buf, cv.img); err != nil {
		return nil, fmt.Errorf("social card for %q: %w", c.Title, err)
	}
	return buf.Bytes(), nil
}

// canvas is a card being drawn: a paletted image and a scratch mask the
// size of the card, into which each layer (a text, a chip) is drawn before
// it is composed onto the image with its colour ramp.
type canvas struct {
	img   *image.Paletted
	mask  *image.Alpha
	ramps map[[2]rgb]uint8
	rast  vector.Rasterizer
}

// rampSteps is how many shades of anti-aliasing a ramp has.
const rampSteps = 15

func newCanvas() *canvas {
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), color.Palette{background.color()})
	return &canvas{img: img, mask: image.NewAlpha(img.Rect), ramps: map[[2]rgb]uint8{}}
}

// reset makes a used canvas blank: compose leaves the mask clear.
func (cv *canvas) reset() {
	clear(cv.img.Pix)
	cv.img.Palette = append(cv.img.Palette[:0], background.color())
	clear(cv.ramps)
}

// flat returns the palette index of a colour, adding it when new.
func (cv *canvas) flat(c rgb) uint8 {
	for i, p := range cv.img.Palette {
		if p == c.color() {
			return uint8(i)
		}
	}
	if len(cv.img.Palette) >= 256 {
		return 0
	}
	cv.img.Palette = append(cv.img.Palette, c.color())
	return uint8(len(cv.img.Palette) - 1)
}

// ramp returns the palette index just before rampSteps shades from bg
// toward fg (the last being fg itself), adding them when new.
func (cv *canvas) ramp(fg, bg rgb) (uint8, bool) {
	k := [2]rgb{fg, bg}
	if i, ok := cv.ramps[k]; ok {
		return i, true
	}
	if len(cv.img.Palette)+rampSteps > 256 {
		return 0, false
	}
	base := uint8(len(cv.img.Palette) - 1)
	for s := 1; s <= rampSteps; s++ {
		cv.img.Palette = append(cv.img.Palette, bg.mix(fg, float64(s)/rampSteps).color())
	}
	cv.ramps[k] = base
	return base, true
}

// compose paints the mask's coverage inside r in fg over bg, then clears
// the mask there.
func (cv *canvas) compose(r image.Rectangle, fg, bg rgb) {
	r = r.Intersect(cv.img.Rect)
	base, ok := cv.ramp(fg, bg)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		mrow := cv.mask.Pix[cv.mask.PixOffset(r.Min.X, y):cv.mask.PixOffset(r.Max.X, y)]
		irow := cv.img.Pix[cv.img.PixOffset(r.Min.X, y):cv.img.PixOffset(r.Max.X, y)]
		for x, a := range mrow {
			if a == 0 {
				continue
			}
			mrow[x] = 0
			level := (int(a)*rampSteps + 127) / 255
			if level == 0 {
				continue
			}
			if !ok {
				// The palette is full (it cannot be with the package's
				// layout); draw without anti-aliasing rather than not at all.
				if level > rampSteps/2 {
					irow[x] = cv.flat(fg)
				}
				continue
			}
			irow[x] = base + uint8(level)
		}
	}
}

// fill paints a rectangle in a flat colour.
func (cv *canvas) fill(r image.Rectangle, c rgb) {
	i := cv.flat(c)
	r = r.Intersect(cv.img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := cv.img.Pix[cv.img.PixOffset(r.Min.X, y):cv.img.PixOffset(r.Max.X, y)]
		for x := range row {
			row[x] = i
		}
	}
}

// drawString draws s into the mask with its baseline's left end at (x, y),
// each glyph placed at a whole pixel, and returns the bounds it touched.
func (cv *canvas) drawString(fs *faceSet, t text, s string, x, y int) image.Rectangle {
	face := fs.face(t.font, t.size)
	if face == nil {
		return image.Rectangle{}
	}
	var touched image.Rectangle
	dot := fixed.I(x)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot += face.Kern(prev, r)
		}
		g := fs.glyph(t, r)
		a, _ := face.GlyphAdvance(r)
		at := image.Pt(dot.Round(), y)
		dr := g.mask.Rect.Add(at).Intersect(cv.mask.Rect)
		for py := dr.Min.Y; py < dr.Max.Y; py++ {
			src := g.mask.Pix[g.mask.PixOffset(dr.Min.X-at.X, py-at.Y):]
			dst := cv.mask.Pix[cv.mask.PixOffset(dr.Min.X, py):cv.mask.PixOffset(dr.Max.X, py)]
			for i := range dst {
				// Over: glyphs that touch (a kerned pair) add up.
				dst[i] = uint8(int(src[i]) + int(dst[i])*(255-int(src[i]))/255)
			}
		}
		touched = touched.Union(dr)
		dot += a
		prev = r
	}
	return touched
}

// pill draws a rounded rectangle (ends fully round) into the mask.
func (cv *canvas) pill(r image.Rectangle) {
	w, h := float32(r.Dx()), float32(r.Dy())
	rad := h / 2
	const k = 0.5523 // control distance of a quarter circle as a cubic
	z := &cv.rast
	z.Reset(r.Dx(), r.Dy())
	z.MoveTo(rad, 0)
	z.LineTo(w-rad, 0)
	z.CubeTo(w-rad+k*rad, 0, w, rad-k*rad, w, rad)
	z.CubeTo(w, rad+k*rad, w-rad+k*rad, h, w-rad, h)
	z.LineTo(rad, h)
	z.CubeTo(rad-k*rad, h, 0, rad+k*rad, 0, rad)
	z.CubeTo(0, rad-k*rad, rad-k*rad, 0, rad, 0)
	z.ClosePath()
	z.Draw(cv.mask, r, image.Opaque, image.Point{})
}

// layout draws the whole card.
func (cv *canvas) layout(fs *faceSet, c Card) {
	r := fs.r
	// The band: one stripe per subject, in its colour.
	band := image.Rect(0, 0, Width, bandHeight)
	if len(c.Subjects) == 0 {
		cv.fill(band, titleInk)
	}
	stripes := c.Subjects
	if len(stripes) > 12 {
		stripes = stripes[:12]
	}
	for i, s := range stripes {
		x0, x1 := Width*i/len(stripes), Width*(i+1)/len(stripes)
		cv.fill(image.Rect(x0, 0, x1, bandHeight), parseColor(s.Color))
	}

	maxW := Width - 2*margin
	if site := strings.TrimSpace(c.Site); site != "" {
		t := text{r.bold, siteSize}
		lines, _ := fs.wrap(t, site, maxW, 1)
		cv.compose(cv.drawString(fs, t, lines[0], margin, siteBase), siteInk, background)
	}

	// The title: the largest size at which it fits whole, else the
	// smallest, cut.
	title := strings.Join(strings.Fields(c.Title), " ")
	var t text
	var lines []string
	for _, size := range titleSizes {
		t = text{r.bold, size}
		var cut bool
		lines, cut = fs.wrap(t, title, maxW, titleLines(size))
		if !cut {
			break
		}
	}
	step := int(t.size*lineSpacing + 0.5)
	ascent := int(t.size*0.8 + 0.5)
	for i, l := range lines {
		cv.compose(cv.drawString(fs, t, l, margin, titleTop+ascent+i*step), titleInk, background)
	}
	if desc := strings.Join(strings.Fields(c.Description), " "); desc != "" {
		d := text{r.medium, descSize}
		dstep := descSize * 13 / 10
		top := titleTop + len(lines)*step + descSize/2
		if room := (titleBottom - top) / dstep; room > 0 {
			dl, _ := fs.wrap(d, desc, maxW, min(room, 2))
			for i, l := range dl {
				cv.compose(cv.drawString(fs, d, l, margin, top+descSize*4/5+i*dstep), siteInk, background)
			}
		}
	}

	cv.chips(fs, c, maxW)
}

// titleLines is how many lines of a size fit between titleTop and
// titleBottom.
func titleLines(size float64) int {
	return int(float64(titleBottom-titleTop-int(size*(lineSpacing-1))) / (size * lineSpacing))
}

// chip is one subject chip as laid out.
type chip struct {
	label     string
	fill, ink rgb
	w         int
}

// chips draws the subject chips along the bottom, as many as fit.
func (cv *canvas) chips(fs *faceSet, c Card, maxW int) {
	r := fs.r
	t := text{r.medium, chipSize}
	vs := text{r.medium, vsSize}
	vsW := fs.width(vs, "vs")
	gap := chipGap
	if c.Versus {
		gap = 2*chipGap + vsW
	}
	maxLabel := maxW / 2
	var list []chip
	for i, s := range c.Subjects {
		if i == MaxChips && len(c.Subjects) > MaxChips+1 {
			break
		}
		fill := parseColor(s.Color)
		lines, _ := fs.wrap(t, strings.Join(strings.Fields(s.Name), " "), maxLabel, 1)
		list = append(list, chip{label: lines[0], fill: fill, ink: inkOn(fill)})
	}
	rest := len(c.Subjects) - len(list)
	more := func(n int) chip {
		return chip{label: fmt.Sprintf("+%d", n), fill: moreFill, ink: titleInk}
	}
	// Drop chips from the end until the row fits, counting them in "+N".
	for {
		total := 0
		row := list
		if rest > 0 {
			row = append(append([]chip(nil), list...), more(rest))
		}
		for i := range row {
			row[i].w = fs.width(t, row[i].label) + 2*chipPad
			total += row[i].w
			if i > 0 {
				total += gap
			}
		}
		if total <= maxW || len(list) <= 1 {
			list = row
			break
		}
		list = list[:len(list)-1]
		rest++
	}
	cv.fill(image.Rect(0, footerTop, Width, Height), footer)
	x := margin
	top := chipBottom - chipHeight
	base := top + chipHeight/2 + 12
	for i, ch := range list {
		if i > 0 {
			if c.Versus && (i < len(list)-1 || rest == 0) {
				cv.compose(cv.drawString(fs, vs, "vs", x+chipGap, base-1), siteInk, footer)
				x += gap
			} else {
				x += chipGap
			}
		}
		box := image.Rect(x, top, x+ch.w, top+chipHeight)
		if box.Max.X > Width-margin {
			box.Max.X = Width - margin
		}
		cv.pill(box)
		cv.compose(box, ch.fill, footer)
		cv.compose(cv.drawString(fs, t, ch.label, x+chipPad, base), ch.ink, ch.fill)
		x += ch.w
	}
}

// wrap breaks s into at most max lines no wider than w, breaking at spaces
// and, inside a word too long for a line, anywhere. When s does not fit,
// the last line ends with an ellipsis and cut is true.
func (fs *faceSet) wrap(t text, s string, w, max int) (lines []string, cut bool) {
	words := strings.Fields(s)
	cur := ""
	for i := 0; i < len(words); i++ {
		word := words[i]
		cand := word
		if cur != "" {
			cand = cur + " " + word
		}
		if fs.width(t, cand) <= w {
			cur = cand
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
			if len(lines) == max {
				return fs.cut(t, lines, words[i:], w), true
			}
		}
		// The word alone is too wide: break it where it overflows.
		for fs.width(t, word) > w {
			n := fs.fit(t, word, w)
			lines = append(lines, word[:n])
			word = word[n:]
			if len(lines) == max {
				return fs.cut(t, lines, append([]string{word}, words[i+1:]...), w), true
			}
		}
		cur = word
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines, false
}

// cut ends full lines with an ellipsis, for the words left over.
func (fs *faceSet) cut(t text, lines, rest []string, w int) []string {
	last := lines[len(lines)-1]
	if r := strings.Join(rest, " "); r != "" {
		last += " " + r
	}
	lines[len(lines)-1] = fs.ellipsis(t, last, w)
	return lines
}

// fit is the length in bytes of the longest prefix of s (at least one
// character) no wider than w.
func (fs *faceSet) fit(t text, s string, w int) int {
	n := 0
	for i, r := range s {
		end := i + len(string(r))
		if n > 0 && fs.width(t, s[:end]) > w {
			break
		}
		n = end
	}
	return n
}

// ellipsis cuts s so that it and "…" are no wider than w.
func (fs *faceSet) ellipsis(t text, s string, w int) string {
	const dots = "…"
	room := w - fs.width(t, dots)
	n := 0
	for i, r := range s {
		end := i + len(string(r))
		if fs.width(t, s[:end]) > room {
			break
		}
		n = end
	}
	return strings.TrimRightFunc(s[:n], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + dots
}

type rgb struct{ r, g, b uint8 }

func (c rgb) color() color.RGBA { return color.RGBA{c.r, c.g, c.b, 0xff} }

func (c rgb) mix(d rgb, t float64) rgb {
	m := func(a, b uint8) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t + 0.5) }
	return rgb{m(c.r, d.r), m(c.g, d.g), m(c.b, d.b)}
}

// parseColor reads "#rgb" or "#rrggbb"; anything else is the neutral grey.
func parseColor(s string) rgb {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	var v [3]uint8
	if len(s) != 6 {
		return neutral
	}
	for i := range v {
		var b uint8
		for _, ch := range s[2*i : 2*i+2] {
			var d uint8
			switch {
			case ch >= '0' && ch <= '9':
				d = uint8(ch - '0')
			case ch >= 'a' && ch <= 'f':
				d = uint8(ch-'a') + 10
			case ch >= 'A' && ch <= 'F':
				d = uint8(ch-'A') + 10
			default:
				return neutral
			}
			b = b<<4 | d
		}
		v[i] = b
	}
	return rgb{v[0], v[1], v[2]}
}

// luminance is WCAG 2's relative luminance.
func (c rgb) luminance() float64 {
	return generator.Luminance(float64(c.r), float64(c.g), float64(c.b))
}

// contrast is WCAG 2's contrast ratio.
func contrast(a, b rgb) float64 { return generator.Contrast(a.luminance(), b.luminance()) }

// inkOn is the text colour for a chip: near-black or white, whichever
// reads better on the subject's colour.
func inkOn(fill rgb) rgb {
	if contrast(white, fill) >= contrast(black, fill) {
		return white
	}
	return black
}
