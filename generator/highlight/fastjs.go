package highlight

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// The JavaScript scanner: the states of chroma's javascript.xml (which
// reads "." as any character, newlines included).

type jsState uint8

const (
	jsRoot         jsState = iota
	jsSlash                // slashstartsregex
	jsBadRegex             // badregex
	jsInterp               // interp: template literal text
	jsInterpInside         // interp-inside: a ${ } substitution
)

var (
	jsKeywords  = wordSet("for in while do break return continue switch case default if else throw try catch finally new delete typeof instanceof void yield this of")
	jsDecl      = wordSet("var let with function")
	jsReserved  = wordSet("abstract async await boolean byte char class const debugger double enum export extends final float goto implements import int interface long native package private protected public short static super synchronized throws transient using volatile")
	jsConstants = wordSet("true false null NaN Infinity undefined")
	jsBuiltins  = wordSet("Array Boolean Date Error Function Math netscape Number Object Packages RegExp String Promise Proxy sun decodeURI decodeURIComponent encodeURI encodeURIComponent eval isFinite isNaN isSafeInteger parseFloat parseInt document this window")
)

type jsLexer struct {
	scanner
	stack  []jsState
	giveUp bool
}

// lexJS scans JavaScript as chroma's JavaScript lexer does.
func lexJS(src string) ([]span, bool) {
	if !usable(src) {
		return nil, false
	}
	l := &jsLexer{scanner: scanner{src: src, toks: make([]span, 0, len(src)/4)}}
	l.stack = append(l.stack, jsRoot)
	for l.pos < len(src) && len(l.stack) > 0 {
		st := l.stack[len(l.stack)-1]
		ok := true
		switch st {
		case jsRoot:
			ok = l.root(false)
		case jsInterpInside:
			ok = l.root(true)
		case jsSlash:
			ok = l.slash()
		case jsBadRegex:
			if l.src[l.pos] == '\n' {
				l.tok(chroma.Text, l.pos+1)
				l.pop()
			} else {
				ok = false
			}
		case jsInterp:
			ok = l.interp()
		}
		if !ok {
			if src[l.pos] == '\n' && st != jsRoot {
				l.stack = l.stack[:1]
				continue
			}
			l.errorRune()
		}
		if l.giveUp {
			return nil, false
		}
	}
	if l.pos < len(src) {
		// chroma would emit the rest as one Error token; no rule of this
		// lexer empties the stack, so this does not happen.
		return nil, false
	}
	return l.toks, true
}

func (l *jsLexer) push(s jsState) { l.stack = append(l.stack, s) }
func (l *jsLexer) pop()           { l.stack = l.stack[:len(l.stack)-1] }

// commentsAndWhitespace is the state of that name.
func (l *jsLexer) commentsAndWhitespace() bool {
	src, pos := l.src, l.pos
	if e := spaces(src, pos); e > pos {
		l.tok(chroma.Text, e)
		return true
	}
	switch src[pos] {
	case '<':
		if strings.HasPrefix(src[pos:], "<!--") {
			l.tok(chroma.Comment, pos+4)
			return true
		}
	case '/':
		switch at(src, pos+1) {
		case '/':
			if k := strings.IndexByte(src[pos+2:], '\n'); k >= 0 {
				l.tok(chroma.CommentSingle, pos+2+k+1)
				return true
			}
		case '*':
			if k := strings.Index(src[pos+2:], "*/"); k >= 0 {
				l.tok(chroma.CommentMultiline, pos+2+k+2)
				return true
			}
		}
	}
	return false
}

func (l *jsLexer) slash() bool {
	if l.commentsAndWhitespace() {
		return true
	}
	if e := jsRegex(l.src, l.pos); e > 0 {
		l.tok(chroma.LiteralStringRegex, e)
		l.pop()
		return true
	}
	l.pop()
	if l.src[l.pos] == '/' {
		l.push(jsBadRegex)
	}
	return true
}

