// Package highlight wraps chroma: it turns code into HTML with CSS classes
// (never inline styles) and writes the stylesheet for a light and a dark
// style. Tokenising is the most expensive step of a build, so results are
// cached by a hash of the language and the code.
package highlight

import (
	"crypto/sha256"
	"fmt"
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/alecthomas/chroma/v2"
	chtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Options change how a block is shown.
type Options struct {
	// HighlightLines are inclusive ranges of line numbers to emphasise.
	HighlightLines [][2]int
	LineNumbers    bool
	// LineStart is the number of the first line (default 1).
	LineStart int
}

// Highlighter tokenises code and caches the result. It is safe for
// concurrent use; one Highlighter lives as long as the process so rebuilds
// reuse it.
type Highlighter struct {
	mu sync.RWMutex
	// cache holds results in memory while retain is set (the default, for
	// watch mode and tests); with a cache file open (OpenCache), results go
	// to the file instead and earlier ones are read back from the old file.
	cache   map[[32]byte][]string
	retain  bool
	lexers  map[string]chroma.Lexer // lexer lookups, misses included
	disk    *diskCache
	journal *journal
}

// Forget stops keeping results in memory, for a one-off build that has no
// cache file: every block is highlighted once anyway.
func (h *Highlighter) Forget() {
	h.mu.Lock()
	h.retain = false
	h.cache = map[[32]byte][]string{}
	h.mu.Unlock()
}

// New returns an empty Highlighter that keeps its results in memory.
func New() *Highlighter {
	return &Highlighter{cache: map[[32]byte][]string{}, retain: true}
}

// maxLangName bounds the names looked up by file name: chroma matches an
// unknown name against every file-name pattern of every lexer, which takes
// time in proportion to the name's length. No name or alias of chroma's is
// this long (TestLangNamesAreShort), so a longer word is no language.
const maxLangName = 64

// Lexer returns chroma's lexer for a language name or alias, or nil. Only
// the first word counts: "python {linenos=true}" is Python.
func Lexer(lang string) chroma.Lexer {
	if i := strings.IndexFunc(lang, unicode.IsSpace); i >= 0 {
		lang = lang[:i]
	}
	if lang == "" || len(lang) > maxLangName {
		return nil
	}
	l := lexers.Get(lang)
	if lower := strings.ToLower(lang); l == nil && lower != lang {
		l = lexers.Get(lower)
	}
	return l
}

// lexer is Lexer with the answer (a miss too) remembered for the life of
// the Highlighter: a fence language chroma does not know costs a scan of
// all its file-name patterns.
func (h *Highlighter) lexer(lang string) chroma.Lexer {
	h.mu.RLock()
	l, ok := h.lexers[lang]
	h.mu.RUnlock()
	if ok {
		return l
	}
	l = Lexer(lang)
	h.mu.Lock()
	if h.lexers == nil || len(h.lexers) >= 4096 {
		h.lexers = map[string]chroma.Lexer{}
	}
	h.lexers[lang] = l
	h.mu.Unlock()
	return l
}

// Canonical returns chroma's name for a language or alias ("js" →
// "JavaScript"), or "" when chroma does not know it.
func Canonical(lang string) string {
	if l := Lexer(lang); l != nil {
		return l.Config().Name
	}
	return ""
}

// Lines highlights code and returns the HTML of each line, without line
// breaks. An unknown language is shown as plain text.
func (h *Highlighter) Lines(code, lang string) ([]string, error) {
	code = strings.TrimSuffix(strings.ReplaceAll(code, "\r\n", "\n"), "\n")
	lexer := h.lexer(lang)
	name := "plaintext"
	if lexer != nil {
		name = lexer.Config().Name
	}
	fast := fastLexers[name]
	if fast != nil && !h.retain {
		// The hand-written scanners outrun a cache read; the cache file is
		// for chroma's slow lexers.
		if lines, ok := fastLines(fast, code); ok {
			return lines, nil
		}
	}
	key := sha256.Sum256([]byte(name + "\x00" + code))
	h.mu.RLock()
	lines, ok := h.cache[key]
	disk := h.disk
	h.mu.RUnlock()
	if ok {
		return lines, nil
	}
	if disk != nil {
		if lines, ok := disk.read(key); ok {
			h.keep(key, lines)
			return lines, nil
		}
	}
	if fast != nil {
		lines, ok = fastLines(fast, code)
	}
	switch {
	case ok:
	case lexer == nil:
		lines = plainLines(code)
	default:
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code+"\n")
		if err != nil {
			return nil, fmt.Errorf("highlighting %s: %w", name, err)
		}
		lines = formatLines(chroma.SplitTokensIntoLines(it.Tokens()))
		// Tokenising adds the final newline back as its own empty line.
		if n := len(lines); n > 0 && lines[n-1] == "" && n > strings.Count(code, "\n")+1 {
			lines = lines[:n-1]
		}
	}
	h.keep(key, lines)
	return lines, nil
}

