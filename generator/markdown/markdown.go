// Package markdown renders page bodies with goldmark: GFM, footnotes,
// definition lists, typographer, readable unique heading ids, highlighted
// fenced code, links to other Markdown files rewritten to page URLs, and
// Hugo-style shortcodes, which it parses and leaves as placeholders for the
// shortcode stage to fill.
package markdown

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"html/template"
	"math"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/diagram"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/texmath"
)

// Options configure a Renderer.
type Options struct {
	// Unsafe lets raw HTML through; otherwise it is escaped.
	Unsafe bool
	// ResolveLink maps a link destination written in file (a site-root
	// relative path like "content/a.md") to the URL to use. It returns false
	// to leave the destination as written.
	ResolveLink func(file, dest string) (string, bool)
	Highlighter *highlight.Highlighter
	// Math, when set, turns $…$ and $$…$$ into MathML; without it a dollar
	// sign is only a dollar sign.
	Math *texmath.Engine
	// Diagrams, when set, draws ```d2 blocks as SVG; without it they are
	// code.
	Diagrams *diagram.Renderer
	// Words gives the text of a theme string in the site's language
	// (sectionTitled, calloutNote, …); nil means English.
	Words func(key string, args ...any) (string, error)
	// Image tells what the build knows of the picture a page written in
	// file shows at dest: its size and smaller copies. ok is false for a
	// picture that is not the site's (another site's URL), shown as
	// written; an error says why a picture cannot be shown (no such file)
	// and is reported at the image's line. Nil leaves every picture as
	// written.
	Image func(file, dest string) (info ImageInfo, ok bool, err error)
	// Data gives the text of the data value at a dotted path
	// (versions.node.lts), for {{< data "…" >}}; the error says what is
	// wrong with the path.
	Data func(path string) (string, error)
}

// ImageInfo is what the build knows of a picture of the site.
type ImageInfo struct {
	// Width and Height are its size in pixels; 0 when unknown.
	Width, Height int
	// Raster is set for PNG, JPEG, GIF and WebP: pictures social sites
	// show.
	Raster bool
	// Srcset are smaller copies of the picture, narrowest first.
	Srcset []ImageVariant
}

// ImageVariant is a smaller copy of a picture.
type ImageVariant struct {
	URL   string
	Width int
}

// Picture is an image written in a body, in source order.
type Picture struct {
	// URL is what the page shows; Alt its text.
	URL string
	Alt string
	// Info is set for the site's own pictures.
	Info ImageInfo
}

// ImageSizes is the sizes attribute of pictures with smaller copies: the
// theme's text column, 40rem wide, less its gutters on narrow screens.
const ImageSizes = "(max-width: 42.5rem) calc(100vw - 2.5rem), 40rem"

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	inline goldmark.Markdown
	opts   Options
}

// Result is a rendered body.
type Result struct {
	// HTML holds the body, with a Placeholder where each shortcode stands.
	HTML       []byte
	Headings   []*generator.Heading
	Shortcodes []*generator.Shortcode
	// Links are the body's links and images in source order, for the link
	// checker.
	Links []generator.Link
	// Pictures are the body's images in source order.
	Pictures  []Picture
	WordCount int
	// Summary is the first paragraph's HTML.
	Summary template.HTML
	Errors  generator.ErrorList
	// Warnings are mistakes that do not stop the build, such as a
	// shortcode that shares its line with other text and so shows as text.
	Warnings generator.ErrorList
}

// Placeholder returns the marker that stands for shortcode i in Result.HTML.
// It holds a NUL byte, which Markdown text can never produce (CommonMark
// replaces it), so it cannot be forged by content.
func Placeholder(i int) string { return "\x00versus-shortcode:" + strconv.Itoa(i) + "\x00" }

// PlaceholderPattern matches every placeholder.
var PlaceholderPattern = regexp.MustCompile("\x00versus-shortcode:([0-9]+)\x00")

