package highlight

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

type tok struct {
	class, text string
}

// classes runs a lexer and returns (CSS class, text) for each token,
// whitespace left out.
func classes(toks []chroma.Token) []tok {
	var out []tok
	for _, t := range toks {
		if strings.TrimSpace(t.Value) == "" {
			continue
		}
		out = append(out, tok{class(t.Type), strings.TrimSpace(t.Value)})
	}
	return out
}

func find(t *testing.T, toks []chroma.Token, text string) string {
	t.Helper()
	for _, tk := range classes(toks) {
		if tk.text == text {
			return tk.class
		}
	}
	t.Fatalf("no token %q in %v", text, classes(toks))
	return ""
}

func TestJSClasses(t *testing.T) {
	src := "import { readFile } from 'node:fs/promises';\n" +
		"// note\nconst re = /ab+c\\/[/]/gi, q = a / b / c;\n" +
		"async function load1(p) { return `x ${p + `in ${1}`} y`; }\n" +
		"let n = 0x1F + 1_000 + 3.5e3 + 10n; class A extends B { static #p = 1; }\n" +
		"if (x === null) throw new Error(\"bad\"); obj?.prop ?? console.log(typeof x, true);\n" +
		"const f = (a) => a * 2; /* done */ x = y++ / 2;\n"
	toks := lexJS(src)
	for text, want := range map[string]string{
		"import": "kr", "'node:fs/promises'": "s1", "// note": "c1", `/ab+c\/[/]/gi`: "sr",
		"async": "kr", "function": "kd", "load1": "nx", "return": "k", "`x": "sb", "${": "si",
		"0x1F": "mh", "1_000": "mi", "3.5e3": "mf", "10n": "mi", "#p": "nx", "class": "kr",
		"null": "kc", "===": "o", "Error": "nb", `"bad"`: "s2", "typeof": "k", "true": "kc",
		"=>": "p", "/* done */": "cm", "++": "o",
	} {
		if got := find(t, toks, text); got != want {
			t.Errorf("%q: class %q, want %q", text, got, want)
		}
	}
	// Division after an identifier or a closing bracket is not a regex.
	if strings.Contains(joinClass(toks, "sr"), "/ b /") {
		t.Error("a / b / c was read as a regular expression")
	}
}

func TestPythonClasses(t *testing.T) {
	src := "import asyncio\nfrom pathlib import Path\n# c\n@dataclass(frozen=True)\nclass Point(Base):\n" +
		"    \"\"\"Doc string.\"\"\"\n    x: int = 0\n\nasync def main(argv=None, *args, **kw):\n" +
		"    s = f\"v {x!r:>10} {{lit}} {d['k']}\" + r'\\d' + b\"b\" + 'it'\n" +
		"    n = 0x1F + 1_000 + 3.5e3 + 2j\n    if n is not None and not False:\n" +
		"        print(len(s), self.x, ValueError)\n    return await asyncio.gather(*tasks)\n" +
		"def __init__(self): pass\nm = a @ b // c ** 2\n"
	toks := lexPython(src)
	for text, want := range map[string]string{
		"import": "kn", "asyncio": "nn", "pathlib": "nn", "Path": "n", "# c": "c1", "@dataclass": "nd",
		"True": "kc", "class": "k", "Point": "nc", `"""Doc string."""`: "sd", "int": "nb",
		"def": "k", "main": "nf", "None": "kc", "f": "sa", "{": "si", "{{": "se", "!r:>10}": "si",
		`'k'`: "s1", "r": "sa", `'\d'`: "s1", "0x1F": "mh", "3.5e3": "mf", "2j": "mf",
		"is": "ow", "print": "nb", "self": "bp", "ValueError": "ne", "__init__": "fm", "@": "o", "//": "o", "**": "o",
	} {
		if got := find(t, toks, text); got != want {
			t.Errorf("%q: class %q, want %q", text, got, want)
		}
	}
}

func joinClass(toks []chroma.Token, cls string) string {
	var b strings.Builder
	for _, t := range toks {
		if class(t.Type) == cls {
			b.WriteString(t.Value)
		}
	}
	return b.String()
}

// corpus returns real code: the showcase's samples and, when present, the
// benchmark corpus's fenced blocks.
func corpus(t *testing.T, ext string) []string {
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
		for _, code := range append(corpus(t, ext), "", "x", "`unterminated ${", "'''open", "f'{'", "/", "#!", "a\\\n") {
			var b strings.Builder
			for _, tk := range lex(code) {
				b.WriteString(tk.Value)
			}
			if b.String() != code {
				t.Errorf("%s lexer lost text:\n%q\n%q", name, code, b.String())
			}
		}
	}
}

// TestAgreesWithChroma measures, over real code, how many characters get
// the same CSS class from the fast lexer as from chroma's own lexer. The
// fast lexers may differ where chroma is wrong (3.5e3 split in two, a
// private #field shown as an error), but not much elsewhere.
func TestAgreesWithChroma(t *testing.T) {
	for name, lex := range fastLexers {
		ext := map[string]string{"JavaScript": ".mjs", "Python": ".py"}[name]
		same, total := 0, 0
		for _, code := range corpus(t, ext) {
			it, err := chroma.Coalesce(lexers.Get(name)).Tokenise(nil, code)
			if err != nil {
				t.Fatal(err)
			}
			a, b := perChar(it.Tokens()), perChar(lex(code))
			for i := range a {
				if code[i] == ' ' || code[i] == '\n' {
					continue
				}
				total++
				if a[i] == b[i] {
					same++
				}
			}
		}
		ratio := float64(same) / float64(total)
		t.Logf("%s: %.1f%% of %d characters classed as chroma classes them", name, 100*ratio, total)
		if ratio < 0.97 {
			t.Errorf("%s: only %.1f%% agreement with chroma", name, 100*ratio)
		}
	}
}

func perChar(toks []chroma.Token) []string {
	var out []string
	for _, t := range toks {
		c := class(t.Type)
		for range len(t.Value) {
			out = append(out, c)
		}
	}
	return out
}

func FuzzFastLexers(f *testing.F) {
	for _, s := range []string{"const a = `x${`y${1}`}`;", "f'{a!r:{w}}' '''x'''", "/re/g / 2", "@d\ndef f(): pass", "0x 1e 2j .5 1__0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, lex := range fastLexers {
			var b strings.Builder
			for _, tk := range lex(s) {
				b.WriteString(tk.Value)
			}
			if b.String() != s {
				t.Fatalf("%s lexer lost text: %q → %q", name, s, b.String())
			}
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
