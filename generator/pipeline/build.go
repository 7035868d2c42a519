// Package pipeline is the orchestrator: it reads a site from an fs.FS, runs
// every stage (config, content, compare, markdown, shortcodes, layouts) and
// hands each output file to a Sink. It never writes to disk itself and never
// prints, so generate, watch and tests all use the same Build.
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"iter"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/compare"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/data"
	"github.com/versus-ssg/versus/generator/diagram"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/i18n"
	"github.com/versus-ssg/versus/generator/images"
	"github.com/versus-ssg/versus/generator/layout"
	"github.com/versus-ssg/versus/generator/markdown"
	"github.com/versus-ssg/versus/generator/search"
	"github.com/versus-ssg/versus/generator/shortcode"
	"github.com/versus-ssg/versus/generator/sitefs"
	"github.com/versus-ssg/versus/generator/socialcard"
	"github.com/versus-ssg/versus/generator/texmath"
	"github.com/versus-ssg/versus/layouts"
)

// Options say what to build.
type Options struct {
	// Source is the site root.
	Source fs.FS
	// Theme is the built-in theme's layouts; nil means the embedded one.
	Theme fs.FS
	// BaseURL overrides site.yaml's baseURL when not empty.
	BaseURL string
	Drafts  bool
	Future  bool
	// Now is "today" for future dates and the build date; zero means time.Now.
	Now time.Time
	// Highlighter is reused across builds (watch mode) when set.
	Highlighter *highlight.Highlighter
	// Math converts TeX for sites with markdown.math on; reused across
	// builds when set, so watch mode converts each formula once.
	Math *texmath.Engine
	// Diagrams draws ```d2 blocks; reused across builds when set.
	Diagrams *diagram.Renderer
	// Outputs supplies verified sample output; nil shows code only.
	Outputs shortcode.Outputs
	// Workers bounds parallel work; 0 means twice GOMAXPROCS, so that while
	// some workers wait on the disk the others keep every core busy.
	Workers int
	// Extensions derive extra outputs from the rendered pages (a search
	// index, say). Each build calls New for a fresh one.
	Extensions []ExtensionFactory
	// NoSearch leaves out the search index (search/), which every build
	// writes otherwise.
	NoSearch bool
	// Strict turns every warning into an error, as the site setting
	// strict: true does.
	Strict bool
	// Preview says the output is for the writer's eyes (watch mode), not
	// for publishing, so warnings about publishing (a relative baseURL)
	// are not given.
	Preview bool

	// Cards keeps drawn social cards between builds; nil draws every
	// card. CardRenderer is reused across builds (watch mode) when set.
	Cards        socialcard.Cache
	CardRenderer *socialcard.Renderer
	// Images keeps the smaller copies of large pictures between builds;
	// nil makes every copy. NoImageCopies names the copies in srcset as
	// usual but makes and writes none, for a build whose output only a
	// check reads.
	Images        images.Cache
	NoImageCopies bool
	// NoCardImages names every page's card in its head as usual but
	// draws and writes none, for a build whose output only a check reads.
	NoCardImages bool

	// track records what each page read, for State's rebuilds; nil in
	// ordinary builds.
	track *tracker
	// prevCard returns a card of the previous build when its key is the
	// same (watch mode).
	prevCard prevCards
}

// ExtensionFactory makes a fresh Extension for one build.
type ExtensionFactory func(cfg *generator.Config) Extension

// Extension sees every rendered page and adds files at the end of a build.
// The search index is one; a site's tools add their own through
// Options.Extensions. An extension lives as long as the pipeline's state: a
// rebuild calls Forget for every page it re-renders or removes, then Page
// for the re-rendered ones, then Finish with the whole site.
type Extension interface {
	// Page is called once per page, concurrently, after the page's layout
	// ran and while p.Content still holds its body.
	Page(p *generator.Page, html []byte) error
	// Forget drops what Page recorded for the page written to outFile.
	Forget(outFile string)
	// Finish returns the files to add to the output (path → bytes).
	Finish(site *generator.Site) (map[string][]byte, error)
}

