package highlight

import (
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// The Python scanner: the states of chroma's python.xml.

type pyKind uint8

const (
	pyRoot pyKind = iota
	pyFuncname
	pyClassname
	pyFromimport
	pyImport
	pyString  // sqs, dqs, tsqs, tdqs, combined with stringescape unless raw
	pyFString // sqf, dqf, tsqf, tdqf, with fstringescape or rfstringescape
	pyFExpr   // expr-inside-fstring
	pyFInner  // expr-inside-fstring-inner
)

type pyState struct {
	kind   pyKind
	quote  byte // ' or "
	triple bool
	escape bool // the state is combined with stringescape
}

var (
	// pyWords is what each word of chroma's word lists is, as pw flags.
	pyWords    = map[string]uint16{}
	pyKeywords = wordSet("nonlocal continue finally except lambda assert global return raise yield while break await async pass else elif with try for del as if match case")

	pyExprKeywords = wordSet("lambda yield await else for if")
	pyConstants    = wordSet("False True None")
	pyOpWords      = wordSet("in is and or not")
	pyBuiltins     = wordSet("staticmethod classmethod memoryview __import__ issubclass isinstance frozenset bytearray enumerate reversed property compile complex delattr hasattr setattr globals getattr divmod filter locals format object sorted slice print bytes range input tuple round super float eval list dict repr type vars hash next bool open iter oct pow min zip max map bin len set any dir all abs str sum chr int hex ord id")
	pyPseudo       = wordSet("self Ellipsis NotImplemented cls")
	pyExceptions   = wordSet("PendingDeprecationWarning ConnectionAbortedError ConnectionRefusedError UnicodeTranslateError ConnectionResetError ModuleNotFoundError NotImplementedError FloatingPointError StopAsyncIteration UnicodeDecodeError DeprecationWarning UnicodeEncodeError NotADirectoryError ProcessLookupError ZeroDivisionError IsADirectoryError FileNotFoundError UnboundLocalError KeyboardInterrupt ChildProcessError EnvironmentError IndentationError InterruptedError BlockingIOError ArithmeticError ConnectionError BrokenPipeError FileExistsError ResourceWarning PermissionError RuntimeWarning ReferenceError AttributeError AssertionError UnicodeWarning RecursionError StopIteration BaseException OverflowError SyntaxWarning FutureWarning GeneratorExit ImportWarning UnicodeError TimeoutError WindowsError RuntimeError BytesWarning SystemError UserWarning MemoryError ImportError LookupError BufferError SyntaxError SystemExit ValueError IndexError NameError Exception TypeError TabError EOFError KeyError VMSError Warning OSError IOError")
	pyMagicFuncs   = wordSet("__instancecheck__ __subclasscheck__ __getattribute__ __length_hint__ __rfloordiv__ __ifloordiv__ __itruediv__ __contains__ __floordiv__ __rtruediv__ __reversed__ __setitem__ __complex__ __rdivmod__ __delattr__ __rmatmul__ __ilshift__ __prepare__ __delitem__ __rrshift__ __imatmul__ __rlshift__ __setattr__ __truediv__ __getitem__ __missing__ __getattr__ __irshift__ __rshift__ __format__ __invert__ __matmul__ __divmod__ __delete__ __aenter__ __lshift__ __await__ __bytes__ __anext__ __aiter__ __aexit__ __round__ __float__ __enter__ __index__ __iadd__ __ipow__ __rpow__ __iter__ __init__ __ixor__ __rmul__ __rmod__ __imul__ __imod__ __iand__ __hash__ __rsub__ __exit__ __rxor__ __bool__ __call__ __rand__ __next__ __radd__ __isub__ __repr__ __set__ __add__ __new__ __neg__ __xor__ __and__ __mul__ __mod__ __sub__ __len__ __str__ __ror__ __ior__ __pos__ __del__ __get__ __dir__ __abs__ __int__ __pow__ __eq__ __gt__ __le__ __lt__ __ne__ __or__ __ge__")
	pyMagicVars    = wordSet("__annotations__ __kwdefaults__ __qualname__ __objclass__ __defaults__ __closure__ __globals__ __weakref__ __module__ __class__ __bases__ __slots__ __file__ __code__ __name__ __func__ __dict__ __self__ __mro__ __doc__")
)

const (
	pwKeyword uint16 = 1 << iota
	pwExprKeyword
	pwConstant
	pwOpWord
	pwBuiltin
	pwPseudo
	pwException
	pwMagicFunc
	pwMagicVar
)

func init() {
	for flag, set := range map[uint16]map[string]bool{
		pwKeyword: pyKeywords, pwExprKeyword: pyExprKeywords, pwConstant: pyConstants, pwOpWord: pyOpWords,
		pwBuiltin: pyBuiltins, pwPseudo: pyPseudo, pwException: pyExceptions, pwMagicFunc: pyMagicFuncs, pwMagicVar: pyMagicVars,
	} {
		for w := range set {
			pyWords[w] |= flag
		}
	}
}

type pyLexer struct {
	scanner
	stack []pyState
}

// lexPython scans Python 3 as chroma's Python lexer does.
func lexPython(src string) ([]span, bool) {
	// chroma's docstring rule reads [rRuUbB]{,2} as a letter followed by a
	// literal "{,2}", so it matches only where that text occurs.
	if !usable(src) || strings.Contains(src, "{,2}") {
		return nil, false
	}
	l := &pyLexer{scanner: scanner{src: src, toks: make([]span, 0, len(src)/4)}}
	l.stack = append(l.stack, pyState{kind: pyRoot})
	for l.pos < len(src) {
		st := l.stack[len(l.stack)-1]
		var ok bool
		switch st.kind {
		case pyRoot:
			ok = l.root()
		case pyFuncname:
			ok = l.funcname()
		case pyClassname:
			ok = l.classname()
		case pyFromimport:
			ok = l.fromimport()
		case pyImport:
			ok = l.importState()
		case pyString:
			ok = l.str(st)
		case pyFString:
			ok = l.fstr(st)
		case pyFExpr:
			ok = l.fexpr()
		case pyFInner:
			ok = l.finner()
		}
		if !ok {
			if src[l.pos] == '\n' && st.kind != pyRoot {
				l.stack = l.stack[:1]
				continue
			}
			l.errorRune()
		}
	}
	return l.toks, true
}

func (l *pyLexer) push(s pyState) { l.stack = append(l.stack, s) }
func (l *pyLexer) pop()           { l.stack = l.stack[:len(l.stack)-1] }

// ident returns the end of [_\p{L}][_\p{L}\p{N}]* at i, or i.
func ident(src string, i int) int {
	r, n := runeAt(src, i)
	if r != '_' && !isLetter(r) {
		return i
	}
	i += n
	for i < len(src) {
		r, n := runeAt(src, i)
		if r != '_' && !isLetterOrNumber(r) {
			break
		}
		i += n
	}
	return i
}

// defSpace returns the end of (?:\s|\\\s)+ at i, or i.
func defSpace(src string, i int) int {
	for i < len(src) {
		r, n := runeAt(src, i)
		if isSpace(r) {
			i += n
			continue
		}
		if r == '\\' {
			if r2, n2 := runeAt(src, i+1); isSpace(r2) {
				i += 1 + n2
				continue
			}
		}
		break
	}
	return i
}

func (l *pyLexer) root() bool {
	src, pos := l.src, l.pos
	c := src[pos]
	switch {
	case c == '\n':
		l.tok(chroma.Text, pos+1)
		return true
	case c == ' ' || c == '\t':
		// No rule before expr's [^\S\n]+ matches a space.
		l.tok(chroma.Text, spacesNoNL(src, pos))
		return true
	case c == '#':
		if pos == 0 && at(src, 1) == '!' && at(src, 2) != '\n' && len(src) > 2 {
			l.tok(chroma.CommentHashbang, lineEnd(src, pos))
			return true
		}
		l.tok(chroma.CommentSingle, lineEnd(src, pos))
		return true
	case c == '\\':
		if at(src, pos+1) == '\n' {
			l.tok(chroma.Text, pos+2)
		} else {
			l.tok(chroma.Text, pos+1)
		}
		return true
	}
	var w string
	if c >= utf8.RuneSelf || asciiWord[c] {
		w = word(src, pos)
	}
	var f uint16
	if w != "" {
		f = pyWords[w]
		if w == "yield" && strings.HasPrefix(src[pos:], "yield from") && word(src, pos+6) == "from" {
			l.tok(chroma.Keyword, pos+10)
			return true
		}
		if f&pwKeyword != 0 {
			l.tok(chroma.Keyword, pos+len(w))
			return true
		}
		if f&pwConstant != 0 {
			l.tok(chroma.KeywordConstant, pos+len(w))
			return true
		}
		// (def|class|from|import)((?:\s|\\\s)+): what follows is no word
		// character, so the word is the keyword.
		var t chroma.TokenType
		var next pyKind
		switch w {
		case "def":
			t, next = chroma.Keyword, pyFuncname
		case "class":
			t, next = chroma.Keyword, pyClassname
		case "from":
			t, next = chroma.KeywordNamespace, pyFromimport
		case "import":
			t, next = chroma.KeywordNamespace, pyImport
		}
		if t != 0 {
			if e := defSpace(src, pos+len(w)); e > pos+len(w) {
				l.tok(t, pos+len(w))
				l.tok(chroma.Text, e)
				l.push(pyState{kind: next})
				return true
			}
		}
	}
	return l.expr(w, f)
}

// expr is chroma's "expr" state; w is the word at the cursor and f its
// pyWords flags.
func (l *pyLexer) expr(w string, f uint16) bool {
	src, pos := l.src, l.pos
	c := src[pos]
	if l.stringStart() {
		return true
	}
	if e := spacesNoNL(src, pos); e > pos {
		l.tok(chroma.Text, e)
		return true
	}
	if l.number() {
		return true
	}
	switch c {
	case '!', '=', '<', '>', ':':
		if n := at(src, pos+1); c == '!' && n == '=' || c == '=' && n == '=' || c == '<' && n == '<' || c == '>' && n == '>' || c == ':' && n == '=' {
			l.tok(chroma.Operator, pos+2)
			return true
		}
	}
	switch c {
	case '-', '~', '+', '/', '*', '%', '=', '<', '>', '&', '^', '|', '.':
		l.tok(chroma.Operator, pos+1)
		return true
	case ']', '{', '}', ':', '(', ')', ',', ';', '[':
		l.tok(chroma.Punctuation, pos+1)
		return true
	}
	if w != "" {
		if f&pwOpWord != 0 {
			l.tok(chroma.OperatorWord, pos+len(w))
			return true
		}
		if w == "yield" && strings.HasPrefix(src[pos:], "yield from") && word(src, pos+6) == "from" ||
			w == "async" && strings.HasPrefix(src[pos:], "async for") && word(src, pos+6) == "for" {
			l.tok(chroma.Keyword, pos+len(w)+1+len(word(src, pos+len(w)+1)))
			return true
		}
		if f&pwExprKeyword != 0 {
			l.tok(chroma.Keyword, pos+len(w))
			return true
		}
		if f&pwConstant != 0 {
			l.tok(chroma.KeywordConstant, pos+len(w))
			return true
		}
		if pos == 0 || src[pos-1] != '.' {
			switch {
			case f&pwBuiltin != 0:
				l.tok(chroma.NameBuiltin, pos+len(w))
				return true
			case f&pwPseudo != 0:
				l.tok(chroma.NameBuiltinPseudo, pos+len(w))
				return true
			case f&pwException != 0:
				l.tok(chroma.NameException, pos+len(w))
				return true
			}
		}
		if f&pwMagicFunc != 0 {
			l.tok(chroma.NameFunctionMagic, pos+len(w))
			return true
		}
		if f&pwMagicVar != 0 {
			l.tok(chroma.NameVariableMagic, pos+len(w))
			return true
		}
	}
	if c == '@' {
		if e := ident(src, pos+1); e > pos+1 {
			// (\s*\.\s*[_\p{L}][_\p{L}\p{N}]*)*
			for {
				j := spaces(src, e)
				if at(src, j) != '.' {
					break
				}
				j = spaces(src, j+1)
				k := ident(src, j)
				if k == j {
					break
				}
				e = k
			}
			l.tok(chroma.NameDecorator, e)
			return true
		}
		l.tok(chroma.Operator, pos+1)
		return true
	}
	if c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z' {
		e := pos + 1
		for e < len(src) && asciiWord[src[e]] {
			e++
		}
		if e >= len(src) || src[e] < utf8.RuneSelf {
			// An ASCII word ended by an ASCII character is an identifier.
			l.tok(chroma.Name, e)
			return true
		}
	}
	if e := ident(src, pos); e > pos {
		l.tok(chroma.Name, e)
		return true
	}
	return false
}

