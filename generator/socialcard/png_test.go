package socialcard

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// The hand-assembled PNG must decode, with the standard library's decoder,
// to exactly the image that was drawn: every palette entry, every pixel.
func TestPNGRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ w, h, colours int }{{1200, 630, 200}, {7, 3, 1}, {1, 1, 256}, {333, 17, 40}} {
		pal := make(color.Palette, c.colours)
		for i := range pal {
			pal[i] = color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 0xff}
		}
		img := image.NewPaletted(image.Rect(0, 0, c.w, c.h), pal)
		for i := range img.Pix {
			// Runs and noise, like a card's flat areas and anti-aliased text.
			if rng.IntN(4) == 0 {
				img.Pix[i] = uint8(rng.IntN(c.colours))
			} else if i > 0 {
				img.Pix[i] = img.Pix[i-1]
			}
		}
		var pw pngWriter
		for range 2 { // the second round reuses the pooled compressor
			var buf bytes.Buffer
			if err := pw.encode(&buf, img); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("%dx%d: %v", c.w, c.h, err)
			}
			gp, ok := got.(*image.Paletted)
			if !ok {
				t.Fatalf("%dx%d: decoded as %T, want a paletted image", c.w, c.h, got)
			}
			if len(gp.Palette) != len(pal) {
				t.Fatalf("%dx%d: palette of %d colours, want %d", c.w, c.h, len(gp.Palette), len(pal))
			}
			for i := range pal {
				r1, g1, b1, _ := pal[i].RGBA()
				r2, g2, b2, _ := gp.Palette[i].RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					t.Fatalf("%dx%d: palette entry %d is %v, want %v", c.w, c.h, i, gp.Palette[i], pal[i])
				}
			}
			if !gp.Rect.Eq(img.Rect) || !bytes.Equal(gp.Pix, img.Pix) {
				t.Fatalf("%dx%d: pixels differ after decoding", c.w, c.h)
			}
		}
	}
}

// BenchmarkEncode compares the card encoder with image/png's fastest level
// on a drawn card, in one run.
func BenchmarkEncode(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	fs := r.faces.Get().(*faceSet)
	cv := newCanvas()
	cv.layout(fs, Card{Title: "Node.js vs Python: architecture and concurrency", Site: "Node.js vs Python",
		Subjects: []Subject{{"Node.js", "#5fa04e"}, {"Python", "#3776ab"}}, Versus: true})
	b.Run("versus", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := r.png.encode(&buf, cv.img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("image/png", func(b *testing.B) {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		for b.Loop() {
			var buf bytes.Buffer
			if err := enc.Encode(&buf, cv.img); err != nil {
				b.Fatal(err)
			}
		}
	})
}
