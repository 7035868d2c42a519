package highlight

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// Highlighting is most of a build's work, and chroma's regular-expression
// lexers run at about 1 MB/s. The languages a comparison site shows most get
// hand-written scanners here instead. They are an optimisation only: each is
// the state machine of chroma's own lexer (lexers/embedded/python.xml and
// javascript.xml of the chroma version in go.mod), rule for rule and in the
// same order, and emits exactly the tokens chroma emits after its coalescing,
// including where chroma is wrong (a Python docstring is a plain string,
// 1.0e2 is a float and a name). Where matching chroma would take guessing
// (text that is not valid UTF-8, a lone carriage return, a JavaScript string
// that never closes, the one place chroma's docstring rule can match) a
// scanner gives up and the block goes to chroma.

// fastLexers maps chroma's lexer name to a hand-written scanner. A scanner
// returns false when the block must go to chroma instead.
var fastLexers = map[string]func(string) ([]span, bool){
	"JavaScript": lexJS,
	"Python":     lexPython,
}

// coalesceLimit is chroma.Coalesce's: a token of this many bytes or more
// takes no more of the same type.
const coalesceLimit = 8192

type span struct {
	t          chroma.TokenType
	start, end int
}

// scanner is the shared cursor of the hand-written lexers. Tokens are spans
// of src, coalesced as chroma.Coalesce does.
type scanner struct {
	src  string
	pos  int
	toks []span
}

// emit records src[start:end] as a token of type t, as one match of a
// chroma rule (or one group of it).
func (s *scanner) emit(t chroma.TokenType, start, end int) {
	if end <= start {
		return
	}
	if n := len(s.toks); n > 0 {
		p := &s.toks[n-1]
		if p.t == t && p.end-p.start < coalesceLimit && p.end == start {
			p.end = end
			return
		}
	}
	s.toks = append(s.toks, span{t, start, end})
}

// tok emits src[pos:end] and moves the cursor to end.
func (s *scanner) tok(t chroma.TokenType, end int) {
	s.emit(t, s.pos, end)
	s.pos = end
}

// errorRune emits the rune at the cursor as an Error token, which is what
// chroma does where no rule of the current state matches.
func (s *scanner) errorRune() {
	_, n := utf8.DecodeRuneInString(s.src[s.pos:])
	s.tok(chroma.Error, s.pos+n)
}

// tokens turns spans of src into chroma's tokens.
func tokens(src string, toks []span) []chroma.Token {
	out := make([]chroma.Token, len(toks))
	for i, t := range toks {
		out[i] = chroma.Token{Type: t.t, Value: src[t.start:t.end]}
	}
	return out
}

// spanLines is formatLines(chroma.SplitTokensIntoLines(tokens(src, toks)))
// in one pass: the HTML of each line.
func spanLines(src string, toks []span) []string {
	out := make([]string, 0, strings.Count(src, "\n")+1)
	var b strings.Builder
	b.Grow(len(src) * 2)
	mark := 0 // where the current line starts in b
	for _, t := range toks {
		cls := class(t.t)
		v := src[t.start:t.end]
		for {
			seg := v
			nl := strings.IndexByte(v, '\n')
			if nl >= 0 {
				seg = v[:nl]
			}
			if seg != "" {
				if cls != "" {
					b.WriteString(`<span class="`)
					b.WriteString(cls)
					b.WriteString(`">`)
				}
				writeEscaped(&b, seg)
				if cls != "" {
					b.WriteString("</span>")
				}
			}
			if nl < 0 {
				break
			}
			out = append(out, b.String()[mark:])
			mark = b.Len()
			v = v[nl+1:]
			if v == "" {
				break
			}
		}
	}
	if b.Len() > mark {
		out = append(out, b.String()[mark:])
	}
	return out
}

// writeEscaped writes s as html.EscapeString does.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// usable reports whether chroma would see the same text: it reads runes
// (invalid UTF-8 becomes U+FFFD) and turns a lone \r into \n.
func usable(src string) bool {
	return strings.IndexByte(src, '\r') < 0 && utf8.ValidString(src)
}

func at(src string, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

func runeAt(src string, i int) (rune, int) {
	if i >= len(src) {
		return -1, 0
	}
	if c := src[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(src[i:])
}

// The character classes of chroma's regular expressions (regexp2 without
// the ECMAScript option): \s is unicode.IsSpace, \w and \b use IsWordChar,
// \d is any decimal digit.

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

func isWordChar(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.In(r, unicode.L, unicode.Mn, unicode.Nd, unicode.Pc) || r == '\u200D' || r == '\u200C'
}

func isDigitRune(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isLetterOrNumber(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// spaces returns the end of the run of \s starting at i.
func spaces(src string, i int) int {
	for i < len(src) {
		r, n := runeAt(src, i)
		if !isSpace(r) {
			break
		}
		i += n
	}
	return i
}

// spacesNoNL returns the end of [^\S\n]+ starting at i.
func spacesNoNL(src string, i int) int {
	for i < len(src) {
		r, n := runeAt(src, i)
		if r == '\n' || !isSpace(r) {
			break
		}
		i += n
	}
	return i
}

// word returns the run of word characters at i: a keyword alternative
// followed by \b matches exactly when it equals this run.
func word(src string, i int) string {
	j := i
	for j < len(src) && asciiWord[src[j]] {
		j++
	}
	for j < len(src) && src[j] >= utf8.RuneSelf {
		r, n := runeAt(src, j)
		if !isWordChar(r) {
			break
		}
		j += n
		for j < len(src) && asciiWord[src[j]] {
			j++
		}
	}
	return src[i:j]
}

// asciiWord marks the ASCII word characters: letters, digits and _.
var asciiWord = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = isWordChar(rune(c))
	}
	return t
}()

// digits returns the end of \d+ at i, or i.
func digits(src string, i int) int {
	for i < len(src) {
		r, n := runeAt(src, i)
		if !isDigitRune(r) {
			break
		}
		i += n
	}
	return i
}

func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}