// jsRegex matches
// /(\\.|[^[/\\\n]|\[(\\.|[^\]\\\n])*])+/([gimuy]+\b|\B)
// at i and returns its end, or 0.
func jsRegex(src string, i int) int {
	if at(src, i) != '/' {
		return 0
	}
	j := i + 1
	for {
		if j >= len(src) {
			return 0
		}
		c := src[j]
		switch c {
		case '\\':
			_, n := runeAt(src, j+1)
			if n == 0 {
				return 0
			}
			j += 1 + n
			continue
		case '\n':
			return 0
		case '[':
			j++
			for {
				if j >= len(src) {
					return 0
				}
				d := src[j]
				if d == '\\' {
					_, n := runeAt(src, j+1)
					if n == 0 {
						return 0
					}
					j += 1 + n
					continue
				}
				if d == '\n' {
					return 0
				}
				j++
				if d == ']' {
					break
				}
			}
			continue
		case '/':
			if j == i+1 {
				return 0
			}
			j++
			k := j
			for strings.IndexByte("gimuy", at(src, k)) >= 0 && k < len(src) {
				k++
			}
			r, _ := runeAt(src, k)
			wordAfter := r >= 0 && isWordChar(r)
			if k > j {
				// [gimuy]+\b: the flags end before a non-word character.
				if !wordAfter {
					return k
				}
				return 0
			}
			// \B after "/": the next character is not a word character.
			if !wordAfter {
				return j
			}
			return 0
		}
		j++
	}
}

func (l *jsLexer) root(inside bool) bool {
	src, pos := l.src, l.pos
	c := src[pos]
	if inside && c == '}' {
		l.tok(chroma.LiteralStringInterpol, pos+1)
		l.pop()
		return true
	}
	if pos == 0 && strings.HasPrefix(src, "#!") {
		j := 2
		if at(src, j) == ' ' {
			j++
		}
		if at(src, j) == '/' {
			if k := strings.IndexByte(src[j:], '\n'); k >= 0 {
				l.tok(chroma.CommentHashbang, j+k+1)
				return true
			}
		}
	}
	if pos == 0 || src[pos-1] == '\n' {
		if r, _ := runeAt(src, pos); isSpace(r) || c == '/' || strings.HasPrefix(src[pos:], "<!--") {
			l.push(jsSlash)
			return true
		}
	}
	if l.commentsAndWhitespace() {
		return true
	}
	if l.number() {
		return true
	}
	switch c {
	case '.':
		if strings.HasPrefix(src[pos:], "...") {
			l.tok(chroma.Punctuation, pos+3)
			return true
		}
	case '=':
		if at(src, pos+1) == '>' {
			l.tok(chroma.Punctuation, pos+2)
			return true
		}
	}
	if e := jsOperator(src, pos); e > 0 {
		l.tok(chroma.Operator, e)
		l.push(jsSlash)
		return true
	}
	switch c {
	case '{', '(', '[', ';', ',':
		l.tok(chroma.Punctuation, pos+1)
		l.push(jsSlash)
		return true
	case '}', ')', ']', '.':
		l.tok(chroma.Punctuation, pos+1)
		return true
	}
	if w := word(src, pos); w != "" {
		end := pos + len(w)
		switch {
		case jsKeywords[w]:
			l.tok(chroma.Keyword, end)
			l.push(jsSlash)
			return true
		case jsDecl[w]:
			l.tok(chroma.KeywordDeclaration, end)
			l.push(jsSlash)
			return true
		case jsReserved[w]:
			l.tok(chroma.KeywordReserved, end)
			return true
		case jsConstants[w]:
			l.tok(chroma.KeywordConstant, end)
			return true
		case jsBuiltins[w]:
			l.tok(chroma.NameBuiltin, end)
			return true
		}
	}
	if e := jsName(src, pos); e > pos {
		l.tok(chroma.NameOther, e)
		return true
	}
	switch c {
	case '"', '\'':
		e := jsString(src, pos)
		if e < 0 {
			l.giveUp = true
			return true
		}
		if e > 0 {
			t := chroma.LiteralStringDouble
			if c == '\'' {
				t = chroma.LiteralStringSingle
			}
			l.tok(t, e)
			return true
		}
	case '`':
		l.tok(chroma.LiteralStringBacktick, pos+1)
		l.push(jsInterp)
		return true
	}
	return false
}

// jsString matches "(\\\\|\\"|[^"])*" (or the same with ') at i and
// returns its end; 0 when it does not match and -1 when matching it
// would take the regular expression's backtracking.
func jsString(src string, i int) int {
	q := src[i]
	j := i + 1
	for j < len(src) {
		switch src[j] {
		case '\\':
			if c := at(src, j+1); c == '\\' || c == q {
				j += 2
				continue
			}
		case q:
			return j + 1
		}
		j++
	}
	if strings.IndexByte(src[i+1:], q) < 0 {
		return 0
	}
	return -1
}

