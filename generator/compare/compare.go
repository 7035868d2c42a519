// Package compare turns a page's comparison front matter (subjects,
// criteria, verdict, faq) into a generator.Comparison: table rows, winners,
// the score and the verdict lists. It is pure data: Markdown in cells is
// rendered by the function the caller passes in.
package compare

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"versus/generator"
	"versus/generator/bench"
)

// Inline renders inline Markdown found at pos; it fails on block Markdown.
type Inline func(src string, pos generator.Pos) (template.HTML, error)

// Block renders block Markdown (FAQ answers).
type Block func(src string, pos generator.Pos) (template.HTML, string, error)

// Keys are the front matter keys this package reads.
var Keys = []string{"subjects", "criteria", "verdict", "faq"}

// criterionKeys are the keys a criterion has besides subject ids.
var criterionKeys = map[string]bool{"name": true, "winner": true, "note": true, "values": true, "bench": true}

// Evidence loads the recorded result of a benchmark sample, for criteria
// that name one with bench:. It returns the result, the subjects' labels
// and whether the sample's files changed since it was measured.
type Evidence func(sample string, pos generator.Pos) (*bench.Result, []bench.Label, bool, error)

// Build reads the comparison of a page. It returns nil when the page states
// no comparison data at all. Every problem is reported at its line.
func Build(page *generator.Page, cfg *generator.Config, inline Inline, block Block, evidence Evidence) (*generator.Comparison, error) {
	m := page.Meta
	if m == nil {
		return nil, nil
	}
	var errs generator.ErrorList
	c := &generator.Comparison{}
	c.Subjects = pageSubjects(page, cfg, &errs)
	has := false
	if n := m.Get("criteria"); n != nil && n.Kind != generator.Null {
		has = true
		c.Criteria = criteria(n, c.Subjects, cfg, inline, evidence, &errs)
	}
	if n := m.Get("verdict"); n != nil && n.Kind != generator.Null {
		has = true
		c.Verdict = verdict(n, c.Subjects, cfg, inline, &errs)
	}
	if n := m.Get("faq"); n != nil && n.Kind != generator.Null {
		has = true
		c.FAQ = faq(n, block, &errs)
	}
	if !has && m.Get("subjects") == nil {
		return nil, errs.Err()
	}
	if len(c.Criteria) > 0 && len(c.Subjects) < 2 {
		pos := m.Get("criteria").KeyPos
		if s := m.Get("subjects"); s != nil {
			pos = s.Pos
		}
		errs.Add(pos, "a comparison needs at least two subjects; this page compares %d (declare them in site.yaml's subjects)", len(c.Subjects))
	}
	c.Score = Score(c)
	return c, errs.Err()
}

func pageSubjects(page *generator.Page, cfg *generator.Config, errs *generator.ErrorList) []*generator.Subject {
	n := page.Meta.Get("subjects")
	if n == nil || n.Kind == generator.Null {
		return cfg.Subjects
	}
	ids, err := n.Strings()
	if err != nil {
		*errs = append(*errs, err)
		return nil
	}
	var out []*generator.Subject
	seen := map[string]bool{}
	for i, id := range ids {
		pos := n.Pos
		if n.Kind == generator.List {
			pos = n.List[i].Pos
		}
		s := cfg.Subject(id)
		switch {
		case s == nil:
			errs.Add(pos, "unknown subject %q: site.yaml declares %s", id, known(cfg))
		case seen[id]:
			errs.Add(pos, "subject %q is listed twice", id)
		default:
			seen[id] = true
			out = append(out, s)
		}
	}
	return out
}

func known(cfg *generator.Config) string {
	if len(cfg.Subjects) == 0 {
		return "no subjects"
	}
	ids := make([]string, len(cfg.Subjects))
	for i, s := range cfg.Subjects {
		ids[i] = strconv.Quote(s.ID)
	}
	return strings.Join(ids, ", ")
}