// New builds a Renderer.
func New(opts Options) *Renderer {
	if opts.Highlighter == nil {
		opts.Highlighter = highlight.New()
	}
	r := &Renderer{opts: opts}
	var htmlOpts []renderer.Option
	if opts.Unsafe {
		htmlOpts = append(htmlOpts, html.WithUnsafe())
	}
	exts := []goldmark.Extender{
		extension.GFM, extension.Footnote, extension.DefinitionList,
		extension.NewTypographer(),
	}
	parserOpts := []parser.Option{
		parser.WithAutoHeadingID(),
		parser.WithAttribute(),
		parser.WithBlockParsers(util.Prioritized(shortcodeParser{}, 50)),
		parser.WithInlineParsers(util.Prioritized(dataInline{}, 190)),
		parser.WithASTTransformers(util.Prioritized(calloutTransformer{}, 100)),
	}
	if opts.Math != nil {
		parserOpts = append(parserOpts, mathParsers()...)
	}
	r.md = goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(append(htmlOpts,
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{r: r}, 10)))...),
	)
	inlineOpts := htmlOpts
	if !opts.Unsafe {
		// Cells follow the body's rule: raw HTML is shown as text.
		inlineOpts = append(inlineOpts, renderer.WithNodeRenderers(util.Prioritized(inlineHTML{}, 10)))
	}
	r.inline = goldmark.New(
		goldmark.WithExtensions(extension.Strikethrough, extension.Linkify, extension.NewTypographer()),
		goldmark.WithRendererOptions(inlineOpts...),
	)
	return r
}

// Render converts a page body. file is the page's source path and line the
// line of that file where body starts; both position every error.
func (r *Renderer) Render(file string, line int, body []byte) *Result {
	res := &Result{}
	lines := newLineIndex(file, line, body)
	if errs := checkHostile(lines, body); len(errs) > 0 {
		res.Errors = errs
		return res
	}
	ids := newIDs()
	pc := parser.NewContext(parser.WithIDs(ids))
	doc := r.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))

	st := &renderState{res: res, lines: lines, file: file, src: body}
	r.walk(doc, st)

	var buf bytes.Buffer
	buf.Grow(len(body) * 2)
	w := &stateWriter{Buffer: &buf, st: st}
	if err := r.md.Renderer().Render(w, body, doc); err != nil {
		res.Errors.Add(generator.Pos{File: file, Line: line}, "rendering Markdown: %v", err)
	}
	res.HTML = buf.Bytes()
	return res
}

// stateWriter carries per-render state to the node renderer, which goldmark
// shares between goroutines.
type stateWriter struct {
	*bytes.Buffer
	st *renderState
}

// Buffered is part of util.BufWriter; the buffer itself is the destination.
func (w *stateWriter) Buffered() int { return 0 }

// Flush is part of util.BufWriter; there is nothing to flush.
func (w *stateWriter) Flush() error { return nil }

type renderState struct {
	res   *Result
	lines *lineIndex
	file  string
	src   []byte
}

// walk collects headings, shortcodes and word counts, and rewrites links,
// before rendering.
func (r *Renderer) walk(doc ast.Node, st *renderState) {
	var stack []*generator.Heading
	firstPara := true
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *shortcodeNode:
			st.res.Shortcodes = append(st.res.Shortcodes, r.shortcode(n, st))
			n.index = len(st.res.Shortcodes) - 1
			return ast.WalkSkipChildren, nil
		case *dataNode:
			r.dataRef(n, st)
		case *calloutNode:
			if n.err != "" {
				st.res.Errors.Add(st.lines.pos(n.offset), "%s", n.err)
				return ast.WalkSkipChildren, nil
			}
		case *ast.Heading:
			inlineShortcodes(n, st)
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			h := &generator.Heading{Level: n.Level, ID: string(idb), Text: plainText(n, st.src)}
			for len(stack) > 0 && stack[len(stack)-1].Level >= h.Level {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				st.res.Headings = append(st.res.Headings, h)
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, h)
			}
			stack = append(stack, h)
		case *ast.TextBlock:
			inlineShortcodes(n, st)
		case *ast.Paragraph:
			inlineShortcodes(n, st)
			if firstPara && n.Parent() == doc {
				firstPara = false
				// The summary is rendered now, before the walk reaches
				// the paragraph's data values: look them up first.
				_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
					if d, ok := c.(*dataNode); ok && entering {
						r.dataRef(d, st)
					}
					return ast.WalkContinue, nil
				})
				var b bytes.Buffer
				w := &stateWriter{Buffer: &b, st: st}
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if err := r.md.Renderer().Render(w, st.src, c); err != nil {
						st.res.Errors.Add(st.lines.pos(0), "%v", err)
					}
				}
				st.res.Summary = template.HTML(b.String())
			}
		case *ast.Text:
			st.res.WordCount += countWords(n.Segment.Value(st.src))
		case *ast.Link:
			dest := string(n.Destination)
			n.Destination = r.resolve(st.file, n.Destination)
			st.res.Links = append(st.res.Links, generator.Link{Dest: dest, URL: string(n.Destination), Pos: st.lines.pos(nodeOffset(n))})
		case *ast.Image:
			dest := string(n.Destination)
			n.Destination = r.resolve(st.file, n.Destination)
			pos := st.lines.pos(nodeOffset(n))
			st.res.Links = append(st.res.Links, generator.Link{Dest: dest, URL: string(n.Destination), Image: true, Pos: pos})
			r.image(n, dest, pos, st)
		case *ast.AutoLink:
			u := string(n.URL(st.src))
			st.res.Links = append(st.res.Links, generator.Link{Dest: u, URL: u, Pos: st.lines.pos(nodeOffset(n))})
		}
		return ast.WalkContinue, nil
	})
}

