package socialcard

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func drawCard(t testing.TB, r *Renderer, c Card) image.Image {
	t.Helper()
	data, err := r.Draw(c)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the card is not a PNG: %v", err)
	}
	return img
}

var twoSubjects = []Subject{{"Node.js", "#3c873a"}, {"Python", "#3572A5"}}

// changed is the bounding box of the pixels that differ between a and b.
func changed(a, b image.Image) image.Rectangle {
	var box image.Rectangle
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			if color.RGBAModel.Convert(a.At(x, y)) != color.RGBAModel.Convert(b.At(x, y)) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// titleArea is where the title may draw: inside the margins, between the
// site's name and the chips' band.
var titleArea = image.Rect(margin, titleTop-titleTop/8, Width-margin, footerTop)

func TestCardIs1200x630(t *testing.T) {
	r := renderer(t)
	data, err := r.Draw(Card{Title: "Reading a file", Site: "Node.js vs Python", Subjects: twoSubjects, Versus: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "png" {
		t.Fatalf("DecodeConfig: %v, %q", err, format)
	}
	if cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("card is %d×%d, want 1200×630", cfg.Width, cfg.Height)
	}
	if len(data) > 100<<10 {
		t.Errorf("card weighs %d bytes; social sites fetch it for every share, keep it small", len(data))
	}
}

func TestTitleIsDrawnInTheTitleArea(t *testing.T) {
	r := renderer(t)
	base := Card{Site: "Node.js vs Python", Subjects: twoSubjects, Versus: true}
	with := base
	with.Title = "Reading a file"
	box := changed(drawCard(t, r, base), drawCard(t, r, with))
	if box.Empty() {
		t.Fatal("the title drew nothing")
	}
	if !box.In(titleArea) {
		t.Errorf("the title drew in %v, outside the title area %v", box, titleArea)
	}
	// A title this short takes the largest size: it fills a good part of
	// the width and more than one size's worth of height.
	if box.Dx() < 400 || box.Dy() < int(titleSizes[0]*0.7) {
		t.Errorf("the short title drew only %v: it should be large", box)
	}
	// Title ink (the darkest colour) is in the box.
	img := drawCard(t, r, with)
	ink := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == titleInk.color() {
				ink++
			}
		}
	}
	if ink < 2000 {
		t.Errorf("only %d pixels of title ink", ink)
	}
}

func TestLongTitleStaysInside(t *testing.T) {
	r := renderer(t)
	long := strings.Repeat("Streaming a large file line by line ", 10)[:300]
	for name, title := range map[string]string{
		"words":    long,
		"one word": strings.Repeat("x", 300),
		"wide":     strings.Repeat("W", 300),
		"mixed":    "Supercalifragilisticexpialidocious" + strings.Repeat("M", 80) + " " + long,
	} {
		t.Run(name, func(t *testing.T) {
			base := Card{Site: "A site", Subjects: twoSubjects}
			with := base
			with.Title = title
			box := changed(drawCard(t, r, base), drawCard(t, r, with))
			if !box.In(titleArea) {
				t.Errorf("a 300-character title drew in %v, outside the title area %v", box, titleArea)
			}
			fs := r.faces.Get().(*faceSet)
			defer r.faces.Put(fs)
			small := text{r.bold, titleSizes[len(titleSizes)-1]}
			lines, cut := fs.wrap(small, title, Width-2*margin, titleLines(small.size))
			if !cut || !strings.HasSuffix(lines[len(lines)-1], "…") {
				t.Errorf("a 300-character title is not cut with an ellipsis: %q", lines)
			}
			for _, l := range lines {
				if w := fs.width(small, l); w > Width-2*margin {
					t.Errorf("line %q is %d px wide, more than %d", l, w, Width-2*margin)
				}
			}
		})
	}
}

func TestWrapKeepsShortTitlesWhole(t *testing.T) {
	r := renderer(t)
	fs := r.faces.Get().(*faceSet)
	defer r.faces.Put(fs)
	tx := text{r.bold, 72}
	lines, cut := fs.wrap(tx, "Reading a file, and then writing it back out again", Width-2*margin, 3)
	if cut || strings.Join(lines, " ") != "Reading a file, and then writing it back out again" || len(lines) < 2 {
		t.Errorf("wrap = %q, cut %v", lines, cut)
	}
}

// count counts the pixels of exactly colour c inside r.
func count(img image.Image, r image.Rectangle, c rgb) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c.color() {
				n++
			}
		}
	}
	return n
}

func TestSubjectColoursAppear(t *testing.T) {
	r := renderer(t)
	img := drawCard(t, r, Card{Title: "Reading a file", Site: "S", Subjects: twoSubjects, Versus: true})
	chips := image.Rect(0, footerTop, Width, Height)
	for _, s := range twoSubjects {
		c := parseColor(s.Color)
		if n := count(img, chips, c); n < 3000 {
			t.Errorf("%s's colour %s covers %d pixels of the chips' band, want a chip's worth", s.Name, s.Color, n)
		}
		if n := count(img, image.Rect(0, 0, Width, bandHeight), c); n < Width/4*bandHeight {
			t.Errorf("%s's colour %s covers %d pixels of the top band", s.Name, s.Color, n)
		}
	}
	// The chips' labels are readable: white on these colours.
	if n := count(img, chips, white); n < 500 {
		t.Errorf("chip labels drew %d white pixels", n)
	}
}

