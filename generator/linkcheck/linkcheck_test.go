package linkcheck_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/versus-ssg/versus/generator/linkcheck"
	"github.com/versus-ssg/versus/generator/pipeline"
)

func check(t *testing.T, fsys fstest.MapFS) *linkcheck.Report {
	t.Helper()
	sink := pipeline.NewMemSink()
	res, err := pipeline.Build(context.Background(), pipeline.Options{Source: fsys, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return linkcheck.Check(res.Site, sink.Files)
}

// Each broken link sits on its own line so the positions are easy to read.
const article = `---
title: Article
---

Intro with a [good link](other.md#real-heading) and an [external one](https://go.dev/doc/).

A [missing page](/nope/) here.

A [missing anchor](other.md#not-there) and one [on this page](#no-such-id).

A [broken Markdown link](missing.md).

The [sample's code](samples/hello/main.py) is not published.

[a picture that is missing](missing.png) (a Markdown image of a missing file fails the build itself)

![a picture that is there](pic.png) and [a heading here](#intro-heading).

## Intro heading

The [missing page](/nope/) again, on a later line.
`

// tinyPNG is a picture of one pixel: a page may show only real pictures.
func tinyPNG() []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func site() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml":                     {Data: []byte("title: T\nbaseURL: https://example.org/sub/\n")},
		"content/article.md":            {Data: []byte(article)},
		"content/other.md":              {Data: []byte("---\ntitle: Other\n---\n\n## Real heading\n\nBack to [the article](article.md).\n")},
		"content/pic.png":               {Data: tinyPNG()},
		"content/samples/hello/main.py": {Data: []byte("print('hi')\n")},
	}
}

func TestEveryKindOfBrokenLinkAtItsLine(t *testing.T) {
	rep := check(t, site())
	var got []string
	for _, b := range rep.Broken {
		got = append(got, b.String())
	}
	want := []string{
		"content/article.md:7:3: /nope/ → /sub/nope/ (no such page or file)",
		"content/article.md:9:3: other.md#not-there → /sub/other/#not-there (no element with id not-there on /sub/other/)",
		"content/article.md:9:48: #no-such-id → /sub/article/#no-such-id (no element with id no-such-id on /sub/article/)",
		"content/article.md:11:3: missing.md → /sub/article/missing.md (no page is built from content/missing.md)",
		"content/article.md:13:5: samples/hello/main.py → /sub/article/samples/hello/main.py (content/samples/hello/main.py is in a sample folder; samples are not copied to the site, so show it with {{< sample >}} instead)",
		"content/article.md:15:1: missing.png → /sub/article/missing.png (no file content/missing.png)",
		"content/article.md:21:5: /nope/ → /sub/nope/ (no such page or file)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.External != 1 || rep.ExternalHosts["go.dev"] != 1 {
		t.Errorf("external links skipped: %d %v, want 1 to go.dev", rep.External, rep.ExternalHosts)
	}
	if rep.Checked < 20 {
		t.Errorf("only %d internal links checked; the layouts alone have more", rep.Checked)
	}
}

func TestLayoutLinksReportedOnceAtTheOutputFile(t *testing.T) {
	fsys := site()
	fsys["layouts/partials/footer.html"] = &fstest.MapFile{Data: []byte("<footer>\n<a href=\"{{ relURL \"/gone/\" }}\">Gone</a>\n<a href=\"{{ relURL \"/other/\" }}#real-heading\">Fine</a>\n</footer>\n")}
	rep := check(t, fsys)
	var layout []linkcheck.Broken
	for _, b := range rep.Broken {
		if strings.HasPrefix(b.Pos.File, "public/") {
			layout = append(layout, b)
		}
	}
	if len(layout) != 1 {
		t.Fatalf("layout links broken: %v, want the footer's one, once", layout)
	}
	b := layout[0]
	if b.Target != "/sub/gone/" || b.Pages < 3 || b.Pos.Line == 0 {
		t.Errorf("got %s", b)
	}
	if !strings.HasSuffix(b.String(), "(no such page or file), on "+itoa(b.Pages)+" pages") {
		t.Errorf("the page count is missing: %s", b)
	}
}

func TestCleanSiteHasNoBrokenLinks(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":         {Data: []byte("title: T\nbaseURL: https://example.org/\nsubjects:\n  go: {name: Go}\n  rust: {name: Rust}\n")},
		"content/_index.md": {Data: []byte("---\ntitle: Home\n---\n\nSee [a](a.md#why) and [the tags](/tags/).\n")},
		"content/a.md":      {Data: []byte("---\ntitle: A\ntags: [x]\ncriteria:\n  - name: Speed\n    go: fast\n    rust: \"faster, see [b](b.md)\"\n    winner: rust\n---\n\n## Why\n\n[Speed row](#criterion-speed), [home](/), [b](b.md#top).\n")},
		"content/b.md":      {Data: []byte("---\ntitle: B\n---\n\nBack to [a](../content/a.md) is not how to write it, [a](a.md) is.\n")},
	}
	rep := check(t, fsys)
	for _, b := range rep.Broken {
		if !strings.Contains(b.Link, "../content/a.md") {
			t.Errorf("unexpected broken link: %s", b)
		}
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	if s == "" {
		return "0"
	}
	return s
}