// image gives a picture its size, so the text does not move when it
// arrives, and its smaller copies; pictures after the first, most likely
// below the fold, load only when the reader nears them.
func (r *Renderer) image(n *ast.Image, dest string, pos generator.Pos, st *renderState) {
	pic := Picture{URL: string(n.Destination), Alt: plainText(n, st.src)}
	if r.opts.Image != nil {
		info, ok, err := r.opts.Image(st.file, dest)
		switch {
		case err != nil:
			st.res.Errors.Add(pos, "%v", err)
		case ok:
			pic.Info = info
			if info.Width > 0 && info.Height > 0 {
				n.SetAttributeString("width", []byte(strconv.Itoa(info.Width)))
				n.SetAttributeString("height", []byte(strconv.Itoa(info.Height)))
			}
			if len(info.Srcset) > 0 && info.Width > 0 {
				var set strings.Builder
				for _, v := range info.Srcset {
					fmt.Fprintf(&set, "%s %dw, ", srcsetURL.Replace(v.URL), v.Width)
				}
				fmt.Fprintf(&set, "%s %dw", srcsetURL.Replace(string(n.Destination)), info.Width)
				n.SetAttributeString("srcset", []byte(set.String()))
				n.SetAttributeString("sizes", []byte(ImageSizes))
			}
		}
	}
	if len(st.res.Pictures) > 0 {
		n.SetAttributeString("loading", []byte("lazy"))
		n.SetAttributeString("decoding", []byte("async"))
	}
	st.res.Pictures = append(st.res.Pictures, pic)
}

// srcsetURL escapes what would end a URL in srcset: a space or a comma.
var srcsetURL = strings.NewReplacer(" ", "%20", ",", "%2C")

// inlineShortcode matches a shortcode tag anywhere in a line.
var inlineShortcode = regexp.MustCompile(`\{\{<\s*/?\s*([A-Za-z][\w-]*)[^\n]*?>\}\}`)

