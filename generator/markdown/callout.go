package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/versus-ssg/versus/generator"
)

// CalloutTypes are the kinds of callout, in GitHub's order; each has a
// title, a colour and an icon in the theme.
var CalloutTypes = []string{"note", "tip", "important", "warning", "caution"}

// KindCallout is the AST kind of a callout.
var KindCallout = ast.NewNodeKind("Callout")

// calloutNode is a GitHub alert (> [!NOTE]) or a {{< callout >}}
// shortcode: a container whose children are the body.
type calloutNode struct {
	ast.BaseBlock
	typ string
	// title is the writer's own title, inline Markdown; "" means the
	// type's name.
	title string
	// fold is "" for a plain callout, "-" for a closed <details> and "+"
	// for an open one.
	fold   string
	offset int // of the marker or the shortcode in the source
	// titleOffset is where title starts in the source, or -1 when it comes
	// from a shortcode argument.
	titleOffset int
	err         string
}

func (n *calloutNode) Kind() ast.NodeKind { return KindCallout }

func (n *calloutNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"type": n.typ, "title": n.title, "fold": n.fold}, nil)
}

// alertMarker is GitHub's first line of an alert, with the fold sign and
// title that Obsidian and MkDocs allow after it.
var alertMarker = regexp.MustCompile(`^\[!([A-Za-z]+)\]([+-]?)(?:[ \t]+(.*?))?[ \t]*$`)

// calloutTransformer turns alerts and callout shortcodes into callout nodes.
type calloutTransformer struct{}

func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var found []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Blockquote:
			found = append(found, n)
		case *shortcodeNode:
			if n.name == "callout" {
				found = append(found, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range found {
		var c *calloutNode
		switch n := n.(type) {
		case *ast.Blockquote:
			c = alert(n, src)
		case *shortcodeNode:
			c = calloutShortcode(n)
		}
		if c == nil {
			continue
		}
		for ch := n.FirstChild(); ch != nil; {
			next := ch.NextSibling()
			c.AppendChild(c, ch)
			ch = next
		}
		n.Parent().ReplaceChild(n.Parent(), n, c)
	}
}

// alert makes a callout of a blockquote whose first line is [!TYPE], or
// returns nil for an ordinary blockquote.
func alert(bq *ast.Blockquote, src []byte) *calloutNode {
	p, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return nil
	}
	first := p.Lines().At(0)
	line := bytes.TrimRight(first.Value(src), "\r\n")
	m := alertMarker.FindSubmatchIndex(line)
	if m == nil {
		return nil
	}
	c := &calloutNode{
		typ:         strings.ToLower(string(line[m[2]:m[3]])),
		fold:        string(line[m[4]:m[5]]),
		offset:      first.Start,
		titleOffset: -1,
	}
	if m[6] >= 0 {
		c.title = string(line[m[6]:m[7]])
		c.titleOffset = first.Start + m[6]
	}
	c.check()
	// The marker line is the title, not body: drop its inline nodes, and
	// the paragraph if nothing else is in it.
	for ch := p.FirstChild(); ch != nil; {
		next := ch.NextSibling()
		if off := inlineStart(ch); off >= 0 && off < first.Stop {
			p.RemoveChild(p, ch)
		} else if off >= first.Stop {
			break
		}
		ch = next
	}
	if p.Lines().Len() == 1 || p.FirstChild() == nil {
		bq.RemoveChild(bq, p)
	} else {
		lines := text.NewSegments()
		for i := 1; i < p.Lines().Len(); i++ {
			lines.Append(p.Lines().At(i))
		}
		p.SetLines(lines)
	}
	return c
}

