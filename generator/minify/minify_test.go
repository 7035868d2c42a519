package minify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/versus-ssg/versus/generator/linkcheck"
	"github.com/versus-ssg/versus/generator/minify"
	"github.com/versus-ssg/versus/generator/pipeline"
)

func site() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml":    {Data: []byte("title: Go vs Rust\nbaseURL: https://example.org/sub/\nlanguage: en\nsubjects:\n  go: {name: Go, language: go}\n  rust: {name: Rust, language: rust}\n")},
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2026-01-01\ntags: [speed]\ncriteria:\n  - name: Speed\n    go: fast\n    rust: faster\n    winner: rust\n---\n\nSee [b](b.md#section-two) and the [speed row](#criterion-speed).\n\n```go\nfunc main() {\n\tprintln(\"  spaced  \")\n}\n```\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\ndate: 2026-01-02\n---\n\n## Section two\n\nBack to [a](a.md).\n")},
	}
}

func build2(t *testing.T, min bool) (*pipeline.Result, *pipeline.MemSink) {
	t.Helper()
	mem := pipeline.NewMemSink()
	var sink pipeline.Sink = mem
	if min {
		sink = minify.New(mem)
	}
	res, err := pipeline.Build(context.Background(), pipeline.Options{Source: site(), Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return res, mem
}

func TestMinifiedSiteStillWorks(t *testing.T) {
	_, plain := build2(t, false)
	res, min := build2(t, true)

	if len(plain.Paths()) != len(min.Paths()) {
		t.Fatalf("minifying changed the file list: %d vs %d", len(plain.Paths()), len(min.Paths()))
	}
	var before, after int
	for _, p := range plain.Paths() {
		a, _ := plain.Get(p)
		b, _ := min.Get(p)
		before += len(a)
		after += len(b)
		if strings.HasSuffix(p, ".bin") && !bytes.Equal(a, b) {
			t.Errorf("%s is not text and must pass through untouched", p)
		}
	}
	if after >= before*9/10 {
		t.Errorf("minified output is %d bytes, plain %d: too little saved", after, before)
	}

	page, _ := min.Get("a/index.html")
	html := string(page)
	for _, want := range []string{"<html lang=en>", `println</span>`, `&#34;  spaced  &#34;`, "<body", "</html>"} {
		if !strings.Contains(html, want) {
			t.Errorf("minified page lacks %q", want)
		}
	}
	for _, p := range []string{"sitemap.xml", "feed.xml"} {
		data, _ := min.Get(p)
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not XML after minifying: %v", p, err)
			}
		}
	}
	data, _ := min.Get("search/index.json")
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Errorf("search/index.json is not JSON after minifying: %v", err)
	}

	rep := linkcheck.Check(res.Site, min.Files)
	for _, b := range rep.Broken {
		t.Errorf("broken after minifying: %s", b)
	}
	if rep.Checked < 20 {
		t.Errorf("only %d links found in the minified output", rep.Checked)
	}
}
