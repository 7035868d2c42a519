package pipeline_test

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/internal/sitetest"
)

const twoSubjects = `
-- site.yaml --
subjects:
  node:
    name: Node.js
    language: javascript
  python:
    name: Python
    language: python
  go:
    name: Go
    language: go
`

func TestErrorsArePositioned(t *testing.T) {
	cases := []struct {
		name    string
		archive string
		at      string
		words   []string
	}{
		{"bad YAML front matter", `
-- content/a.md --
---
title: A
tags: [x, y
date: 2026-01-01
---
Body.
`, "content/a.md:", []string{"content/a.md:"}},
		{"YAML value of the wrong type", `
-- content/a.md --
---
title: A
description: Fine.
draft: "yes"
---
`, "content/a.md:4:8:", []string{"true or false"}},
		{"bad TOML front matter", `
-- content/a.md --
+++
title = "A"
weight = = 3
+++
`, "content/a.md:3:10:", []string{"toml"}},
		{"unknown site key", `
-- site.yaml --
title: T
colour: blue
`, "site.yaml:2:1:", []string{`unknown key "colour"`}},
		{"unknown subject key", `
-- site.yaml --
subjects:
  node:
    name: Node.js
    runtime: node
`, "site.yaml:4:5:", []string{`unknown key "runtime"`}},
		{"reserved subject id", `
-- site.yaml --
subjects:
  winner:
    name: W
`, "site.yaml:2:3:", []string{"reserved"}},
		{"bad subject id", `
-- site.yaml --
subjects:
  Node JS:
    name: W
`, "site.yaml:2:3:", []string{"lowercase word"}},
		{"unknown subject in a criterion", twoSubjects + `
-- content/a.md --
---
title: A
subjects: [node, python]
criteria:
  - name: Speed
    node: fast
    ruby: slow
---
`, "content/a.md:7:5:", []string{`unknown subject "ruby"`}},
		{"criterion names a subject the page does not compare", twoSubjects + `
-- content/a.md --
---
subjects: [node, python]
criteria:
  - name: Speed
    node: fast
    go: faster
---
`, "content/a.md:6:5:", []string{`"go"`, "does not compare"}},
		{"unknown page subject", twoSubjects + `
-- content/a.md --
---
subjects: [node, deno]
---
`, "content/a.md:2:18:", []string{`unknown subject "deno"`}},
		{"criterion without a name", twoSubjects + `
-- content/a.md --
---
criteria:
  - node: fast
    python: slow
---
`, "content/a.md:3:5:", []string{"without a name"}},
		{"duplicate criterion", twoSubjects + `
-- content/a.md --
---
criteria:
  - name: Speed
    node: a
  - name: speed
    node: b
---
`, "content/a.md:5:11:", []string{"already defined at line 3"}},
		{"winner not compared", twoSubjects + `
-- content/a.md --
---
subjects: [node, python]
criteria:
  - name: Speed
    node: a
    winner: go
---
`, "content/a.md:6:13:", []string{"winner", `"go"`}},
		{"value of the wrong shape", twoSubjects + `
-- content/a.md --
---
criteria:
  - name: Speed
    node: [a, b]
---
`, "content/a.md:4:11:", []string{"text, a number or true/false"}},
		{"block Markdown in a cell", twoSubjects + `
-- content/a.md --
---
criteria:
  - name: Speed
    node: "- a list"
---
`, "content/a.md:4:11:", []string{"only inline Markdown"}},
		{"verdict of the wrong shape", twoSubjects + `
-- content/a.md --
---
verdict:
  node:
    - {why: x}
---
`, "content/a.md:4:7:", []string{"verdict entry"}},
		{"faq entry without an answer", twoSubjects + `
-- content/a.md --
---
faq:
  - q: Why?
---
`, "content/a.md:3:5:", []string{"has no a: (its answer)"}},
		{"unknown shortcode", `
-- content/a.md --
---
title: A
---
Text.

{{< nope >}}
`, "content/a.md:6:1:", []string{`unknown shortcode "nope"`}},
		{"table of unknown criteria", twoSubjects + `
-- content/a.md --
---
criteria:
  - name: Speed
    node: a
---
{{< table criteria="Speed, Size" >}}
`, "content/a.md:6:1:", []string{`"Size"`}},
		{"unclosed compare", twoSubjects + `
-- content/a.md --
---
title: A
---
{{< compare >}}
` + "```js\nx()\n```\n", "content/a.md:4:1:", []string{"never closed"}},
		{"compare block language of no subject", twoSubjects + `
-- content/a.md --
---
subjects: [node, python]
---
{{< compare >}}
` + "```js\nx()\n```\n```ruby\nx\n```\n{{< /compare >}}\n", "content/a.md:8:1:", []string{`"ruby"`, "matches no subject"}},
		{"two blocks for one subject", twoSubjects + `
-- content/a.md --
---
subjects: [node, python]
---
{{< compare >}}
` + "```js\nx()\n```\n```javascript\ny()\n```\n{{< /compare >}}\n", "content/a.md:8:1:", []string{"second Node.js block", "line 5"}},
		{"template error", `
-- layouts/single.html --
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .NoSuchField }}</p>
{{ end }}
-- content/a.md --
---
title: A
---
`, "layouts/single.html:3:", []string{"NoSuchField"}},
		{"template syntax error", `
-- layouts/list.html --
{{ define "main" }}
{{ if }}
{{ end }}
`, "layouts/list.html:2:", nil},
		{"unknown layout in front matter", `
-- content/a.md --
---
title: A
layout: wide
---
`, "content/a.md:3:9:", []string{"layouts/wide.html"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sitetest.Try(t, c.archive)
			s.AssertError(c.at, c.words...)
		})
	}
}

func TestAllErrorsReported(t *testing.T) {
	s := sitetest.Try(t, twoSubjects+`
-- content/a.md --
---
criteria:
  - name: Speed
    ruby: x
---
-- content/b.md --
---
draft: maybe
---
-- content/c.md --
---
title: C
---
{{< nope >}}
`)
	s.AssertError("content/a.md:4:5:", "ruby")
	s.AssertError("content/c.md:4:1:", "nope")
	s.AssertError("content/b.md:2:8:", "true or false")
	if got := len(s.Errors()); got < 2 {
		t.Errorf("want every error at once, got %d: %v", got, s.Errors())
	}
	for _, e := range s.Errors() {
		if !strings.HasPrefix(e, "content/") {
			t.Errorf("error %q is not relative to the site root", e)
		}
	}
}

// A template error carries its position as data, not inside its text, so
// errors sort by it and the watch overlay can show the template's lines.
func TestTemplateErrorsArePositioned(t *testing.T) {
	s := sitetest.Try(t, `
-- layouts/single.html --
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .NoSuchField }}</p>
{{ end }}
-- content/a.md --
---
title: A
---
`)
	for _, e := range generator.Errors(s.Err) {
		if e.Pos.File == "layouts/single.html" && e.Pos.Line == 3 && e.Pos.Col > 0 && !strings.Contains(e.Msg, "single.html:3") && e.Err != nil {
			return
		}
	}
	t.Errorf("no error positioned at layouts/single.html:3 with the position out of its message; got %#v", generator.Errors(s.Err))
}
