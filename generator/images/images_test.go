package images

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"sync"
	"testing"
)

func encode(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	// A gradient with grain, as photographs and screenshots have, so
	// that fewer pixels take fewer bytes.
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(seed >> 26), 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, m)
	} else {
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestProbe(t *testing.T) {
	cases := []struct {
		name, data string
		want       Info
	}{
		{"a.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"/>`, Info{"svg", 120, 60}},
		{"a.svg", `<?xml version="1.0"?><!-- c --><svg width="120px" height="60.4px"></svg>`, Info{"svg", 120, 60}},
		{"a.svg", `<svg viewBox="0 0 32 16"></svg>`, Info{"svg", 32, 16}},
		{"a.svg", `<svg viewBox="0,0,32,16" width="64"></svg>`, Info{"svg", 64, 32}},
		{"a.svg", `<svg viewBox="0 0 32 16" height="8"></svg>`, Info{"svg", 16, 8}},
		// Lengths in other units say nothing of the size; the viewBox does.
		{"a.svg", `<svg width="100%" height="2em" viewBox="0 0 10 5"></svg>`, Info{"svg", 10, 5}},
		{"a.svg", `<svg width="100%"></svg>`, Info{"svg", 0, 0}},
		{"a.svg", `<svg viewBox="0 0 -1 5"></svg>`, Info{"svg", 0, 0}},
	}
	for _, c := range cases {
		got, err := Probe(c.name, []byte(c.data))
		if err != nil || got != c.want {
			t.Errorf("Probe(%s) = %+v, %v; want %+v", c.data, got, err, c.want)
		}
	}
	if got, err := Probe("p.png", encode(t, "png", 30, 20)); err != nil || got != (Info{"png", 30, 20}) {
		t.Errorf("png: %+v, %v", got, err)
	}
	if got, err := Probe("p.jpg", encode(t, "jpeg", 30, 20)); err != nil || got != (Info{"jpeg", 30, 20}) {
		t.Errorf("jpeg: %+v, %v", got, err)
	}
	for name, data := range map[string]string{"x.png": "not a picture", "x.svg": "<html></html>", "y.svg": ""} {
		if _, err := Probe(name, []byte(data)); err == nil {
			t.Errorf("Probe(%s, %q) accepted it", name, data)
		}
	}
}

func TestVariantWidths(t *testing.T) {
	cases := []struct {
		info Info
		want []int
	}{
		{Info{"png", 800, 400}, nil}, // not wider than MinWidth
		{Info{"png", 801, 400}, []int{480, 800}},
		{Info{"jpeg", 1600, 900}, []int{480, 800, 1200}},
		{Info{"jpeg", 4000, 3000}, []int{480, 800, 1200, 1600}},
		{Info{"gif", 4000, 3000}, nil}, // may move
		{Info{"svg", 4000, 3000}, nil},
		{Info{"webp", 4000, 3000}, nil},
	}
	for _, c := range cases {
		if got := VariantWidths(c.info); !slices.Equal(got, c.want) {
			t.Errorf("VariantWidths(%+v) = %v, want %v", c.info, got, c.want)
		}
	}
	if got := VariantName("posts/a.b/shot.png", 480); got != "posts/a.b/shot-480w.png" {
		t.Errorf("VariantName = %s", got)
	}
}

type mapCache struct {
	mu   sync.Mutex
	m    map[string][]byte
	puts int
}

func (c *mapCache) Get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *mapCache) Put(k string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = b
	c.puts++
}

func TestVariants(t *testing.T) {
	for _, format := range []string{"png", "jpeg"} {
		data := encode(t, format, 1000, 500)
		info, err := Probe("x."+format, data)
		if err != nil {
			t.Fatal(err)
		}
		widths := VariantWidths(info)
		cache := &mapCache{m: map[string][]byte{}}
		copies, err := Variants(data, info, widths, cache)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range widths {
			got, err := Probe("x."+format, copies[i])
			if err != nil {
				t.Fatal(err)
			}
			if want := (Info{format, w, w / 2}); got != want {
				t.Errorf("%s copy %d: %+v, want %+v", format, i, got, want)
			}
			if len(copies[i]) >= len(data) {
				t.Errorf("%s copy %d px wide is %d bytes, no smaller than the %d of the picture", format, w, len(copies[i]), len(data))
			}
		}
		if cache.puts != len(widths) {
			t.Errorf("%s: %d copies cached, want %d", format, cache.puts, len(widths))
		}
		// The second time, every copy comes from the cache, byte for byte.
		again, err := Variants(data, info, widths, cache)
		if err != nil || cache.puts != len(widths) {
			t.Fatalf("%s: made copies again (%d puts, %v)", format, cache.puts, err)
		}
		for i := range copies {
			if !bytes.Equal(copies[i], again[i]) {
				t.Errorf("%s: copy %d from the cache differs", format, i)
			}
		}
		// An edited picture gets new copies, not the cached ones.
		if Key(data, 480) == Key(append(slices.Clone(data), 0), 480) || Key(data, 480) == Key(data, 800) {
			t.Error("Key does not follow the bytes and the width")
		}
	}
}

func TestDirCache(t *testing.T) {
	dir := t.TempDir()
	c := NewDirCache(dir)
	data := encode(t, "png", 10, 10)
	k := Key(data, 480)
	if _, ok := c.Get(k); ok {
		t.Fatal("an empty cache served a copy")
	}
	c.Put(k, data)
	if got, ok := NewDirCache(dir).Get(k); !ok || !bytes.Equal(got, data) {
		t.Fatal("a new cache in the folder does not serve the copy")
	}
	// A file cut short is made again.
	c.Put(k, data[:len(data)-3])
	if _, ok := NewDirCache(dir).Get(k); ok {
		t.Error("a cut-short copy was served")
	}
	// Prune keeps what this cache used and drops the rest.
	other := NewDirCache(dir)
	other.Put(Key(data, 800), data)
	if err := other.Prune(); err != nil {
		t.Fatal(err)
	}
	if _, ok := NewDirCache(dir).Get(k); ok {
		t.Error("Prune kept a copy the cache did not use")
	}
	if _, ok := NewDirCache(dir).Get(Key(data, 800)); !ok {
		t.Error("Prune dropped a copy the cache used")
	}
	if err := c.Err(); err != nil {
		t.Error(err)
	}
}
