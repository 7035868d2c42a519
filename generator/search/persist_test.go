package search

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

// savedIndex indexes a few pages and returns the index and its saved form.
func savedIndex(t testing.TB) (*Index, []byte) {
	x := New(&generator.Config{BaseURL: "/"}, Options{ShardSize: 200})
	for i, w := range []string{"alpha", "beta", "gamma", "ça va", "日本語"} {
		p := &generator.Page{Kind: generator.KindPage, Title: fmt.Sprintf("Page %d %s", i, w), Description: "About " + w,
			RelPermalink: fmt.Sprintf("/p%d/", i), OutFile: fmt.Sprintf("p%d/index.html", i), TagNames: []string{"t"},
			Content: template.HTML("<h2 id=\"s\">Section " + w + "</h2><p>" + w + " common words</p>")}
		if err := x.Page(p, nil); err != nil {
			t.Fatal(err)
		}
	}
	data, err := x.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return x, data
}

func TestSavedIndexRoundTrip(t *testing.T) {
	x, data := savedIndex(t)
	want, _, err := x.Files()
	if err != nil {
		t.Fatal(err)
	}
	y := New(&generator.Config{BaseURL: "/"}, Options{ShardSize: 200})
	if err := y.UnmarshalShared(slices.Clone(data)); err != nil {
		t.Fatal(err)
	}
	got, _, err := y.Files()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("the resumed index writes other files")
	}
	// Both have now compressed the same shards, which they keep.
	saved, err := x.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	again, err := y.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, saved) || len(saved) <= len(data) {
		t.Error("the resumed index saves other bytes, or no compressed shards")
	}
	// Resumed with its compressed shards, an index writes the same files.
	z := New(&generator.Config{BaseURL: "/"}, Options{ShardSize: 200})
	if err := z.UnmarshalShared(slices.Clone(saved)); err != nil {
		t.Fatal(err)
	}
	if got, _, err := z.Files(); err != nil || !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("the index resumed with its shards writes other files (%v)", err)
	}
	// A page indexed again after resuming extends the word table.
	p := &generator.Page{Kind: generator.KindPage, Title: "New zeta", RelPermalink: "/new/", OutFile: "new/index.html"}
	if err := y.Page(p, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := y.Files(); err != nil {
		t.Fatal(err)
	}
}

// A saved index cut short anywhere is refused, and the index keeps what
// it held.
func TestSavedIndexTruncated(t *testing.T) {
	x, data := savedIndex(t)
	for n := range len(data) {
		if err := x.UnmarshalShared(slices.Clone(data[:n])); err == nil {
			t.Fatalf("resumed from the first %d of %d bytes", n, len(data))
		}
	}
	if _, _, err := x.Files(); err != nil {
		t.Fatal(err)
	}
}

// A damaged byte anywhere is refused or, where the tables still add up,
// gives an index whose Files fails or succeeds, but never panics.
func TestSavedIndexCorrupt(t *testing.T) {
	_, data := savedIndex(t)
	for i := range data {
		for _, v := range []byte{0x00, 0xff, data[i] ^ 0x01, data[i] ^ 0x80} {
			d := slices.Clone(data)
			d[i] = v
			checkSaved(t, d)
		}
	}
}

func checkSaved(t *testing.T, data []byte) {
	t.Helper()
	x := New(&generator.Config{BaseURL: "/"}, Options{ShardSize: 200})
	if err := x.UnmarshalShared(data); err != nil {
		return
	}
	_, _, _ = x.Files() // an error is fine; a panic fails the test
}

func FuzzSavedIndex(f *testing.F) {
	_, data := savedIndex(f)
	f.Add(data)
	f.Add([]byte(savedMagic))
	f.Fuzz(func(t *testing.T, data []byte) { checkSaved(t, data) })
}
