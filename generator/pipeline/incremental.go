package pipeline

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/data"
	"github.com/versus-ssg/versus/generator/diagram"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/i18n"
	"github.com/versus-ssg/versus/generator/layout"
	"github.com/versus-ssg/versus/generator/menu"
	"github.com/versus-ssg/versus/generator/socialcard"
	"github.com/versus-ssg/versus/generator/texmath"
)

// State keeps a site built in memory between watch-mode rebuilds, with what
// each page was made from, so that a rebuild after an edit renders only the
// pages whose output can differ. Rebuild's output is byte for byte what
// Build writes for the same sources.
//
// A full build (the first, and after a change to site settings or layouts)
// is the same pipeline starting from an empty state: every source is new,
// so every page is rendered. Changes under content/ (pages, copied files,
// samples) are applied to the previous build:
//
//   - a changed page is parsed again and re-rendered;
//   - a page is also re-rendered when something it shows of another page
//     changed: the title or URL of its previous, next, related pages and
//     sections, the site's navigation; a list (home, section, tag, subject,
//     tag index, 404) when a card it lists changed (title, description,
//     summary, dates, front matter);
//   - a page is re-rendered when a file its links point to appeared or went
//     away, or a sample it shows changed;
//   - the sitemap, feed and extension files are written again when what they
//     list changed.
//
// When the site's own layouts differ from the built-in theme, any template
// may show any page, so a changed card re-renders every page.
//
// A State is not safe for concurrent use: rebuilds run one after another.
type State struct {
	opts Options

	// b is the builder of the last good build: its layouts, Markdown
	// renderer and asset names serve every rebuild until a full one.
	b   *builder
	out map[string][]byte
	res *Result
	// needFull forces the next rebuild through Build (after a change to
	// settings or layouts, or an extension left half updated).
	needFull bool
	// pending are the changed paths since the last good build; a failed
	// rebuild keeps them so the next one starts from the last good state.
	pending map[string]bool

	src   map[string]*source // Markdown files under content/, by file
	order []string           // src keys in the order content.Load walks them
	files map[string]bool    // other files under content/, relative to it

	prev *snapshot
	// cardKeys are the keys of the social cards in out, by file.
	cardKeys map[string]string

	// stream, when set, receives a full build's output as it is made, and
	// the state keeps none of it (Build, which runs once).
	stream Sink
	// names, with stream, keeps the names of the files a full build
	// streams (in out, without their bytes), so that the state can be
	// saved and resumed (NewStreamState); named records them.
	names bool
	named *nameSink
	// setupWarn are the warnings of the last full build's setup (about
	// the settings); a resumed state gives them again in its first
	// rebuild (resumed), as a full build would.
	setupWarn generator.ErrorList
	resumed   bool
	// carried are the saved build's warnings about pages, by file, which
	// a resumed state's first rebuild gives again for the pages it does
	// not render again.
	carried map[string]generator.ErrorList
	// first receives the files a full build writes before its pages (the
	// assets), for the session that renders them.
	first *MemSink

	// Early, when set, is called during a rebuild that goes on to render
	// other pages (neighbours, related pages, lists) after the pages that
	// changed, with the output as it stands and the files changed since
	// the last call, so that the edited page is served before the pages
	// that show it. The rebuild's result still comes from Rebuild; if a
	// later page fails, Rebuild fails, and what Early showed was not a good
	// build.
	Early func(files map[string][]byte, changed []string)
}

// snapshot is what the last good build made of the sources.
type snapshot struct {
	site  *generator.Site
	pages map[string]*generator.Page // by source file
	views map[string]uint64          // page output file → view hash
	keys  map[string]relKey          // article file → what related pages depend on
	rel   map[string][]string        // article file → related article files
	urls  map[string]string
	links map[string]map[string]bool // page file → link targets it looked up
	uses  map[string]map[string]bool // page file → samples it shows
	// link and full are each page's cards (by output file), as views
	// hashes them; cards are the link cards by source file.
	link, full map[string]uint64
	cards      map[string]cardOf
	// siteFiles hashes what the sitemap and feed list.
	sitemap, feed uint64
	extOut        map[string]bool
	// aliasOut are the redirect files written for aliases (and
	// _redirects).
	aliasOut map[string]bool
	wide     bool
}

