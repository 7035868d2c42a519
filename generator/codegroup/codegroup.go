// Package codegroup turns several subjects' code into a generator.CodeGroup:
// step and region markers removed, each pane highlighted and cut into the
// same steps so that the theme can show them aligned side by side.
package codegroup

import (
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/highlight"
)

// Source is one subject's code before it is shown.
type Source struct {
	Subject *generator.Subject
	File    string
	Lang    string
	Code    string
	Options highlight.Options
	Output  *generator.Output
}

// markerPattern matches a whole-line marker comment in the comment syntaxes
// of the common languages: // # -- ; and <!-- -->.
var markerPattern = regexp.MustCompile(`^\s*(?://+|#+|--|;+|<!--|/\*)\s*(step|region|endregion)\b:?\s*(.*?)\s*(?:-->|\*/)?\s*$`)

// Marker reports whether line is a marker comment, and which.
func Marker(line string) (kind, arg string, ok bool) {
	m := markerPattern.FindStringSubmatch(line)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// Region returns the lines of code between "region NAME" and "endregion"
// markers (nested or other regions' markers are dropped), and false when the
// region does not exist.
func Region(code, name string) (string, bool) {
	var out []string
	depth, found := 0, false
	for _, l := range strings.Split(code, "\n") {
		kind, arg, ok := Marker(l)
		if ok && kind == "region" {
			if depth > 0 {
				depth++
			} else if arg == name {
				depth, found = 1, true
			}
			continue
		}
		if ok && kind == "endregion" {
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n"), found
}

// StripRegions removes region markers, keeping what is between them.
func StripRegions(code string) string {
	lines := strings.Split(code, "\n")
	out := lines[:0]
	for _, l := range lines {
		if kind, _, ok := Marker(l); ok && (kind == "region" || kind == "endregion") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

type step struct {
	label string
	lines []string
	first int // line number of the step's first line in the shown code
	// marker is the line number of the step's marker in the source's
	// code, markers included; 0 for code before the first marker.
	marker int
}

// StepError is an error at a step marker: Source indexes the sources given
// to Build and Line is the marker's line in that source's Code (from 1,
// marker lines counted), so that the caller, which knows where the code
// came from, can report it at the marker's line in the writer's file.
type StepError struct {
	Source int
	Line   int
	// Text is the marker line as written.
	Text string
	Msg  string
}

// Error returns the message alone; the caller adds the position.
func (e *StepError) Error() string { return e.Msg }

// splitSteps cuts code at its step markers. Code before the first marker is
// a step with an empty label.
func splitSteps(code string) []step {
	steps := []step{{}}
	n := 1
	for i, l := range strings.Split(strings.TrimRight(code, "\n"), "\n") {
		if kind, arg, ok := Marker(l); ok && kind == "step" {
			steps = append(steps, step{label: arg, first: n, marker: i + 1})
			continue
		}
		if kind, _, ok := Marker(l); ok && (kind == "region" || kind == "endregion") {
			continue
		}
		cur := &steps[len(steps)-1]
		if len(cur.lines) == 0 {
			cur.first = n
		}
		cur.lines = append(cur.lines, l)
		n++
	}
	if len(steps[0].lines) == 0 {
		steps = steps[1:]
	} else if len(steps) > 1 && strings.TrimSpace(strings.Join(steps[0].lines, "")) == "" {
		steps = steps[1:]
	}
	return steps
}

// Build makes the group. id prefixes the ids of the group and its panes.
func Build(h *highlight.Highlighter, id string, sources []Source) (*generator.CodeGroup, error) {
	g := &generator.CodeGroup{ID: id}
	perPane := make([][]step, len(sources))
	hasSteps := false
	for i, s := range sources {
		perPane[i] = splitSteps(s.Code)
		for _, st := range perPane[i] {
			if st.label != "" {
				hasSteps = true
			}
		}
	}
	if hasSteps {
		g.Steps = mergeLabels(perPane)
		if err := checkOrder(sources, perPane, g.Steps); err != nil {
			return nil, err
		}
	}
	for i, s := range sources {
		steps := perPane[i]
		shown := make([]string, 0)
		for _, st := range steps {
			shown = append(shown, st.lines...)
		}
		code := strings.Join(shown, "\n")
		lines, err := h.Lines(code, s.Lang)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.File, err)
		}
		p := &generator.Pane{Subject: s.Subject, ID: id + "-" + s.Subject.ID, File: s.File, Lang: s.Lang, Code: code, Output: s.Output}
		if s.Output != nil {
			g.HasOutput = true
		}
		if !hasSteps {
			p.Segments = []*generator.Segment{{HTML: format(lines, shown, s.Lang, s.Options)}}
		} else {
			byLabel := map[string]step{}
			for _, st := range steps {
				byLabel[st.label] = st
			}
			for _, label := range g.Steps {
				st, ok := byLabel[label]
				if !ok {
					p.Segments = append(p.Segments, &generator.Segment{Step: label, Empty: true})
					continue
				}
				opts := s.Options
				start := st.first
				if opts.LineStart > 1 {
					start += opts.LineStart - 1
				}
				opts.LineStart = start
				seg := lines[st.first-1 : st.first-1+len(st.lines)]
				p.Segments = append(p.Segments, &generator.Segment{Step: label, HTML: formatSegment(seg, st.lines, s.Lang, opts)})
			}
			// Code before the first marker belongs to no step; keep it on top.
			if len(steps) > 0 && steps[0].label == "" {
				st := steps[0]
				opts := s.Options
				opts.LineStart = st.first
				seg := lines[st.first-1 : st.first-1+len(st.lines)]
				p.Segments = append([]*generator.Segment{{HTML: formatSegment(seg, st.lines, s.Lang, opts)}}, p.Segments...)
			}
		}
		g.Panes = append(g.Panes, p)
	}
	if hasSteps {
		// Every pane gets the same rows: a leading unlabelled segment if any
		// pane has one.
		lead := false
		for _, p := range g.Panes {
			if len(p.Segments) > len(g.Steps) {
				lead = true
			}
		}
		if lead {
			g.Steps = append([]string{""}, g.Steps...)
			for _, p := range g.Panes {
				if len(p.Segments) < len(g.Steps) {
					p.Segments = append([]*generator.Segment{{Empty: true}}, p.Segments...)
				}
			}
		}
	}
	for _, p := range g.Panes {
		n := 0
		for _, s := range p.Segments {
			if s.Step != "" {
				n++
				s.N = n
			}
		}
	}
	return g, nil
}

// formatSegment formats one step's lines. The blank lines that separate
// it from the next step are kept in the HTML, so the copy button copies the
// code as written, but hidden: the step border already separates the
// steps, and a blank row in every step would only make the panes taller.
func formatSegment(html, src []string, lang string, opts highlight.Options) template.HTML {
	n := len(src)
	for n > 0 && strings.TrimSpace(src[n-1]) == "" {
		n--
	}
	if n == 0 || n == len(src) {
		return format(html, src, lang, opts)
	}
	block := string(format(html[:n], src[:n], lang, opts))
	var gap strings.Builder
	for range len(src) - n {
		gap.WriteString(`<span class="line" hidden><span class="cl">` + "\n" + `</span></span>`)
	}
	const end = `</code></pre>`
	return template.HTML(strings.TrimSuffix(block, end) + gap.String() + end)
}

// format formats lines and gives each line its indentation as a CSS
// variable (--indent), so that side by side, where panes wrap long lines,
// a wrapped line's continuation hangs under its own text and not under the
// margin.
func format(html, src []string, lang string, opts highlight.Options) template.HTML {
	// The indentation goes in a span the theme keeps from wrapping: a break
	// right after it would leave a blank first row when the line's first
	// word is longer than the pane is wide. (html may be the highlighter's
	// cached slice, so it is copied, not changed.)
	lines := make([]string, len(html))
	for i, l := range html {
		lines[i] = l
		if i >= len(src) {
			continue
		}
		ws := src[i][:len(src[i])-len(strings.TrimLeft(src[i], " \t"))]
		if ws != "" && len(ws) < len(src[i]) && strings.HasPrefix(l, ws) {
			lines[i] = `<span class="cg-ind">` + ws + `</span>` + l[len(ws):]
		}
	}
	block := highlight.FormatBlock(lines, lang, opts)
	const open = `<span class="line`
	parts := strings.Split(block, open)
	if len(parts) != len(src)+1 {
		return template.HTML(block)
	}
	var b strings.Builder
	b.WriteString(parts[0])
	for i, part := range parts[1:] {
		b.WriteString(open)
		if w := indent(src[i]); w > 0 {
			// part starts with the rest of the class attribute: `">` or ` hl">`.
			q := strings.IndexByte(part, '"')
			b.WriteString(part[:q+1])
			b.WriteString(` style="--indent: ` + strconv.Itoa(w) + `ch"`)
			part = part[q+1:]
		}
		b.WriteString(part)
	}
	return template.HTML(b.String())
}

// indent is the width of a line's leading whitespace, a tab counting as
// four columns (the theme's tab-size).
func indent(line string) int {
	w := 0
	for _, r := range line {
		switch r {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return 0
}

// checkOrder refuses steps that cannot be aligned without reordering a
// pane's lines: a label used twice in one pane, or two steps in one order in
// one pane and in the other order in another. Aligning those would show a
// pane's code out of the order it runs in, contradicting its output, and
// the copy button would copy reordered code.
func checkOrder(sources []Source, perPane [][]step, order []string) error {
	at := make(map[string]int, len(order))
	for i, l := range order {
		at[l] = i
	}
	lineOf := func(src, line int) string {
		ls := strings.Split(sources[src].Code, "\n")
		if line-1 < len(ls) {
			return ls[line-1]
		}
		return ""
	}
	for i, steps := range perPane {
		seen := map[string]int{}
		for _, st := range steps {
			if st.label == "" {
				continue
			}
			if first, dup := seen[st.label]; dup {
				return &StepError{Source: i, Line: st.marker, Text: lineOf(i, st.marker),
					Msg: fmt.Sprintf("step %q is marked twice in this %s code (first at its line %d): give each step its own label", st.label, name(sources[i]), first)}
			}
			seen[st.label] = st.marker
		}
	}
	for i, steps := range perPane {
		prev := step{}
		for _, st := range steps {
			if st.label == "" {
				continue
			}
			if prev.label != "" && at[st.label] < at[prev.label] {
				other := ""
				for j, os := range perPane {
					if j == i {
						continue
					}
					a, b := -1, -1
					for k, o := range os {
						switch o.label {
						case st.label:
							a = k
						case prev.label:
							b = k
						}
					}
					if a >= 0 && b >= 0 && a < b {
						other = " but before it in the " + name(sources[j]) + " code"
						break
					}
				}
				return &StepError{Source: i, Line: st.marker, Text: lineOf(i, st.marker),
					Msg: fmt.Sprintf("step %q comes after %q in the %s code%s: the panes never reorder a subject's lines, so mark the steps in the same order in every pane", st.label, prev.label, name(sources[i]), other)}
			}
			prev = st
		}
	}
	return nil
}

func name(s Source) string {
	if s.Subject == nil {
		return s.Lang
	}
	return s.Subject.Name
}

// mergeLabels orders the step labels of all panes: the first pane's order,
// with labels only other panes have inserted after their predecessor.
func mergeLabels(perPane [][]step) []string {
	var out []string
	seen := map[string]bool{}
	for _, steps := range perPane {
		prev := -1
		for _, st := range steps {
			if st.label == "" {
				continue
			}
			if seen[st.label] {
				for i, l := range out {
					if l == st.label {
						prev = i
					}
				}
				continue
			}
			seen[st.label] = true
			out = append(out[:prev+1], append([]string{st.label}, out[prev+1:]...)...)
			prev++
		}
	}
	return out
}
