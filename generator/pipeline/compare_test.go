package pipeline_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (review, then go test ./generator/pipeline -update):\n--- want\n%s\n--- got\n%s", p, want, got)
	}
}

const comparisonSite = `
-- site.yaml --
title: Runtimes
baseURL: https://example.org/
subjects:
  node:
    name: Node.js
    language: javascript
    color: "#5fa04e"
  python:
    name: Python
    language: python
    color: "#3776ab"
-- layouts/bare.html --
{{ .Content }}
-- content/runtimes.md --
---
title: Node.js vs Python
layout: bare
tags: [runtime]
criteria:
  - name: Concurrency model
    node: Event loop; ` + "`worker_threads`" + ` for CPU work
    python: "[asyncio](https://docs.python.org/3/library/asyncio.html) and threads"
    winner: node
    note: Cells and notes are *inline* Markdown.
  - name: Official type checker
    node: false
    python: false
  - name: Package registry
    node: npm
    python: PyPI
    winner: [node, python]
  - name: Standard library modules
    node: 60
    python: 200
    winner: python
  - name: Ships a test runner
    node: true
    python: true
verdict:
  node: [You stream data to many clients at once]
  python: [Your work is data analysis, "You teach *programming*"]
faq:
  - q: Which is easier to learn?
    a: |
      It depends. Python reads like **pseudocode**.

      Node.js shares a language with the browser.
  - q: Can I use both?
    a: Yes.
---
{{< table >}}

{{< table criteria="Package registry, Concurrency model" caption="Two rows" >}}

{{< scoreboard >}}

{{< verdict >}}

{{< faq >}}
`

func TestComparisonGolden(t *testing.T) {
	s := sitetest.Build(t, comparisonSite)
	golden(t, "comparison.html", s.File("runtimes/index.html"))
}

func TestComparisonBlocks(t *testing.T) {
	s := sitetest.Build(t, comparisonSite)
	page := s.File("runtimes/index.html")
	s.Assert("runtimes/index.html",
		`<caption>Node.js vs Python</caption>`,
		`<th scope="col" role="columnheader">Criterion</th>`,
		`<th scope="row" role="rowheader">Concurrency model<span class="cmp-note">Cells and notes are <em>inline</em> Markdown.</span></th>`,
		`<code>worker_threads</code>`,
		`<a href="https://docs.python.org/3/library/asyncio.html">asyncio</a>`,
		// Booleans: a visible word, not colour alone.
		`<span class="mark-text">No</span>`, `<span class="mark-text">Yes</span>`,
		// Numbers stay numbers.
		`class="cmp-cell cmp-number subject-node"`, `<span class="cmp-value">60</span>`,
		// On phones each cell names its subject.
		`<span class="cmp-cell-name" aria-hidden="true">Node.js</span>`,
		// Winners are marked visibly and for screen readers.
		`<span class="visually-hidden">(winner)</span>`,
		`<caption>Two rows</caption>`,
		"Node.js <strong>2</strong>", "<strong>2</strong> Python",
		`Choose Node.js when`, `<li>You teach <em>programming</em></li>`,
		`<summary>Which is easier to learn?</summary>`, `<strong>pseudocode</strong>`,
	)
	// The subset table has exactly the two rows asked for, in that order.
	two := page[strings.Index(page, "<caption>Two rows</caption>"):]
	two = two[:strings.Index(two, "</table>")]
	if strings.Count(two, `scope="row"`) != 2 || strings.Index(two, "Package registry") > strings.Index(two, "Concurrency model") {
		t.Errorf("criteria=\"Package registry, Concurrency model\" must give those two rows in that order:\n%s", two)
	}
	// Winning cells: Concurrency (node), Registry (both), Stdlib (python).
	if n := strings.Count(page, "cmp-winner"); n != 4+3 {
		t.Errorf("%d winning cells over two tables, want 7", n)
	}
}

func TestScoreboardCountsSharedPoints(t *testing.T) {
	s := sitetest.Build(t, comparisonSite)
	page := s.File("runtimes/index.html")
	board := page[strings.Index(page, `<section class="scoreboard"`):]
	board = board[:strings.Index(board, "</section>")]
	for _, want := range []string{
		`Node.js <span class="score-points">2 points</span>`,
		`Python <span class="score-points">2 points</span>`,
		`<a href="#criterion-concurrency-model">Concurrency model</a>`,
		`<a href="#criterion-standard-library-modules">Standard library modules</a>`,
	} {
		if !strings.Contains(board, want) {
			t.Errorf("scoreboard lacks %q:\n%s", want, board)
		}
	}
	if strings.Count(board, "Package registry") != 2 {
		t.Errorf("a shared win is listed under both subjects:\n%s", board)
	}
}