// Update says what a rebuild did.
type Update struct {
	Result *Result
	// Full is set when everything was rebuilt.
	Full bool
	// Rendered lists the pages rendered (output files), Changed every
	// output file whose bytes changed or that is new, Removed those gone.
	Rendered []string
	Changed  []string
	Removed  []string
	// Sources are the changed paths this rebuild took in.
	Sources []string
}

// NewState returns a State that builds with opts. Its first Rebuild
// builds everything.
func NewState(opts Options) *State {
	if opts.Highlighter == nil {
		opts.Highlighter = highlight.New()
	}
	if opts.CardRenderer == nil {
		// Keeps the glyphs it drew from one rebuild to the next; a failure
		// (the fonts are built in) shows again in the first build.
		opts.CardRenderer, _ = socialcard.New()
	}
	// One diagram renderer and TeX engine for every rebuild, so what did
	// not change is not drawn or converted again.
	if opts.Diagrams == nil {
		opts.Diagrams = diagram.New()
	}
	if opts.Math == nil {
		opts.Math = texmath.New()
	}
	return &State{opts: opts, pending: map[string]bool{}, needFull: true}
}

// Files returns the last good build's output (path → bytes). The map is
// never changed afterwards: each good rebuild makes a new one, so callers
// may keep and read it from any goroutine.
func (s *State) Files() map[string][]byte { return s.out }

// Result returns the last good build's result, or nil.
func (s *State) Result() *Result { return s.res }

// Rebuild brings the output up to date after changes to the given paths
// (relative to the site root, with forward slashes: "content/a.md",
// "layouts/single.html", "site.yaml"; a folder stands for everything in it).
// The first call builds everything. On failure the last good output stays
// as it was, the changes are remembered for the next call, and the error is
// a generator.ErrorList with every problem found.
func (s *State) Rebuild(ctx context.Context, changed []string) (*Update, error) {
	start := time.Now()
	for _, c := range changed {
		c = path.Clean(strings.TrimPrefix(c, "./"))
		s.pending[c] = true
		// Data files may be read by any page and layout: a change to one
		// builds everything again, as a settings change does.
		if c == "." || generator.IsSettingsFile(c) || c == "layouts" || strings.HasPrefix(c, "layouts/") ||
			c == i18n.Dir || strings.HasPrefix(c, i18n.Dir+"/") || c == AssetsDir || strings.HasPrefix(c, AssetsDir+"/") ||
			c == data.Dir || strings.HasPrefix(c, data.Dir+"/") {
			s.needFull = true
		}
	}
	sources := make([]string, 0, len(s.pending))
	for c := range s.pending {
		sources = append(sources, c)
	}
	sort.Strings(sources)
	var u *Update
	var err error
	if s.needFull {
		u, err = s.full(ctx)
	} else {
		u, err = s.update(ctx)
	}
	if err != nil {
		return nil, err
	}
	clear(s.pending)
	s.resumed = false
	u.Sources = sources
	u.Result.Duration = time.Since(start)
	s.res = u.Result
	return u, nil
}

// full builds everything from the sources as they are now: the pipeline
// of every rebuild, starting from an empty state.
func (s *State) full(ctx context.Context) (*Update, error) {
	sink := s.stream
	s.named = nil
	if s.names && sink != nil {
		s.named = &nameSink{Sink: sink, names: map[string][]byte{}}
		sink = s.named
	}
	b, err := newBuilder(s.opts, sink)
	if err != nil {
		return nil, err
	}
	s.first = nil
	if b.sink == nil {
		s.first = NewMemSink()
		b.sink = s.first
	}
	if err := b.setup(); err != nil {
		// Without layouts nothing renders, but what the content holds is
		// still worth reporting in the same run.
		var errs generator.ErrorList
		errs.Append(generator.Pos{File: layout.Dir}, err)
		if _, err := content.Load(b.opts.Source, b.contentOptions(true)); err != nil {
			errs.Append(generator.Pos{File: content.Dir}, err)
		}
		errs.Sort()
		return nil, errs
	}
	s.b = b
	s.setupWarn = slices.Clone(b.warnings.list)
	s.src, s.order, s.files = map[string]*source{}, nil, map[string]bool{}
	s.prev = &snapshot{wide: s.wideLayouts()}
	s.pending[content.Dir] = true
	u, err := s.update(ctx)
	if err != nil {
		return nil, err
	}
	u.Full = true
	s.needFull = false
	return u, nil
}

