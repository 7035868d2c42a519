package highlight

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// chromaTokens is what chroma emits for code, after its coalescing.
func chromaTokens(t testing.TB, name, code string) []chroma.Token {
	t.Helper()
	it, err := chroma.Coalesce(lexers.Get(name)).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}

// fastOrChroma is what Lines uses: the fast scanner's tokens, or chroma's
// where the scanner hands the block back.
func fastOrChroma(t testing.TB, name, code string) (toks []chroma.Token, fellBack bool) {
	spans, ok := fastLexers[name](code)
	if !ok {
		return chromaTokens(t, name, code), true
	}
	return tokens(code, spans), false
}

// firstDiff describes the first token where a and b differ, or "".
func firstDiff(code string, a, b []chroma.Token) string {
	off := 0
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y chroma.Token
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			line := strings.Count(code[:min(off, len(code))], "\n") + 1
			return fmt.Sprintf("line %d: chroma %s %q, fast %s %q", line, x.Type, x.Value, y.Type, y.Value)
		}
		off += len(x.Value)
	}
	return ""
}

// The cases of issue 14, and the corners of chroma's rules.
var agreementCases = map[string][]string{
	"Python": {
		"def f():\n    \"\"\"Doc string.\"\"\"\n    return 1\n",
		"'''doc'''\nx = r'''raw\\'''\n",
		"print('%d %-22r %s' % (1, 2, 3), '{n} {0:b} {} {:>10} {a.b[c]!r:^8.2f}', \"%(name)s\")\n",
		"from m import a, b\nimport collections, sys\nimport os.path as p\nfrom . import x\nyield from x\nraise E from e\n",
		"f'{d:%A} {i:>2d} {wrd:{j}{wdth}} \\n {x!r} {y=} {{lit}} {z[\"k\"]}'\nrf'{a}\\d' fr\"{b}\"\n",
		"s = '\\x20\\u05d0\\N{DASH} \\777 \\q' b'\\x0' u'\\U0001F600'\n",
		"callable(help) ? $ `\n!x\n",
		"x = 1.5j + 2j + 1e5j + 1_000.5e-3 + .5 + 0x_1F + 0o17 + 0b1_0 + 1__0 + 5.\n",
		"@dataclass\n@a . b .c\nclass A(B): pass\nclass\n\nasync for x in y: pass\nasync  with a: pass\n",
		"def __init__(self): pass\ndef\\\n f(): pass\nx.match(y); match = 1\n",
		"s = 'unterminated\nt = \"ok\"\nf'{a\n'\n\"\"\"tri\nple {x} %s\"\"\"\n",
		"#!/usr/bin/env python3\n# c\nx = a @ b // c ** 2 -> d != e\nnot_a = is_b and c\n",
		"é = ñ2 + x\u0301 + ٣ + ²\n",
		"r{,2}\"\"\"chroma reads {,2} literally: a docstring\"\"\"\n",
	},
	"JavaScript": {
		"<html><title>t</title></html>\nvar x = 1;\n",
		"x = .1 + 1.E+2 + 1.0e2 + 1.22e-2 + 1e5 + 0x1F + 0b101 + 0o17 + 10n + 1_000;\n",
		"const re = /ab+c\\/[/]/gi, q = a / b / c;\nif (x) /re/.test(s)\nreturn /x/g\n",
		"async function load(p) { return `x ${p + `in ${1}`} y ${ {a:1} } \\` $`; }\n",
		"class A extends B { static #p = 1; @dec m() {} }\nobj?.prop ?? a >>>= b === c !== d\n",
		"foo_bar __proto__ $el _x \\u0041bc this.default x.class\n",
		"  /not a regex\n/* unterminated\n",
		"// c\n<!-- old\n#!/not/first\n",
		"s = 'it\\'s' + \"say \\\"hi\\\"\" + 'multi\nline'\n",
		"x = a\n/b/g.exec(y)\n",
		"#!/usr/bin/env node\nlet s = \"open\n",
		"a < b && c > d; s = '<&\"\\'>'\n\n\nlast",
	},
}

func TestAgreementCases(t *testing.T) {
	for name, cases := range agreementCases {
		for _, code := range cases {
			want := chromaTokens(t, name, code)
			got, fellBack := fastOrChroma(t, name, code)
			if fellBack {
				t.Logf("%s: handed to chroma: %q", name, code)
			}
			if d := firstDiff(code, want, got); d != "" {
				t.Errorf("%s %q:\n%s", name, code, d)
			}
			checkSpanLines(t, name, code)
		}
	}
}

// checkSpanLines checks the one-pass formatter against chroma's line
// splitting and formatLines.
func checkSpanLines(t testing.TB, name, code string) {
	t.Helper()
	spans, ok := fastLexers[name](code)
	if !ok {
		return
	}
	want := formatLines(chroma.SplitTokensIntoLines(tokens(code, spans)))
	got := spanLines(code, spans)
	if strings.Join(want, "\n") != strings.Join(got, "\n") || len(want) != len(got) {
		t.Errorf("%s %q: lines\n%q\nwant\n%q", name, code, got, want)
	}
}

