package markdown

import (
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindData is the AST kind of a reference to a data file's value in a
// body: {{< data "versions.node.lts" >}}.
var KindData = ast.NewNodeKind("Data")

// DataShortcode is the name of the shortcode that shows a data value. It
// is the one shortcode that works within a line ("Node.js {{< data
// "versions.node.lts" >}} is the LTS"), since a value is text.
const DataShortcode = "data"

type dataNode struct {
	ast.BaseInline
	path     string
	offset   int
	text     string
	resolved bool
}

func (n *dataNode) Kind() ast.NodeKind { return KindData }

func (n *dataNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"path": n.path}, nil)
}

var dataTag = regexp.MustCompile(`^\{\{<\s*data\s+"([^"\n]*)"\s*/?>\}\}`)

// dataInline parses {{< data "path" >}} anywhere in a line; code spans,
// parsed first, keep theirs as written.
type dataInline struct{}

func (dataInline) Trigger() []byte { return []byte{'{'} }

func (dataInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	m := dataTag.FindSubmatchIndex(line)
	if m == nil {
		return nil
	}
	n := &dataNode{path: string(line[m[2]:m[3]]), offset: seg.Start}
	block.Advance(m[1])
	return n
}

func (nr *nodeRenderer) renderData(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.Write(util.EscapeHTML([]byte(node.(*dataNode).text)))
	}
	return ast.WalkSkipChildren, nil
}

// dataRef looks the value up once, before rendering, so that an unknown
// path is an error at its line.
func (r *Renderer) dataRef(n *dataNode, st *renderState) {
	if n.resolved {
		return
	}
	n.resolved = true
	pos := st.lines.pos(n.offset)
	if r.opts.Data == nil {
		st.res.Errors.Add(pos, "{{< data >}} shows a value of a data file, and this page is rendered without them")
		return
	}
	v, err := r.opts.Data(n.path)
	if err != nil {
		st.res.Errors.Add(pos, "%v", err)
		return
	}
	n.text = v
}