// lookupCard returns the card of the last good build written to file when
// it was drawn from the same key.
func (s *State) lookupCard(file, key string) ([]byte, bool) {
	if s.cardKeys[file] != key {
		return nil, false
	}
	data, ok := s.out[file]
	// A resumed state knows only the names of the files it did not write.
	return data, ok && data != nil
}

// diff lists the paths of next that are new or differ from prev, and those
// of prev that next lacks.
func diff(prev, next map[string][]byte) (changed, removed []string) {
	for p, b := range next {
		if old, ok := prev[p]; !ok || !bytes.Equal(old, b) {
			changed = append(changed, p)
		}
	}
	for p := range prev {
		if _, ok := next[p]; !ok {
			removed = append(removed, p)
		}
	}
	sort.Strings(changed)
	sort.Strings(removed)
	return changed, removed
}

// wideLayouts reports whether the site overrides the theme with layouts of
// its own, which may show anything of any page.
func (s *State) wideLayouts() bool {
	for name, origin := range s.b.set.Files {
		if origin != "site" {
			continue
		}
		mine, err := fs.ReadFile(s.b.opts.Source, "layouts/"+name)
		if err != nil {
			return true
		}
		theirs, err := fs.ReadFile(s.b.opts.Theme, name)
		if err != nil || !bytes.Equal(mine, theirs) {
			return true
		}
	}
	return false
}

