// Package compare turns a page's comparison front matter (subjects,
// criteria, verdict, faq) into a generator.Comparison: table rows, winners,
// the score and the verdict lists. It is pure data: Markdown in cells is
// rendered by the function the caller passes in.
package compare

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
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
	ck := &checker{cfg: cfg, errs: &errs, bad: map[string]bool{}, evidence: evidence}
	var listed int
	c.Subjects, listed = pageSubjects(page, ck)
	ck.subjects = c.Subjects
	has := false
	if n := m.Get("criteria"); n != nil && n.Kind != generator.NullValue {
		has = true
		var missing [][]int
		c.Criteria, missing = criteria(n, ck, inline)
		c.Unfilled = checkCells(c, missing, m.Get("subjects") == nil, &errs)
	}
	if n := m.Get("verdict"); n != nil && n.Kind != generator.NullValue {
		has = true
		c.Verdict = verdict(n, ck, inline)
	}
	if n := m.Get("faq"); n != nil && n.Kind != generator.NullValue {
		has = true
		c.FAQ = faq(n, block, &errs)
	}
	if !has && m.Get("subjects") == nil {
		return nil, errs.Err()
	}
	if len(c.Criteria) > 0 && listed < 2 {
		pos := m.Get("criteria").KeyPos
		if s := m.Get("subjects"); s != nil {
			pos = s.Pos
		}
		errs.Add(pos, "a comparison needs at least two subjects; this page compares %d (declare them in site.yaml's subjects)", len(c.Subjects))
	}
	c.Score = Score(c)
	return c, errs.Err()
}

// checker checks the subject ids a page's comparison names. An id already
// reported as unknown in the page's subjects: is not reported again where
// the rows use it: one typing mistake, one error.
type checker struct {
	evidence Evidence
	cfg      *generator.Config
	subjects []*generator.Subject
	errs     *generator.ErrorList
	bad      map[string]bool
}

// pageSubjects returns the subjects the page compares and how many ids its
// subjects: lists (right or wrong).
func pageSubjects(page *generator.Page, ck *checker) ([]*generator.Subject, int) {
	cfg, errs := ck.cfg, ck.errs
	n := page.Meta.Get("subjects")
	if n == nil || n.Kind == generator.NullValue {
		return cfg.Subjects, len(cfg.Subjects)
	}
	ids, err := n.Strings()
	if err != nil {
		*errs = append(*errs, err)
		return nil, 2
	}
	var out []*generator.Subject
	seen := map[string]bool{}
	for i, id := range ids {
		pos := n.Pos
		if n.Kind == generator.ListValue {
			pos = n.List[i].Pos
		}
		s := cfg.Subject(id)
		switch {
		case s == nil:
			errs.Add(pos, "%s", unknownSubject(id, cfg))
			ck.bad[id] = true
		case seen[id]:
			errs.Add(pos, "subject %q is listed twice", id)
		default:
			seen[id] = true
			out = append(out, s)
		}
	}
	return out, len(ids)
}

