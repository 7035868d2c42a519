package pipeline_test

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/internal/sitetest"
)

func TestLayoutOverrides(t *testing.T) {
	s := sitetest.Build(t, `
-- site.yaml --
title: Overrides
params:
  tagline: Made by hand
-- layouts/partials/footer.html --
<footer id="custom-footer">{{ .Site.Params.tagline }}</footer>
-- layouts/plain.html --
<!doctype html><title>{{ .Title }}</title><body>{{ .Content }} {{ .WordCount }} words</body>
-- layouts/shortcodes/note.html --
<aside class="note" data-kind="{{ .Get "kind" }}">{{ markdownify .Inner }}</aside>
-- content/a.md --
---
title: Uses the theme
custom: 42
---
{{< note kind="tip" >}}
Some *inner* text.
{{< /note >}}
-- content/b.md --
---
title: Plain page
layout: plain
---
One two three.
`)
	// A site file overrides the theme's file of the same name only.
	s.Assert("a/index.html", `<footer id="custom-footer">Made by hand</footer>`, `class="site-header"`,
		`<aside class="note" data-kind="tip">Some <em>inner</em> text.</aside>`)
	// A layout that defines no block is the whole page.
	s.Assert("b/index.html", `<!doctype html><title>Plain page</title><body><p>One two three.</p>`, "3 words", `! class="site-header"`)
}

func TestTemplateData(t *testing.T) {
	s := sitetest.Build(t, `
-- site.yaml --
baseURL: https://example.org/sub/
-- layouts/single.html --
{{ define "main" }}
title={{ .Title }} kind={{ .Kind }} section={{ .Section }} draft={{ .Draft }}
rel={{ .RelPermalink }} abs={{ .Permalink }} date={{ dateFormat "2006-01-02" .Date }}
param={{ .Params.custom }} words={{ .WordCount }} minutes={{ .ReadingTime }}
summary={{ .Summary }}
site={{ .Site.Title }} pages={{ len .Site.Pages }} base={{ .Site.BaseURL }}
prev={{ with .Prev }}{{ .Title }}{{ end }} next={{ with .Next }}{{ .Title }}{{ end }}
related={{ range .Related }}{{ .Title }};{{ end }}
tags={{ range .Tags }}{{ .Name }}@{{ .URL }};{{ end }}
rel-url={{ relURL "x/y" }} abs-url={{ absURL "x/y" }} json={{ jsonify .Params.list }}
{{ end }}
-- content/docs/a.md --
---
title: A
date: 2026-01-02
tags: [t1]
custom: hello
list: [1, 2]
weight: 1
---
First paragraph here.

Second.
-- content/docs/b.md --
---
title: B
tags: [t1]
weight: 2
---
`)
	s.Assert("docs/a/index.html",
		"title=A kind=page section=docs draft=false",
		"rel=/sub/docs/a/ abs=https://example.org/sub/docs/a/ date=2026-01-02",
		"param=hello words=4 minutes=1",
		"summary=First paragraph here.",
		"pages=2 base=https://example.org/sub/",
		"prev= next=B", "related=B;", "tags=t1@/sub/tags/t1/;",
		"rel-url=/sub/x/y abs-url=https://example.org/sub/x/y json=[1,2]",
	)
	s.Assert("docs/index.html", `href="/sub/docs/a/"`, `href="/sub/docs/b/"`)
}

func TestTOMLSite(t *testing.T) {
	s := sitetest.Build(t, `
-- site.toml --
title = "TOML site"
[subjects.node]
name = "Node.js"
language = "javascript"
[subjects.python]
name = "Python"
language = "python"
-- content/a.md --
+++
title = "TOML page"
tags = ["x"]
[[criteria]]
name = "Speed"
node = "fast"
python = "fine"
winner = "node"
[[criteria]]
name = "Typing"
node = false
python = true
+++
Body.
`)
	s.Assert("a/index.html", "<title>TOML page · TOML site</title>", `<th scope="row" role="rowheader">Speed</th>`, `<th scope="row" role="rowheader">Typing</th>`, "Node.js <strong>1</strong>")
	page := s.File("a/index.html")
	if strings.Index(page, ">Speed<") > strings.Index(page, ">Typing<") {
		t.Error("criteria keep the order they are written in")
	}
	bad := sitetest.Try(t, `
-- site.toml --
[subjects.node]
name = "Node.js"
[subjects.python]
name = "Python"
-- content/a.md --
+++
title = "T"

[[criteria]]
name = "Speed"
node = "x"

[[criteria]]
name = "Size"
ruby = "y"
+++
`)
	bad.AssertError("content/a.md:10:1:", `"ruby"`)
}