func isQuote(c byte) bool { return c == '\'' || c == '"' }

func lower(c byte) byte { return c | 0x20 }

// stringStart matches the string-opening rules of "expr".
func (l *pyLexer) stringStart() bool {
	src, pos := l.src, l.pos
	q := pos
	var f, escape bool
	c0, c1 := at(src, pos), at(src, pos+1)
	switch {
	case isQuote(c0):
		escape = true
	case isQuote(c1):
		switch c0 {
		case 'f', 'F':
			f, escape = true, true
		case 'r', 'R':
		case 'u', 'U', 'b', 'B':
			escape = true
		default:
			return false
		}
		q = pos + 1
	case isQuote(at(src, pos+2)):
		a, b := lower(c0), lower(c1)
		switch {
		case a == 'r' && b == 'f' || a == 'f' && b == 'r':
			f = true
		case a == 'r' && b == 'b' || a == 'b' && b == 'r':
		default:
			return false
		}
		q = pos + 2
	default:
		return false
	}
	quote := src[q]
	triple := at(src, q+1) == quote && at(src, q+2) == quote
	end := q + 1
	if triple {
		end = q + 3
	}
	t := chroma.LiteralStringDouble
	if quote == '\'' {
		t = chroma.LiteralStringSingle
	}
	l.tok(chroma.LiteralStringAffix, q)
	l.tok(t, end)
	kind := pyString
	if f {
		kind = pyFString
	}
	l.push(pyState{kind: kind, quote: quote, triple: triple, escape: escape})
	return true
}

