package markdown

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// pathological are the CommonMark reference implementation's pathological
// inputs (cmark's test/pathological_tests.py), each built for n repeats,
// plus the hostile pages found by measuring versus: nested block quotes and
// lists, many list markers, and one very long line.
var pathological = []struct {
	name string
	make func(n int) string
}{
	{"nested strong emph", func(n int) string {
		return strings.Repeat("*a **a ", n) + "b" + strings.Repeat(" a** a*", n)
	}},
	{"many emph closers with no openers", func(n int) string { return strings.Repeat("a_ ", n) }},
	{"many emph openers with no closers", func(n int) string { return strings.Repeat("_a ", n) }},
	{"many link closers with no openers", func(n int) string { return strings.Repeat("a]", n) }},
	{"many link openers with no closers", func(n int) string { return strings.Repeat("[a", n) }},
	{"mismatched openers and closers", func(n int) string { return strings.Repeat("*a_ ", n) }},
	{"openers and closers multiple of 3", func(n int) string { return "a**b" + strings.Repeat("c* ", n) }},
	{"link openers and emph closers", func(n int) string { return strings.Repeat("[ a_", n) }},
	{"pattern [ (]( repeated", func(n int) string { return strings.Repeat("[ (](", n) }},
	{"nested brackets", func(n int) string { return strings.Repeat("[", n) + "a" + strings.Repeat("]", n) }},
	{"nested block quotes", func(n int) string { return strings.Repeat("> ", n) + "a\n" }},
	{"deeply nested lists", func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "* a\n")
		}
		return b.String()
	}},
	{"many list markers", func(n int) string { return strings.Repeat("- ", n) + "a\n" }},
	{"backticks", func(n int) string {
		var b strings.Builder
		for i := 1; i < n/50; i++ {
			b.WriteString("e" + strings.Repeat("`", i))
		}
		return b.String()
	}},
	{"unclosed links A", func(n int) string { return strings.Repeat("[a](<b", n) }},
	{"unclosed links B", func(n int) string { return strings.Repeat("[a](b", n) }},
	{"many link references", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "[%d]: /u\n", i)
		}
		b.WriteString("\n" + strings.Repeat("[0] ", n))
		return b.String()
	}},
	{"reference link label with brackets", func(n int) string { return "[" + strings.Repeat("\\[", n) + "]: /u\n" }},
	{"CDATA openers", func(n int) string { return strings.Repeat("a <![CDATA[", n) }},
	{"processing instructions", func(n int) string { return strings.Repeat("a <?", n) }},
	{"declarations", func(n int) string { return strings.Repeat("a <!A ", n) }},
	{"html comments", func(n int) string { return strings.Repeat("a <!--", n) }},
	{"nested inline links", func(n int) string { return strings.Repeat("[", n) + "a" + strings.Repeat("](b)", n) }},
	{"one long line", func(n int) string { return strings.Repeat("word ", n*20) + "\n" }},
	{"table with many columns", func(n int) string {
		return strings.Repeat("|a", n) + "|\n" + strings.Repeat("|-", n) + "|\n" + strings.Repeat("|b", n) + "|\n"
	}},
}

// normalPage is a page as writers write them: headings, paragraphs with
// emphasis and links, lists, a quote and code, repeated to about size bytes.
func normalPage(size int) []byte {
	const block = `## A section about streams

Node.js has **streams** and Python has _generators_; see [the guide](../guide.md)
and [the docs](https://example.org/docs) for ` + "`pipe()`" + ` and more.

- one item with *emphasis*
- another item
  - a nested item with [a link](a.md)

> A quote, with **strong** text.

` + "```js\nconst x = [1, 2, 3].map((n) => n * 2);\n```" + `

`
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(block)
	}
	return []byte(b.String())
}

// perByte is the time Render takes per byte of src, the best of a few runs.
func perByte(r *Renderer, src []byte) (time.Duration, *Result) {
	best := time.Duration(1<<63 - 1)
	var res *Result
	for range 3 {
		start := time.Now()
		res = r.Render("content/x.md", 1, src)
		best = min(best, time.Since(start))
		if best > time.Second {
			break
		}
	}
	return best / time.Duration(max(1, len(src))), res
}

// Every pathological input renders in about the time per byte of a normal
// page, or fails at once with an error naming the page and line. The bound
// is a generous ratio to a normal page on the same machine, not a time.
func TestPathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("renders megabytes of hostile Markdown")
	}
	r := New(Options{})
	base, _ := perByte(r, normalPage(200_000))
	const ratio = 40
	for _, p := range pathological {
		// The largest input of the form that is not refused must be about
		// linear; past the bounds the page is refused at once.
		var src []byte
		var d time.Duration
		var res *Result
		for n := 20000; n >= 1; n /= 2 {
			src = []byte(p.make(n))
			if len(src) > 6<<20 {
				src = src[:6<<20]
			}
			d, res = perByte(r, src)
			if len(res.Errors) == 0 {
				break
			}
			msg := res.Errors[0].Error()
			if !strings.HasPrefix(msg, "content/x.md:") || !(strings.Contains(msg, "nesting deeper than") || strings.Contains(msg, "emphasis markers and brackets")) {
				t.Fatalf("%s: unexpected error %s", p.name, msg)
			}
			if n == 20000 {
				t.Logf("%-36s %8d bytes refused: %s", p.name, len(src), msg)
			}
		}
		// A loaded machine can stall one measurement: a case over the bound
		// is measured again, with the normal page, before it fails.
		for try := 0; try < 3 && d > ratio*base; try++ {
			b, _ := perByte(r, normalPage(200_000))
			base = min(base, b)
			d2, _ := perByte(r, src)
			d = min(d, d2)
		}
		t.Logf("%-36s %8d bytes %6.1f× a normal page's time per byte", p.name, len(src), float64(d)/float64(base))
		if d > ratio*base {
			t.Errorf("%s: %s per byte, %.0f× a normal page's %s (the bound is %d×)", p.name, d, float64(d)/float64(base), base, ratio)
		}
	}
}

// BenchmarkPathological renders each pathological input, for -bench runs
// that compare with BenchmarkNormalPage.
func BenchmarkPathological(b *testing.B) {
	r := New(Options{})
	for _, p := range pathological {
		src := []byte(p.make(20000))
		b.Run(strings.ReplaceAll(p.name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				r.Render("content/x.md", 1, src)
			}
		})
	}
}

func BenchmarkNormalPage(b *testing.B) {
	r := New(Options{})
	src := normalPage(200_000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		r.Render("content/x.md", 1, src)
	}
}
