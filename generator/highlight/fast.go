package highlight

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// Highlighting is most of a build's work, and chroma's regular-expression
// lexers run at about 1 MB/s. The languages a comparison site shows most get
// hand-written scanners here instead: one pass, no backtracking, emitting
// chroma's token types so chroma's styles apply unchanged. Anything else
// still goes through chroma.

// fastLexers maps chroma's lexer name to a hand-written scanner.
var fastLexers = map[string]func(string) []chroma.Token{
	"JavaScript": lexJS,
	"Python":     lexPython,
}

// scanner is the shared cursor of the hand-written lexers.
type scanner struct {
	src  string
	pos  int
	toks []chroma.Token
}

func (s *scanner) emit(t chroma.TokenType, end int) {
	if end <= s.pos {
		return
	}
	v := s.src[s.pos:end]
	s.pos = end
	if n := len(s.toks); n > 0 && s.toks[n-1].Type == t {
		s.toks[n-1].Value += v
		return
	}
	s.toks = append(s.toks, chroma.Token{Type: t, Value: v})
}

// hashbang emits a "#!" first line as a comment.
func (s *scanner) hashbang() {
	if strings.HasPrefix(s.src, "#!") {
		end := strings.IndexByte(s.src, '\n')
		if end < 0 {
			end = len(s.src)
		}
		s.emit(chroma.CommentHashbang, end)
	}
}

func (s *scanner) peek(off int) byte {
	if s.pos+off < len(s.src) {
		return s.src[s.pos+off]
	}
	return 0
}

// spaceEnd returns the end of the whitespace starting at i.
func (s *scanner) spaceEnd(i int) int {
	for i < len(s.src) {
		c := s.src[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s.src[i:])
			if unicode.IsSpace(r) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// identEnd returns the end of an identifier starting at i (letters, digits,
// _ and extra, in any script).
func identEnd(src string, i int, extra byte) int {
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if c == '_' || c == extra || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			break
		}
		i += n
	}
	return i
}

func isIdentStart(src string, i int, extra byte) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == extra || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return unicode.IsLetter(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number scans a numeric literal at i: 0x/0o/0b prefixes, digits with _
// separators, a fraction, an exponent, and the given suffixes.
func number(src string, i int, suffixes string) (end int, t chroma.TokenType) {
	t = chroma.LiteralNumberInteger
	digits := func(j int, ok func(byte) bool) int {
		for j < len(src) && (ok(src[j]) || src[j] == '_') {
			j++
		}
		return j
	}
	if src[i] == '0' && i+1 < len(src) {
		switch src[i+1] | 0x20 {
		case 'x':
			end = digits(i+2, func(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' })
			t = chroma.LiteralNumberHex
		case 'o':
			end = digits(i+2, func(c byte) bool { return '0' <= c && c <= '7' })
			t = chroma.LiteralNumberOct
		case 'b':
			end = digits(i+2, func(c byte) bool { return c == '0' || c == '1' })
			t = chroma.LiteralNumberBin
		}
		if end > i+2 {
			if end < len(src) && strings.IndexByte(suffixes, src[end]) >= 0 {
				end++
			}
			return end, t
		}
	}
	end = digits(i, isDigit)
	if end < len(src) && src[end] == '.' && (end+1 >= len(src) || src[end+1] != '.') {
		end = digits(end+1, isDigit)
		t = chroma.LiteralNumberFloat
	}
	if end < len(src) && src[end]|0x20 == 'e' {
		j := end + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			end = digits(j, isDigit)
			t = chroma.LiteralNumberFloat
		}
	}
	if end < len(src) && strings.IndexByte(suffixes, src[end]) >= 0 {
		end++
	}
	return end, t
}

// quoted returns the end of a string literal opened by quote at i (the
// index after the opening quote), honouring backslash escapes unless raw;
// a single-quoted string also ends at a line break.
func quoted(src string, i int, quote string, raw bool) int {
	multi := len(quote) == 3
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\\' && !raw:
			i += 2
			continue
		case c == '\\' && raw:
			// A raw string still cannot end with an escaped quote.
			i += 2
			continue
		case c == '\n' && !multi:
			return i
		case c == quote[0] && strings.HasPrefix(src[i:], quote):
			return i + len(quote)
		}
		i++
	}
	return len(src)
}

func words(t chroma.TokenType, m map[string]chroma.TokenType, list string) {
	for _, w := range strings.Fields(list) {
		m[w] = t
	}
}