// keep stores a result in memory or in the cache file being written.
func (h *Highlighter) keep(key [32]byte, lines []string) {
	h.mu.Lock()
	if h.retain {
		h.cache[key] = lines
	}
	if h.journal != nil {
		h.journal.record(key, lines)
	}
	h.mu.Unlock()
}

// fastLines highlights code with a hand-written scanner; false means the
// scanner handed the block back for chroma.
func fastLines(lex func(string) ([]span, bool), code string) ([]string, bool) {
	src := code + "\n"
	toks, ok := lex(src)
	if !ok {
		return nil, false
	}
	lines := spanLines(src, toks)
	// Tokenising adds the final newline back as its own empty line.
	if n := len(lines); n > 0 && lines[n-1] == "" && n > strings.Count(code, "\n")+1 {
		lines = lines[:n-1]
	}
	return lines, true
}

func plainLines(code string) []string {
	raw := strings.Split(code, "\n")
	out := make([]string, len(raw))
	for i, l := range raw {
		out[i] = html.EscapeString(l)
	}
	return out
}

func formatLines(lines [][]chroma.Token) []string {
	out := make([]string, len(lines))
	var b strings.Builder
	for i, toks := range lines {
		b.Reset()
		for _, t := range toks {
			v := strings.TrimSuffix(t.Value, "\n")
			if v == "" {
				continue
			}
			cls := class(t.Type)
			if cls != "" {
				b.WriteString(`<span class="`)
				b.WriteString(cls)
				b.WriteString(`">`)
			}
			b.WriteString(html.EscapeString(v))
			if cls != "" {
				b.WriteString("</span>")
			}
		}
		out[i] = b.String()
	}
	return out
}

// class is chroma's short CSS class for a token type, walking up to the
// parent category when the type has none of its own.
func class(t chroma.TokenType) string {
	if t == chroma.Text || t == chroma.TextWhitespace || t == chroma.Other {
		return ""
	}
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return ""
}

// Block highlights code as a complete <pre class="chroma"> block.
func (h *Highlighter) Block(code, lang string, opts Options) (template.HTML, error) {
	lines, err := h.Lines(code, lang)
	if err != nil {
		return "", err
	}
	return template.HTML(FormatBlock(lines, lang, opts)), nil
}

// FormatBlock wraps highlighted lines in the block markup the theme styles:
// one span.line per line, line numbers in span.ln (not selectable, so copying
// takes only the code) and emphasised lines marked with .hl.
func FormatBlock(lines []string, lang string, opts Options) string {
	var b strings.Builder
	start := opts.LineStart
	if start == 0 {
		start = 1
	}
	width := len(strconv.Itoa(start + len(lines) - 1))
	// A block whose lines scroll sideways must take focus to be scrolled
	// from the keyboard; the theme's script gives it tabindex when it does,
	// so blocks that fit add no tab stop.
	b.WriteString(`<pre class="chroma"`)
	if lang != "" {
		b.WriteString(` data-lang="`)
		b.WriteString(html.EscapeString(lang))
		b.WriteString(`"`)
	}
	b.WriteString(`><code>`)
	for i, l := range lines {
		n := start + i
		if Emphasised(opts.HighlightLines, n) {
			b.WriteString(`<span class="line hl">`)
		} else {
			b.WriteString(`<span class="line">`)
		}
		if opts.LineNumbers {
			fmt.Fprintf(&b, `<span class="ln" aria-hidden="true">%*d</span>`, width, n)
		}
		b.WriteString(`<span class="cl">`)
		b.WriteString(l)
		b.WriteString("\n</span></span>")
	}
	b.WriteString(`</code></pre>`)
	return b.String()
}