func TestManySubjectsFold(t *testing.T) {
	r := renderer(t)
	var subs []Subject
	for _, n := range []string{"Go", "Rust", "Zig", "C", "C++", "Odin", "Nim"} {
		subs = append(subs, Subject{Name: n + " language with a long name", Color: "#00add8"})
	}
	fs := r.faces.Get().(*faceSet)
	defer r.faces.Put(fs)
	img := drawCard(t, r, Card{Title: "T", Site: "S", Subjects: subs})
	// Nothing drawn in the right margin of the chips' band.
	right := image.Rect(Width-margin+1, footerTop, Width, Height)
	if n := count(img, right, parseColor("#00add8")); n > 0 {
		t.Errorf("chips overflow into the right margin (%d pixels)", n)
	}
}

func TestKeyNamesEverythingDrawn(t *testing.T) {
	base := Card{Title: "T", Site: "S", Subjects: twoSubjects, Versus: true}
	variants := []Card{
		{Title: "T2", Site: "S", Subjects: twoSubjects, Versus: true},
		{Title: "T", Site: "S2", Subjects: twoSubjects, Versus: true},
		{Title: "T", Site: "S", Subjects: twoSubjects[:1], Versus: true},
		{Title: "T", Site: "S", Subjects: []Subject{{"Node.js", "#000000"}, {"Python", "#3572A5"}}, Versus: true},
		{Title: "T", Site: "S", Subjects: twoSubjects},
		{Title: "T", Site: "S", Subjects: twoSubjects, Versus: true, Description: "D"},
	}
	seen := map[string]bool{base.Key(): true}
	for _, v := range variants {
		if seen[v.Key()] {
			t.Errorf("%+v has the key of another card", v)
		}
		seen[v.Key()] = true
	}
	same := base
	same.Subjects = slices.Clone(twoSubjects)
	if same.Key() != base.Key() {
		t.Error("equal cards have different keys")
	}
}

func TestMissingGlyphs(t *testing.T) {
	r := renderer(t)
	got := r.Missing(Card{Title: "Node.js と Python の比較 — naïve café", Site: "Ωmega"})
	if !slices.Equal(got, []rune("との比較")) {
		t.Errorf("Missing = %q, want the Japanese characters only", string(got))
	}
	if got := r.Missing(Card{Title: "Ελληνικά, кириллица, naïve — “quotes” …"}); len(got) > 0 {
		t.Errorf("Missing = %q for text the Go fonts cover", string(got))
	}
}

func TestDrawIsDeterministicAndConcurrent(t *testing.T) {
	r := renderer(t)
	c := Card{Title: "Reading a file line by line", Site: "S", Subjects: twoSubjects, Versus: true}
	want, err := r.Draw(c)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := r.Draw(c)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("a concurrent Draw gave other bytes (err %v)", err)
			}
		}()
	}
	wg.Wait()
	if got, _ := renderer(t).Draw(c); !bytes.Equal(got, want) {
		t.Error("a new Renderer draws other bytes")
	}
}

// TestPreview writes sample cards to look at: CARD_PREVIEW=/tmp/cards.
func TestPreview(t *testing.T) {
	dir := os.Getenv("CARD_PREVIEW")
	if dir == "" {
		t.Skip("set CARD_PREVIEW=DIR to write sample cards there")
	}
	r := renderer(t)
	cards := map[string]Card{
		"short": {Title: "Reading a file", Site: "Node.js vs Python", Versus: true, Subjects: twoSubjects},
		"long":  {Title: "How to read a large CSV file line by line without loading it all into memory, and what it costs in each runtime when the file is several gigabytes and has quoted fields", Site: "Node.js vs Python", Versus: true, Subjects: twoSubjects},
		"five":  {Title: "Languages", Site: "Five ways", Subjects: []Subject{{"Go", "#00ADD8"}, {"Rust", "#dea584"}, {"Zig", "#ec915c"}, {"C", "#555555"}, {"C++", "#f34b7d"}, {"Odin", "#60AFFE"}}},
		"none":  {Title: "About this site", Site: "Node.js vs Python"},
		"home":  {Title: "Node.js vs Python", Site: "node-vs-python.example.org", Description: "Side-by-side, verified comparisons of Node.js and Python, kept current.", Versus: true, Subjects: twoSubjects},
	}
	for name, c := range cards {
		data, err := r.Draw(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkDraw(b *testing.B) {
	r := renderer(b)
	c := Card{Title: "How to read a large CSV file line by line without loading it into memory", Site: "Node.js vs Python", Subjects: twoSubjects, Versus: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Draw(c); err != nil {
			b.Fatal(err)
		}
	}
}