var jsWords = func() map[string]chroma.TokenType {
	m := map[string]chroma.TokenType{}
	words(chroma.Keyword, m, "for in while do break return continue switch case default if else throw try catch finally new delete typeof instanceof void yield this of")
	words(chroma.KeywordDeclaration, m, "var let with function")
	words(chroma.KeywordReserved, m, "abstract async await boolean byte char class const debugger double enum export extends final float goto implements import int interface long native package private protected public short static super synchronized throws transient using volatile")
	words(chroma.KeywordConstant, m, "true false null NaN Infinity undefined")
	words(chroma.NameBuiltin, m, "Array Boolean Date Error Function Math Number Object RegExp String Promise Proxy decodeURI decodeURIComponent encodeURI encodeURIComponent eval isFinite isNaN isSafeInteger parseFloat parseInt document window")
	return m
}()

// jsRegexAfter are the keywords after which a slash starts a regular
// expression rather than a division.
var jsRegexAfter = map[string]bool{"return": true, "typeof": true, "instanceof": true, "in": true, "of": true, "new": true, "delete": true, "void": true, "throw": true, "case": true, "do": true, "else": true, "yield": true, "await": true}

// lexJS scans JavaScript (and the JavaScript of TypeScript-free Node code).
func lexJS(src string) []chroma.Token {
	s := &scanner{src: src, toks: make([]chroma.Token, 0, len(src)/3)}
	regexOK := true
	// Template literals nest: each entry is the brace depth at which the
	// ${ … } of an enclosing template closes.
	var tmpl []int
	depth := 0
	s.hashbang()
	for s.pos < len(src) {
		c := src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			s.emit(chroma.Text, s.spaceEnd(s.pos))
		case c == '/' && s.peek(1) == '/':
			end := strings.IndexByte(src[s.pos:], '\n')
			if end < 0 {
				end = len(src) - s.pos
			}
			s.emit(chroma.CommentSingle, s.pos+end)
		case c == '/' && s.peek(1) == '*':
			end := strings.Index(src[s.pos+2:], "*/")
			if end < 0 {
				s.emit(chroma.CommentMultiline, len(src))
			} else {
				s.emit(chroma.CommentMultiline, s.pos+2+end+2)
			}
		case c == '/' && regexOK:
			end, ok := jsRegex(src, s.pos)
			if ok {
				s.emit(chroma.LiteralStringRegex, end)
				regexOK = false
			} else {
				s.emit(chroma.Operator, s.pos+1)
				regexOK = true
			}
		case c == '"' || c == '\'':
			t := chroma.LiteralStringDouble
			if c == '\'' {
				t = chroma.LiteralStringSingle
			}
			s.emit(t, quoted(src, s.pos+1, string(c), false))
			regexOK = false
		case c == '`':
			s.emit(chroma.LiteralStringBacktick, s.pos+1)
			if jsTemplate(s) {
				tmpl = append(tmpl, depth)
				depth++
				regexOK = true
			} else {
				regexOK = false
			}
		case c == '}' && len(tmpl) > 0 && depth-1 == tmpl[len(tmpl)-1]:
			tmpl = tmpl[:len(tmpl)-1]
			depth--
			s.emit(chroma.LiteralStringInterpol, s.pos+1)
			if jsTemplate(s) {
				tmpl = append(tmpl, depth)
				depth++
				regexOK = true
			} else {
				regexOK = false
			}
		case isDigit(c) || c == '.' && isDigit(s.peek(1)):
			end, t := number(src, s.pos, "n")
			s.emit(t, end)
			regexOK = false
		case c == '#' && s.pos+1 < len(src) && isIdentStart(src, s.pos+1, '$'):
			s.emit(chroma.NameOther, identEnd(src, s.pos+1, '$'))
			regexOK = false
		case isIdentStart(src, s.pos, '$'):
			end := identEnd(src, s.pos, '$')
			w := src[s.pos:end]
			t, ok := jsWords[w]
			if !ok || (s.pos > 0 && src[s.pos-1] == '.' && t != chroma.Keyword) {
				t = chroma.NameOther
			}
			s.emit(t, end)
			regexOK = t != chroma.NameOther && t != chroma.KeywordConstant && w != "this" && w != "super" || jsRegexAfter[w]
		default:
			end, t := jsPunct(src, s.pos)
			op := src[s.pos:end]
			switch c {
			case '{', '(', '[':
				depth++
			case '}', ')', ']':
				depth--
			}
			s.emit(t, end)
			// After a closing bracket or a postfix operator a slash divides;
			// after any other punctuation it starts a regular expression.
			regexOK = !(op == ")" || op == "]" || op == "}" || op == "++" || op == "--")
		}
	}
	return s.toks
}