// jsName matches
// (?:[$_\p{L}\p{N}]|\\u[a-fA-F0-9]{4})(?:(?:[$\p{L}\p{N}]|\\u[a-fA-F0-9]{4}))*
// at i and returns its end, or i.
func jsName(src string, i int) int {
	first := true
	for i < len(src) {
		r, n := runeAt(src, i)
		switch {
		case r == '$' || first && r == '_' || isLetterOrNumber(r):
			i += n
		case r == '\\' && at(src, i+1) == 'u' && isHex4(src, i+2):
			i += 6
		default:
			return i
		}
		first = false
	}
	return i
}

func isHex4(src string, i int) bool {
	if i+4 > len(src) {
		return false
	}
	for k := i; k < i+4; k++ {
		h := src[k]
		if !('0' <= h && h <= '9' || 'a' <= h|0x20 && h|0x20 <= 'f') {
			return false
		}
	}
	return true
}

// jsOperator matches
// \+\+|--|~|&&|\?|:|\|\||\\(?=\n)|(<<|>>>?|==?|!=?|[-<>+*%&|^/])=?
// at i and returns its end, or 0.
func jsOperator(src string, i int) int {
	c, n := src[i], at(src, i+1)
	switch {
	case c == '+' && n == '+', c == '-' && n == '-', c == '&' && n == '&', c == '|' && n == '|':
		return i + 2
	case c == '~', c == '?', c == ':':
		return i + 1
	case c == '\\':
		if n == '\n' {
			return i + 1
		}
		return 0
	}
	j := i
	switch {
	case c == '<' && n == '<':
		j = i + 2
	case c == '>' && n == '>':
		j = i + 2
		if at(src, j) == '>' {
			j++
		}
	case c == '=' || c == '!':
		j = i + 1
		if n == '=' {
			j++
		}
	case strings.IndexByte("-<>+*%&|^/", c) >= 0:
		j = i + 1
	default:
		return 0
	}
	if at(src, j) == '=' {
		j++
	}
	return j
}

// number matches the number rules of "root".
func (l *jsLexer) number() bool {
	src, pos := l.src, l.pos
	if e := digits(src, pos); e > pos {
		// \d+(\.\d*|[eE][+\-]?\d+)
		if at(src, e) == '.' {
			l.tok(chroma.LiteralNumberFloat, digits(src, e+1))
			return true
		}
		if at(src, e)|0x20 == 'e' {
			j := e + 1
			if c := at(src, j); c == '+' || c == '-' {
				j++
			}
			if k := digits(src, j); k > j {
				l.tok(chroma.LiteralNumberFloat, k)
				return true
			}
		}
	}
	c := src[pos]
	if c < '0' || c > '9' {
		return false
	}
	if c == '0' {
		var ok func(byte) bool
		var t chroma.TokenType
		switch at(src, pos+1) {
		case 'b', 'B':
			ok, t = func(c byte) bool { return c == '0' || c == '1' }, chroma.LiteralNumberBin
		case 'o', 'O':
			ok, t = func(c byte) bool { return '0' <= c && c <= '7' }, chroma.LiteralNumberOct
		case 'x', 'X':
			ok, t = func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }, chroma.LiteralNumberHex
		}
		if ok != nil {
			i := pos + 2
			for i < len(src) && ok(src[i]) {
				i++
			}
			if i > pos+2 {
				l.tok(t, i)
				return true
			}
		}
	}
	i := pos + 1
	for i < len(src) && ('0' <= src[i] && src[i] <= '9' || src[i] == '_') {
		i++
	}
	l.tok(chroma.LiteralNumberInteger, i)
	return true
}

func (l *jsLexer) interp() bool {
	src, pos := l.src, l.pos
	switch src[pos] {
	case '`':
		l.tok(chroma.LiteralStringBacktick, pos+1)
		l.pop()
		return true
	case '\\':
		_, n := runeAt(src, pos+1)
		if n == 0 {
			return false
		}
		l.tok(chroma.LiteralStringBacktick, pos+1+n)
		return true
	case '$':
		if at(src, pos+1) == '{' {
			l.tok(chroma.LiteralStringInterpol, pos+2)
			l.push(jsInterpInside)
			return true
		}
		l.tok(chroma.LiteralStringBacktick, pos+1)
		return true
	}
	l.tok(chroma.LiteralStringBacktick, strRun(src, pos, "`\\$"))
	return true
}
