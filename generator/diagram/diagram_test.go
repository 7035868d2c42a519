package diagram

import (
	"errors"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r := New()
	d, err := r.Render("client -> server: request\nserver -> db: query\n")
	if err != nil {
		t.Fatal(err)
	}
	svg := d.SVG
	if d.Text != "client, server, db; client → server: request, server → db: query" {
		t.Errorf("text %q", d.Text)
	}
	if d.Width < 50 || d.Height < 200 {
		t.Errorf("size %d×%d", d.Width, d.Height)
	}
	for _, want := range []string{"<svg", ">client<", ">server<", ">request<",
		`@media (prefers-color-scheme:dark){:root:not([data-theme="light"]){`,
		`:root[data-theme="dark"]{`} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %q", want)
		}
	}
	for _, not := range []string{"<?xml", "@media screen and (prefers-color-scheme:dark)", "data-d2-version"} {
		if strings.Contains(svg, not) {
			t.Errorf("should not hold %q", not)
		}
	}
	again, err := r.Render("client -> server: request\nserver -> db: query\n")
	if err != nil || again.SVG != svg {
		t.Error("the same source renders differently")
	}
}

func TestErrors(t *testing.T) {
	r := New()
	_, err := r.Render("a -> b\nc -> {\n")
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("%v (%T) is not Errors", err, err)
	}
	if got := errs.Error(); got != "2:1: connection missing destination\n2:6: maps must be terminated with }" {
		t.Errorf("got %q", got)
	}
	_, err = r.Render("vars: {d2-config: {layout-engine: elk}}\na -> b\n")
	if err == nil || !strings.Contains(err.Error(), "bundles dagre") {
		t.Errorf("another layout engine: %v", err)
	}
	_, err = r.Render("...@other\n")
	if err == nil {
		t.Error("an import reads the disk")
	}
}

func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	r := New()
	r.CacheDir = dir
	d, err := r.Render("x -> y\n")
	if err != nil {
		t.Fatal(err)
	}
	// A new renderer (the next build) reads the file instead of drawing:
	// a planted drawing proves which one it used.
	planted := &Diagram{SVG: "<svg>planted</svg>", Width: 1, Height: 2, Text: "x"}
	r2 := New()
	r2.CacheDir = dir
	r2.toDisk("x -> y\n", planted)
	got, err := r2.Render("x -> y\n")
	if err != nil || got.SVG != planted.SVG || got.Width != 1 {
		t.Errorf("the cache was not read: %+v %v", got, err)
	}
	// Without a cache dir the diagram is drawn.
	got, err = New().Render("x -> y\n")
	if err != nil || got.SVG != d.SVG {
		t.Errorf("drawing again differs")
	}
	// Errors are not cached on disk.
	if _, err := r.Render("a -> {\n"); err == nil {
		t.Fatal("no error")
	}
}