// update applies the pending changes to the last good build.
func (s *State) update(ctx context.Context) (*Update, error) {
	b := s.b
	prev := s.prev

	// 1. Sources: parse what changed. When only bodies changed, the
	// site's structure stands and quick renders the pages in place.
	ch := s.apply()
	// A page's image: is read for its size: a changed picture makes the
	// page change too.
	imageChanged := false
	if len(ch.copyNow) > 0 {
		for f, sr := range ch.src {
			if sr.page == nil {
				continue
			}
			for _, c := range imageCandidates(sr.page) {
				if ch.copyNow[strings.TrimPrefix(c, content.Dir+"/")] {
					ch.dirty[f] = true
					imageChanged = true
				}
			}
		}
	}
	// A picture a body shows is read for its size and copies: a changed
	// picture re-renders the pages that show it.
	if len(ch.copyNow) > 0 && prev.site != nil {
		for f, targets := range prev.links {
			for t := range targets {
				if rel, ok := strings.CutPrefix(t, content.Dir+"/"); ok && ch.copyNow[rel] {
					if _, ok := ch.src[f]; ok {
						ch.dirty[f] = true
						imageChanged = true
					}
					break
				}
			}
		}
	}
	if !ch.structural && len(ch.errs) == 0 && !imageChanged && prev.site != nil {
		if u, ok, err := s.quick(ctx, ch); ok {
			return u, err
		}
	}
	src, files, dirty, errs, order := ch.src, ch.files, ch.dirty, ch.errs, ch.order

	// 2. Which pages are built, as content.Load chooses them, and where
	// links lead. Pages whose link targets appeared, went away or moved
	// are rendered again, and so are pages showing a changed sample.
	sel, serrs := b.selectPages(src, order)
	errs = append(errs, serrs...)
	pages := sel.Pages
	urls := siteURLs(pages, maps.Keys(files))
	movedTargets := map[string]bool{}
	for k, v := range urls {
		if old, ok := prev.urls[k]; !ok || old != v {
			movedTargets[k] = true
		}
	}
	for k := range prev.urls {
		if _, ok := urls[k]; !ok {
			movedTargets[k] = true
		}
	}
	if len(movedTargets) > 0 {
		for f, targets := range prev.links {
			for t := range targets {
				if movedTargets[t] {
					dirty[f] = true
					break
				}
			}
		}
	}
	if len(ch.samples) > 0 {
		for f, names := range prev.uses {
			for n := range names {
				if ch.samples[n] || ch.samples["*"] {
					dirty[f] = true
					break
				}
			}
		}
	}

	// 3. Comparisons come from front matter: reuse them unless the page
	// changed.
	var w *warnings
	if prev.site == nil {
		w = b.warnings // a full build's setup warned already
	}
	if prev.site == nil {
		errs = append(errs, b.hookErrs...)
	}
	ss := s.begin(urls, sel, w)
	for _, p := range pages {
		old := prev.pages[p.File]
		if !dirty[p.File] && old != nil {
			p.Comparison = old.Comparison
			p.Image = old.Image
			p.CSS, p.JS = old.CSS, old.JS
			continue
		}
		dirty[p.File] = true
		if p.Meta == nil && src[p.File] != nil {
			// A build that streams dropped the positioned front matter
			// that preparing reads (and a resumed state never had it):
			// read it again from the file, which did not change.
			if n := s.parse(b.opts.Source, p.File, b.cfg.Limits.Page); n.page != nil {
				p.Meta = n.page.Meta
			}
		}
		b.prepare(p, &errs)
		if s.stream != nil {
			// The positioned front matter has served its purpose (error
			// positions); a build that runs once need not hold it.
			p.Meta, src[p.File].page.Meta = nil, nil
		}
	}

	// 4. The site's structure, and related pages for those a change can
	// affect.
	b.warnUnfilled(pages)
	site := link(b.cfg, pages, b.opts.Now)
	merrs := b.dress(site)
	cerrs := collisions(site)
	cerrs = append(cerrs, merrs...)
	cerrs = append(cerrs, b.aliasCollisions(site, files)...)
	if len(cerrs) > 0 {
		// With the pages' own errors, so that one run lists every problem.
		errs = append(errs, cerrs...)
		errs.Sort()
		return ss.fail(errs)
	}
	newKeys := relatedIncremental(site.Pages, prev, dirty)
	ss.render(site)
	if len(errs) > 0 {
		// Render the changed articles all the same, so that one run lists
		// every problem.
		var changed []*generator.Page
		for _, p := range site.Pages {
			if dirty[p.File] {
				changed = append(changed, p)
			}
		}
		if err := b.renderAll(ctx, changed); ctx.Err() != nil {
			return ss.fail(err)
		} else {
			errs.Append(generator.Pos{}, err)
		}
		errs.Sort()
		return ss.fail(errs)
	}

	// 5. Render what changed: articles first, then the lists that show
	// their cards.
	v := s.newViews(site, src, prev.wide)
	views := make(map[string]uint64, len(prev.views))
	var edited, others, lists []*generator.Page
	for _, p := range site.Pages {
		h := v.article(p)
		views[p.OutFile] = h
		switch old, ok := prev.views[p.OutFile]; {
		case dirty[p.File] || !ok:
			edited = append(edited, p)
		case old != h:
			others = append(others, p)
		default:
			// Not rendered again: keep what its body gave it.
			carry(p, prev.pages[p.File])
		}
	}
	// The edited articles first, served at once when Early is set; then
	// the articles that show them, then the lists.
	if err := b.renderAll(ctx, edited); err != nil {
		return ss.fail(err)
	}
	if len(others) > 0 {
		ss.early()
		if err := b.renderAll(ctx, others); err != nil {
			return ss.fail(err)
		}
	}
	v.cards()
	// A list's pagers 2..N show its body too: they render after it.
	var pagers []*generator.Page
	for _, p := range allPages(site) {
		if p.Kind == generator.KindPage {
			continue
		}
		h := v.list(p)
		views[p.OutFile] = h
		file := p.File
		if p.PagerOf != nil {
			file = p.PagerOf.File
		}
		switch old, ok := prev.views[p.OutFile]; {
		case !ok || old != h || (file != "" && dirty[file]):
			if p.PagerOf != nil {
				pagers = append(pagers, p)
			} else {
				lists = append(lists, p)
			}
		case p.File != "" && prev.pages[p.File] != nil:
			carry(p, prev.pages[p.File])
		}
	}
	if len(lists) > 0 {
		ss.early()
		if err := b.renderAll(ctx, lists); err != nil {
			return ss.fail(err)
		}
	}
	if len(pagers) > 0 {
		for _, p := range pagers {
			carry(p, p.PagerOf)
		}
		if err := b.renderAll(ctx, pagers); err != nil {
			return ss.fail(err)
		}
		lists = append(lists, pagers...)
	}
	sitemap, feed := v.siteFiles()
	if sitemap != prev.sitemap || feed != prev.feed {
		if err := b.writeSiteFiles(); err != nil {
			return ss.fail(err)
		}
	}
	aliasOut, err := b.writeAliases(site)
	if err != nil {
		return ss.fail(err)
	}
	next := &snapshot{wide: prev.wide, sitemap: sitemap, feed: feed, views: views, keys: newKeys.keys, rel: newKeys.rel, urls: urls,
		link: map[string]uint64{}, full: map[string]uint64{}, cards: v.byFile, aliasOut: aliasOut}
	for p, h := range v.links {
		next.link[p.OutFile] = h
	}
	for p, h := range v.full {
		next.full[p.OutFile] = h
	}
	rendered := append(append(edited, others...), lists...)
	return ss.finish(ctx, rendered, ch, next)
}

