// Package scaffold writes the text of a new comparison article: front matter
// with the site's subjects, a criteria skeleton and today's date, marked as a
// draft, and an outline of the body.
package scaffold

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// Article describes the page to scaffold.
type Article struct {
	Title string
	// Subjects are compared in this order; none gives a page without
	// criteria.
	Subjects []*generator.Subject
	Date     time.Time
	// Index makes a section's own page (_index.md): a title and an
	// introduction, no comparison.
	Index bool
	// Schema, when set, is the path from the page to the front matter's
	// JSON Schema, named in a modeline that editors read.
	Schema string
}

// criteria are the starting rows: common ground for most comparisons, for
// the writer to rename, extend or delete.
var criteria = []string{"Performance", "Learning curve", "Ecosystem and tooling"}

// Text returns the Markdown file.
func Text(a Article) []byte {
	var b strings.Builder
	q := func(s string) string {
		j, _ := json.Marshal(s) // a JSON string is a valid YAML double-quoted scalar
		return string(j)
	}
	ids := make([]string, len(a.Subjects))
	names := make([]string, len(a.Subjects))
	for i, s := range a.Subjects {
		ids[i], names[i] = s.ID, s.Name
	}
	b.WriteString("---\n")
	if a.Schema != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", a.Schema)
	}
	fmt.Fprintf(&b, "title: %s\n", q(a.Title))
	b.WriteString("# One sentence, shown in lists, search results and link previews.\n")
	fmt.Fprintf(&b, "description: %s\n", q(""))
	if a.Index {
		b.WriteString("---\n\nWhat the pages of this section have in common, and where to start.\n")
		return []byte(b.String())
	}
	fmt.Fprintf(&b, "date: %s\n", a.Date.Format("2006-01-02"))
	b.WriteString("draft: true   # build with --drafts to preview; remove to publish\n")
	b.WriteString("tags: []\n")
	if len(ids) > 0 {
		fmt.Fprintf(&b, "subjects: [%s]\n", strings.Join(ids, ", "))
		b.WriteString("# One row per criterion. Cells are inline Markdown, true/false or a number.\n")
		b.WriteString("# winner: a subject id, a list of ids for a shared point, or leave it out.\n")
		b.WriteString("criteria:\n")
		for _, c := range criteria {
			fmt.Fprintf(&b, "  - name: %s\n", q(c))
			for _, id := range ids {
				fmt.Fprintf(&b, "    %s: %s\n", id, q(""))
			}
			fmt.Fprintf(&b, "    # winner: %s\n", ids[0])
			fmt.Fprintf(&b, "    note: %s\n", q(""))
		}
		b.WriteString("# \"Choose … when\": reasons to pick each subject.\n")
		b.WriteString("verdict:\n")
		for _, id := range ids {
			fmt.Fprintf(&b, "  %s: []\n", id)
		}
	}
	b.WriteString("---\n\n")
	if len(names) > 0 {
		fmt.Fprintf(&b, "What this page compares between %s, for whom, and which versions it is about.\n", join(names))
	} else {
		b.WriteString("What this page is about, for whom, and which versions it covers.\n")
	}
	b.WriteString("\n## At a glance\n\n")
	b.WriteString("The short answer in two or three sentences. The comparison table, the score and the\nverdict from the front matter appear after the body unless you place them with\n`{{< table >}}`, `{{< scoreboard >}}` and `{{< verdict >}}` on lines of their own.\n")
	for _, c := range criteria {
		fmt.Fprintf(&b, "\n## %s\n\n", c)
		if len(names) > 0 {
			fmt.Fprintf(&b, "How %s differ here, with links to the official sources.\n", join(names))
		} else {
			b.WriteString("What differs here, with links to the official sources.\n")
		}
	}
	b.WriteString("\n## When to choose which\n\nThe situations where each one is the better fit.\n")
	return []byte(b.String())
}

func join(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Pick returns the subjects named by ids, in that order, or all of them when
// ids is empty. Unknown ids are reported together.
func Pick(cfg *generator.Config, ids []string) ([]*generator.Subject, error) {
	if len(ids) == 0 {
		return cfg.Subjects, nil
	}
	var out []*generator.Subject
	var unknown []string
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		s := cfg.Subject(id)
		if s == nil {
			unknown = append(unknown, id)
			continue
		}
		out = append(out, s)
	}
	if len(unknown) > 0 {
		var known []string
		for _, s := range cfg.Subjects {
			known = append(known, s.ID)
		}
		where := cfg.File
		if where == "" {
			where = "the site (it has no site.yaml)"
		}
		return nil, fmt.Errorf("no subject %s in %s; known: %s", strings.Join(unknown, ", "), where, orNone(known))
	}
	return out, nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
