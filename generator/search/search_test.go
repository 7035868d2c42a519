package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/search"
)

const siteYAML = `title: Go vs Rust
baseURL: https://example.org/docs/
subjects:
  go:
    name: Go
    language: go
  rust:
    name: Rust
    language: rust
`

func site() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml": {Data: []byte(siteYAML)},
		"content/concurrency.md": {Data: []byte(`---
title: Concurrency in Go and Rust
description: Goroutines against async tasks.
date: 2026-01-02
tags: [concurrency]
criteria:
  - name: Memory safety
    go: Garbage collected
    rust: Ownership and borrowing
    winner: rust
    note: Both are memory safe in practice.
---

Intro paragraph about schedulers.

## Channels and mailboxes

Both languages offer channels for message passing.

` + "```go\nfunc zorbleflux() {}\n```" + `

## Cancellation

Contexts carry deadlines.
`)},
		"content/tooling.md": {Data: []byte(`---
title: Tooling
date: 2026-01-01
---

The word concurrency appears once in this body, next to cargo and go build.
`)},
		"content/secret.md": {Data: []byte(`---
title: Unreleased draft
draft: true
---

Hushhush material.
`)},
	}
}

type index struct {
	man    search.Manifest
	shards []map[string][]int
	docs   []search.Document
	files  map[string][]byte
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func buildIndex(t *testing.T, fsys fstest.MapFS) *index {
	t.Helper()
	sink := pipeline.NewMemSink()
	if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: fsys, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, sink); err != nil {
		t.Fatal(err)
	}
	return readIndex(t, sink.Files)
}

func readIndex(t *testing.T, files map[string][]byte) *index {
	t.Helper()
	x := &index{files: files}
	raw, ok := files["search/index.json"]
	if !ok {
		t.Fatal("no search/index.json in the output")
	}
	if err := json.Unmarshal(raw, &x.man); err != nil {
		t.Fatal(err)
	}
	for i := range x.man.Shards {
		var m map[string][]int
		if err := json.Unmarshal(gunzip(t, files[fmt.Sprintf("search/t/%d.bin", i)]), &m); err != nil {
			t.Fatal(err)
		}
		x.shards = append(x.shards, m)
	}
	for i := 0; i < x.man.Docs; i++ {
		var d search.Document
		if x.man.Bundle != search.DocsPerBundle {
			t.Fatalf("manifest bundle size %d", x.man.Bundle)
		}
		z, err := search.Unbundle(files[fmt.Sprintf("search/f/%d.bin", i/search.DocsPerBundle)], i%search.DocsPerBundle)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(gunzip(t, z), &d); err != nil {
			t.Fatal(err)
		}
		x.docs = append(x.docs, d)
	}
	return x
}

// posting is one document a term was found in.
type posting struct {
	doc     search.Document
	score   int
	section [3]string
}

// lookup finds a term the way search.js does: the leaf shard whose key
// starts the term, or the split node whose key is the term.
func (x *index) lookup(t *testing.T, term string) []posting {
	t.Helper()
	var found []int
	for i, s := range x.man.Shards {
		key, leaf := s[0].(string), s[3].(float64) == 1
		if (leaf && strings.HasPrefix(term, key)) || (!leaf && key == term) {
			found = append(found, i)
		}
	}
	if len(found) > 1 {
		t.Fatalf("term %q is covered by %d shards, want one", term, len(found))
	}
	if len(found) == 0 {
		return nil
	}
	p := x.shards[found[0]][term]
	var out []posting
	doc := 0
	for i := 0; i < len(p); i += 3 {
		doc += p[i]
		d := x.docs[doc]
		out = append(out, posting{doc: d, score: p[i+1], section: d.Sections[p[i+2]]})
	}
	return out
}

func (x *index) only(t *testing.T, term string) posting {
	t.Helper()
	ps := x.lookup(t, term)
	if len(ps) != 1 {
		t.Fatalf("%q is in %d documents, want 1: %+v", term, len(ps), ps)
	}
	return ps[0]
}