// TestCharClasses checks the character classes of the scanners against
// the regular-expression engine chroma uses, for every code point.
func TestCharClasses(t *testing.T) {
	classes := []struct {
		re string
		f  func(rune) bool
	}{
		{`\s`, isSpace}, {`\w`, isWordChar}, {`\d`, isDigitRune}, {`\p{L}`, isLetter}, {`[\p{L}\p{N}]`, isLetterOrNumber},
	}
	for _, c := range classes {
		re := regexp2.MustCompile(`^` + c.re + `$`)
		for r := rune(0); r <= unicode.MaxRune; r++ {
			if 0xD800 <= r && r <= 0xDFFF {
				continue
			}
			want, _ := re.MatchRunes([]rune{r})
			if got := c.f(r); got != want {
				t.Errorf("%s: %U: scanner says %v, regexp2 %v", c.re, r, got, want)
				break
			}
		}
	}
}

// samples returns the showcase's code samples.
func samples(t *testing.T, ext string) []string {
	var out []string
	files, _ := filepath.Glob("../../content/samples/*/*" + ext)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	if len(out) == 0 {
		t.Fatal("no samples found")
	}
	return out
}

func TestFastLexersAreLossless(t *testing.T) {
	for name, lex := range fastLexers {
		ext := map[string]string{"JavaScript": ".mjs", "Python": ".py"}[name]
		for _, code := range append(samples(t, ext), "", "x", "`unterminated ${", "'''open", "f'{'", "/", "#!", "a\\\n") {
			spans, ok := lex(code)
			if !ok {
				continue
			}
			toks := tokens(code, spans)
			var b strings.Builder
			for _, tk := range toks {
				b.WriteString(tk.Value)
			}
			if b.String() != code {
				t.Errorf("%s lexer lost text:\n%q\n%q", name, code, b.String())
			}
		}
	}
}

func FuzzFastLexers(f *testing.F) {
	for _, cases := range agreementCases {
		for _, s := range cases {
			f.Add(s)
		}
	}
	for _, s := range []string{"const a = `x${`y${1}`}`;", "f'{a!r:{w}}' '''x'''", "/re/g / 2", "@d\ndef f(): pass", "0x 1e 2j .5 1__0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Lines hands the scanners code that ends in a newline.
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		for name := range fastLexers {
			want := chromaTokens(t, name, s)
			got, _ := fastOrChroma(t, name, s)
			if d := firstDiff(s, want, got); d != "" {
				t.Fatalf("%s %q:\n%s", name, s, d)
			}
			checkSpanLines(t, name, s)
		}
	})
}

func TestCacheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache", "highlight.bin")
	goCode := "package main\n\nfunc main() { println(`hi`) }"

	a := New()
	if err := a.OpenCache(path); err != nil {
		t.Fatal(err)
	}
	want, err := a.Lines(goCode, "go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{"fn main() {}", "rust"}, {"print('hi')", "python"}, {"let x = 1;", "js"}} {
		if _, err := a.Lines(c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	if len(a.cache) != 0 {
		t.Error("with a cache file, results are not held in memory")
	}
	if err := a.CloseCache(true); err != nil {
		t.Fatal(err)
	}

	b := New()
	if err := b.OpenCache(path); err != nil {
		t.Fatal(err)
	}
	// Go and Rust went through chroma and are cached; JavaScript and
	// Python have fast lexers, which are quicker than a cache read.
	if len(b.disk.index) != 2 {
		t.Fatalf("the cache file holds %d entries, want 2 (chroma's languages only)", len(b.disk.index))
	}
	got, _ := b.Lines(goCode, "golang")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cached lines differ:\n%q\n%q", got, want)
	}
	// Only what this build used is kept for the next one.
	if err := b.CloseCache(true); err != nil {
		t.Fatal(err)
	}
	c := New()
	if err := c.OpenCache(path); err != nil || len(c.disk.index) != 1 {
		t.Errorf("the rewritten cache has %v entries (%v), want the 1 used", c.disk, err)
	}
	// A failed build keeps the previous cache.
	if _, err := c.Lines("brand new", "rust"); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseCache(false); err != nil {
		t.Fatal(err)
	}
	d := New()
	if err := d.OpenCache(path); err != nil || len(d.disk.index) != 1 {
		t.Errorf("after a failed build the cache has %v entries (%v), want 1", d.disk, err)
	}
	d.CloseCache(false)
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the cache folder holds %d files; temporary files must be gone", len(entries))
	}

	if err := os.WriteFile(path, []byte("versus highlight cache 0\nxxxx"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := New()
	if err := e.OpenCache(path); err != ErrStaleCache {
		t.Errorf("an old cache must be reported stale and ignored: %v", err)
	}
	if _, err := e.Lines("x := 1", "go"); err != nil {
		t.Fatal(err)
	}
	e.CloseCache(true)
}
