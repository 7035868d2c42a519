package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/internal/sitetest"
)

const site = `
-- site.yaml --
title: Go vs Rust
description: Two systems languages, compared.
baseURL: https://example.org/docs/
subjects:
  go:
    name: Go
    language: go
    extensions: [.go]
    color: "#00add8"
  rust:
    name: Rust
    language: rust
    extensions: [.rs]
-- content/_index.md --
---
title: Welcome
---
The home page's own text.
-- content/errors.md --
---
title: Error handling
description: How errors work in each.
date: 2026-11-01
updated: 2026-11-20
tags: [errors, Basics]
authors: [Ada]
weight: 2
criteria:
  - name: Style
    go: Values, checked with ` + "`if err != nil`" + `
    rust: "` + "`Result<T, E>`" + ` and ` + "`?`" + `"
    winner: rust
---
Intro with a [link to memory](memory.md#ownership) and [one to a guide](guides/setup.md).

## Errors in Go

Text.

## Errors in Go

Same heading again.

## Café & crème

![diagram](diagram.svg)
-- content/diagram.svg --
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"></svg>
-- content/memory.md --
---
title: Memory
date: 2026-10-01
tags: [basics]
weight: 1
---
## Ownership

Rust has it.
-- content/guides/setup.md --
---
title: Setup
date: 2026-09-01
slug: getting-started
---
Install things.
-- content/guides/_index.md --
---
title: Guides
description: Step by step.
---
-- content/draft.md --
---
title: Not ready
draft: true
---
-- content/later.md --
+++
title = "From the future"
date = 2027-01-01
+++
Soon.
`

func TestPagesAndURLs(t *testing.T) {
	s := sitetest.Build(t, site)
	s.Assert("errors/index.html",
		`<title>Error handling · Go vs Rust</title>`,
		`<link rel="canonical" href="https://example.org/docs/errors/">`,
		`<meta property="og:title" content="Error handling">`,
		`<meta name="description" content="How errors work in each.">`,
		`<h2 id="errors-in-go">Errors in Go</h2>`,
		`<h2 id="errors-in-go-1">Errors in Go</h2>`,
		`id="café-crème"`,
		`href="/docs/memory/#ownership"`,
		`href="/docs/guides/getting-started/"`,
		`<img src="/docs/diagram.svg" alt="diagram" width="40" height="20">`,
		`Updated <time datetime="2026-11-20">`,
		`href="/docs/tags/errors/"`,
		`href="/docs/assets/style.`,
		`href="/docs/feed.xml"`,
		`<nav class="toc-nav" aria-label="On this page">`, `<a href="#errors-in-go-1">`,
		`rel="prev" href="/docs/memory/"`,
		`min read`,
	)
	s.Assert("guides/getting-started/index.html", `<h1>Setup</h1>`, `href="/docs/guides/"`)
	s.Assert("guides/index.html", `<h1>Guides</h1>`, `Step by step.`, `href="/docs/guides/getting-started/"`)
	s.Assert("index.html", `The home page&rsquo;s own text.`, `href="/docs/errors/"`, `href="/docs/memory/"`, `href="/docs/guides/getting-started/"`)
	s.Assert("tags/index.html", `href="/docs/tags/basics/"`, `href="/docs/tags/errors/"`)
	// "Basics" and "basics" are one tag.
	s.Assert("tags/basics/index.html", `href="/docs/errors/"`, `href="/docs/memory/"`)
	s.Assert("diagram.svg", "<svg")
	s.Assert("404.html", "Page not found", `href="/docs/"`)
	s.Assert("robots.txt", "Sitemap: https://example.org/docs/sitemap.xml")
	if s.Has("draft/index.html") || s.Has("later/index.html") {
		t.Error("drafts and future pages must be left out by default")
	}
	if s.Result.Skipped != 2 {
		t.Errorf("skipped %d pages, want 2", s.Result.Skipped)
	}
	for _, p := range s.Out.Paths() {
		if strings.HasSuffix(p, ".html") {
			// Every root-relative link carries the base path.
			for _, m := range regexp.MustCompile(`(?:href|src)="(/[^"]*)"`).FindAllStringSubmatch(s.File(p), -1) {
				if !strings.HasPrefix(m[1], "/docs/") {
					t.Errorf("%s links to %s, outside the base path /docs/", p, m[1])
				}
			}
		}
	}
}

func TestDraftsAndFuture(t *testing.T) {
	s := sitetest.Build(t, site, func(o *pipeline.Options) { o.Drafts, o.Future = true, true })
	s.Assert("draft/index.html", "Not ready")
	s.Assert("later/index.html", "From the future", "Soon.")
}

func TestSitemapAndFeed(t *testing.T) {
	s := sitetest.Build(t, site)
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(s.File("sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		locs[u.Loc] = u.Lastmod
	}
	for _, want := range []string{"https://example.org/docs/", "https://example.org/docs/errors/", "https://example.org/docs/guides/getting-started/", "https://example.org/docs/tags/errors/", "https://example.org/docs/subjects/go/"} {
		if _, ok := locs[want]; !ok {
			t.Errorf("sitemap lacks %s; has %v", want, locs)
		}
	}
	if locs["https://example.org/docs/errors/"] != "2026-11-20" {
		t.Errorf("lastmod of errors = %q, want the updated date", locs["https://example.org/docs/errors/"])
	}
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(s.File("feed.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.Title != "Go vs Rust" || len(feed.Entries) != 3 || feed.Entries[0].Title != "Error handling" {
		t.Errorf("feed = %+v; want 3 entries, newest (Error handling) first", feed)
	}
}

func TestArticleJSONLD(t *testing.T) {
	s := sitetest.Build(t, site)
	html := s.File("errors/index.html")
	m := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	if ld["@type"] != "Article" || ld["headline"] != "Error handling" || ld["datePublished"] != "2026-11-01" || ld["url"] != "https://example.org/docs/errors/" {
		t.Errorf("JSON-LD = %v", ld)
	}
}

func TestDeterministic(t *testing.T) {
	a := sitetest.Build(t, site)
	b := sitetest.Build(t, site)
	pa, pb := a.Out.Paths(), b.Out.Paths()
	if strings.Join(pa, "\n") != strings.Join(pb, "\n") {
		t.Fatalf("different file lists:\n%v\n%v", pa, pb)
	}
	for _, p := range pa {
		x, _ := a.Out.Get(p)
		y, _ := b.Out.Get(p)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
}

func TestBaseURLOverride(t *testing.T) {
	s := sitetest.Build(t, site, func(o *pipeline.Options) { o.BaseURL = "https://cdn.example.com/" })
	s.Assert("errors/index.html", `href="https://cdn.example.com/errors/"`, `href="/memory/#ownership"`, `! /docs/`)
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pipeline.Build(ctx, pipeline.Options{Source: sitetest.FS(site), Now: sitetest.Today}, pipeline.NewMemSink())
	if err == nil {
		t.Fatal("a cancelled build must fail")
	}
}