// number matches the "numbers" state.
func (l *pyLexer) number() bool {
	src, pos := l.src, l.pos
	r, _ := runeAt(src, pos)
	if r != '.' && !isDigitRune(r) {
		return false
	}
	// \d(?:_?\d)*
	ds := func(i int) int {
		r, n := runeAt(src, i)
		if !isDigitRune(r) {
			return -1
		}
		i += n
		for {
			if at(src, i) == '_' {
				if r, n := runeAt(src, i+1); isDigitRune(r) {
					i += 1 + n
					continue
				}
				return i
			}
			r, n := runeAt(src, i)
			if !isDigitRune(r) {
				return i
			}
			i += n
		}
	}
	exponent := func(i int) int {
		if at(src, i)|0x20 != 'e' {
			return -1
		}
		j := i + 1
		if c := at(src, j); c == '+' || c == '-' {
			j++
		}
		return ds(j)
	}
	end := -1
	if e := ds(pos); e >= 0 && at(src, e) == '.' {
		end = e + 1
		if e2 := ds(end); e2 >= 0 {
			end = e2
		}
	} else if r == '.' {
		end = ds(pos + 1)
	}
	if end >= 0 {
		if e := exponent(end); e >= 0 {
			end = e
		}
		l.tok(chroma.LiteralNumberFloat, end)
		return true
	}
	if e := ds(pos); e >= 0 {
		if x := exponent(e); x >= 0 {
			if at(src, x) == 'j' {
				x++
			}
			l.tok(chroma.LiteralNumberFloat, x)
			return true
		}
	}
	if src[pos] == '0' {
		var ok func(byte) bool
		var t chroma.TokenType
		switch at(src, pos+1) {
		case 'o', 'O':
			ok, t = func(c byte) bool { return '0' <= c && c <= '7' }, chroma.LiteralNumberOct
		case 'b', 'B':
			ok, t = func(c byte) bool { return c == '0' || c == '1' }, chroma.LiteralNumberBin
		case 'x', 'X':
			ok, t = func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }, chroma.LiteralNumberHex
		}
		if ok != nil {
			i := pos + 2
			for {
				if at(src, i) == '_' && ok(at(src, i+1)) {
					i += 2
				} else if ok(at(src, i)) {
					i++
				} else {
					break
				}
			}
			if i > pos+2 {
				l.tok(t, i)
				return true
			}
		}
	}
	if e := ds(pos); e >= 0 {
		l.tok(chroma.LiteralNumberInteger, e)
		return true
	}
	return false
}