// inlineStart is where an inline node's first text starts, or -1.
func inlineStart(n ast.Node) int {
	found := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// calloutShortcode makes a callout of {{< callout type="…" title="…" >}}.
func calloutShortcode(sc *shortcodeNode) *calloutNode {
	c := &calloutNode{offset: sc.offset, titleOffset: -1, typ: "note"}
	named, positional, ok := ParseArgs(sc.args)
	switch {
	case !ok:
		c.err = "cannot read the arguments of shortcode \"callout\": " + sc.args + ` (write type="warning" title="…")`
		return c
	case !sc.closed:
		c.err = "{{< callout >}} is never closed: end it with {{< /callout >}} on its own line"
		return c
	}
	if len(positional) > 0 {
		named["type"] = positional[0]
	}
	for k, v := range named {
		switch k {
		case "type":
			c.typ = strings.ToLower(v)
		case "title":
			c.title = v
		case "collapsible":
			switch v {
			case "true", "open":
				if c.fold == "" {
					c.fold = "-"
				}
				if v == "open" {
					c.fold = "+"
				}
			case "false":
			default:
				c.err = `collapsible must be true, false or open, not "` + v + `"`
				return c
			}
		case "open":
			switch v {
			case "true":
				c.fold = "+"
			case "false":
			default:
				c.err = `open must be true or false, not "` + v + `"`
				return c
			}
		default:
			spec, _ := generator.BuiltinShortcode("callout")
			c.err = "{{< callout >}} has no argument " + k + " (it takes " + strings.Join(spec.Named, ", ") + ")"
			return c
		}
	}
	c.check()
	return c
}

func (c *calloutNode) check() {
	for _, t := range CalloutTypes {
		if c.typ == t {
			return
		}
	}
	c.err = "unknown callout type \"" + c.typ + "\" (known: " + strings.Join(CalloutTypes, ", ") + ")"
	if s := generator.Suggest(c.typ, CalloutTypes); s != "" {
		c.err += "; did you mean " + s + "?"
	}
}

// calloutTitles are the default titles, by type.
var calloutTitles = map[string]string{"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}

// calloutIcons are 16×16 inline SVG paths (drawn for versus), by type.
var calloutIcons = map[string]string{
	// a circled "i"
	"note": `<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 7v4.5" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="4.75" r="1" fill="currentColor"/>`,
	// a light bulb
	"tip": `<path d="M8 1.5a4.5 4.5 0 0 0-2.6 8.2c.4.3.6.7.6 1.1V12h4v-1.2c0-.4.2-.8.6-1.1A4.5 4.5 0 0 0 8 1.5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M6 14.25h4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>`,
	// a speech bubble with "!"
	"important": `<path d="M2 2.75h12v8.5H8.5L5 14v-2.75H2z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M8 4.75v3" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="9.5" r=".9" fill="currentColor"/>`,
	// a triangle with "!"
	"warning": `<path d="M8 1.75 15 14.25H1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M8 6v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="12" r=".9" fill="currentColor"/>`,
	// an octagon with "!"
	"caution": `<path d="M5.1 1.5h5.8l3.6 3.6v5.8l-3.6 3.6H5.1l-3.6-3.6V5.1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M8 4.5v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="11" r=".9" fill="currentColor"/>`,
}

func (nr *nodeRenderer) renderCallout(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*calloutNode)
	if n.err != "" {
		return ast.WalkSkipChildren, nil
	}
	st := stateOf(w)
	if !entering {
		_, _ = w.WriteString("</div>")
		if n.fold != "" {
			_, _ = w.WriteString("</details>\n")
		} else {
			_, _ = w.WriteString("</aside>\n")
		}
		return ast.WalkContinue, nil
	}
	title, err := nr.r.word(calloutTitles[n.typ], "callout"+strings.ToUpper(n.typ[:1])+n.typ[1:])
	if err != nil && st != nil {
		st.res.Errors.Add(st.lines.pos(n.offset), "%v", err)
	}
	titleHTML := escapeAttr(title)
	if n.title != "" {
		pos := generator.Pos{}
		if st != nil {
			pos = st.lines.pos(max(n.titleOffset, n.offset))
		}
		h, err := nr.r.Inline(n.title, pos)
		if err != nil && st != nil {
			st.res.Errors.Append(pos, err)
		}
		titleHTML = string(h)
		title = PlainText(titleHTML)
	}
	icon := `<svg class="callout-icon" aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">` + calloutIcons[n.typ] + `</svg>`
	class := `callout callout-` + n.typ
	if n.fold != "" {
		_, _ = w.WriteString(`<details class="` + class + `"`)
		if n.fold == "+" {
			_, _ = w.WriteString(" open")
		}
		_, _ = w.WriteString(`><summary class="callout-title">` + icon + `<span>` + titleHTML + `</span></summary><div class="callout-body">`)
		return ast.WalkContinue, nil
	}
	// The aside's label names it for screen readers, who then need not
	// hear the visible title again.
	_, _ = w.WriteString(`<aside class="` + class + `" aria-label="` + escapeAttr(title) + `"><p class="callout-title" aria-hidden="true">` + icon + `<span>` + titleHTML + `</span></p><div class="callout-body">`)
	return ast.WalkContinue, nil
}

func escapeAttr(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var _ renderer.NodeRenderer = (*nodeRenderer)(nil)