// inlineShortcodes warns of shortcode tags in a paragraph's text: a
// shortcode works only on a line of its own, so one among other words is
// shown as written, which a writer notices only by reading the page. Tags in
// code spans are meant to be shown.
func inlineShortcodes(n ast.Node, st *renderState) {
	lines := n.Lines()
	if lines.Len() == 0 || !bytes.Contains(st.src[lines.At(0).Start:lines.At(lines.Len()-1).Stop], []byte("{{<")) {
		return
	}
	var code [][2]int
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if cs, ok := c.(*ast.CodeSpan); ok && entering {
			for t := cs.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					code = append(code, [2]int{t.Segment.Start, t.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for _, m := range inlineShortcode.FindAllSubmatchIndex(seg.Value(st.src), -1) {
			off := seg.Start + m[0]
			inCode := false
			for _, c := range code {
				if off >= c[0] && off < c[1] {
					inCode = true
				}
			}
			if inCode {
				continue
			}
			name := string(st.src[seg.Start+m[2] : seg.Start+m[3]])
			if name == DataShortcode {
				continue // parsed within the line
			}
			st.res.Warnings.Add(st.lines.pos(off), "shortcode %q shares its line with other text, so the page shows it as written: put {{< %s >}} on a line of its own", name, name)
		}
	}
}

// nodeOffset is where an inline node starts in the source, as near as the
// AST tells: its first text, else the start of its block.
func nodeOffset(n ast.Node) int {
	found := inlineStart(n)
	if found >= 0 {
		// The text starts after "[" (or "![").
		if _, img := n.(*ast.Image); img {
			return max(0, found-2)
		}
		if _, link := n.(*ast.Link); link {
			return max(0, found-1)
		}
		return found
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

func (r *Renderer) resolve(file string, dest []byte) []byte {
	if r.opts.ResolveLink == nil {
		return dest
	}
	if u, ok := r.opts.ResolveLink(file, string(dest)); ok {
		return []byte(u)
	}
	return dest
}

func (r *Renderer) shortcode(n *shortcodeNode, st *renderState) *generator.Shortcode {
	sc := &generator.Shortcode{
		Name:   n.name,
		Pos:    st.lines.pos(n.offset),
		Paired: n.paired,
		Closed: n.closed,
	}
	named, positional, ok := ParseArgs(n.args)
	if !ok {
		st.res.Errors.Add(sc.Pos, "cannot read the arguments of shortcode %q: %s (use \"value\" or name=\"value\")", n.name, n.args)
	}
	sc.Args, sc.Positional = named, positional
	if n.paired {
		sc.Inner = string(st.src[n.inner[0]:max(n.inner[0], n.inner[1])])
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			fc, ok := c.(*ast.FencedCodeBlock)
			if !ok {
				if c.Lines().Len() > 0 {
					sc.Stray = append(sc.Stray, st.lines.pos(c.Lines().At(0).Start))
				} else {
					sc.Stray = append(sc.Stray, sc.Pos)
				}
				continue
			}
			sc.Blocks = append(sc.Blocks, codeBlock(fc, st))
		}
	}
	return sc
}

func codeBlock(fc *ast.FencedCodeBlock, st *renderState) *generator.CodeBlock {
	var info string
	if fc.Info != nil {
		info = string(fc.Info.Segment.Value(st.src))
	}
	lang, attrs := ParseInfo(info)
	var code strings.Builder
	for i := 0; i < fc.Lines().Len(); i++ {
		s := fc.Lines().At(i)
		code.Write(s.Value(st.src))
	}
	pos := st.lines.pos(0)
	if fc.Info != nil {
		pos = st.lines.pos(fc.Info.Segment.Start)
	} else if fc.Lines().Len() > 0 {
		pos = st.lines.pos(fc.Lines().At(0).Start)
		pos.Line--
	}
	pos.Col = 1
	return &generator.CodeBlock{Lang: lang, Code: code.String(), Attrs: attrs, Pos: pos}
}

// ParseInfo splits a fence's info string into the language and the Hugo-style
// attributes: `js {title="server.js" hl_lines="3-4" linenos=true}`.
func ParseInfo(info string) (lang string, attrs map[string]string) {
	info = strings.TrimSpace(info)
	attrs = map[string]string{}
	if i := strings.IndexByte(info, '{'); i >= 0 && strings.HasSuffix(info, "}") {
		inner := strings.ReplaceAll(info[i+1:len(info)-1], ",", " ")
		named, _, _ := ParseArgs(inner)
		for k, v := range named {
			attrs[strings.ToLower(k)] = v
		}
		info = strings.TrimSpace(info[:i])
	}
	if f := strings.Fields(info); len(f) > 0 {
		lang = f[0]
	}
	return lang, attrs
}

// nodeRenderer renders shortcode placeholders and highlighted code blocks.
type nodeRenderer struct{ r *Renderer }

func (nr *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindShortcode, nr.renderShortcode)
	reg.Register(ast.KindFencedCodeBlock, nr.renderFence)
	reg.Register(ast.KindCodeBlock, nr.renderIndented)
	reg.Register(ast.KindHeading, nr.renderHeading)
	reg.Register(KindCallout, nr.renderCallout)
	reg.Register(KindMath, nr.renderMathNode)
	reg.Register(KindData, nr.renderData)
	reg.Register(KindMathBlock, nr.renderMathNode)
	if !nr.r.opts.Unsafe {
		// Raw HTML is shown as text, so a writer sees what they typed
		// instead of a silent "raw HTML omitted" comment.
		reg.Register(ast.KindRawHTML, nr.escapeRawHTML)
		reg.Register(ast.KindHTMLBlock, nr.escapeHTMLBlock)
	}
}

// inlineHTML shows raw HTML in inline Markdown (table cells, notes,
// verdicts) as text, as the body's renderer does.
type inlineHTML struct{}

func (inlineHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, (*nodeRenderer)(nil).escapeRawHTML)
}

func (nr *nodeRenderer) escapeRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		_, _ = w.WriteString(stdhtml.EscapeString(string(s.Value(src))))
	}
	return ast.WalkSkipChildren, nil
}

