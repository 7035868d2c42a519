// Package shortcode renders the shortcodes a page body uses. Every
// shortcode, built-in or the site's own, is a template in
// layouts/shortcodes/; this package prepares the data the built-in ones need
// (comparison rows, code groups, samples) and checks their arguments.
package shortcode

import (
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
	"github.com/versus-ssg/versus/generator/codegroup"
	"github.com/versus-ssg/versus/generator/compare"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/layout"
	"github.com/versus-ssg/versus/generator/markdown"
	"github.com/versus-ssg/versus/generator/samples"
)

// builtinNames lists the shortcodes versus defines, for messages.
func builtinNames() string {
	var names []string
	for _, s := range generator.BuiltinShortcodes() {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// Outputs supplies a sample's verified output, if there is one.
type Outputs interface {
	Output(s *samples.Sample, f *samples.File) *generator.Output
}

// Renderer renders shortcodes for one build.
type Renderer struct {
	Layouts     *layout.Set
	Highlighter *highlight.Highlighter
	Markdown    *markdown.Renderer
	FS          fs.FS
	Config      *generator.Config
	Outputs     Outputs
	// Benchmark, when set, is told of every recorded benchmark result a
	// page shows, so the build can warn of old ones.
	Benchmark func(*bench.Result)

	mu      sync.Mutex
	samples map[string]*sampleEntry
}

type sampleEntry struct {
	once sync.Once
	s    *samples.Sample
	err  error
}

// Context is what a shortcode template sees as the dot.
type Context struct {
	Name       string
	Page       *generator.Page
	Site       *generator.Site
	Args       map[string]string
	Positional []string
	Inner      string
	Pos        generator.Pos
	// Ordinal counts the uses of this shortcode on the page, from 0.
	Ordinal int

	// Data prepared for the built-in shortcodes.
	Comparison *generator.Comparison
	Criteria   []*generator.Criterion
	Caption    string
	// Anchors is true for the first table on a page, whose rows carry the
	// ids (#criterion-name) that scoreboards and subject pages link to.
	Anchors bool
	Group   *generator.CodeGroup
	// Bench is a benchmark's recorded result, for {{< benchmark >}}.
	Bench *BenchView
}

// Get returns a named argument or, for "0", "1", …, a positional one.
func (c *Context) Get(name string) string {
	if v, ok := c.Args[name]; ok {
		return v
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(c.Positional) {
		return c.Positional[i]
	}
	return ""
}

// Samples returns the samples loaded so far, by name, so the build can list
// what the site uses.
func (r *Renderer) Samples() []*samples.Sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*samples.Sample
	for _, e := range r.samples {
		if e.s != nil {
			out = append(out, e.s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Sample loads a sample once per build.
func (r *Renderer) Sample(name string, pos generator.Pos) (*samples.Sample, error) {
	r.mu.Lock()
	if r.samples == nil {
		r.samples = map[string]*sampleEntry{}
	}
	e, ok := r.samples[name]
	if !ok {
		e = &sampleEntry{}
		r.samples[name] = e
	}
	r.mu.Unlock()
	e.once.Do(func() { e.s, e.err = samples.Load(r.FS, r.Config, name, pos) })
	if e.err != nil && pos != e.pos() {
		// Report the error at every use, not only the first.
		return nil, e.err
	}
	return e.s, e.err
}

func (e *sampleEntry) pos() generator.Pos {
	if e.s != nil {
		return e.s.Pos
	}
	return generator.Pos{}
}

// Render renders one shortcode of page; ordinal counts earlier uses of the
// same name on the page.
func (r *Renderer) Render(page *generator.Page, sc *generator.Shortcode, ordinal int) (template.HTML, error) {
	if strings.HasPrefix(sc.Name, "/") {
		return "", generator.Errorf(sc.Pos, "closing tag {{< %s >}} without an opening {{< %s >}}", sc.Name, sc.Name[1:])
	}
	if !r.Layouts.HasShortcode(sc.Name) {
		return "", generator.Errorf(sc.Pos, "unknown shortcode %q (built in: %s; a site adds its own as layouts/shortcodes/%s.html)", sc.Name, builtinNames(), sc.Name)
	}
	if err := checkArgs(sc); err != nil {
		return "", err
	}
	ctx := &Context{Name: sc.Name, Page: page, Site: page.Site, Args: sc.Args, Positional: sc.Positional, Inner: sc.Inner, Pos: sc.Pos, Ordinal: ordinal, Comparison: page.Comparison}
	if err := r.prepare(ctx, page, sc, ordinal); err != nil {
		return "", err
	}
	h, err := r.Layouts.Shortcode(sc.Name, ctx)
	if err != nil {
		return "", generator.Errorf(sc.Pos, "shortcode %q: %v", sc.Name, err)
	}
	return h, nil
}

func (r *Renderer) prepare(ctx *Context, page *generator.Page, sc *generator.Shortcode, ordinal int) error {
	c := page.Comparison
	need := func(what string, ok bool) error {
		if !ok {
			return generator.Errorf(sc.Pos, "{{< %s >}} needs %s in the page's front matter", sc.Name, what)
		}
		return nil
	}
	switch sc.Name {
	case "table":
		if err := need("criteria", c != nil && len(c.Criteria) > 0); err != nil {
			return err
		}
		ctx.Criteria = c.Criteria
		if list, ok := sc.Args["criteria"]; ok {
			rows, missing := compare.Select(c, list)
			if len(missing) > 0 {
				return generator.Errorf(sc.Pos, "{{< table >}} names criteria the page does not have: %s", strings.Join(quote(missing), ", "))
			}
			ctx.Criteria = rows
		}
		ctx.Anchors = ordinal == 0
		ctx.Caption = sc.Args["caption"]
		if ctx.Caption == "" {
			ctx.Caption = page.Title
		}
	case "scoreboard":
		return need("criteria", c != nil && len(c.Criteria) > 0)
	case "verdict":
		return need("a verdict", c != nil && len(c.Verdict) > 0)
	case "faq":
		return need("a faq", c != nil && len(c.FAQ) > 0)
	case "compare":
		g, err := r.compareGroup(page, sc, ordinal)
		if err != nil {
			return err
		}
		ctx.Group = g
	case "sample":
		g, err := r.sampleGroup(page, sc, ordinal)
		if err != nil {
			return err
		}
		ctx.Group = g
	case "benchmark":
		v, err := r.benchView(sc)
		if err != nil {
			return err
		}
		ctx.Bench = v
	}
	return nil
}

// checkArgs refuses an argument a built-in shortcode does not read: it
// would be ignored without a word.
func checkArgs(sc *generator.Shortcode) error {
	spec, ok := generator.BuiltinShortcode(sc.Name)
	if !ok {
		return nil
	}
	takes := "takes no arguments"
	if len(spec.Named) > 0 {
		takes = "takes " + strings.Join(spec.Named, "=, ") + "="
	}
	var errs generator.ErrorList
	names := make([]string, 0, len(sc.Args))
	for k := range sc.Args {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if slices.Contains(spec.Named, k) {
			continue
		}
		hint := ""
		if s := generator.Suggest(k, spec.Named); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		errs.Add(sc.Pos, "{{< %s >}} has no argument %q%s: it %s", sc.Name, k, hint, takes)
	}
	if len(sc.Positional) > spec.Positional {
		extra := sc.Positional[spec.Positional]
		if spec.Positional == 0 {
			errs.Add(sc.Pos, "{{< %s >}} takes no positional argument, found %q: it %s", sc.Name, extra, takes)
		} else {
			errs.Add(sc.Pos, "{{< %s >}} takes one positional argument (the name), found a second, %q: it also %s", sc.Name, extra, takes)
		}
	}
	return errs.Err()
}

func quote(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

// Subjects returns the subjects a page compares, in column order.
func Subjects(page *generator.Page, cfg *generator.Config) []*generator.Subject {
	if page.Comparison != nil && len(page.Comparison.Subjects) > 0 {
		return page.Comparison.Subjects
	}
	return cfg.Subjects
}

// SubjectFor finds the subject whose language (or chroma alias of it, or id)
// a fence's language names.
func SubjectFor(lang string, subjects []*generator.Subject) *generator.Subject {
	l := strings.ToLower(lang)
	for _, s := range subjects {
		if l == s.ID || l == strings.ToLower(s.Language) {
			return s
		}
	}
	canon := highlight.Canonical(lang)
	if canon == "" {
		return nil
	}
	for _, s := range subjects {
		if highlight.Canonical(s.Language) == canon {
			return s
		}
	}
	return nil
}

func (r *Renderer) compareGroup(page *generator.Page, sc *generator.Shortcode, ordinal int) (*generator.CodeGroup, error) {
	var errs generator.ErrorList
	if !sc.Closed {
		// Everything after it was taken in, so the prose that follows is
		// no mistake of its own: one error, where the writer can fix it.
		return nil, generator.Errorf(sc.Pos, "{{< compare >}} opened here is never closed: end it with {{< /compare >}} on its own line after its last code block")
	}
	for _, p := range sc.Stray {
		errs.Add(p, "only fenced code blocks may stand inside {{< compare >}}")
	}
	subjects := Subjects(page, r.Config)
	bySubject := map[string]*generator.CodeBlock{}
	for _, b := range sc.Blocks {
		s := SubjectFor(b.Lang, subjects)
		if s == nil {
			errs.Add(b.Pos, "code block language %q matches no subject of this page (%s)", b.Lang, describe(subjects))
			continue
		}
		if prev, dup := bySubject[s.ID]; dup {
			errs.Add(b.Pos, "a second %s block in one compare (the first is at line %d)", s.Name, prev.Pos.Line)
			continue
		}
		bySubject[s.ID] = b
	}
	if len(sc.Blocks) == 0 && sc.Closed {
		errs.Add(sc.Pos, "{{< compare >}} holds no fenced code blocks")
	}
	var sources []codegroup.Source
	var blocks []*generator.CodeBlock
	for _, s := range subjects {
		b, ok := bySubject[s.ID]
		if !ok {
			continue
		}
		opts, err := markdown.BlockOptions(b)
		if err != nil {
			errs.Add(b.Pos, "%v", err)
		}
		sources = append(sources, codegroup.Source{Subject: s, File: b.Attrs["title"], Lang: b.Lang, Code: b.Code, Options: opts})
		blocks = append(blocks, b)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	g, err := codegroup.Build(r.Highlighter, "compare-"+strconv.Itoa(ordinal+1), sources)
	if se, ok := err.(*codegroup.StepError); ok {
		// The code starts on the line after its fence.
		b := blocks[se.Source]
		pos := generator.Pos{File: b.Pos.File, Line: b.Pos.Line + se.Line, Col: b.Pos.Col + len(se.Text) - len(strings.TrimLeft(se.Text, " \t"))}
		return nil, generator.Errorf(pos, "%s", se.Msg)
	}
	if err != nil {
		return nil, generator.Errorf(sc.Pos, "%v", err)
	}
	g.Title = sc.Args["title"]
	return g, nil
}

func describe(subjects []*generator.Subject) string {
	var parts []string
	for _, s := range subjects {
		parts = append(parts, fmt.Sprintf("%s: %s", s.ID, s.Language))
	}
	return strings.Join(parts, ", ")
}

func (r *Renderer) sampleGroup(page *generator.Page, sc *generator.Shortcode, ordinal int) (*generator.CodeGroup, error) {
	name := sc.Get("0")
	if name == "" {
		name = sc.Args["name"]
	}
	s, err := r.Sample(name, sc.Pos)
	if err != nil {
		return nil, err
	}
	region, lines := sc.Args["region"], sc.Args["lines"]
	if lines != "" {
		if _, _, err := samples.ParseLines(lines); err != nil {
			return nil, generator.Errorf(sc.Pos, "sample %q: %v", name, err)
		}
	}
	var sources []codegroup.Source
	var errs generator.ErrorList
	subjects := Subjects(page, r.Config)
	for _, subj := range subjects {
		var f *samples.File
		for _, sf := range s.Files {
			if sf.Subject.ID == subj.ID {
				f = sf
			}
		}
		if f == nil {
			continue
		}
		code := f.Code
		start := 1
		if region != "" {
			rc, ok := codegroup.Region(code, region)
			if !ok {
				errs.Add(sc.Pos, "sample %q: %s has no region %q (mark it with region %s … endregion comments)", name, f.Name, region, region)
				continue
			}
			code = rc
		} else {
			code = codegroup.StripRegions(code)
		}
		if lines != "" {
			lc, first, err := samples.Lines(code, lines)
			if err != nil {
				where := f.Name
				if region != "" {
					where = fmt.Sprintf("region %q of %s", region, f.Name)
				}
				errs.Add(sc.Pos, "sample %q, %s: %v", name, where, err)
				continue
			}
			code, start = lc, first
		}
		var out *generator.Output
		if r.Outputs != nil {
			out = r.Outputs.Output(s, f)
		}
		lang := subj.Language
		if lang == "" {
			lang = strings.TrimPrefix(f.Name[strings.LastIndexByte(f.Name, '.')+1:], ".")
		}
		sources = append(sources, codegroup.Source{Subject: subj, File: f.Name, Lang: lang, Code: code, Output: out, Options: highlight.Options{LineStart: start}})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	g, err := codegroup.Build(r.Highlighter, "sample-"+strconv.Itoa(ordinal+1)+"-"+generator.AnchorID(name), sources)
	if se, ok := err.(*codegroup.StepError); ok {
		return nil, sampleStepError(s, sources[se.Source].Subject, se)
	}
	if err != nil {
		return nil, generator.Errorf(sc.Pos, "%v", err)
	}
	g.Sample = name
	g.Title = s.Title
	if s.Description != "" {
		d, err := r.Markdown.Inline(s.Description, generator.Pos{File: samples.Dir + "/" + name + "/sample.yaml"})
		if err != nil {
			return nil, err
		}
		g.Description = d
	}
	return g, nil
}

// sampleStepError reports a step error at the marker's line in the sample
// file: the code the group was built from may be a region or a line range
// of it, so the marker is found by its text.
func sampleStepError(s *samples.Sample, subj *generator.Subject, se *codegroup.StepError) error {
	for _, f := range s.Files {
		if f.Subject.ID != subj.ID {
			continue
		}
		pos := generator.Pos{File: samples.Dir + "/" + s.Name + "/" + f.Name}
		for i, l := range strings.Split(f.Code, "\n") {
			if l == se.Text {
				pos.Line, pos.Col = i+1, 1+len(l)-len(strings.TrimLeft(l, " \t"))
				break
			}
		}
		return generator.Errorf(pos, "%s", se.Msg)
	}
	return generator.Errorf(s.Pos, "sample %q: %s", s.Name, se.Msg)
}
