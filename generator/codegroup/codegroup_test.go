package codegroup

import (
	"regexp"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/highlight"
)

var (
	node   = &generator.Subject{ID: "node", Name: "Node.js", Language: "javascript"}
	python = &generator.Subject{ID: "python", Name: "Python", Language: "python"}
)

var tags = regexp.MustCompile(`<[^>]*>`)

// text is what a segment's HTML shows and what the copy button reads: the
// text of its lines, hidden ones included.
func text(h string) string {
	return strings.NewReplacer("&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(tags.ReplaceAllString(h, ""))
}

func TestStepsAlignAndKeepTheCodeWhole(t *testing.T) {
	js := "import http from 'node:http';\n\n// step: Listen\nhttp.createServer(handle)\n  .listen(8080);\n\n// step: Handle\nfunction handle(req, res) {\n  res.end('hi');\n}\n"
	py := "# step: Listen\nserver = HTTPServer(('', 8080), Handler)\n\n\n# step: Handle\nclass Handler:\n    pass\n"
	g, err := Build(highlight.New(), "g", []Source{
		{Subject: node, Lang: "js", Code: js},
		{Subject: python, Lang: "python", Code: py},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.Steps, "|"); got != "|Listen|Handle" {
		t.Fatalf("steps %q", got)
	}
	for _, p := range g.Panes {
		if len(p.Segments) != 3 {
			t.Fatalf("%s has %d segments, want one per row (3)", p.Subject.ID, len(p.Segments))
		}
	}
	// Python has no code before its first step: an empty placeholder row.
	if !g.Panes[1].Segments[0].Empty {
		t.Error("python's first row is not empty")
	}
	// The segments together hold the code without its markers, blank
	// lines included, so copying a pane gives the file as written.
	for i, want := range []string{
		"import http from 'node:http';\n\nhttp.createServer(handle)\n  .listen(8080);\n\nfunction handle(req, res) {\n  res.end('hi');\n}\n",
		"server = HTTPServer(('', 8080), Handler)\n\n\nclass Handler:\n    pass\n",
	} {
		var b strings.Builder
		for _, s := range g.Panes[i].Segments {
			b.WriteString(text(string(s.HTML)))
		}
		if b.String() != want {
			t.Errorf("%s copies as\n%q\nwant\n%q", g.Panes[i].Subject.ID, b.String(), want)
		}
	}
	// …but the blank lines between steps are hidden, and indented lines say
	// how far, for the hanging indent of wrapped lines.
	listen := string(g.Panes[0].Segments[1].HTML)
	if n := strings.Count(listen, `<span class="line" hidden>`); n != 1 {
		t.Errorf("the Listen step has %d hidden lines, want 1:\n%s", n, listen)
	}
	if !strings.Contains(listen, `<span class="line" style="--indent: 2ch"><span class="cl"><span class="cg-ind">  </span>`) {
		t.Errorf("the indented line has no --indent, or its indentation no span:\n%s", listen)
	}
	if n := strings.Count(string(g.Panes[1].Segments[1].HTML), " hidden>"); n != 2 {
		t.Errorf("python's Listen step has %d hidden lines, want 2", n)
	}
}

func TestIndent(t *testing.T) {
	for line, want := range map[string]int{"x": 0, "  x": 2, "\tx": 4, "  \tx": 4, "     \tx": 8, "    ": 0, "": 0} {
		if got := indent(line); got != want {
			t.Errorf("indent(%q) = %d, want %d", line, got, want)
		}
	}
}
