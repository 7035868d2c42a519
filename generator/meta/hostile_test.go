package meta

import (
	"fmt"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

// laughs is the "billion laughs" alias bomb: nine levels of nine aliases,
// under 1 KB, which would expand to 9^9 (387 million) values.
func laughs() string {
	var b strings.Builder
	b.WriteString("title: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "%s: &%s [", name, name)
		for i := range 9 {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	return b.String()
}

// firstError decodes src and returns its first error, failing when there
// is none.
func firstError(t *testing.T, src Source) *generator.Error {
	t.Helper()
	_, err := Decode(src)
	es := generator.Errors(err)
	if len(es) == 0 {
		t.Fatalf("%.60q… decoded without an error", src.Data)
	}
	return es[0]
}

func TestYAMLAliasBombFailsAtTheAlias(t *testing.T) {
	bomb := laughs()
	if len(bomb) > 1024 {
		t.Fatalf("the bomb is %d bytes; it should fit in 1 KB", len(bomb))
	}
	// In front matter, which starts on line 2 of its page.
	e := firstError(t, Source{Format: YAML, Data: []byte(bomb), File: "content/a.md", Line: 2})
	if e.Pos.File != "content/a.md" || e.Pos.Line < 4 || e.Pos.Col == 0 || !strings.Contains(e.Msg, "alias bomb") {
		t.Errorf("got %v", e)
	}
	// Aliases that stay within bounds still work, merge keys included.
	n, err := Decode(Source{Format: YAML, File: "site.yaml", Data: []byte("base: &b {x: 1, y: [1, 2]}\nm:\n  <<: *b\n  z: 3\nl: [*b, *b]\n")})
	if err != nil {
		t.Fatal(err)
	}
	if n.Get("m").Get("x").Int != 1 || len(n.Get("l").List) != 2 || n.Get("l").List[1].Get("y").List[1].Int != 2 {
		t.Errorf("aliases decoded wrong: %v", n.Value())
	}
}

func TestYAMLSelfAliasFails(t *testing.T) {
	e := firstError(t, Source{Format: YAML, File: "site.yaml", Data: []byte("a: &x [1, *x]\n")})
	if e.Pos.Line != 1 {
		t.Errorf("got %v", e)
	}
}

func TestDeepYAMLFailsWithAPosition(t *testing.T) {
	deepBlock := ""
	for i := range 150 {
		deepBlock += strings.Repeat(" ", i) + "k:\n"
	}
	for name, doc := range map[string]string{
		"flow sequences": "a: " + strings.Repeat("[", 200_000),
		"closed flow":    "a: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"flow maps":      "a: " + strings.Repeat("{b: ", 50_000),
		"block entries":  strings.Repeat("- ", 100_000) + "x\n",
		"block maps":     deepBlock,
		"tags":           "a: " + strings.Repeat("!t ", 100_000) + "x\n",
	} {
		e := firstError(t, Source{Format: YAML, File: "site.yaml", Data: []byte(doc)})
		if e.Pos.File != "site.yaml" || e.Pos.Line == 0 || !strings.Contains(e.Msg, "nested more than 100 levels") {
			t.Errorf("%s: %v", name, e)
		}
	}
	// 100 levels are allowed.
	if _, err := Decode(Source{Format: YAML, File: "site.yaml", Data: []byte("a: " + strings.Repeat("[", 99) + strings.Repeat("]", 99))}); err != nil {
		t.Errorf("99 brackets: %v", err)
	}
}

func TestDeepTOMLFailsWithAPosition(t *testing.T) {
	for name, doc := range map[string]string{
		"dotted key":    "title = 'x'\n" + strings.Repeat("a.", 100_000) + "a = 1\n",
		"table header":  "title = 'x'\n[" + strings.Repeat("a.", 100_000) + "a]\nb = 1\n",
		"arrays":        "title = 'x'\na = " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n",
		"inline tables": "title = 'x'\na = " + strings.Repeat("{a=", 5000) + "1" + strings.Repeat("}", 5000) + "\n",
	} {
		e := firstError(t, Source{Format: TOML, File: "content/a.md", Data: []byte(doc), Line: 2})
		if e.Pos.File != "content/a.md" || e.Pos.Line != 3 || !strings.Contains(e.Msg, "nested more than 100 levels") {
			t.Errorf("%s: %v", name, e)
		}
	}
}

func TestTOMLPositionsOfManyKeys(t *testing.T) {
	n, err := Decode(Source{Format: TOML, File: "site.toml", Data: []byte(manyTOMLKeys(1999) + "[t]\nx.y = 1\n")})
	if err != nil {
		t.Fatal(err)
	}
	if v := n.Get("k1998"); v.KeyPos != (generator.Pos{File: "site.toml", Line: 1999, Col: 1}) || n.Keys[1998] != "k1998" {
		t.Errorf("k1998 at %v, keys end %v", v.KeyPos, n.Keys[len(n.Keys)-3:])
	}
	// A table made by a header, and one made by dots alone, have positions.
	if tb := n.Get("t"); tb.Pos.Line != 2000 || tb.Get("x").Pos != (generator.Pos{File: "site.toml", Line: 2001, Col: 1}) {
		t.Errorf("t at %v, t.x at %v", tb.Pos, tb.Get("x").Pos)
	}
	e := firstError(t, Source{Format: TOML, File: "site.toml", Data: []byte(manyTOMLKeys(1500) + "bad = = 1\n")})
	if e.Pos.Line != 1501 {
		t.Errorf("error at %v, want line 1501", e.Pos)
	}
}

func manyTOMLKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d = %d\n", i, i)
	}
	return b.String()
}

// BenchmarkTOMLPositions shows the time per key of finding TOML positions
// staying flat as the document grows: one line index, not go-toml's Shape
// counting lines from the top for every key (1e5 keys took 110 s).
func BenchmarkTOMLPositions(b *testing.B) {
	for _, n := range []int{1_000, 3_000, 10_000, 100_000} {
		src := Source{Format: TOML, File: "site.toml", Data: []byte(manyTOMLKeys(n))}
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := tomlPositionsMax(src, n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}

// BenchmarkTOMLDecode is the whole decode up to MaxKeys keys, go-toml's own
// quadratic key check included: what MaxKeys bounds.
func BenchmarkTOMLDecode(b *testing.B) {
	for _, n := range []int{250, 500, 1_000, MaxKeys} {
		src := Source{Format: TOML, File: "site.toml", Data: []byte(manyTOMLKeys(n))}
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(src); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}

func TestTooManyKeys(t *testing.T) {
	var y strings.Builder
	y.WriteString("params:\n")
	for i := range 100_000 {
		fmt.Fprintf(&y, "  k%d: %d\n", i, i)
	}
	e := firstError(t, Source{Format: YAML, File: "site.yaml", Data: []byte(y.String())})
	if e.Pos != (generator.Pos{File: "site.yaml", Line: MaxKeys + 2, Col: 3}) || !strings.Contains(e.Msg, "keys in one YAML map") {
		t.Errorf("YAML: %v", e)
	}
	e = firstError(t, Source{Format: TOML, File: "site.toml", Data: []byte(manyTOMLKeys(100_000))})
	if e.Pos != (generator.Pos{File: "site.toml", Line: MaxKeys + 1, Col: 1}) || !strings.Contains(e.Msg, "keys in one TOML document") {
		t.Errorf("TOML: %v", e)
	}
	// Long lists of small maps are fine: their parsing is linear.
	var l strings.Builder
	l.WriteString("criteria:\n")
	for i := range 20_000 {
		fmt.Fprintf(&l, "  - name: c%d\n    node: x\n", i)
	}
	if _, err := Decode(Source{Format: YAML, File: "content/a.md", Data: []byte(l.String())}); err != nil {
		t.Error(err)
	}
}

// BenchmarkYAMLDepthScan shows the cost of refusing deep documents
// growing linearly with their size.
func BenchmarkYAMLDepthScan(b *testing.B) {
	for _, n := range []int{10_000, 30_000, 100_000, 300_000} {
		src := Source{Format: YAML, File: "site.yaml", Data: []byte("a: " + strings.Repeat("[", n))}
		b.Run(fmt.Sprintf("brackets=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(src); err == nil {
					b.Fatal("no error")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/byte")
		})
	}
}
