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
var fastLexers = map[string]func(string) ([]chroma.Token, bool){
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

func (s *scanner) tokens() []chroma.Token {
	out := make([]chroma.Token, len(s.toks))
	for i, t := range s.toks {
		out[i] = chroma.Token{Type: t.t, Value: s.src[t.start:t.end]}
	}
	return out
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
	for j < len(src) {
		r, n := runeAt(src, j)
		if !isWordChar(r) {
			break
		}
		j += n
	}
	return src[i:j]
}

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