func TestIndexContents(t *testing.T) {
	x := buildIndex(t, site())

	var urls []string
	for _, d := range x.docs {
		urls = append(urls, d.URL)
	}
	// Articles and subject pages, under the base path; no draft, no tag pages.
	want := []string{"/docs/concurrency/", "/docs/subjects/go/", "/docs/subjects/rust/", "/docs/tooling/"}
	if !reflect.DeepEqual(urls, want) {
		t.Fatalf("indexed %v, want %v", urls, want)
	}

	// A heading word points at its heading.
	p := x.only(t, "mailboxes")
	if p.doc.URL != "/docs/concurrency/" || p.section[0] != "channels-and-mailboxes" || p.section[1] != "Channels and mailboxes" {
		t.Errorf("mailboxes → %s#%s (%q)", p.doc.URL, p.section[0], p.section[1])
	}
	// A body word points at the heading it sits under, and the section keeps
	// its text for the snippet.
	p = x.only(t, "deadlines")
	if p.section[0] != "cancellation" || !strings.Contains(p.section[2], "Contexts carry deadlines") {
		t.Errorf("deadlines → #%s %q", p.section[0], p.section[2])
	}
	// A criterion is its own section, linked to its table row, with the
	// subjects' values as text.
	p = x.only(t, "borrowing")
	if p.section[0] != "criterion-memory-safety" || p.section[1] != "Memory safety" {
		t.Errorf("borrowing → #%s %q", p.section[0], p.section[1])
	}
	if !strings.Contains(p.section[2], "Rust: Ownership and borrowing (winner).") {
		t.Errorf("criterion text %q lacks the values", p.section[2])
	}
	// Subjects and tags are searchable and shown on the result.
	if p.doc.Meta != "Go vs Rust · concurrency" {
		t.Errorf("meta line %q", p.doc.Meta)
	}
	if p.doc.Desc != "Goroutines against async tasks." {
		t.Errorf("description %q", p.doc.Desc)
	}

	// The title outranks a passing mention in another body.
	ps := x.lookup(t, "concurrency")
	scores := map[string]int{}
	for _, p := range ps {
		scores[p.doc.URL] = p.score
	}
	if scores["/docs/concurrency/"] <= scores["/docs/tooling/"] || scores["/docs/tooling/"] == 0 {
		t.Errorf("concurrency scores %v: the article titled with it should rank first", scores)
	}

	// Code listings and drafts are not indexed.
	for _, term := range []string{"zorbleflux", "hushhush", "unreleased"} {
		if ps := x.lookup(t, term); len(ps) > 0 {
			t.Errorf("%q should not be indexed, found in %s", term, ps[0].doc.URL)
		}
	}
}

func TestShardsCoverEveryTermOnce(t *testing.T) {
	// Shard after a few hundred bytes so the prefix tree is deep.
	cfg := &generator.Config{BaseURL: "/"}
	x := search.New(cfg, search.Options{ShardSize: 120})
	words := []string{"a", "alpha", "alphabet", "alps", "beta", "bet", "b", "gamma", "zeta", "ça", "çava", "日本", "日本語"}
	for i, w := range words {
		p := &generator.Page{Kind: generator.KindPage, Title: fmt.Sprintf("Page %d %s", i, w), RelPermalink: fmt.Sprintf("/p%d/", i),
			Content: template.HTML("<p>" + strings.Repeat(w+" ", i+1) + "common words everywhere</p>")}
		if err := x.Page(p, nil); err != nil {
			t.Fatal(err)
		}
	}
	files, stats, err := x.Files()
	if err != nil {
		t.Fatal(err)
	}
	if stats.Shards < 5 {
		t.Fatalf("only %d shards at a 120-byte limit", stats.Shards)
	}
	ix := readIndex(t, files)
	seen := map[string]bool{}
	for _, s := range ix.shards {
		for term := range s {
			if seen[term] {
				t.Errorf("%q is in two shards", term)
			}
			seen[term] = true
		}
	}
	for _, w := range append(words, "common", "page", "12") {
		if len(ix.lookup(t, w)) == 0 {
			t.Errorf("%q cannot be found through the manifest", w)
		}
	}
	if stats.Terms != len(seen) {
		t.Errorf("stats say %d terms, shards hold %d", stats.Terms, len(seen))
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a := buildIndex(t, site())
	b := buildIndex(t, site())
	for name, data := range a.files {
		if strings.HasPrefix(name, "search/") && !bytes.Equal(data, b.files[name]) {
			t.Errorf("%s differs between two builds of the same site", name)
		}
	}
}

func TestTokens(t *testing.T) {
	cases := map[string][]string{
		"Node.js vs Python":     {"node", "js", "vs", "python"},
		"worker_threads, GIL!":  {"worker", "threads", "gil"},
		"Café naïve — 3.14":     {"café", "naïve", "3", "14"},
		"  ":                    nil,
		"日本語 text":              {"日本語", "text"},
		"e\u0301te\u0301 (NFD)": {"e\u0301te\u0301", "nfd"},
	}
	for in, want := range cases {
		var got []string
		search.Tokens(in, func(s string) { got = append(got, s) })
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}
