package markdown

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/texmath"
)

func render(t *testing.T, opts Options, src string) *Result {
	t.Helper()
	res := New(opts).Render("content/a.md", 5, []byte(src))
	if err := res.Errors.Err(); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMarkdownFeatures(t *testing.T) {
	src := `# Title

| a | b |
|---|---|
| 1 | 2 |

~~gone~~ and https://example.org and "quotes" -- dash...

- [x] done
- [ ] todo

Text with a note.[^1]

[^1]: The note.

Term
: Definition.
`
	got := string(render(t, Options{}, src).HTML)
	for _, want := range []string{
		"<table>", "<td>1</td>",
		"<del>gone</del>",
		`<a href="https://example.org">https://example.org</a>`,
		"&ldquo;quotes&rdquo;", "&ndash;", "&hellip;",
		`<input checked="" disabled="" type="checkbox"`,
		`class="footnote-ref"`, "The note.",
		"<dl>", "<dt>Term</dt>", "<dd>Definition.</dd>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestHeadingIDs(t *testing.T) {
	res := render(t, Options{}, "## Setup\n\n## Setup\n\n## Setup\n\n## Café crème\n\n## Привет мир\n\n## 日本語\n\n## C++ & Go!\n")
	var ids []string
	for _, h := range res.Headings {
		ids = append(ids, h.ID)
	}
	want := []string{"setup", "setup-1", "setup-2", "café-crème", "привет-мир", "日本語", "c-go"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}

// The typographer's curly quotes and dashes reach the table of contents
// and the anchors' labels as characters, not as "&ldquo;" spelled out.
func TestHeadingTextKeepsTypographersCharacters(t *testing.T) {
	res := render(t, Options{}, "## Why \"Python is slow\" -- and 'why' not...\n")
	if len(res.Headings) != 1 {
		t.Fatalf("headings = %v", res.Headings)
	}
	want := "Why \u201cPython is slow\u201d \u2013 and \u2018why\u2019 not\u2026"
	if got := res.Headings[0].Text; got != want {
		t.Errorf("heading text = %q, want %q", got, want)
	}
	if strings.Contains(string(res.HTML), "&amp;ldquo;") {
		t.Errorf("an entity is escaped twice:\n%s", res.HTML)
	}
}

func TestRawHTML(t *testing.T) {
	src := "<div class=\"x\">block</div>\n\nInline <b>bold</b>.\n"
	safe := string(render(t, Options{}, src).HTML)
	if strings.Contains(safe, "<b>") || strings.Contains(safe, `<div class="x">`) || !strings.Contains(safe, "&lt;b&gt;bold&lt;/b&gt;") || !strings.Contains(safe, "&lt;div class=&#34;x&#34;&gt;") {
		t.Errorf("raw HTML must be escaped by default:\n%s", safe)
	}
	unsafe := string(render(t, Options{Unsafe: true}, src).HTML)
	if !strings.Contains(unsafe, "<b>bold</b>") || !strings.Contains(unsafe, `<div class="x">block</div>`) {
		t.Errorf("markdown.unsafe must let raw HTML through:\n%s", unsafe)
	}
}

func TestFencedCode(t *testing.T) {
	src := "```js {title=\"server.js\" hl_lines=\"2-3\" linenos=true}\nconst a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\n```\n\n```nosuchlanguage\n<x> & y\n```\n"
	got := string(render(t, Options{}, src).HTML)
	for _, want := range []string{
		`<div class="code-title">server.js</div>`,
		`<span class="kr">const</span>`,
		`<span class="line hl"><span class="ln" aria-hidden="true">2</span>`,
		`<span class="line hl"><span class="ln" aria-hidden="true">3</span>`,
		`<span class="line"><span class="ln" aria-hidden="true">4</span>`,
		`&lt;x&gt; &amp; y`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "style=") {
		t.Errorf("highlighting must use classes, not inline styles:\n%s", got)
	}
}

func TestShortcodes(t *testing.T) {
	src := "Para with `{{< table >}}` inline.\n\n{{< table criteria=\"A, B\" >}}\n\n```md\n{{< verdict >}}\n```\n\n{{< compare >}}\n```js\nx()\n```\n```python\n{{< /compare >}}\n```\n{{< /compare >}}\n\n{{< sample \"hello\" region=\"h\" >}}\n"
	res := render(t, Options{}, src)
	var names []string
	for _, s := range res.Shortcodes {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "table,compare,sample" {
		t.Fatalf("shortcodes = %v; those in code spans and fences must stay literal", names)
	}
	tbl, cmp, smp := res.Shortcodes[0], res.Shortcodes[1], res.Shortcodes[2]
	if tbl.Pos != (generator.Pos{File: "content/a.md", Line: 7, Col: 1}) || tbl.Args["criteria"] != "A, B" {
		t.Errorf("table = %+v", tbl)
	}
	if !cmp.Closed || len(cmp.Blocks) != 2 || cmp.Blocks[1].Code != "{{< /compare >}}\n" || cmp.Blocks[0].Pos.Line != 14 {
		t.Errorf("compare = %+v, blocks %+v %+v", cmp, cmp.Blocks[0], cmp.Blocks[1])
	}
	if smp.Get("0") != "hello" || smp.Args["region"] != "h" {
		t.Errorf("sample args = %+v %v", smp.Args, smp.Positional)
	}
	html := string(res.HTML)
	if !strings.Contains(html, "<code>{{&lt; table &gt;}}</code>") || strings.Count(html, "\x00versus-shortcode:") != 3 {
		t.Errorf("html = %q", html)
	}
}

func TestUnclosedCompare(t *testing.T) {
	res := render(t, Options{}, "{{< compare >}}\n```js\nx\n```\n")
	if len(res.Shortcodes) != 1 || res.Shortcodes[0].Closed {
		t.Fatalf("an unclosed compare must be reported as unclosed: %+v", res.Shortcodes)
	}
}

func TestParseArgs(t *testing.T) {
	named, pos, ok := ParseArgs(`"http server" region="a b" lines=3-10 x='q' `)
	if !ok || len(pos) != 1 || pos[0] != "http server" || named["region"] != "a b" || named["lines"] != "3-10" || named["x"] != "q" {
		t.Errorf("got %v %v %v", named, pos, ok)
	}
	for _, bad := range []string{`region="unterminated`, "`", "a=`"} {
		if _, _, ok := ParseArgs(bad); ok {
			t.Errorf("ParseArgs(%q) must be rejected", bad)
		}
	}
}

func TestInline(t *testing.T) {
	r := New(Options{})
	h, err := r.Inline("Use `x` and *y* [z](https://e.org)", generator.Pos{})
	if err != nil || string(h) != `Use <code>x</code> and <em>y</em> <a href="https://e.org">z</a>` {
		t.Errorf("got %q, %v", h, err)
	}
	pos := generator.Pos{File: "content/a.md", Line: 9, Col: 11}
	for _, block := range []string{"- a\n- b", "# Heading", "one\n\ntwo"} {
		if _, err := r.Inline(block, pos); err == nil || !strings.HasPrefix(err.Error(), "content/a.md:9:11: only inline Markdown") {
			t.Errorf("Inline(%q) error = %v, want one at content/a.md:9:11", block, err)
		}
	}
}

func TestWordsAndReadingTime(t *testing.T) {
	res := render(t, Options{}, "One two three.\n\nFour *five*.\n")
	if res.WordCount != 5 {
		t.Errorf("words = %d, want 5", res.WordCount)
	}
	if ReadingTime(5) != 1 || ReadingTime(213*4) != 4 {
		t.Error("reading time is words / 213, at least one minute")
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# T\n\n{{< table >}}\n",
		"{{< compare >}}\n```js\nx\n```\n{{< /compare >}}\n",
		"{{< compare >}}\n```js\n{{< /compare >}}\n",
		"{{< /compare >}}\n",
		"- {{< sample \"x\" lines=\"1-2\" >}}\n",
		"> {{< note >}}\n> a\n> {{< /note >}}\n",
		"```js {hl_lines=\"1-\" linenos=maybe}\nx\n```\n",
		"[a](b.md#c) ![i](j.png)\n\nTerm\n: def\n",
		"> [!NOTE]- *t*\n> body\n\n> [!WARN]\n",
		"{{< callout type=tip title=\"x\" >}}\n> [!NOTE]\n> y\n{{< /callout >}}\n",
		"Cost $5, $x^2$ and $$\\frac{a}{b$$\n\n$$\n\\sum\n",
		"- $$ x $$\n  $a$b$\n",
	} {
		f.Add(s)
	}
	r := New(Options{ResolveLink: func(file, dest string) (string, bool) { return "/x/", true }, Math: texmath.New()})
	f.Fuzz(func(t *testing.T, s string) {
		res := r.Render("content/a.md", 3, []byte(s))
		lines := strings.Count(s, "\n") + 3
		for _, sc := range res.Shortcodes {
			if sc.Pos.File != "content/a.md" || sc.Pos.Line < 3 || sc.Pos.Line > lines {
				t.Fatalf("shortcode %q at %v, outside the body", sc.Name, sc.Pos)
			}
		}
		for _, e := range res.Errors {
			if e.Pos.File != "content/a.md" {
				t.Fatalf("error without its file: %v", e)
			}
			if e.Pos.Line != 0 && (e.Pos.Line < 3 || e.Pos.Line > lines) {
				t.Fatalf("error %v outside the body", e)
			}
		}
		if n := len(PlaceholderPattern.FindAll(res.HTML, -1)); n != len(res.Shortcodes) {
			t.Fatalf("%d placeholders for %d shortcodes", n, len(res.Shortcodes))
		}
	})
}

func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{`"a" b="c"`, `x='y' z=1`, "`raw`", `"unterminated`, `a=`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		named, pos, ok := ParseArgs(s)
		if ok && named == nil {
			t.Fatal("ok without a map")
		}
		_ = pos
	})
}
