package markdown

import (
	"bytes"
	"errors"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/versus-ssg/versus/generator/texmath"
)

// KindMath is the AST kind of a formula within a line ($…$ or $$…$$),
// KindMathBlock of a $$ block on lines of its own.
var (
	KindMath      = ast.NewNodeKind("Math")
	KindMathBlock = ast.NewNodeKind("MathBlock")
)

// formula is a formula's TeX, as the source pieces in segs joined. It is
// rendered to MathML once, so the summary and the body share one result and
// one error.
type formula struct {
	display bool
	segs    []text.Segment
	html    string
	// open is the offset of the opening $ or $$, for errors about the
	// formula as a whole.
	open     int
	closed   bool
	rendered bool
}

type mathNode struct {
	ast.BaseInline
	formula
}

func (n *mathNode) Kind() ast.NodeKind { return KindMath }

func (n *mathNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"tex": n.tex(source)}, nil)
}

type mathBlockNode struct {
	ast.BaseBlock
	formula
}

func (n *mathBlockNode) Kind() ast.NodeKind { return KindMathBlock }

// IsRaw keeps goldmark from parsing Markdown in a $$ block's lines.
func (n *mathBlockNode) IsRaw() bool { return true }

func (n *mathBlockNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"tex": n.tex(source)}, nil)
}

func (n *formula) tex(src []byte) string {
	var b strings.Builder
	for _, s := range n.segs {
		b.Write(s.Value(src))
	}
	return b.String()
}

// offset maps a byte offset in the TeX back to the source.
func (n *formula) offset(texOff int) int {
	for _, s := range n.segs {
		if texOff <= s.Len() {
			return s.Start + texOff
		}
		texOff -= s.Len()
	}
	if len(n.segs) > 0 {
		return n.segs[len(n.segs)-1].Stop
	}
	return n.open
}

// mathInline parses $…$ and $$…$$ within a line, by Pandoc's rule, which
// keeps prices in prose ("$5 or $10") plain text: the opening $ is
// followed by a non-space, the closing $ follows a non-space and is not
// followed by a digit. \$ is a literal dollar sign.
type mathInline struct{}

func (mathInline) Trigger() []byte { return []byte{'$'} }

func (mathInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 2 {
		return nil
	}
	if line[1] == '$' {
		// $$…$$ inside a line is display math.
		end := bytes.Index(line[2:], []byte("$$"))
		if end <= 0 || len(bytes.TrimSpace(line[2:2+end])) == 0 {
			return nil
		}
		n := &mathNode{formula: formula{display: true, open: seg.Start, closed: true, segs: []text.Segment{text.NewSegment(seg.Start+2, seg.Start+2+end)}}}
		block.Advance(2 + end + 2)
		return n
	}
	if isSpace(line[1]) {
		return nil
	}
	for i := 1; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '$':
			if isSpace(line[i-1]) || i+1 < len(line) && '0' <= line[i+1] && line[i+1] <= '9' {
				continue
			}
			n := &mathNode{formula: formula{open: seg.Start, closed: true, segs: []text.Segment{text.NewSegment(seg.Start+1, seg.Start+i)}}}
			block.Advance(i + 1)
			return n
		}
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// mathBlock parses a display formula on lines of its own:
//
//	$$
//	\sum_{i=1}^n i
//	$$
type mathBlock struct{}

func (mathBlock) Trigger() []byte { return []byte{'$'} }

func (mathBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte("$$")) {
		return nil, parser.NoChildren
	}
	start := seg.Start + pos + 2
	rest := bytes.TrimRight(line[pos+2:], " \t\r\n")
	n := &mathBlockNode{formula: formula{display: true, open: seg.Start + pos}}
	if len(rest) >= 2 && bytes.HasSuffix(rest, []byte("$$")) {
		// $$ x $$ on one line.
		n.segs = []text.Segment{text.NewSegment(start, start+len(rest)-2)}
		n.closed = true
		reader.AdvanceToEOL()
		return n, parser.Close
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		n.segs = append(n.segs, text.NewSegment(start, start+len(rest)))
	}
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

func (mathBlock) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*mathBlockNode)
	if n.closed {
		return parser.Close
	}
	line, seg := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	body := bytes.TrimRight(line, " \t\r\n")
	if bytes.HasSuffix(body, []byte("$$")) {
		if len(body) > 2 {
			n.segs = append(n.segs, text.NewSegment(seg.Start, seg.Start+len(body)-2))
		}
		n.closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	n.segs = append(n.segs, seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (mathBlock) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (mathBlock) CanInterruptParagraph() bool { return true }

func (mathBlock) CanAcceptIndentedLine() bool { return false }

// renderMath converts a formula the first time it is rendered (the
// summary may render it before the body does).
func (r *Renderer) renderMath(n *formula, block bool, st *renderState) {
	if n.rendered {
		return
	}
	n.rendered = true
	if !n.closed {
		st.res.Errors.Add(st.lines.pos(n.open), "$$ is never closed: end the formula with $$ at the end of a line")
		return
	}
	tex := n.tex(st.src)
	h, err := r.opts.Math.Render(tex, n.display)
	var te *texmath.Error
	switch {
	case errors.As(err, &te):
		st.res.Errors.Add(st.lines.pos(n.offset(te.Offset)), "TeX: %s (write \\$ for a dollar sign that is not math)", te.Message)
	case err != nil:
		st.res.Errors.Add(st.lines.pos(n.open), "rendering math: %v", err)
	}
	if block {
		h = `<div class="math-display">` + h + "</div>\n"
	}
	n.html = h
}

func (nr *nodeRenderer) renderMathNode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		st := stateOf(w)
		switch n := node.(type) {
		case *mathNode:
			nr.r.renderMath(&n.formula, false, st)
			_, _ = w.WriteString(n.html)
		case *mathBlockNode:
			nr.r.renderMath(&n.formula, true, st)
			_, _ = w.WriteString(n.html)
		}
	}
	return ast.WalkSkipChildren, nil
}

// mathParsers are the parsers math needs, for a site that turned it on.
func mathParsers() []parser.Option {
	return []parser.Option{
		parser.WithBlockParsers(util.Prioritized(mathBlock{}, 60)),
		parser.WithInlineParsers(util.Prioritized(mathInline{}, 150)),
	}
}