func (l *pyLexer) funcname() bool {
	w := word(l.src, l.pos)
	if w != "" && pyWords[w]&pwMagicFunc != 0 {
		l.tok(chroma.NameFunctionMagic, l.pos+len(w))
		return true
	}
	if e := ident(l.src, l.pos); e > l.pos {
		l.tok(chroma.NameFunction, e)
	}
	l.pop()
	return true
}

func (l *pyLexer) classname() bool {
	if e := ident(l.src, l.pos); e > l.pos {
		l.tok(chroma.NameClass, e)
		l.pop()
		return true
	}
	return false
}

func (l *pyLexer) fromimport() bool {
	src, pos := l.src, l.pos
	if e := spaces(src, pos); e > pos && strings.HasPrefix(src[e:], "import") && word(src, e) == "import" {
		l.tok(chroma.Text, e)
		l.tok(chroma.KeywordNamespace, e+6)
		l.pop()
		return true
	}
	if src[pos] == '.' {
		l.tok(chroma.NameNamespace, pos+1)
		return true
	}
	if word(src, pos) == "None" {
		l.tok(chroma.NameBuiltinPseudo, pos+4)
		l.pop()
		return true
	}
	if e := ident(src, pos); e > pos {
		l.tok(chroma.NameNamespace, e)
		return true
	}
	l.pop()
	return true
}