// unknownSubject says that id is no subject of the site, and which one it
// most likely meant.
func unknownSubject(id string, cfg *generator.Config) string {
	all := make([]string, len(cfg.Subjects))
	for i, s := range cfg.Subjects {
		all[i] = s.ID
	}
	if s := generator.Suggest(id, all); s != "" {
		return fmt.Sprintf("unknown subject %q (did you mean %q?)", id, s)
	}
	return fmt.Sprintf("unknown subject %q: site.yaml declares %s", id, known(cfg))
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

// check reports why id cannot be used on this page, if it cannot.
func (ck *checker) check(id string, pos generator.Pos, what string) bool {
	if indexOf(ck.subjects, id) >= 0 {
		return true
	}
	switch {
	case ck.bad[id]:
		// Reported once, at the page's subjects:.
	case ck.cfg.Subject(id) == nil:
		ck.errs.Add(pos, "%s names an %s", what, unknownSubject(id, ck.cfg))
	default:
		ck.errs.Add(pos, "%s names subject %q, which this page does not compare (its subjects: %s)", what, id, ids(ck.subjects))
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

// criteria reads the rows, and for each row the indexes of the subjects it
// gives no value for.
func criteria(n *generator.Node, ck *checker, inline Inline) ([]*generator.Criterion, [][]int) {
	subjects, errs := ck.subjects, ck.errs
	if n.Kind != generator.ListValue {
		errs.Add(n.Pos, "criteria must be a list of rows, each with a name and a value per subject")
		return nil, nil
	}
	var out []*generator.Criterion
	var missing [][]int
	names := map[string]generator.Pos{}
	for _, item := range n.List {
		if item.Kind != generator.MapValue {
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
		} else if s, ok := nameNode.Scalar(); !ok || nameNode.Kind != generator.StringValue || strings.TrimSpace(s) == "" {
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
					if v.Kind != generator.MapValue {
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
			if !ck.check(id, v.KeyPos, "criterion "+strconv.Quote(c.Name)) {
				continue
			}
			cell := c.Cells[indexOf(subjects, id)]
			switch v.Kind {
			case generator.NullValue:
				cell.Kind = generator.CellEmpty
			case generator.BoolValue:
				cell.Kind, cell.Bool = generator.CellBool, v.Bool
			case generator.IntValue, generator.FloatValue:
				s, _ := v.Scalar()
				cell.Kind, cell.HTML = generator.CellNumber, template.HTML(template.HTMLEscapeString(s))
			case generator.StringValue:
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
			claim(c, item, b, subjects, ck.evidence, errs)
		} else if w := item.Get("winner"); w != nil && w.Kind != generator.NullValue {
			winners, err := w.Strings()
			if err != nil {
				errs.Add(w.Pos, "winner must be a subject id or a list of subject ids")
			}
			for i, id := range winners {
				pos := w.Pos
				if w.Kind == generator.ListValue {
					pos = w.List[i].Pos
				}
				if ck.check(id, pos, "winner") {
					c.Winners = append(c.Winners, id)
					c.Cells[indexOf(subjects, id)].Winner = true
				}
			}
		}
		if note := item.Get("note"); note != nil && note.Kind != generator.NullValue {
			if s, ok := note.Scalar(); ok && note.Kind == generator.StringValue {
				h, err := inline(s, note.Pos)
				if err != nil {
					errs.Append(note.Pos, err)
				}
				c.Note = h
			} else {
				errs.Add(note.Pos, "a note must be text, found a %s", note.Kind)
			}
		}
		var none []int
		for i, s := range subjects {
			if values[s.ID] == nil {
				none = append(none, i)
			}
		}
		out = append(out, c)
		missing = append(missing, none)
	}
	return out, missing
}

// checkCells reports rows without a value for a subject the page compares:
// the table would show "—", even next to the winner's star. A page that
// names no subjects: compares every subject of the site; a subject it gives
// no value in any row is returned instead, for one warning for the site.
func checkCells(c *generator.Comparison, missing [][]int, defaulted bool, errs *generator.ErrorList) []*generator.Subject {
	empty := map[int]bool{}
	var unfilled []*generator.Subject
	if defaulted && len(c.Criteria) > 0 {
		for i, s := range c.Subjects {
			all := true
			for _, m := range missing {
				if !slices.Contains(m, i) {
					all = false
					break
				}
			}
			if all {
				empty[i] = true
				unfilled = append(unfilled, s)
			}
		}
	}
	for r, cr := range c.Criteria {
		var names []string
		for _, i := range missing[r] {
			if !empty[i] {
				names = append(names, c.Subjects[i].ID)
			}
		}
		if len(names) == 0 {
			continue
		}
		what := "criterion"
		if cr.Name != "" {
			what = "criterion " + strconv.Quote(cr.Name)
		}
		errs.Add(cr.Pos, "%s has no value for %s: add %s: to the row (null leaves a cell empty on purpose)", what, strings.Join(names, ", "), names[0])
	}
	for r, cr := range c.Criteria {
		for i, cell := range cr.Cells {
			// A missing value is reported above, unless the subject has
			// none on the whole page; an explicit null is not.
			if cell.Winner && cell.Kind == generator.CellEmpty && (empty[i] || !slices.Contains(missing[r], i)) {
				errs.Add(cr.Pos, "criterion %q names %s the winner but leaves its cell empty: give it a value", cr.Name, cell.Subject.ID)
			}
		}
	}
	return unfilled
}

func verdict(n *generator.Node, ck *checker, inline Inline) []*generator.VerdictColumn {
	subjects, errs := ck.subjects, ck.errs
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "verdict must be a map from subject id to a list of reasons to choose it")
		return nil
	}
	cols := map[string]*generator.VerdictColumn{}
	for _, id := range n.Keys {
		v := n.Map[id]
		if !ck.check(id, v.KeyPos, "verdict") {
			continue
		}
		col := &generator.VerdictColumn{Subject: subjects[indexOf(subjects, id)]}
		items := []*generator.Node{v}
		if v.Kind == generator.ListValue {
			items = v.List
		}
		for _, it := range items {
			if it.Kind != generator.StringValue {
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
	if n.Kind != generator.ListValue {
		errs.Add(n.Pos, "faq must be a list of entries with q and a")
		return nil
	}
	var out []*generator.QA
	for _, it := range n.List {
		if it.Kind != generator.MapValue {
			if q, ok := it.Scalar(); ok && it.Kind == generator.StringValue {
				errs.Add(it.Pos, "each faq entry needs q: and a:, found text: write it as \"q: %s\" with its answer, \"a: …\", on the next line", q)
			} else {
				errs.Add(it.Pos, "each faq entry needs q: and a:, found a %s", it.Kind)
			}
			continue
		}
		q, a := it.Get("q"), it.Get("a")
		bad := false
		for _, f := range []struct {
			key  string
			n    *generator.Node
			what string
		}{{"q", q, "question"}, {"a", a, "answer"}} {
			switch {
			case f.n == nil:
				errs.Add(it.Pos, "this faq entry has no %s: (its %s); each faq entry needs q: and a:", f.key, f.what)
				bad = true
			case f.n.Kind != generator.StringValue:
				errs.Add(f.n.Pos, "the faq entry's %s: must be text, found a %s", f.key, f.n.Kind)
				bad = true
			}
		}
		if bad {
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
	if !ok || b.Kind != generator.StringValue || name == "" {
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
	if w == nil || w.Kind == generator.NullValue {
		errs.Add(b.Pos, "criterion %q names bench %q but no winner: add winner: measured to take it from the result (%s)", c.Name, name, ev.Phrase)
		return
	}
	if s, _ := w.Scalar(); w.Kind == generator.StringValue && s == "measured" {
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
