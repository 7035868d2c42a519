package pipeline_test

// Benchmarks for each stage of a build and for a whole build, on a corpus
// shaped like ../shared/bench/gencorpus's (front matter, prose in sections,
// a GFM table, a JavaScript and a Python block). Point VERSUS_BENCH_CORPUS at
// a gencorpus folder to use it instead of the built-in 1,000 articles:
//
//	go test -run '^$' -bench . -benchmem ./generator/pipeline/
//	VERSUS_BENCH_CORPUS=/tmp/corpus-10000 go test -run '^$' -bench Build ./generator/pipeline/
//
// Compare runs with benchstat. No test asserts a time.

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/markdown"
	"github.com/versus-ssg/versus/generator/output"
	"github.com/versus-ssg/versus/generator/pipeline"
)

const benchJS = `import { readFile } from 'node:fs/promises';

async function loadConfig%[1]d(path) {
  try {
    const text = await readFile(path, 'utf8');
    return JSON.parse(text);
  } catch (err) {
    console.error(` + "`config %[1]d: ${err.message}`" + `);
    return { retries: 4, timeoutMs: 3679 };
  }
}

const config%[1]d = await loadConfig%[1]d('./config-%[1]d.json');
for (const [key, value] of Object.entries(config%[1]d)) {
  if (typeof value === 'number' && value > 100) console.log(key, value / 1000);
}
`

const benchPy = `import json
from pathlib import Path


def load_config_%[1]d(path: str) -> dict:
    """Read the settings, falling back to defaults."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        print(f"config %[1]d: {err}")
        return {"retries": 4, "timeout_ms": 3679}


config_%[1]d = load_config_%[1]d("./config-%[1]d.json")
for key, value in sorted(config_%[1]d.items()):
    if isinstance(value, int) and value > 100:
        print(key, value / 1000)
`

func benchArticle(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Node.js vs Python: topic %d\"\ndate: 2024-%02d-%02d\ntags: [t%d, t%d]\nsummary: \"How they compare on topic %d.\"\n---\n", i, 1+i%12, 1+i%28, i%9, i%13, i)
	for s := 0; s < 7; s++ {
		fmt.Fprintf(&b, "## Section %d\n\n", s)
		b.WriteString(strings.Repeat("The event loop handles many sockets while the worker pool hashes passwords; "+
			"a *Python* process with `asyncio` does the same with [coroutines](https://docs.python.org/3/). ", 6))
		b.WriteString("\n\n")
	}
	b.WriteString("| Factor | Node.js | Python |\n|---|---|---|\n| Startup | fast | fast |\n| Typing | TypeScript | hints |\n\n")
	fmt.Fprintf(&b, "```js\n"+benchJS+"```\n\n```python\n"+benchPy+"```\n\n- one\n- two\n", i)
	return b.String()
}

// benchSite returns the corpus as a file system.
func benchSite(b *testing.B) fs.FS {
	if dir := os.Getenv("VERSUS_BENCH_CORPUS"); dir != "" {
		return os.DirFS(dir)
	}
	fsys := fstest.MapFS{}
	for i := 1; i <= 1000; i++ {
		fsys[fmt.Sprintf("content/posts/%05d.md", i)] = &fstest.MapFile{Data: []byte(benchArticle(i))}
	}
	return fsys
}

type discard struct{}

func (discard) Write(string, []byte) error { return nil }

// BenchmarkBuild is a whole build, cold (a new highlighter each time), into
// memory that is thrown away.
func BenchmarkBuild(b *testing.B) {
	fsys := benchSite(b)
	for b.Loop() {
		if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: fsys}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildWarm reuses one highlighter, as a warm cache would.
func BenchmarkBuildWarm(b *testing.B) {
	fsys := benchSite(b)
	h := highlight.New()
	for b.Loop() {
		if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: fsys, Highlighter: h}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	fsys := benchSite(b)
	for b.Loop() {
		if _, err := content.Load(fsys, content.Options{DropBodies: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	src := []byte(benchArticle(7))
	p, errs := content.Parse("content/a.md", src)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	body, line := p.Body, p.BodyLine
	r := markdown.New(markdown.Options{Highlighter: highlight.New()})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if res := r.Render("content/a.md", line, body); len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}

func BenchmarkHighlight(b *testing.B) {
	for _, c := range []struct{ lang, code string }{{"javascript", fmt.Sprintf(benchJS, 1)}, {"python", fmt.Sprintf(benchPy, 1)}, {"go", "package main\n\nfunc main() {\n\tprintln(\"hi\")\n}\n"}} {
		b.Run(c.lang, func(b *testing.B) {
			b.SetBytes(int64(len(c.code)))
			for b.Loop() {
				if _, err := highlight.New().Lines(c.code, c.lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTemplates builds 200 pages whose bodies are one sentence, so the
// time is the theme's layouts (home, lists, tags, articles) and little else.
func BenchmarkTemplates(b *testing.B) {
	fsys := fstest.MapFS{"site.yaml": {Data: []byte("title: T\n")}}
	for i := 1; i <= 200; i++ {
		fsys[fmt.Sprintf("content/posts/%05d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: P%d\ntags: [a, b]\n---\nShort.\n", i))}
	}
	for b.Loop() {
		if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: fsys, NoSearch: true}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	page := []byte(strings.Repeat("<p>A rendered paragraph of an article.</p>\n", 500))
	dir := b.TempDir()
	dest := filepath.Join(dir, "public")
	b.SetBytes(int64(len(page)) * 1000)
	for b.Loop() {
		s, err := output.Stage(dest, filepath.Join(dir, "site"))
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1000 {
			if err := s.Write(fmt.Sprintf("posts/%05d/index.html", i), page); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildCards is BenchmarkBuildWarm on 1,000 articles comparing
// two subjects with social cards off, drawn (no cache) and from a warm
// card cache: what the cards cost a cold and a warm build.
func BenchmarkBuildCards(b *testing.B) {
	site := func(cards bool) fs.FS {
		fsys := fstest.MapFS{"site.yaml": &fstest.MapFile{Data: fmt.Appendf(nil,
			"title: Bench\nsocialCards: %v\nsubjects:\n  node: {name: Node.js, color: \"#5fa04e\"}\n  python: {name: Python, color: \"#3776ab\"}\n", cards)}}
		for i := 1; i <= 1000; i++ {
			fsys[fmt.Sprintf("content/posts/%05d.md", i)] = &fstest.MapFile{Data: []byte(benchArticle(i))}
		}
		return fsys
	}
	for _, c := range []struct {
		name  string
		cards bool
		cache bool
	}{{"off", false, false}, {"drawn", true, false}, {"cached", true, true}} {
		b.Run(c.name, func(b *testing.B) {
			opts := pipeline.Options{Source: site(c.cards), Highlighter: highlight.New()}
			if c.cache {
				opts.Cards = &memCards{m: map[string][]byte{}}
			}
			// The first build warms the highlighter and the card cache.
			if _, err := pipeline.Build(context.Background(), opts, discard{}); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := pipeline.Build(context.Background(), opts, discard{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// memCards is a card cache in memory.
type memCards struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCards) Get(k string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[k]
	return d, ok
}

func (c *memCards) Put(k string, d []byte) {
	c.mu.Lock()
	c.m[k] = d
	c.mu.Unlock()
}