func (l *pyLexer) importState() bool {
	src, pos := l.src, l.pos
	if e := spaces(src, pos); e > pos && strings.HasPrefix(src[e:], "as") {
		if e2 := spaces(src, e+2); e2 > e+2 {
			l.tok(chroma.Text, e)
			l.tok(chroma.Keyword, e+2)
			l.tok(chroma.Text, e2)
			return true
		}
	}
	if src[pos] == '.' {
		l.tok(chroma.NameNamespace, pos+1)
		return true
	}
	if e := ident(src, pos); e > pos {
		l.tok(chroma.NameNamespace, e)
		return true
	}
	if e := spaces(src, pos); at(src, e) == ',' {
		l.tok(chroma.Text, e)
		l.tok(chroma.Operator, e+1)
		l.tok(chroma.Text, spaces(src, e+1))
		return true
	}
	l.pop()
	return true
}

// stringEscape matches chroma's "stringescape" state at the cursor.
func (l *pyLexer) stringEscape() bool {
	src, pos := l.src, l.pos
	if src[pos] != '\\' || pos+1 >= len(src) {
		return false
	}
	c := src[pos+1]
	end := -1
	hex := func(n int) int {
		for k := 0; k < n; k++ {
			h := at(src, pos+2+k)
			if !('0' <= h && h <= '9' || 'a' <= h|0x20 && h|0x20 <= 'f') {
				return -1
			}
		}
		return pos + 2 + n
	}
	switch {
	case strings.IndexByte("\\abfnrtv\"'\n", c) >= 0:
		end = pos + 2
	case c == 'N':
		if at(src, pos+2) == '{' {
			le := lineEnd(src, pos+3)
			if k := strings.IndexByte(src[pos+3:le], '}'); k >= 0 {
				end = pos + 3 + k + 1
			}
		}
	case c == 'u':
		end = hex(4)
	case c == 'U':
		end = hex(8)
	case c == 'x':
		end = hex(2)
	case '0' <= c && c <= '7':
		end = pos + 2
		for end < pos+4 && '0' <= at(src, end) && at(src, end) <= '7' {
			end++
		}
	}
	if end < 0 {
		return false
	}
	l.tok(chroma.LiteralStringEscape, end)
	return true
}