func (nr *nodeRenderer) escapeHTMLBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	_, _ = w.WriteString("<p>")
	for i := 0; i < b.Lines().Len(); i++ {
		s := b.Lines().At(i)
		_, _ = w.WriteString(stdhtml.EscapeString(string(s.Value(src))))
	}
	if b.HasClosure() {
		_, _ = w.WriteString(stdhtml.EscapeString(string(b.ClosureLine.Value(src))))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// renderHeading writes a heading as goldmark does and, for a section
// heading with an id, a permalink beside it: the link is a sibling, not a
// child, so the heading's text (its accessible name, the contents and the
// search index) stays only the heading's own.
func (nr *nodeRenderer) renderHeading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	var id []byte
	if v, ok := n.AttributeString("id"); ok {
		id, _ = v.([]byte)
	}
	anchored := n.Level >= 2 && len(id) > 0
	level := strconv.Itoa(n.Level)
	if entering {
		if anchored {
			_, _ = w.WriteString(`<div class="heading-wrap">`)
		}
		_, _ = w.WriteString("<h" + level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</h" + level + ">")
	if anchored {
		label, err := nr.r.word("Section titled “{title}”", "sectionTitled", "title", plainText(n, src))
		if err != nil {
			if st := stateOf(w); st != nil {
				st.res.Errors.Add(st.lines.pos(0), "%v", err)
			}
		}
		_, _ = w.WriteString(HeadingAnchorLabel(string(id), label))
		_, _ = w.WriteString("</div>")
	}
	_ = w.WriteByte('\n')
	return ast.WalkContinue, nil
}

// HeadingAnchor is the permalink shown beside a heading: a "#" for the eye
// and "Section titled …" for screen readers. Layouts use it (the anchor
// function) for the headings they write themselves.
func HeadingAnchor(id, text string) string {
	return HeadingAnchorLabel(id, "Section titled “"+text+"”")
}

// HeadingAnchorLabel is HeadingAnchor with the screen reader's label given
// whole, in the site's language.
func HeadingAnchorLabel(id, label string) string {
	return `<a class="heading-anchor" href="#` + stdhtml.EscapeString(id) + `"><span aria-hidden="true">#</span><span class="visually-hidden">` +
		stdhtml.EscapeString(label) + `</span></a>`
}

// word is a theme string from Options.Words, or english (filled with the
// same arguments) without it.
func (r *Renderer) word(english, key string, args ...any) (string, error) {
	if r.opts.Words != nil {
		return r.opts.Words(key, args...)
	}
	for i := 0; i+1 < len(args); i += 2 {
		english = strings.ReplaceAll(english, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return english, nil
}

func (nr *nodeRenderer) renderShortcode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(Placeholder(n.(*shortcodeNode).index))
	}
	return ast.WalkSkipChildren, nil
}

func stateOf(w util.BufWriter) *renderState {
	if sw, ok := w.(*stateWriter); ok {
		return sw.st
	}
	return nil
}

func (nr *nodeRenderer) renderFence(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	st := stateOf(w)
	fc := n.(*ast.FencedCodeBlock)
	cb := codeBlock(fc, st)
	if cb.Lang == "d2" && nr.r.opts.Diagrams != nil {
		nr.renderDiagram(w, fc, cb, st)
		return ast.WalkSkipChildren, nil
	}
	h, err := nr.r.CodeBlock(cb)
	if err != nil {
		st.res.Errors.Append(cb.Pos, err)
	}
	_, _ = w.WriteString(string(h))
	return ast.WalkSkipChildren, nil
}

func (nr *nodeRenderer) renderIndented(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	st := stateOf(w)
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		s := n.Lines().At(i)
		code.Write(s.Value(src))
	}
	h, err := nr.r.CodeBlock(&generator.CodeBlock{Code: code.String()})
	if err != nil {
		st.res.Errors.Add(st.lines.pos(0), "%v", err)
	}
	_, _ = w.WriteString(string(h))
	return ast.WalkSkipChildren, nil
}

// CodeBlock renders a fenced block with its title, emphasised lines and line
// numbers, as the theme shows it outside comparisons.
func (r *Renderer) CodeBlock(cb *generator.CodeBlock) (template.HTML, error) {
	opts, err := BlockOptions(cb)
	if err != nil {
		return "", generator.Errorf(cb.Pos, "%v", err)
	}
	code, err := r.opts.Highlighter.Block(cb.Code, cb.Lang, opts)
	if err != nil {
		return "", generator.Errorf(cb.Pos, "%v", err)
	}
	var b strings.Builder
	b.WriteString(`<div class="code-block"`)
	if cb.Lang != "" {
		fmt.Fprintf(&b, ` data-lang="%s"`, template.HTMLEscapeString(cb.Lang))
	}
	b.WriteString(">")
	if t := cb.Attrs["title"]; t != "" {
		fmt.Fprintf(&b, `<div class="code-title">%s</div>`, template.HTMLEscapeString(t))
	}
	b.WriteString(string(code))
	b.WriteString("</div>\n")
	return template.HTML(b.String()), nil
}

// BlockOptions reads hl_lines, linenos and linenostart from a block's attributes.
func BlockOptions(cb *generator.CodeBlock) (highlight.Options, error) {
	var opts highlight.Options
	if v, ok := cb.Attrs["hl_lines"]; ok {
		r, err := highlight.ParseRanges(v)
		if err != nil {
			return opts, fmt.Errorf("hl_lines: %v", err)
		}
		opts.HighlightLines = r
	}
	switch v := strings.ToLower(cb.Attrs["linenos"]); v {
	case "", "false":
	case "true", "table", "inline":
		opts.LineNumbers = true
	default:
		return opts, fmt.Errorf("linenos must be true or false, not %q", v)
	}
	if v, ok := cb.Attrs["linenostart"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return opts, fmt.Errorf("linenostart must be a number, not %q", v)
		}
		opts.LineStart = n
	}
	return opts, nil
}

