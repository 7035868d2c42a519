package markdown

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/diagram"
)

// renderDiagram draws a ```d2 fence as an inline SVG figure. Its title
// attribute is the caption and, with alt, the text alternative; without
// them, the shapes and connections are listed in words.
func (nr *nodeRenderer) renderDiagram(w util.BufWriter, fc *ast.FencedCodeBlock, cb *generator.CodeBlock, st *renderState) {
	for k := range cb.Attrs {
		if k != "title" && k != "alt" {
			st.res.Errors.Add(cb.Pos, "a d2 block takes title=\"…\" and alt=\"…\", not %s", k)
		}
	}
	d, err := nr.r.opts.Diagrams.Render(cb.Code)
	var errs diagram.Errors
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			st.res.Errors.Add(diagramPos(fc, cb, st, e.Line, e.Col), "d2: %s", e.Message)
		}
		return
	case err != nil:
		st.res.Errors.Add(cb.Pos, "d2: %v", err)
		return
	}
	title, alt := cb.Attrs["title"], cb.Attrs["alt"]
	label := alt
	if label == "" {
		label = title
	}
	if label == "" {
		label = "Diagram: " + d.Text
	}
	svg := d.SVG
	if strings.HasPrefix(svg, "<svg ") {
		svg = fmt.Sprintf(`<svg role="img" aria-label="%s" width="%d" height="%d" `, escapeAttr(label), d.Width, d.Height) + svg[len("<svg "):]
	}
	_, _ = w.WriteString(`<figure class="diagram">` + svg)
	if title != "" {
		_, _ = w.WriteString(`<figcaption>` + escapeAttr(title) + `</figcaption>`)
	}
	_, _ = w.WriteString("</figure>\n")
}

// diagramPos is where line and col of a diagram's source are in the page.
func diagramPos(fc *ast.FencedCodeBlock, cb *generator.CodeBlock, st *renderState, line, col int) generator.Pos {
	if line >= 1 && line <= fc.Lines().Len() {
		return st.lines.pos(fc.Lines().At(line-1).Start + col - 1)
	}
	p := cb.Pos
	p.Line += line
	p.Col = col
	return p
}