func (l *pyLexer) closeQuote(st pyState, t chroma.TokenType) bool {
	src, pos := l.src, l.pos
	if src[pos] != st.quote {
		return false
	}
	if st.triple {
		if at(src, pos+1) != st.quote || at(src, pos+2) != st.quote {
			return false
		}
		l.tok(t, pos+3)
	} else {
		l.tok(t, pos+1)
	}
	l.pop()
	return true
}

// quoteEscape matches \\\\|\\'|\\\n of sqs, dqs, sqf and dqf.
func (l *pyLexer) quoteEscape(st pyState) bool {
	src, pos := l.src, l.pos
	if st.triple || src[pos] != '\\' {
		return false
	}
	if c := at(src, pos+1); c == '\\' || c == st.quote || c == '\n' {
		l.tok(chroma.LiteralStringEscape, pos+2)
		return true
	}
	return false
}

func strType(quote byte) chroma.TokenType {
	if quote == '\'' {
		return chroma.LiteralStringSingle
	}
	return chroma.LiteralStringDouble
}

func (l *pyLexer) str(st pyState) bool {
	src, pos := l.src, l.pos
	t := strType(st.quote)
	if st.escape && l.stringEscape() {
		return true
	}
	if l.closeQuote(st, t) || l.quoteEscape(st) {
		return true
	}
	// strings-single / strings-double
	c := src[pos]
	switch c {
	case '%':
		if e := percentFormat(src, pos); e > 0 {
			l.tok(chroma.LiteralStringInterpol, e)
			return true
		}
	case '{':
		if e := braceFormat(src, pos); e > 0 {
			l.tok(chroma.LiteralStringInterpol, e)
			return true
		}
	}
	if e := strRun(src, pos, "\\'\"%{\n"); e > pos {
		l.tok(t, e)
		return true
	}
	switch c {
	case '\'', '"', '\\', '%':
		l.tok(t, pos+1)
		return true
	case '{':
		if at(src, pos+1) == '{' {
			l.tok(t, pos+2)
		} else {
			l.tok(t, pos+1)
		}
		return true
	case '\n':
		if st.triple {
			l.tok(t, pos+1)
			return true
		}
	}
	return false
}

// strRun returns the end of the run of bytes not in stop.
func strRun(src string, i int, stop string) int {
	for i < len(src) && strings.IndexByte(stop, src[i]) < 0 {
		i++
	}
	return i
}

func wordRun(src string, i int) int { return i + len(word(src, i)) }

// percentFormat matches
// %(\(\w+\))?[-#0 +]*([0-9]+|[*])?(\.([0-9]+|[*]))?[hlL]?[E-GXc-giorsaux%]
// at i and returns its end, or 0.
func percentFormat(src string, i int) int {
	j := i + 1
	if at(src, j) == '(' {
		if e := wordRun(src, j+1); e > j+1 && at(src, e) == ')' {
			j = e + 1
		}
	}
	for strings.IndexByte("-#0 +", at(src, j)) >= 0 && j < len(src) {
		j++
	}
	numOrStar := func(j int) int {
		if at(src, j) == '*' {
			return j + 1
		}
		for '0' <= at(src, j) && at(src, j) <= '9' {
			j++
		}
		return j
	}
	j = numOrStar(j)
	if at(src, j) == '.' {
		if e := numOrStar(j + 1); e > j+1 {
			j = e
		}
	}
	if c := at(src, j); c == 'h' || c == 'l' || c == 'L' {
		j++
	}
	if c := at(src, j); c != 0 && strings.IndexByte("EFGXcdefgiorsaux%", c) >= 0 {
		return j + 1
	}
	return 0
}

