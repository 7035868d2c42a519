package highlight

import (
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// The shortcut of Lexer for long words is exact only while no name or
// alias of chroma's is longer than maxLangName.
func TestLangNamesAreShort(t *testing.T) {
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		c := l.Config()
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if len(n) > maxLangName {
				t.Errorf("chroma's language %q is longer than maxLangName (%d)", n, maxLangName)
			}
		}
	}
}

func TestLexerLookup(t *testing.T) {
	for lang, want := range map[string]string{
		"js": "JavaScript", "Python": "Python", "PY": "Python", "python {linenos=true}": "Python",
		"go\tx": "Go", "main.rs": "Rust", "mermaid": "", "": "", strings.Repeat("x", 1000) + ".py": "",
	} {
		if got := Canonical(lang); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", lang, got, want)
		}
	}
	h := New()
	for range 3 {
		if _, err := h.Lines("x", "no-such-language"); err != nil {
			t.Fatal(err)
		}
	}
	if l, ok := h.lexers["no-such-language"]; !ok || l != nil {
		t.Errorf("a miss is remembered: %v %v", l, ok)
	}
}

// BenchmarkUnknownFenceLanguage shows the time of a block whose language
// is an unknown word of growing length (issue 18: it was 1.25 s per KB).
func BenchmarkUnknownFenceLanguage(b *testing.B) {
	for _, n := range []int{16, 1 << 10, 16 << 10, 256 << 10} {
		lang := strings.Repeat("x", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				h := New()
				if _, err := h.Lines("some code", lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSParens shows the time of a js block of n "(" (issue 18: 1M
// took 58 s): it must grow in proportion to n.
func BenchmarkJSParens(b *testing.B) {
	for _, n := range []int{1 << 10, 16 << 10, 256 << 10, 1 << 20} {
		code := strings.Repeat("(", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			h := New()
			h.Forget()
			for i := 0; i < b.N; i++ {
				if _, err := h.Lines(code, "js"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