// Inline renders inline Markdown (a table cell, a verdict line). Block
// Markdown (lists, several paragraphs, headings) is an error at pos.
func (r *Renderer) Inline(src string, pos generator.Pos) (template.HTML, error) {
	s := strings.TrimSpace(src)
	if s == "" {
		return "", nil
	}
	if m := inlineShortcode.FindStringSubmatch(s); m != nil && m[1] == DataShortcode {
		// Front matter is data, not a body: a reference there is a value.
		return "", generator.Errorf(pos, "{{< data >}} shows a data value in a page's body; in front matter write the value as {$data: versions.node.lts} (see docs/data.md)")
	}
	b := []byte(s)
	doc := r.inline.Parser().Parse(text.NewReader(b))
	first := doc.FirstChild()
	if hb, ok := first.(*ast.HTMLBlock); ok && doc.ChildCount() == 1 {
		// A cell that starts with a block-level tag (<script>, <div>) is
		// one line of raw HTML: the same rule as anywhere else.
		var raw strings.Builder
		for i := 0; i < hb.Lines().Len(); i++ {
			seg := hb.Lines().At(i)
			raw.Write(seg.Value(b))
		}
		if hb.HasClosure() {
			cl := hb.ClosureLine
			raw.Write(cl.Value(b))
		}
		if r.opts.Unsafe {
			return template.HTML(strings.TrimSpace(raw.String())), nil
		}
		return template.HTML(stdhtml.EscapeString(strings.TrimSpace(raw.String()))), nil
	}
	if doc.ChildCount() != 1 || first.Kind() != ast.KindParagraph {
		kind := "several paragraphs"
		if first != nil && first.Kind() != ast.KindParagraph {
			kind = "a " + strings.ToLower(first.Kind().String())
		}
		return "", generator.Errorf(pos, "only inline Markdown is allowed here (text, `code`, *emphasis*, links), found %s", kind)
	}
	if pos.File != "" {
		// Links to Markdown files work in table cells and verdicts as they
		// do in bodies.
		_ = ast.Walk(first, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				switch n := n.(type) {
				case *ast.Link:
					n.Destination = r.resolve(pos.File, n.Destination)
				case *ast.Image:
					n.Destination = r.resolve(pos.File, n.Destination)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	var out bytes.Buffer
	for c := first.FirstChild(); c != nil; c = c.NextSibling() {
		if err := r.inline.Renderer().Render(&out, b, c); err != nil {
			return "", generator.Errorf(pos, "%v", err)
		}
	}
	return template.HTML(strings.TrimSpace(out.String())), nil
}

// Block renders block Markdown outside a page body (a FAQ answer) and its
// plain text.
func (r *Renderer) Block(src string, pos generator.Pos) (template.HTML, string, error) {
	res := r.Render(pos.File, pos.Line, []byte(src))
	if len(res.Shortcodes) > 0 {
		return "", "", generator.Errorf(pos, "shortcodes are not allowed here")
	}
	return template.HTML(res.HTML), PlainText(string(res.HTML)), res.Errors.Err()
}

var (
	tagPattern = regexp.MustCompile(`<[^>]*>`)
	// annotationPattern matches the TeX source a formula carries, which
	// is for copying, not for reading.
	annotationPattern = regexp.MustCompile(`<annotation[ >][^<]*</annotation>`)
)

// PlainText strips tags from HTML and unescapes entities.
func PlainText(h string) string {
	s := h
	if strings.Contains(s, "<annotation") {
		s = annotationPattern.ReplaceAllString(s, "")
	}
	s = tagPattern.ReplaceAllString(s, "")
	s = strings.Join(strings.Fields(s), " ")
	return htmlUnescape(s)
}

func htmlUnescape(s string) string {
	return stdhtml.UnescapeString(s)
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if c.IsCode() {
				// The typographer's quotes and dashes are entities
				// (&ldquo;): the text has the characters.
				b.WriteString(stdhtml.UnescapeString(string(c.Value)))
			} else {
				b.Write(c.Value)
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tx, ok := t.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func countWords(b []byte) int {
	// A word is a run of non-space characters holding a letter or digit, so
	// punctuation split off by inline markup ("*five*.") is not a word. Each
	// CJK character counts as one, as readers of those scripts count.
	n := 0
	counted := false
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
				counted = false
			case !counted && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
				n++
				counted = true
			}
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			counted = false
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			n++
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n++
			counted = true
		}
	}
	return n
}

// ReadingTime is minutes at 213 words a minute (Hugo's rate), at least 1.
func ReadingTime(words int) int {
	return max(1, int(math.Round(float64(words)/213)))
}

// lineIndex maps byte offsets of a body to positions in its file.
type lineIndex struct {
	file   string
	first  int
	starts []int
}

func newLineIndex(file string, first int, body []byte) *lineIndex {
	li := &lineIndex{file: file, first: first, starts: []int{0}}
	for i, c := range body {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) pos(offset int) generator.Pos {
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return generator.Pos{File: li.file, Line: li.first + lo, Col: offset - li.starts[lo] + 1}
}

// ids makes heading ids that stay readable in any script and unique in a
// page: "Node.js vs Python" → "nodejs-vs-python", "Café" → "café", then
// "-1", "-2" for repeats. next remembers, per base, the suffix to try
// first, so n headings with the same text cost n steps, not n²/2 (20,000
// "## Same" took 41 s).
type ids struct {
	used map[string]bool
	next map[string]int
}

func newIDs() *ids { return &ids{used: map[string]bool{}, next: map[string]int{}} }

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := generator.AnchorID(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	if s.used[id] {
		i := max(s.next[base], 1)
		for s.used[base+"-"+strconv.Itoa(i)] {
			i++
		}
		id = base + "-" + strconv.Itoa(i)
		s.next[base] = i + 1
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an id set by hand ({#id}), which generated ones then avoid.
func (s *ids) Put(value []byte) { s.used[string(value)] = true }

// IsLocalPath reports whether a link destination points inside the site.
func IsLocalPath(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == "" && !strings.HasPrefix(dest, "//")
}

// JoinDest resolves a relative destination against a source file's folder.
func JoinDest(file, dest string) string {
	if strings.HasPrefix(dest, "/") {
		return path.Clean(dest)
	}
	return path.Join(path.Dir(file), dest)
}
