package meta

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name, in       string
		found          bool
		format         Format
		fm, body       string
		bodyLine, line int
	}{
		{"yaml", "---\ntitle: A\n---\nBody\n", true, YAML, "title: A\n", "Body\n", 4, 2},
		{"toml", "+++\ntitle = 'A'\n+++\nBody", true, TOML, "title = 'A'\n", "Body", 4, 2},
		{"none", "# Just Markdown\n", false, YAML, "", "# Just Markdown\n", 1, 0},
		{"crlf", "---\r\ntitle: A\r\n---\r\nBody", true, YAML, "title: A\r\n", "Body", 4, 2},
		{"bom", "\ufeff---\na: 1\n---\n", true, YAML, "a: 1\n", "", 4, 2},
		{"empty", "---\n---\nx", true, YAML, "", "x", 3, 2},
		{"thematic break is not front matter", "text\n---\nmore", false, YAML, "", "text\n---\nmore", 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fm, body, bodyLine, found, err := Split("a.md", []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if found != c.found || string(body) != c.body || bodyLine != c.bodyLine {
				t.Fatalf("found=%v body=%q line=%d", found, body, bodyLine)
			}
			if found && (fm.Format != c.format || string(fm.Data) != c.fm || fm.Line != c.line) {
				t.Fatalf("fm = %+v", fm)
			}
		})
	}
	if _, _, _, _, err := Split("a.md", []byte("---\ntitle: x\nno end\n")); err == nil || !strings.HasPrefix(err.Error(), "a.md:1:1: front matter") {
		t.Errorf("unclosed front matter: %v", err)
	}
}

func TestDecodePositions(t *testing.T) {
	src := Source{Format: YAML, File: "content/a.md", Line: 2, Data: []byte("title: A\ncriteria:\n  - name: Speed\n    node: fast\nwhen: 2026-11-01\nquoted: \"2026-11-01\"\n")}
	n, err := Decode(src)
	if err != nil {
		t.Fatal(err)
	}
	c := n.Get("criteria").List[0]
	if c.Pos != (generator.Pos{File: "content/a.md", Line: 4, Col: 5}) {
		t.Errorf("criterion at %v, want content/a.md:4:5", c.Pos)
	}
	if v := c.Get("node"); v.KeyPos.Line != 5 || v.KeyPos.Col != 5 || v.Pos.Col != 11 || v.Str != "fast" {
		t.Errorf("node value = %+v", v)
	}
	if n.Get("when").Kind != generator.TimeValue || n.Get("quoted").Kind != generator.StringValue {
		t.Error("unquoted dates are dates, quoted ones strings")
	}
	if got := strings.Join(n.Keys, ","); got != "title,criteria,when,quoted" {
		t.Errorf("keys in source order: %s", got)
	}
	_, err = Decode(Source{Format: YAML, File: "site.yaml", Line: 1, Data: []byte("a: 1\na: 2\n")})
	if err == nil || !strings.HasPrefix(err.Error(), "site.yaml:2:1:") {
		t.Errorf("duplicate key error = %v", err)
	}
	_, err = Decode(Source{Format: YAML, File: "x.md", Line: 2, Data: []byte("- a\n- b\n")})
	if err == nil || !strings.Contains(err.Error(), "top level") {
		t.Errorf("a list at the top must be refused: %v", err)
	}
}

func TestDecodeTOMLPositions(t *testing.T) {
	src := Source{Format: TOML, File: "content/a.md", Line: 2, Data: []byte("title = 'A'\n\n[[criteria]]\nname = 'Speed'\nnode = 'fast'\n\n[[criteria]]\nname = 'Size'\ninline = { a = 1, b = [1, 2] }\n")}
	n, err := Decode(src)
	if err != nil {
		t.Fatal(err)
	}
	cr := n.Get("criteria")
	if len(cr.List) != 2 || cr.List[1].Get("name").Str != "Size" {
		t.Fatalf("criteria = %+v", cr)
	}
	if p := cr.List[0].Get("node").Pos; p.Line != 6 {
		t.Errorf("node at %v, want line 6", p)
	}
	if p := cr.List[1].Get("inline").Get("b").Pos; p.Line != 10 {
		t.Errorf("inline table key at %v, want line 10", p)
	}
	_, err = Decode(Source{Format: TOML, File: "site.toml", Line: 1, Data: []byte("a = 1\nb = \n")})
	if err == nil || !strings.HasPrefix(err.Error(), "site.toml:2:") {
		t.Errorf("TOML syntax error = %v", err)
	}
}

func FuzzSplitDecode(f *testing.F) {
	for _, s := range []string{"---\ntitle: A\n---\nx", "+++\na = 1\n+++\n", "---\n- [\n---\n", "---\na: &x 1\nb: *x\n---", "+++\n[[c]]\nn = 1\n+++"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, body, line, found, err := Split("a.md", []byte(s))
		if err != nil || !found {
			return
		}
		if line < 2 || len(body) > len(s) {
			t.Fatalf("line %d body %d", line, len(body))
		}
		n, err := Decode(fm)
		if err == nil && n.Kind != generator.MapValue {
			t.Fatalf("decoded a %s", n.Kind)
		}
		if err != nil {
			for _, e := range generator.Errors(err) {
				if e.Pos.File != "a.md" {
					t.Fatalf("error without the file: %v", e)
				}
			}
		}
	})
}