// Result describes a finished build.
type Result struct {
	Config *generator.Config
	Site   *generator.Site
	// Pages counts HTML pages written; Files counts every file written.
	Pages   int
	Files   int
	Samples int
	// Skipped counts drafts and future pages left out.
	Skipped int
	// Warnings are problems that did not stop the build (a link to a page
	// that does not exist, say), sorted; under Strict they are errors.
	Warnings generator.ErrorList
	Duration time.Duration
	// Sources are the site files the build read, for watch mode.
	Sources []string
}

// Build builds the site into sink. On failure it returns a
// generator.ErrorList with every problem found; the sink may then hold part
// of the output, so callers write to a temporary place.
//
// A cold build is the pipeline State runs for every rebuild, starting from
// nothing: there is one way a site is built.
func Build(ctx context.Context, opts Options, sink Sink) (*Result, error) {
	st := NewState(opts)
	st.stream = sink
	u, err := st.Rebuild(ctx, nil)
	if err != nil {
		return nil, err
	}
	return u.Result, nil
}

// newBuilder fills in the options' defaults and reads the site settings:
// the first stage of every build.
func newBuilder(opts Options, sink Sink) (*builder, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Workers <= 0 {
		opts.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	if opts.Highlighter == nil {
		opts.Highlighter = highlight.New()
	}
	if opts.Diagrams == nil {
		opts.Diagrams = diagram.New()
	}
	if opts.Theme == nil {
		opts.Theme = layouts.FS
	}
	if opts.CardRenderer == nil {
		r, err := socialcard.New()
		if err != nil {
			return nil, err
		}
		opts.CardRenderer = r
	}
	cfg, err := config.Load(opts.Source)
	if err != nil {
		return nil, err
	}
	siteData, err := data.Load(opts.Source, cfg.Limits.WithDefaults().Page)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
	}
	b := &builder{opts: opts, cfg: cfg, data: siteData, sink: sink, assets: map[string]string{}, cards: opts.CardRenderer, cardKeys: newCardMemo()}
	if !opts.NoSearch {
		b.exts = append(b.exts, search.New(cfg, search.Options{}))
	}
	for _, f := range opts.Extensions {
		b.exts = append(b.exts, f(cfg))
	}
	return b, nil
}

// contentOptions are what content.Load and content.Select choose pages by.
func (b *builder) contentOptions(dropBodies bool) content.Options {
	return content.Options{Drafts: b.opts.Drafts, Future: b.opts.Future, Now: b.opts.Now, DropBodies: dropBodies, Limits: b.cfg.Limits, Data: b.data}
}

type builder struct {
	opts Options
	cfg  *generator.Config
	// data are the site's data files, with positions.
	data   *generator.Node
	sink   Sink
	site   *generator.Site
	res    *Result
	set    *layout.Set
	md     *markdown.Renderer
	sc     *shortcode.Renderer
	words  *i18n.Strings
	assets map[string]string // theme asset name → hashed output path
	// siteAssets maps the site's own files under assets/ to their hashed
	// output paths; siteCSS and siteJS are the URLs the settings' css:
	// and js: name.
	siteAssets      map[string]string
	siteCSS, siteJS []string
	hookErrs        generator.ErrorList
	exts            []Extension
	// cards draws social cards; cardKeys records the ones written.
	cards    *socialcard.Renderer
	cardKeys *cardMemo
	// pics keeps what this rebuild read of pictures.
	pics  *picMemo
	pages int64
	files int64

	// urls maps source files (content/a.md) and copied files to their URLs.
	urls map[string]string
	// left names the pages left out of this build and why ("draft").
	left map[string]string

	warnings *warnings
	// fresh notes the results the pages show, for the warnings about old
	// runtimes and old results.
	fresh *freshness
}

// checkKeys warns of front matter keys no stage reads and the site did not
// declare: most are typing mistakes (draf: true would publish a draft).
func (b *builder) checkKeys(p *generator.Page) {
	if p.Meta == nil {
		return
	}
	known := make([]string, 0, len(content.Keys)+len(compare.Keys)+len(b.cfg.FrontMatterKeys))
	known = append(append(append(known, content.Keys...), compare.Keys...), b.cfg.FrontMatterKeys...)
	for _, k := range p.Meta.Keys {
		if slices.Contains(known, k) {
			continue
		}
		hint := ""
		if s := generator.Suggest(k, known); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		b.warn(p.Meta.Map[k].KeyPos, "unknown front matter key %q%s: versus ignores it; put keys of your own under params:, or list them in frontMatterKeys in site settings", k, hint)
	}
}