// quick handles the common edit: page bodies changed (or samples they
// show, or copied files), nothing else. The site's structure is then the
// previous one, so the pages are rendered again in place; when a page's
// card for lists (its summary) changed too, quick gives up and the full
// incremental path runs. It reports whether it handled the change.
func (s *State) quick(ctx context.Context, ch *changes) (*Update, bool, error) {
	prev := s.prev
	src, dirty := ch.src, ch.dirty
	var pages []*generator.Page
	add := func(f string) bool {
		p := prev.pages[f]
		if p == nil || p.Kind != generator.KindPage {
			return false
		}
		for _, q := range pages {
			if q == p {
				return true
			}
		}
		pages = append(pages, p)
		return true
	}
	for f := range dirty {
		n, old := src[f], s.src[f]
		if n == nil || n.page == nil || old == nil || old.page == nil || n.fm != old.fm || !add(f) {
			return nil, false, nil
		}
	}
	for f, names := range prev.uses {
		for n := range names {
			if ch.samples[n] || ch.samples["*"] {
				if !add(f) {
					return nil, false, nil
				}
				dirty[f] = true
			}
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].File < pages[j].File })
	ss := s.begin(prev.urls, nil, nil)
	ss.render(prev.site)
	for _, p := range pages {
		kept := *p
		ss.undo = append(ss.undo, func() { *p = kept })
		pr := src[p.File].page
		p.Body, p.BodyLine, p.Description = pr.Body, pr.BodyLine, pr.Description
	}
	if err := s.b.renderAll(ctx, pages); err != nil {
		u, err := ss.fail(err)
		return u, true, err
	}
	for _, p := range pages {
		if fullCard(prev.link[p.OutFile], p, prev.wide) != prev.full[p.OutFile] {
			ss.fail(nil)
			return nil, false, nil
		}
	}
	// The edited pages are served now; the search index and the files
	// that list every page follow.
	ss.early()
	next := *prev
	u, err := ss.finish(ctx, pages, ch, &next)
	return u, true, err
}

// dress gives a linked site what it takes from the settings and the
// builder: its data files, stylesheets and scripts, the lists' pagers and
// the menus. A resumed state dresses the site it saved the same way.
func (b *builder) dress(site *generator.Site) generator.ErrorList {
	site.Data = b.data.Value().(map[string]any)
	site.CSS, site.JS = b.siteCSS, b.siteJS
	paginate(b.cfg, site, b.set)
	menus, errs := menu.Resolve(b.cfg.Menus, allPages(site), b.cfg.RelURL)
	site.Menus = menus
	return errs
}