// jsTemplate scans template literal text after "`" or the "}" closing a
// substitution. It returns true when it stopped at "${" (a substitution
// opens) and false when the template ended.
func jsTemplate(s *scanner) bool {
	src := s.src
	i := s.pos
	for i < len(src) {
		switch src[i] {
		case '\\':
			i += 2
			continue
		case '`':
			s.emit(chroma.LiteralStringBacktick, i+1)
			return false
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				s.emit(chroma.LiteralStringBacktick, i)
				s.emit(chroma.LiteralStringInterpol, i+2)
				return true
			}
		}
		i++
	}
	s.emit(chroma.LiteralStringBacktick, len(src))
	return false
}

// jsRegex scans a regular expression literal starting at the "/" at i.
func jsRegex(src string, i int) (int, bool) {
	j := i + 1
	class := false
	for j < len(src) {
		switch src[j] {
		case '\\':
			j += 2
			continue
		case '\n':
			return 0, false
		case '[':
			class = true
		case ']':
			class = false
		case '/':
			if !class {
				j++
				for j < len(src) && ('a' <= src[j] && src[j] <= 'z') {
					j++
				}
				return j, j > i+2 || src[i+1] != '/'
			}
		}
		j++
	}
	return 0, false
}

var jsOps = []string{">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>"}

func jsPunct(src string, i int) (int, chroma.TokenType) {
	for _, op := range jsOps {
		if strings.HasPrefix(src[i:], op) {
			if op == "..." || op == "=>" {
				return i + len(op), chroma.Punctuation
			}
			return i + len(op), chroma.Operator
		}
	}
	c := src[i]
	switch c {
	case '{', '(', '[', ';', ',', '}', ')', ']', '.':
		return i + 1, chroma.Punctuation
	case '+', '-', '*', '/', '%', '=', '<', '>', '!', '~', '?', ':', '&', '|', '^':
		return i + 1, chroma.Operator
	}
	if c >= utf8.RuneSelf {
		_, n := utf8.DecodeRuneInString(src[i:])
		return i + n, chroma.Text
	}
	return i + 1, chroma.Text
}

var pyWords = func() map[string]chroma.TokenType {
	m := map[string]chroma.TokenType{}
	words(chroma.Keyword, m, "nonlocal continue finally except lambda assert global return raise yield while break await async pass else elif with try for del as if match case def class")
	words(chroma.KeywordNamespace, m, "from import")
	words(chroma.NameFunctionMagic, m, "__instancecheck__ __subclasscheck__ __getattribute__ __length_hint__ __rfloordiv__ __ifloordiv__ __itruediv__ __contains__ __floordiv__ __rtruediv__ __reversed__ __setitem__ __complex__ __rdivmod__ __delattr__ __rmatmul__ __ilshift__ __prepare__ __delitem__ __rrshift__ __imatmul__ __rlshift__ __setattr__ __truediv__ __getitem__ __missing__ __getattr__ __irshift__ __rshift__ __format__ __invert__ __matmul__ __divmod__ __delete__ __aenter__ __lshift__ __await__ __bytes__ __anext__ __aiter__ __aexit__ __round__ __float__ __enter__ __index__ __iadd__ __ipow__ __rpow__ __iter__ __init__ __ixor__ __rmul__ __rmod__ __imul__ __imod__ __iand__ __hash__ __rsub__ __exit__ __rxor__ __bool__ __call__ __rand__ __next__ __radd__ __isub__ __repr__ __set__ __add__ __new__ __neg__ __xor__ __and__ __mul__ __mod__ __sub__ __len__ __str__ __ror__ __ior__ __pos__ __del__ __get__ __dir__ __abs__ __int__ __pow__ __eq__ __gt__ __le__ __lt__ __ne__ __or__ __ge__ __post_init__ __init_subclass__ __class_getitem__")
	words(chroma.NameVariableMagic, m, "__annotations__ __kwdefaults__ __qualname__ __objclass__ __defaults__ __closure__ __globals__ __weakref__ __module__ __class__ __bases__ __slots__ __file__ __code__ __name__ __func__ __dict__ __self__ __mro__ __doc__")
	words(chroma.OperatorWord, m, "in is and or not")
	words(chroma.KeywordConstant, m, "False True None")
	words(chroma.NameBuiltin, m, "staticmethod classmethod memoryview __import__ issubclass isinstance frozenset bytearray enumerate reversed property compile complex delattr hasattr setattr globals getattr divmod filter locals format object sorted slice print bytes range input tuple round super float eval list dict repr type vars hash next bool open iter oct pow min zip max map bin len set any dir all abs str sum chr int hex ord id aiter anext breakpoint callable exec help")
	words(chroma.NameBuiltinPseudo, m, "self Ellipsis NotImplemented cls")
	words(chroma.NameException, m, "PendingDeprecationWarning ConnectionAbortedError ConnectionRefusedError UnicodeTranslateError ConnectionResetError ModuleNotFoundError NotImplementedError FloatingPointError StopAsyncIteration UnicodeDecodeError DeprecationWarning UnicodeEncodeError NotADirectoryError ProcessLookupError ZeroDivisionError IsADirectoryError FileNotFoundError UnboundLocalError KeyboardInterrupt ChildProcessError EnvironmentError IndentationError InterruptedError BlockingIOError ArithmeticError ConnectionError BrokenPipeError FileExistsError ResourceWarning PermissionError RuntimeWarning ReferenceError AttributeError AssertionError UnicodeWarning RecursionError StopIteration BaseException OverflowError SyntaxWarning FutureWarning GeneratorExit ImportWarning UnicodeError TimeoutError RuntimeError BytesWarning SystemError UserWarning MemoryError ImportError LookupError BufferError SyntaxError SystemExit ValueError IndexError NameError Exception TypeError TabError EOFError KeyError Warning OSError IOError ExceptionGroup BaseExceptionGroup EncodingWarning")
	return m
}()