// braceFormat matches
// \{((\w+)((\.\w+)|(\[[^\]]+\]))*)?(\![sra])?(\:(.?[<>=\^])?[-+ ]?#?0?(\d+)?,?(\.\d+)?[E-GXb-gnosx%]?)?\}
// at i and returns its end, or 0.
func braceFormat(src string, i int) int {
	j := i + 1
	if e := wordRun(src, j); e > j {
		j = e
		for {
			if at(src, j) == '.' {
				if e := wordRun(src, j+1); e > j+1 {
					j = e
					continue
				}
			}
			if at(src, j) == '[' && at(src, j+1) != ']' && j+1 < len(src) {
				if k := strings.IndexByte(src[j+1:], ']'); k >= 0 {
					j = j + 1 + k + 1
					continue
				}
			}
			break
		}
	}
	if at(src, j) == '!' && strings.IndexByte("sra", at(src, j+1)) >= 0 && at(src, j+1) != 0 {
		j += 2
	}
	if at(src, j) == '}' {
		return j + 1
	}
	if at(src, j) != ':' {
		return 0
	}
	j++
	rest := func(k int) int {
		if c := at(src, k); c == '-' || c == '+' || c == ' ' {
			k++
		}
		if at(src, k) == '#' {
			k++
		}
		if at(src, k) == '0' {
			k++
		}
		k = digits(src, k)
		if at(src, k) == ',' {
			k++
		}
		if at(src, k) == '.' {
			if e := digits(src, k+1); e > k+1 {
				k = e
			}
		}
		if c := at(src, k); c != 0 && strings.IndexByte("EFGXbcdefgnosx%", c) >= 0 {
			k++
		}
		if at(src, k) == '}' {
			return k + 1
		}
		return 0
	}
	align := func(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '^' }
	if r, n := runeAt(src, j); r >= 0 && r != '\n' && align(at(src, j+n)) {
		if e := rest(j + n + 1); e > 0 {
			return e
		}
	}
	if align(at(src, j)) {
		if e := rest(j + 1); e > 0 {
			return e
		}
	}
	return rest(j)
}

func (l *pyLexer) fstr(st pyState) bool {
	src, pos := l.src, l.pos
	t := strType(st.quote)
	c := src[pos]
	if (c == '{' || c == '}') && at(src, pos+1) == c {
		l.tok(chroma.LiteralStringEscape, pos+2)
		return true
	}
	if st.escape && l.stringEscape() {
		return true
	}
	if l.closeQuote(st, t) || l.quoteEscape(st) {
		return true
	}
	switch c {
	case '}':
		l.tok(chroma.LiteralStringInterpol, pos+1)
		return true
	case '{':
		l.tok(chroma.LiteralStringInterpol, pos+1)
		l.push(pyState{kind: pyFExpr})
		return true
	case '\'', '"', '\\':
		l.tok(t, pos+1)
		return true
	case '\n':
		if st.triple {
			l.tok(t, pos+1)
			return true
		}
		return false
	}
	l.tok(t, strRun(src, pos, "\\'\"{}\n"))
	return true
}

func (l *pyLexer) fexpr() bool {
	src, pos := l.src, l.pos
	c := src[pos]
	if c == '{' || c == '(' || c == '[' {
		l.tok(chroma.Punctuation, pos+1)
		l.push(pyState{kind: pyFInner})
		return true
	}
	// (=\s*)?(\![sraf])?[}:]
	j := pos
	if c == '=' {
		j = spaces(src, j+1)
	}
	if at(src, j) == '!' && at(src, j+1) != 0 && strings.IndexByte("sraf", at(src, j+1)) >= 0 {
		j += 2
	}
	if c := at(src, j); c == '}' || c == ':' {
		l.tok(chroma.LiteralStringInterpol, j+1)
		l.pop()
		return true
	}
	if e := spaces(src, pos); e > pos {
		l.tok(chroma.Text, e)
		return true
	}
	w := word(src, pos)
	return l.expr(w, pyWords[w])
}

func (l *pyLexer) finner() bool {
	src, pos := l.src, l.pos
	switch src[pos] {
	case '{', '(', '[':
		l.tok(chroma.Punctuation, pos+1)
		l.push(pyState{kind: pyFInner})
		return true
	case ']', ')', '}':
		l.tok(chroma.Punctuation, pos+1)
		l.pop()
		return true
	}
	if e := spaces(src, pos); e > pos {
		l.tok(chroma.Text, e)
		return true
	}
	w := word(src, pos)
	return l.expr(w, pyWords[w])
}
