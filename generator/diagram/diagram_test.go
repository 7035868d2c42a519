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