// Emphasised reports whether line n falls in one of the ranges.
func Emphasised(ranges [][2]int, n int) bool {
	for _, r := range ranges {
		if n >= r[0] && n <= r[1] {
			return true
		}
	}
	return false
}

// ParseRanges reads hl_lines values: "3", "3-4", "1 3-5", "1,3-5".
func ParseRanges(s string) ([][2]int, error) {
	var out [][2]int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 1 {
			return nil, fmt.Errorf("bad line range %q: expected numbers like 3 or 3-5", f)
		}
		b := a
		if isRange {
			b, err = strconv.Atoi(hi)
			if err != nil || b < a {
				return nil, fmt.Errorf("bad line range %q: expected numbers like 3 or 3-5", f)
			}
		}
		out = append(out, [2]int{a, b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}

// CSS returns the stylesheet for the light style, and for the dark style
// under prefers-color-scheme: dark (unless the reader chose light) and under
// [data-theme="dark"] (the theme's toggle).
func CSS(light, dark string) (string, error) {
	ls, err := style(light)
	if err != nil {
		return "", err
	}
	ds, err := style(dark)
	if err != nil {
		return "", err
	}
	lightCSS, err := rules(ls)
	if err != nil {
		return "", err
	}
	darkCSS, err := rules(ds)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("/* Code highlighting: " + ls.Name + " (light), " + ds.Name + " (dark). Generated by versus from chroma styles. */\n")
	// In a layer, so that the theme's own rules (one code background per
	// theme, say) win over the style's whatever their specificity.
	b.WriteString("@layer highlight {\n")
	writeScoped(&b, lightCSS, "")
	// A token the light style colours but the dark one does not must not
	// keep its light colour on the dark background.
	darkCSS = append(resets(lightCSS, darkCSS), darkCSS...)
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	writeScoped(&b, darkCSS, `:root:not([data-theme="light"]) `)
	b.WriteString("}\n")
	writeScoped(&b, darkCSS, `:root[data-theme="dark"] `)
	b.WriteString("}\n")
	return b.String(), nil
}

// resets returns rules that put back the inherited look for every selector
// of light that dark does not style.
func resets(light, dark []string) []string {
	sel := func(r string) string {
		if i := strings.IndexByte(r, '{'); i >= 0 {
			return strings.TrimSpace(r[:i])
		}
		return ""
	}
	styled := map[string]bool{}
	for _, r := range dark {
		styled[sel(r)] = true
	}
	var out []string
	for _, r := range light {
		s := sel(r)
		if s == "" || styled[s] || !strings.HasPrefix(s, ".chroma .") {
			continue
		}
		out = append(out, s+" { color: inherit; background-color: transparent; font-weight: inherit; font-style: inherit; text-decoration: inherit }")
	}
	return out
}

func style(name string) (*chroma.Style, error) {
	s := styles.Registry[strings.ToLower(name)]
	if s == nil {
		return nil, fmt.Errorf("unknown highlight style %q", name)
	}
	return s, nil
}

func rules(s *chroma.Style) ([]string, error) {
	var b strings.Builder
	f := chtml.New(chtml.WithClasses(true), chtml.WithLineNumbers(true), chtml.WithAllClasses(false))
	if err := f.WriteCSS(&b, s); err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "/*") {
			if i := strings.Index(l, "*/"); i >= 0 {
				l = strings.TrimSpace(l[i+2:])
			}
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func writeScoped(b *strings.Builder, rules []string, scope string) {
	for _, r := range rules {
		b.WriteString(scope)
		b.WriteString(r)
		b.WriteByte('\n')
	}
}