// warnUnfilled warns, once for each subject, of the pages that compare it
// only because they name no subjects: and give it no value: adding a
// subject to site settings would otherwise give each of them an empty
// column without a word.
func (b *builder) warnUnfilled(pages []*generator.Page) {
	byID := map[string][]string{}
	for _, p := range pages {
		if p.Comparison == nil {
			continue
		}
		for _, s := range p.Comparison.Unfilled {
			byID[s.ID] = append(byID[s.ID], p.File)
		}
	}
	for _, s := range b.cfg.Subjects {
		files := byID[s.ID]
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		pos := s.Pos
		if pos.File == "" {
			pos.File = b.cfg.File
		}
		b.warn(pos, "subject %q has no values on %d %s without subjects:, which compare every subject (%s), so each shows an empty %s column: fill in its cells, or list the page's subjects in subjects:", s.ID, len(files), plural(len(files), "page", "pages"), strings.Join(files, ", "), s.ID)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// warnings collects a build's warnings from its parallel workers.
type warnings struct {
	mu   sync.Mutex
	list generator.ErrorList
}

// warn records a warning; it is safe for concurrent use.
func (b *builder) warn(pos generator.Pos, format string, args ...any) {
	b.warnings.mu.Lock()
	b.warnings.list.Add(pos, format, args...)
	b.warnings.mu.Unlock()
}

// setup makes what every page renders with, the first stage of a full
// build: the Markdown renderer, the theme's assets (written to b.sink) and
// the layouts. It starts the build's warnings.
func (b *builder) setup() error {
	b.warnings = &warnings{}
	if !b.opts.Preview {
		if u, err := url.Parse(b.cfg.BaseURL); err == nil && (u.Scheme == "" || u.Host == "") {
			where := generator.Pos{File: b.cfg.File}
			if where.File == "" {
				where.File = "site.yaml"
			}
			b.warn(where, "baseURL %q is not absolute, so the sitemap, the feed, canonical links and og: tags get relative URLs that crawlers and social sites cannot follow: set baseURL: https://your.host/path/ (or pass --base-url)", b.cfg.BaseURL)
		}
	}
	b.checkSiteCardText()
	words, warns, err := i18n.Load(b.opts.Theme, b.opts.Source, b.cfg.Language)
	if err != nil {
		var errs generator.ErrorList
		errs.Append(generator.Pos{File: i18n.Dir}, err)
		return errs
	}
	b.words = words
	for _, w := range warns {
		b.warn(w.Pos, "%s", w.Msg)
	}
	var math *texmath.Engine
	if b.cfg.Markdown.Math {
		if math = b.opts.Math; math == nil {
			math = texmath.New()
		}
	}
	b.md = markdown.New(markdown.Options{
		Unsafe:      b.cfg.Markdown.Unsafe,
		Highlighter: b.opts.Highlighter,
		ResolveLink: b.resolveLink,
		Math:        math,
		Diagrams:    b.opts.Diagrams,
		Words:       words.T,
		Image:       b.imageInfo,
		Data:        b.dataText,
	})
	if err := b.writeAssets(); err != nil {
		return err
	}
	set, err := layout.Load(b.opts.Theme, b.opts.Source, b.funcs(), b.cfg.Limits.Page)
	if err != nil {
		return err
	}
	b.set = set
	return nil
}

// siteURLs maps the source files of pages (content/a.md) and of copied
// files (relative to content/) to their URLs, for links written in files.
func siteURLs(pages []*generator.Page, files iter.Seq[string]) map[string]string {
	urls := make(map[string]string, len(pages))
	for _, p := range pages {
		urls[p.File] = p.Path
	}
	for f := range files {
		urls[content.Dir+"/"+f] = "/" + f
	}
	return urls
}

// prepare works out what a page's front matter gives before any body is
// rendered (its comparison), and checks its keys and layout, so that the
// whole site's structure is known first.
func (b *builder) prepare(p *generator.Page, errs *generator.ErrorList) {
	b.checkKeys(p)
	b.resolveImage(p, b.urls, errs)
	b.checkCardText(p)
	// A file the settings link on every page already is not linked twice.
	p.CSS = without(b.resolveRefs(p.CSSRefs, "css", errs), b.siteCSS)
	p.JS = without(b.resolveRefs(p.JSRefs, "js", errs), b.siteJS)
	c, err := compare.Build(p, b.cfg, b.md.Inline, b.md.Block, b.evidence)
	errs.Append(generator.Pos{File: p.File}, err)
	p.Comparison = c
	if p.Layout != "" && !b.set.Has(p.Layout) {
		pos := generator.Pos{File: p.File}
		if n := p.Meta.Get("layout"); n != nil {
			pos = n.Pos
		}
		errs.Add(pos, "layout %q not found: add layouts/%s.html", p.Layout, p.Layout)
	}
}

// renderAll renders pages in parallel and collects every error.
func (b *builder) renderAll(ctx context.Context, pages []*generator.Page) error {
	var mu sync.Mutex
	var errs generator.ErrorList
	next := int64(-1)
	var wg sync.WaitGroup
	for w := 0; w < b.opts.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(atomic.AddInt64(&next, 1))
				if i >= len(pages) || ctx.Err() != nil {
					return
				}
				buf.Reset()
				if err := b.renderPage(pages[i], &buf); err != nil {
					mu.Lock()
					errs.Append(generator.Pos{File: pages[i].File}, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	errs.Sort()
	return errs.Err()
}

// renderPage renders a page's body (if it has one) and its layout, and
// writes the result. The full body HTML is dropped once written; lists keep
// only the summary.
func (b *builder) renderPage(p *generator.Page, buf *bytes.Buffer) error {
	if p.File != "" {
		body := p.Body
		if body == nil {
			var err error
			if body, err = content.Body(b.opts.Source, p, b.cfg.Limits.Page); err != nil {
				return generator.Errorf(generator.Pos{File: p.File}, "%v", err)
			}
		}
		if err := b.renderGuarded(p, body); err != nil {
			return err
		}
	}
	card, drawn := b.prepareCard(p)
	if err := b.set.Execute(buf, layoutFor(p, b.set), p); err != nil {
		return err
	}
	if err := b.write(p.OutFile, buf.Bytes()); err != nil {
		return err
	}
	if r := pagerRedirect(b.cfg, p); r != "" {
		if err := b.write(r, redirectPage(b.cfg, p)); err != nil {
			return err
		}
	}
	if drawn {
		if err := b.writeCard(p, card); err != nil {
			return err
		}
	}
	for _, x := range b.exts {
		if err := x.Page(p, buf.Bytes()); err != nil {
			return err
		}
	}
	atomic.AddInt64(&b.pages, 1)
	if p.Kind == generator.KindPage {
		// Lists need only the summary; the rest would hold the whole
		// site's HTML in memory.
		p.Content = ""
		p.Body = nil
		p.TableOfContents = ""
		p.Headings = nil
	}
	return nil
}

// renderGuarded renders a page's body, failing the build with the page's
// file named when it takes longer than limits.render: a page no bound of
// the Markdown stage caught must not hold the build indefinitely. The
// render itself cannot be stopped; it ends on its own, its result unused.
func (b *builder) renderGuarded(p *generator.Page, body []byte) error {
	limit := b.cfg.Limits.WithDefaults().Render
	done := make(chan error, 1)
	go func() { done <- b.renderBody(p, body) }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return generator.Errorf(generator.Pos{File: p.File}, "rendering took longer than %s, the limit (limits.render in site.yaml); simplify the page, or raise the limit", limit)
	}
}

func (b *builder) renderBody(p *generator.Page, body []byte) error {
	res := b.md.Render(p.File, p.BodyLine, body)
	errs := res.Errors
	p.Headings = res.Headings
	p.Links = res.Links
	if p.ImageFile == "" {
		// Without an image: of its own, the page's first picture is what
		// social sites show; prepareCard draws a card only for a page
		// without one.
		p.Image = bodyImage(p, res.Pictures)
	}
	for _, l := range res.Links {
		if msg, broken := b.brokenLink(p.File, l); broken {
			b.warn(l.Pos, "%s", msg)
		}
	}
	for _, w := range res.Warnings {
		b.warn(w.Pos, "%s", w.Msg)
	}
	p.WordCount = res.WordCount
	p.ReadingTime = markdown.ReadingTime(res.WordCount)
	p.TableOfContents = toc(res.Headings)
	if p.Description == "" {
		p.Summary = res.Summary
		p.Description = markdown.PlainText(string(res.Summary))
	} else {
		p.Summary = template.HTML(template.HTMLEscapeString(p.Description))
	}
	p.Placed = map[string]bool{}
	rendered := make([]template.HTML, len(res.Shortcodes))
	counts := map[string]int{}
	for i, sc := range res.Shortcodes {
		p.Placed[sc.Name] = true
		h, err := b.sc.Render(p, sc, counts[sc.Name])
		counts[sc.Name]++
		if err != nil {
			errs.Append(sc.Pos, err)
			continue
		}
		rendered[i] = h
	}
	b.opts.track.uses(p.File, res.Shortcodes)
	if err := errs.Err(); err != nil {
		return err
	}
	html := res.HTML
	if len(rendered) > 0 {
		html = markdown.PlaceholderPattern.ReplaceAllFunc(html, func(m []byte) []byte {
			var i int
			fmt.Sscanf(string(m[len("\x00versus-shortcode:"):len(m)-1]), "%d", &i)
			if i < len(rendered) {
				return []byte(rendered[i])
			}
			return nil
		})
	}
	p.Content = template.HTML(html)
	return nil
}

// dataText is the text of a data value a body shows with {{< data >}}.
func (b *builder) dataText(dotted string) (string, error) {
	n, err := data.Lookup(b.data, dotted)
	if err != nil {
		return "", err
	}
	if s, ok := n.Scalar(); ok {
		return s, nil
	}
	if n.Kind == generator.TimeValue {
		return n.Time.Format("2006-01-02"), nil
	}
	what := "a " + n.Kind.String()
	if n.Kind == generator.NullValue {
		what = "empty"
	}
	return "", fmt.Errorf("data %q is %s (%s:%d); {{< data >}} shows one value, text or a number: name one of its keys, or give it a value", dotted, what, n.Pos.File, n.Pos.Line)
}

// layoutFor picks the layout: front matter's layout, else the kind's own,
// else the nearest Hugo fallback.
func layoutFor(p *generator.Page, set *layout.Set) string {
	if p.Layout != "" && set.Has(p.Layout) {
		return p.Layout
	}
	var candidates []string
	switch p.Kind {
	case generator.KindHome:
		candidates = []string{"home", "index", "list"}
	case generator.KindSection:
		candidates = []string{"section", "list"}
	case generator.KindTaxonomy:
		candidates = []string{"terms", "taxonomy", "list"}
	case generator.KindTerm:
		candidates = []string{"term", "list"}
	case generator.KindSubject:
		candidates = []string{"subject", "list"}
	case generator.Kind404:
		candidates = []string{"404", "single"}
	default:
		candidates = []string{"single"}
	}
	for _, c := range candidates {
		if set.Has(c) {
			return c
		}
	}
	return candidates[len(candidates)-1]
}

func toc(hs []*generator.Heading) template.HTML {
	// The page title is the h1, so the TOC lists h2 and deeper.
	var flat []*generator.Heading
	for _, h := range hs {
		if h.Level == 1 {
			flat = append(flat, h.Children...)
		} else {
			flat = append(flat, h)
		}
	}
	if len(flat) == 0 {
		return ""
	}
	var b strings.Builder
	var walk func([]*generator.Heading, int)
	walk = func(list []*generator.Heading, depth int) {
		b.WriteString("<ul>")
		for _, h := range list {
			fmt.Fprintf(&b, `<li><a href="#%s">%s</a>`, template.HTMLEscapeString(h.ID), template.HTMLEscapeString(h.Text))
			if len(h.Children) > 0 && depth < 2 {
				walk(h.Children, depth+1)
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	walk(flat, 1)
	return template.HTML(`<nav class="toc-nav" aria-label="On this page">` + b.String() + `</nav>`)
}

// resolveLink rewrites links written in file: Markdown files become their
// page URLs, and relative links to copied files become site paths, both with
// the base path.
func (b *builder) resolveLink(file, dest string) (string, bool) {
	p, query, frag, ok := linkTarget(file, dest)
	if !ok {
		return "", false
	}
	b.opts.track.link(file, p)
	u, ok := b.urls[p]
	if !ok {
		if strings.HasPrefix(dest, "/") {
			return b.cfg.RelURL(dest), true
		}
		return "", false
	}
	u = b.cfg.RelURL(u)
	if query != "" {
		u += "?" + query
	}
	if frag != "" {
		u += "#" + frag
	}
	return u, true
}

// linkTarget is the site file a local link written in file points to
// (content/a/b.md), with its query and fragment; ok is false for links
// that name no file (external, #fragment only).
func linkTarget(file, dest string) (p, query, frag string, ok bool) {
	if dest == "" || !markdown.IsLocalPath(dest) || strings.HasPrefix(dest, "#") {
		return "", "", "", false
	}
	target, frag, _ := strings.Cut(dest, "#")
	target, query, _ = strings.Cut(target, "?")
	if target == "" {
		return "", "", "", false
	}
	if strings.HasPrefix(target, "/") {
		// Site-absolute: /a/b.md or /img.png, relative to content/.
		return path.Join(content.Dir, target), query, frag, true
	}
	return markdown.JoinDest(file, target), query, frag, true
}

// brokenLink says what is wrong with a Markdown link to a page that this
// build does not have: a page left out (a draft) or no such file.
func (b *builder) brokenLink(file string, l generator.Link) (string, bool) {
	if l.Image {
		return "", false
	}
	p, _, _, ok := linkTarget(file, l.Dest)
	if !ok || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")) {
		return "", false
	}
	if _, ok := b.urls[p]; ok {
		return "", false
	}
	switch b.left[p] {
	case "draft":
		return fmt.Sprintf("link to %s: %s is a draft, so this build leaves it out; build with --drafts to include it, or publish it (draft: false)", l.Dest, p), true
	case "future":
		return fmt.Sprintf("link to %s: %s is dated in the future, so this build leaves it out; build with --future to include it", l.Dest, p), true
	}
	return fmt.Sprintf("link to %s: there is no page %s (a link is relative to its file's folder, or to content/ when it starts with /)", l.Dest, p), true
}

func (b *builder) write(p string, data []byte) error {
	if err := b.sink.Write(p, data); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	atomic.AddInt64(&b.files, 1)
	return nil
}

func (b *builder) copyFiles(ctx context.Context, files []string) error {
	var errs generator.ErrorList
	var mu sync.Mutex
	var wg sync.WaitGroup
	// Making a large picture's copies takes far longer than copying it, so
	// pictures are resized in parallel while the copying goes on.
	sem := make(chan struct{}, b.opts.Workers)
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		src := content.Dir + "/" + f
		data, err := sitefs.ReadFile(b.opts.Source, src, b.cfg.Limits.WithDefaults().File, "limits.file")
		if err != nil {
			errs.Add(generator.Pos{File: src}, "%v", sitefs.Reason(err))
			continue
		}
		if err := b.write(f, data); err != nil {
			errs.Add(generator.Pos{File: src}, "%v", err)
			continue
		}
		if !images.IsImage(f) {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := b.writeVariants(f, data); err != nil {
				mu.Lock()
				errs.Add(generator.Pos{File: src}, "%v", err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	errs.Sort()
	return errs.Err()
}

// writeAssets writes the theme's CSS and JS (and a site's overrides from
// layouts/assets/) under content-hashed names, and the highlighting CSS.
func (b *builder) writeAssets() error {
	files := map[string][]byte{}
	add := func(fsys fs.FS, root string) error {
		if _, err := fs.Stat(fsys, root); err != nil {
			return nil
		}
		return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			files[strings.TrimPrefix(p, root+"/")] = data
			return nil
		})
	}
	if err := add(b.opts.Theme, "assets"); err != nil {
		return generator.Errorf(generator.Pos{File: "layouts/assets"}, "%v", err)
	}
	if err := add(b.opts.Source, "layouts/assets"); err != nil {
		return generator.Errorf(generator.Pos{File: "layouts/assets"}, "%v", err)
	}
	css, err := highlight.CSS(b.cfg.Highlight.Style, b.cfg.Highlight.DarkStyle)
	if err != nil {
		return generator.Errorf(generator.Pos{File: b.cfg.File}, "%v", err)
	}
	files["chroma.css"] = []byte(css)
	files["subjects.css"] = []byte(layout.SubjectCSS(b.cfg.Subjects))
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sum := sha256.Sum256(files[n])
		out := hashedName(n, hex.EncodeToString(sum[:]))
		b.assets[n] = out
		if err := b.write(out, files[n]); err != nil {
			return err
		}
	}
	// The site's own files (assets/, named by css: and js:) the same way,
	// under their own names: a site's assets/style.css does not replace
	// the theme's (layouts/assets/style.css does).
	own, err := b.readSiteAssets()
	if err != nil {
		return err
	}
	names = names[:0]
	for n := range own {
		names = append(names, n)
	}
	sort.Strings(names)
	b.siteAssets = make(map[string]string, len(own))
	for _, n := range names {
		sum := sha256.Sum256(own[n])
		out := hashedName(n, hex.EncodeToString(sum[:]))
		b.siteAssets[n] = out
		if err := b.write(out, own[n]); err != nil {
			return err
		}
	}
	b.resolveSiteHooks()
	return nil
}

func (b *builder) funcs() template.FuncMap {
	return template.FuncMap{
		"relURL": func(p string) string { return b.cfg.RelURL(p) },
		"absURL": func(p string) string { return b.cfg.AbsURL(p) },
		"asset": func(name string) (string, error) {
			p, ok := b.assets[name]
			if !ok {
				return "", fmt.Errorf("no theme asset %q", name)
			}
			return b.cfg.RelURL(p), nil
		},
		"markdownify": func(s string) (template.HTML, error) {
			h, err := b.md.Inline(s, generator.Pos{})
			if err != nil {
				h2, _, err2 := b.md.Block(s, generator.Pos{})
				return h2, err2
			}
			return h, nil
		},
		"placed": func(p *generator.Page, name string) bool { return p.Placed[name] },
		// menuKey tells apart pages whose menus look different (the entry
		// marked current, the ones marked as holding it), for partialCached.
		"menuKey": menuKey,
		// T is a theme string in the site's language (i18n/<lang>.yaml).
		"T": func(key string, args ...any) (string, error) { return b.words.T(key, args...) },
		// localDate formats a date in the site's language: "long", "short".
		"localDate": func(style string, t time.Time) (string, error) { return b.words.Date(style, t) },
		// jsStrings are theme strings for the theme's scripts, as JSON.
		"jsStrings": func(keys ...string) (string, error) {
			m, err := b.words.JS(keys...)
			if err != nil {
				return "", err
			}
			j, err := json.Marshal(m)
			return string(j), err
		},
		"anchor": generator.AnchorID,
		"headingAnchor": func(id, text string) (template.HTML, error) {
			label, err := b.words.T("sectionTitled", "title", text)
			return template.HTML(markdown.HeadingAnchorLabel(id, label)), err
		},
		"authors": func(p *generator.Page) []map[string]string {
			out := []map[string]string{}
			for _, a := range p.Authors {
				out = append(out, map[string]string{"@type": "Person", "name": a})
			}
			if len(out) == 0 {
				out = append(out, map[string]string{"@type": "Organization", "name": b.cfg.Title})
			}
			return out
		},
		"faqLD": func(faq []*generator.QA) map[string]any {
			var entities []map[string]any
			for _, q := range faq {
				entities = append(entities, map[string]any{
					"@type": "Question", "name": q.Question,
					"acceptedAnswer": map[string]any{"@type": "Answer", "text": q.AnswerText},
				})
			}
			return map[string]any{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": entities}
		},
	}
}
