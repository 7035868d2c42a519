package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/versus-ssg/versus/generator"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// KindShortcode is the AST kind of a shortcode line.
var KindShortcode = ast.NewNodeKind("Shortcode")

// shortcodeNode is a shortcode standing alone on its line. Paired shortcodes
// ({{< compare >}} … {{< /compare >}}) are containers: their inside is parsed
// as Markdown, so fenced code blocks in it stay literal and are collected.
type shortcodeNode struct {
	ast.BaseBlock
	name   string
	args   string
	offset int // of the opening line in the source
	paired bool
	closed bool
	inner  [2]int
	index  int
}

func (n *shortcodeNode) Kind() ast.NodeKind { return KindShortcode }

func (n *shortcodeNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"name": n.name, "args": n.args}, nil)
}

// IsRaw keeps goldmark from parsing inline content in the node itself.
func (n *shortcodeNode) IsRaw() bool { return true }

var shortcodeLine = regexp.MustCompile(`^\s{0,3}\{\{<\s*(/?)\s*([A-Za-z][\w-]*)\s*(.*?)\s*/?>\}\}\s*$`)

// parseLine reports whether line is a shortcode tag.
func parseLine(line []byte) (closing bool, name, args string, ok bool) {
	m := shortcodeLine.FindSubmatch(line)
	if m == nil {
		return false, "", "", false
	}
	return len(m[1]) > 0, string(m[2]), string(m[3]), true
}

type shortcodeParser struct{}

func (shortcodeParser) Trigger() []byte { return []byte{'{'} }

func (shortcodeParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	closing, name, args, ok := parseLine(bytes.TrimRight(line, "\r\n"))
	if !ok || name == DataShortcode && !closing {
		// A data value is text: a paragraph of its own holds it.
		return nil, parser.NoChildren
	}
	n := &shortcodeNode{name: name, args: args, offset: seg.Start}
	if closing {
		// A closing tag with no opening one: keep it visible as an error.
		n.name = "/" + name
		reader.Advance(seg.Len())
		return n, parser.NoChildren
	}
	reader.Advance(seg.Len())
	rest := reader.Source()[seg.Stop:]
	if spec, ok := generator.BuiltinShortcode(name); (ok && spec.Paired) || hasClosing(rest, name) {
		n.paired = true
		n.inner = [2]int{seg.Stop, seg.Stop}
		return n, parser.HasChildren
	}
	return n, parser.NoChildren
}

// hasClosing reports whether a closing tag for name follows on a line of its own.
func hasClosing(rest []byte, name string) bool {
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if closing, n, _, ok := parseLine(bytes.TrimRight(line, "\r")); ok && n == name {
			return closing
		}
	}
	return false
}

func (shortcodeParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*shortcodeNode)
	if !n.paired {
		return parser.Close
	}
	line, seg := reader.PeekLine()
	if closing, name, _, ok := parseLine(bytes.TrimRight(line, "\r\n")); ok && closing && name == n.name && !insideFence(pc, n) {
		n.closed = true
		n.inner[1] = seg.Start
		reader.Advance(seg.Len())
		return parser.Close
	}
	n.inner[1] = seg.Stop
	return parser.Continue | parser.HasChildren
}

// insideFence reports whether a fenced code block inside n is still open, in
// which case a closing tag on this line is code, not a tag.
func insideFence(pc parser.Context, n ast.Node) bool {
	for _, b := range pc.OpenedBlocks() {
		if b.Node.Kind() == ast.KindFencedCodeBlock && b.Node.Parent() == n {
			return true
		}
	}
	return false
}

func (shortcodeParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (shortcodeParser) CanInterruptParagraph() bool { return true }

func (shortcodeParser) CanAcceptIndentedLine() bool { return false }

var argPattern = regexp.MustCompile(`\s*(?:([A-Za-z_][\w-]*)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|` + "`[^`]*`" + `|[^\s"'=]+)`)

// ParseArgs splits shortcode arguments into named and positional ones.
func ParseArgs(s string) (named map[string]string, positional []string, ok bool) {
	named = map[string]string{}
	rest := strings.TrimSpace(s)
	for rest != "" {
		m := argPattern.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			return nil, nil, false
		}
		val := rest[m[4]:m[5]]
		if q := val[0]; len(val) >= 2 && (q == '"' || q == '\'' || q == '`') && val[len(val)-1] == q {
			val = val[1 : len(val)-1]
			if q == '"' {
				val = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(val)
			}
		} else if strings.ContainsAny(val, "\"'`") {
			return nil, nil, false
		}
		if m[2] >= 0 {
			named[rest[m[2]:m[3]]] = val
		} else {
			positional = append(positional, val)
		}
		rest = strings.TrimSpace(rest[m[1]:])
	}
	return named, positional, true
}