// lexPython scans Python 3.
func lexPython(src string) []chroma.Token {
	s := &scanner{src: src, toks: make([]chroma.Token, 0, len(src)/3)}
	lineStart := true // only whitespace so far on this line
	var after string  // the keyword that names what follows: def, class, import, from
	s.hashbang()
	for s.pos < len(src) {
		c := src[s.pos]
		start := lineStart
		lineStart = false
		switch {
		case c == '\n':
			s.emit(chroma.Text, s.pos+1)
			lineStart = true
			if after == "from" || after == "import" {
				after = ""
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			end := s.pos
			for end < len(src) && (src[end] == ' ' || src[end] == '\t' || src[end] == '\r' || src[end] == '\f') {
				end++
			}
			s.emit(chroma.Text, end)
			lineStart = start
		case c == '\\' && s.peek(1) == '\n':
			s.emit(chroma.Text, s.pos+2)
		case c == '#':
			end := strings.IndexByte(src[s.pos:], '\n')
			if end < 0 {
				end = len(src) - s.pos
			}
			s.emit(chroma.CommentSingle, s.pos+end)
		case c == '@' && start && s.pos+1 < len(src) && isIdentStart(src, s.pos+1, 0):
			end := identEnd(src, s.pos+1, 0)
			for end+1 < len(src) && src[end] == '.' && isIdentStart(src, end+1, 0) {
				end = identEnd(src, end+1, 0)
			}
			s.emit(chroma.NameDecorator, end)
		case isDigit(c) || c == '.' && isDigit(s.peek(1)):
			end, t := number(src, s.pos, "jJ")
			if src[end-1]|0x20 == 'j' {
				t = chroma.LiteralNumberFloat
			}
			s.emit(t, end)
		case c == '"' || c == '\'':
			pyString(s, s.pos, start)
		case isIdentStart(src, s.pos, 0):
			end := identEnd(src, s.pos, 0)
			w := src[s.pos:end]
			if end < len(src) && (src[end] == '"' || src[end] == '\'') && len(w) <= 2 && strings.Trim(strings.ToLower(w), "rbuf") == "" {
				pyString(s, end, start)
				continue
			}
			dotted := s.pos > 0 && src[s.pos-1] == '.'
			t, ok := pyWords[w]
			switch {
			case after == "def":
				t, after = chroma.NameFunction, ""
				if pyWords[w] == chroma.NameFunctionMagic {
					t = chroma.NameFunctionMagic
				}
			case after == "class":
				t, after = chroma.NameClass, ""
			case (after == "from" || after == "import") && w != "import" && w != "as":
				t = chroma.NameNamespace
				if after == "import" && w != "*" && hasWordBefore(s, "from") {
					t = chroma.Name
				}
			case t == chroma.NameFunctionMagic || t == chroma.NameVariableMagic:
			case !ok || dotted && t != chroma.Keyword && t != chroma.OperatorWord && t != chroma.KeywordConstant:
				t = chroma.Name
			}
			switch w {
			case "def", "class", "from", "import":
				if !dotted {
					after = w
				}
			}
			s.emit(t, end)
		default:
			end := s.pos + 1
			t := chroma.Operator
			switch c {
			case '[', ']', '{', '}', ':', '(', ')', ',', ';':
				t = chroma.Punctuation
				if c == ':' && s.peek(1) == '=' {
					t, end = chroma.Operator, end+1
				}
			case '-':
				if s.peek(1) == '>' {
					end++
				}
			case '.':
				if after == "from" || after == "import" {
					t = chroma.NameNamespace
				}
			case '!', '=', '<', '>', '~', '+', '/', '*', '%', '&', '^', '|', '@':
				for end < len(src) && strings.IndexByte("=<>/*", src[end]) >= 0 && end-s.pos < 3 {
					end++
				}
			default:
				t = chroma.Text
				if c >= utf8.RuneSelf {
					_, n := utf8.DecodeRuneInString(src[s.pos:])
					end = s.pos + n
				}
			}
			s.emit(t, end)
		}
	}
	return s.toks
}

// hasWordBefore reports whether word occurs earlier on the current line.
func hasWordBefore(s *scanner, word string) bool {
	ls := strings.LastIndexByte(s.src[:s.pos], '\n') + 1
	return strings.HasPrefix(strings.TrimLeft(s.src[ls:s.pos], " \t"), word+" ")
}

// pyString scans a string whose prefix starts at s.pos and whose quote is
// at q. A triple-quoted string that starts a statement is a docstring.
func pyString(s *scanner, q int, statement bool) {
	src := s.src
	prefix := strings.ToLower(src[s.pos:q])
	raw := strings.Contains(prefix, "r")
	f := strings.Contains(prefix, "f")
	quote := src[q : q+1]
	if strings.HasPrefix(src[q:], quote+quote+quote) {
		quote = quote + quote + quote
	}
	t := chroma.LiteralStringDouble
	if quote[0] == '\'' {
		t = chroma.LiteralStringSingle
	}
	if len(quote) == 3 && statement && prefix == "" {
		t = chroma.LiteralStringDoc
	}
	s.emit(chroma.LiteralStringAffix, q)
	if !f {
		end := quoted(src, q+len(quote), quote, raw)
		if raw || t == chroma.LiteralStringDoc {
			s.emit(t, end)
			return
		}
		// Escapes stand out inside ordinary strings.
		for i := q + len(quote); i < end-1; i++ {
			if src[i] == '\\' {
				s.emit(t, i)
				s.emit(chroma.LiteralStringEscape, i+2)
				i++
			}
		}
		s.emit(t, end)
		return
	}
	// f-string: text, {{ }} escapes, and {expression!conversion:format}.
	i := q + len(quote)
	for i < len(src) {
		ch := src[i]
		switch {
		case ch == '\\' && !raw:
			i += 2
			continue
		case ch == '\n' && len(quote) == 1:
			s.emit(t, i)
			return
		case strings.HasPrefix(src[i:], quote):
			s.emit(t, i+len(quote))
			return
		case ch == '{' && i+1 < len(src) && src[i+1] == '{', ch == '}' && i+1 < len(src) && src[i+1] == '}':
			s.emit(t, i)
			s.emit(chroma.LiteralStringEscape, i+2)
			i += 2
			continue
		case ch == '{':
			s.emit(t, i)
			s.emit(chroma.LiteralStringInterpol, i+1)
			end, spec := fExpr(src, i+1, quote)
			for _, tok := range lexPython(src[i+1 : spec]) {
				s.toks = append(s.toks, tok)
			}
			s.pos = spec
			if spec < end {
				s.emit(chroma.LiteralStringInterpol, end)
			}
			i = end
			if i < len(src) && src[i] == '}' {
				s.emit(chroma.LiteralStringInterpol, i+1)
				i++
			}
			continue
		}
		i++
	}
	s.emit(t, len(src))
}

// fExpr finds the end of an f-string replacement field starting at i:
// the closing "}" and where the !conversion or :format part begins.
func fExpr(src string, i int, quote string) (end, spec int) {
	depth := 0
	spec = -1
	for i < len(src) {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], quote) || c == '\n' && len(quote) == 1:
			if spec < 0 {
				spec = i
			}
			return i, spec
		case c == '(' || c == '[' || c == '{':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case c == '}' && depth > 0:
			depth--
		case c == '}':
			if spec < 0 {
				spec = i
			}
			return i, spec
		case (c == '!' && (i+1 >= len(src) || src[i+1] != '=') || c == ':') && depth == 0 && spec < 0:
			spec = i
		case c == '\'' || c == '"':
			if spec < 0 {
				i = quoted(src, i+1, string(c), false)
				continue
			}
		}
		i++
	}
	if spec < 0 {
		spec = len(src)
	}
	return len(src), spec
}