func TestFAQJSONLD(t *testing.T) {
	s := sitetest.Build(t, strings.Replace(comparisonSite, "layout: bare\n", "", 1))
	page := s.File("runtimes/index.html")
	var found int
	for _, m := range regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		var ld struct {
			Type       string `json:"@type"`
			MainEntity []struct {
				Type   string `json:"@type"`
				Name   string `json:"name"`
				Answer struct {
					Type string `json:"@type"`
					Text string `json:"text"`
				} `json:"acceptedAnswer"`
			} `json:"mainEntity"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
		}
		if ld.Type != "FAQPage" {
			continue
		}
		found++
		if len(ld.MainEntity) != 2 || ld.MainEntity[0].Type != "Question" || ld.MainEntity[0].Name != "Which is easier to learn?" ||
			ld.MainEntity[0].Answer.Type != "Answer" || ld.MainEntity[0].Answer.Text != "It depends. Python reads like pseudocode. Node.js shares a language with the browser." {
			t.Errorf("FAQPage = %+v", ld)
		}
	}
	if found != 1 {
		t.Errorf("want exactly one FAQPage JSON-LD, found %d", found)
	}
}

func TestDefaultPlacement(t *testing.T) {
	// Without shortcodes in the body, the default layout shows every block
	// the front matter has data for, after the body.
	src := strings.Replace(comparisonSite, "layout: bare\n", "", 1)
	src = src[:strings.Index(src, "{{< table >}}")] + "Just prose.\n"
	s := sitetest.Build(t, src)
	page := s.File("runtimes/index.html")
	order := []string{"<p>Just prose.</p>", `class="cmp-table"`, `class="scoreboard"`, `class="verdict"`, `class="faq"`}
	last := -1
	for _, o := range order {
		i := strings.Index(page, o)
		if i < 0 || i < last {
			t.Fatalf("want %v in this order; %q at %d (previous at %d)", order, o, i, last)
		}
		last = i
	}
	// Placing one block keeps the others in the default place, once.
	s = sitetest.Build(t, strings.Replace(src, "Just prose.", "{{< verdict >}}\n\nJust prose.", 1))
	page = s.File("runtimes/index.html")
	if strings.Count(page, `class="verdict"`) != 1 || strings.Index(page, `class="verdict"`) > strings.Index(page, "<p>Just prose.</p>") {
		t.Errorf("a placed verdict must not be repeated after the body")
	}
	if strings.Count(page, `class="cmp-table"`) != 1 {
		t.Errorf("the table is still placed by the layout")
	}
}

func TestManySubjects(t *testing.T) {
	for _, n := range []int{3, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var site, cells, ids strings.Builder
			site.WriteString("-- site.yaml --\nsubjects:\n")
			for i := 1; i <= n; i++ {
				fmt.Fprintf(&site, "  s%d:\n    name: Subject %d\n", i, i)
				fmt.Fprintf(&cells, "    s%d: value %d\n", i, i)
				if i > 1 {
					ids.WriteString(", ")
				}
				fmt.Fprintf(&ids, "s%d", n+1-i)
			}
			site.WriteString("-- content/a.md --\n---\ntitle: Many\nsubjects: [" + ids.String() + "]\ncriteria:\n  - name: Row\n" + cells.String() + "    winner: [s1, s2]\n---\n")
			s := sitetest.Build(t, site.String())
			page := s.File("a/index.html")
			heads := regexp.MustCompile(`<th scope="col"[^>]*><a href="/subjects/(s\d)/">`).FindAllStringSubmatch(page, -1)
			if len(heads) != n || heads[0][1] != fmt.Sprintf("s%d", n) || heads[n-1][1] != "s1" {
				t.Fatalf("columns follow the page's subjects order; got %v", heads)
			}
			if c := strings.Count(page, `class="cmp-cell cmp-text`); c != n {
				t.Errorf("%d cells, want %d", c, n)
			}
			if !strings.Contains(page, "Subject 1 <span class=\"score-points\">1 point</span>") {
				t.Error("a shared win among many subjects gives each named subject a point")
			}
		})
	}
}

func TestSubjectPagesAndHome(t *testing.T) {
	s := sitetest.Build(t, comparisonSite+`
-- content/second.md --
---
title: Second
criteria:
  - name: Startup
    node: fast
    python: fast
    winner: python
---
`)
	s.Assert("subjects/node/index.html",
		`<caption>Every criterion Node.js is compared on</caption>`,
		`href="/runtimes/#criterion-concurrency-model">Concurrency model</a>`,
		`<span class="result won">Won</span>`, `<span class="result shared">Shared</span>`,
		`<span class="result lost">Lost</span>`, `<span class="result none">No verdict</span>`,
		`href="/second/#criterion-startup">Startup</a>`,
	)
	s.Assert("index.html", `href="/runtimes/"`, `href="/second/"`, `Node.js <strong>2</strong>`, `Node.js <strong>0</strong>`)
}