func indexOf(subjects []*generator.Subject, id string) int {
	for i, s := range subjects {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// checkSubject reports why id cannot be used on this page, if it cannot.
func checkSubject(id string, pos generator.Pos, subjects []*generator.Subject, cfg *generator.Config, what string, errs *generator.ErrorList) bool {
	if indexOf(subjects, id) >= 0 {
		return true
	}
	if cfg.Subject(id) == nil {
		errs.Add(pos, "%s names unknown subject %q: site.yaml declares %s", what, id, known(cfg))
	} else {
		errs.Add(pos, "%s names subject %q, which this page does not compare (its subjects: %s)", what, id, ids(subjects))
	}
	return false
}

func ids(subjects []*generator.Subject) string {
	out := make([]string, len(subjects))
	for i, s := range subjects {
		out[i] = s.ID
	}
	return strings.Join(out, ", ")
}

func criteria(n *generator.Node, subjects []*generator.Subject, cfg *generator.Config, inline Inline, evidence Evidence, errs *generator.ErrorList) []*generator.Criterion {
	if n.Kind != generator.List {
		errs.Add(n.Pos, "criteria must be a list of rows, each with a name and a value per subject")
		return nil
	}
	var out []*generator.Criterion
	names := map[string]generator.Pos{}
	for _, item := range n.List {
		if item.Kind != generator.Map {
			errs.Add(item.Pos, "a criterion must be a map with a name and a value per subject, found a %s", item.Kind)
			continue
		}
		c := &generator.Criterion{Pos: item.Pos, Cells: make([]*generator.Cell, len(subjects))}
		for i, s := range subjects {
			c.Cells[i] = &generator.Cell{Subject: s, Kind: generator.CellEmpty}
		}
		nameNode := item.Get("name")
		if nameNode == nil {
			errs.Add(item.Pos, "criterion without a name")
		} else if s, ok := nameNode.Scalar(); !ok || nameNode.Kind != generator.String || strings.TrimSpace(s) == "" {
			errs.Add(nameNode.Pos, "a criterion's name must be a non-empty string")
		} else {
			c.Name = s
			if prev, dup := names[strings.ToLower(s)]; dup {
				errs.Add(nameNode.Pos, "criterion %q is already defined at line %d", s, prev.Line)
			} else {
				names[strings.ToLower(s)] = nameNode.Pos
			}
		}
		values := map[string]*generator.Node{}
		var order []string
		for _, key := range item.Keys {
			v := item.Map[key]
			if criterionKeys[key] {
				if key == "values" {
					if v.Kind != generator.Map {
						errs.Add(v.Pos, "values must be a map from subject id to value")
						continue
					}
					for _, k := range v.Keys {
						values[k] = v.Map[k]
						order = append(order, k)
					}
				}
				continue
			}
			values[key] = v
			order = append(order, key)
		}
		for _, id := range order {
			v := values[id]
			if !checkSubject(id, v.KeyPos, subjects, cfg, "criterion "+strconv.Quote(c.Name), errs) {
				continue
			}
			cell := c.Cells[indexOf(subjects, id)]
			switch v.Kind {
			case generator.Null:
				cell.Kind = generator.CellEmpty
			case generator.Bool:
				cell.Kind, cell.Bool = generator.CellBool, v.Bool
			case generator.Int, generator.Float:
				s, _ := v.Scalar()
				cell.Kind, cell.HTML = generator.CellNumber, template.HTML(template.HTMLEscapeString(s))
			case generator.String:
				h, err := inline(v.Str, v.Pos)
				if err != nil {
					errs.Append(v.Pos, err)
				}
				cell.Kind, cell.HTML = generator.CellText, h
			default:
				errs.Add(v.Pos, "the value for %q must be text, a number or true/false, found a %s", id, v.Kind)
			}
		}
		if b := item.Get("bench"); b != nil {
			claim(c, item, b, subjects, evidence, errs)
		} else if w := item.Get("winner"); w != nil && w.Kind != generator.Null {
			winners, err := w.Strings()
			if err != nil {
				errs.Add(w.Pos, "winner must be a subject id or a list of subject ids")
			}
			for i, id := range winners {
				pos := w.Pos
				if w.Kind == generator.List {
					pos = w.List[i].Pos
				}
				if checkSubject(id, pos, subjects, cfg, "winner", errs) {
					c.Winners = append(c.Winners, id)
					c.Cells[indexOf(subjects, id)].Winner = true
				}
			}
		}
		if note := item.Get("note"); note != nil && note.Kind != generator.Null {
			if s, ok := note.Scalar(); ok && note.Kind == generator.String {
				h, err := inline(s, note.Pos)
				if err != nil {
					errs.Append(note.Pos, err)
				}
				c.Note = h
			} else {
				errs.Add(note.Pos, "a note must be text, found a %s", note.Kind)
			}
		}
		out = append(out, c)
	}
	return out
}

func verdict(n *generator.Node, subjects []*generator.Subject, cfg *generator.Config, inline Inline, errs *generator.ErrorList) []*generator.VerdictColumn {
	if n.Kind != generator.Map {
		errs.Add(n.Pos, "verdict must be a map from subject id to a list of reasons to choose it")
		return nil
	}
	cols := map[string]*generator.VerdictColumn{}
	for _, id := range n.Keys {
		v := n.Map[id]
		if !checkSubject(id, v.KeyPos, subjects, cfg, "verdict", errs) {
			continue
		}
		col := &generator.VerdictColumn{Subject: subjects[indexOf(subjects, id)]}
		items := []*generator.Node{v}
		if v.Kind == generator.List {
			items = v.List
		}
		for _, it := range items {
			if it.Kind != generator.String {
				errs.Add(it.Pos, "each verdict entry must be a line of text, found a %s", it.Kind)
				continue
			}
			h, err := inline(it.Str, it.Pos)
			if err != nil {
				errs.Append(it.Pos, err)
			}
			col.Items = append(col.Items, h)
		}
		cols[id] = col
	}
	var out []*generator.VerdictColumn
	for _, s := range subjects {
		if c := cols[s.ID]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

func faq(n *generator.Node, block Block, errs *generator.ErrorList) []*generator.QA {
	if n.Kind != generator.List {
		errs.Add(n.Pos, "faq must be a list of entries with q and a")
		return nil
	}
	var out []*generator.QA
	for _, it := range n.List {
		q, a := it.Get("q"), it.Get("a")
		if it.Kind != generator.Map || q == nil || a == nil || q.Kind != generator.String || a.Kind != generator.String {
			errs.Add(it.Pos, "each faq entry needs a question q and an answer a, both text")
			continue
		}
		for _, k := range it.Keys {
			if k != "q" && k != "a" {
				errs.Add(it.Map[k].KeyPos, "unknown key %q in a faq entry (use q and a)", k)
			}
		}
		h, text, err := block(a.Str, a.Pos)
		if err != nil {
			errs.Append(a.Pos, err)
		}
		out = append(out, &generator.QA{Question: q.Str, Answer: h, AnswerText: text})
	}
	return out
}

// Score counts one point per criterion for each subject its winner names;
// a shared win gives each named subject a point.
func Score(c *generator.Comparison) []*generator.Score {
	out := make([]*generator.Score, len(c.Subjects))
	for i, s := range c.Subjects {
		out[i] = &generator.Score{Subject: s}
	}
	for _, cr := range c.Criteria {
		for _, id := range cr.Winners {
			if i := indexOf(c.Subjects, id); i >= 0 {
				out[i].Points++
				out[i].Won = append(out[i].Won, cr.Name)
			}
		}
	}
	return out
}

// Select returns the criteria named in list (comma-separated, as in the
// table shortcode's criteria="A, B"), in that order, and the names it did
// not find.
func Select(c *generator.Comparison, list string) (rows []*generator.Criterion, missing []string) {
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for _, cr := range c.Criteria {
			if strings.EqualFold(cr.Name, name) {
				rows = append(rows, cr)
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, name)
		}
	}
	return rows, missing
}

// claim backs criterion c with the benchmark its bench: names: winner:
// measured takes the winner from the recorded result, and any other
// winner must be the one the result names, or the build fails at the
// criterion with the measured figures.
func claim(c *generator.Criterion, item, b *generator.Node, subjects []*generator.Subject, evidence Evidence, errs *generator.ErrorList) {
	name, ok := b.Scalar()
	if !ok || b.Kind != generator.String || name == "" {
		errs.Add(b.Pos, "bench must name a benchmark sample (a folder of content/samples/ whose sample.yaml has a bench: section)")
		return
	}
	if evidence == nil {
		errs.Add(b.Pos, "bench: %q cannot be checked in this build", name)
		return
	}
	res, labels, stale, err := evidence(name, b.Pos)
	if err != nil {
		errs.Append(b.Pos, err)
		return
	}
	v := res.Decide()
	ev := &generator.Evidence{Sample: name, Anchor: "bench-" + name, Phrase: bench.Phrase(v, labels), Figures: map[string]string{}, Stale: stale,
		Measured: fmt.Sprintf("%s on %s, %d cores", res.Measured.Format("2006-01-02"), res.Machine.CPU, res.Machine.Cores)}
	for i, s := range res.Subjects {
		ev.Figures[s.ID] = bench.Format(v.Metric, v.Summaries[i].Median)
	}
	c.Evidence = ev
	measured := ""
	if v.Winner >= 0 {
		measured = res.Subjects[v.Winner].ID
	}
	if indexOf(subjects, measured) < 0 && measured != "" {
		errs.Add(b.Pos, "benchmark %q measured %s, which this page does not compare", name, measured)
		return
	}
	var runtimes []string
	for i, s := range res.Subjects {
		runtimes = append(runtimes, labels[i].Name+" "+strings.TrimPrefix(versionOf(s.Runtime), labels[i].Name+" "))
	}
	on := strings.Join(runtimes, " and ")
	w := item.Get("winner")
	if w == nil || w.Kind == generator.Null {
		errs.Add(b.Pos, "criterion %q names bench %q but no winner: add winner: measured to take it from the result (%s)", c.Name, name, ev.Phrase)
		return
	}
	if s, _ := w.Scalar(); w.Kind == generator.String && s == "measured" {
		if measured != "" {
			c.Winners = []string{measured}
			c.Cells[indexOf(subjects, measured)].Winner = true
		}
		return
	}
	claimed, serr := w.Strings()
	if serr != nil {
		errs.Add(w.Pos, "winner must be a subject id, a list of subject ids, or measured")
		return
	}
	switch {
	case measured == "":
		errs.Add(w.Pos, "criterion %q says %s, but %s measured no significant difference: %s, on %s; use winner: measured (no winner) or measure again", c.Name, says(claimed), name, ev.Phrase, on)
	case len(claimed) != 1 || claimed[0] != measured:
		errs.Add(w.Pos, "criterion %q says %s, but %s measured %s on %s", c.Name, says(claimed), name, ev.Phrase, on)
	default:
		c.Winners = []string{measured}
		c.Cells[indexOf(subjects, measured)].Winner = true
	}
}

func says(winners []string) string {
	if len(winners) == 1 {
		return winners[0] + " wins"
	}
	return strings.Join(winners, " and ") + " share the win"
}

// versionOf finds the version number in a runtime's version line
// ("Python 3.11.7" → "3.11.7", "v26.12.1" stays).
func versionOf(line string) string {
	for _, f := range strings.Fields(line) {
		if len(f) > 0 && (f[0] >= '0' && f[0] <= '9' || f[0] == 'v' && len(f) > 1 && f[1] >= '0' && f[1] <= '9') {
			return f
		}
	}
	return line
}
