package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"versus/generator"
	"versus/generator/compare"
	"versus/generator/content"
	"versus/generator/highlight"
	"versus/generator/shortcode"
)

// State keeps a site built in memory between watch-mode rebuilds, with what
// each page was made from, so that a rebuild after an edit renders only the
// pages whose output can differ. Rebuild's output is byte for byte what
// Build writes for the same sources.
//
// Changes to site settings or layouts rebuild everything through Build;
// changes under content/ (pages, copied files, samples) are applied to the
// previous build:
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
	seed maphash.Seed

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

	// Early, when set, is called during a rebuild that goes on to render
	// other pages (neighbours, related pages, lists) after the pages that
	// changed, with the output as it stands and the files changed since
	// the last call, so that the edited page is served before the pages
	// that show it. The rebuild's result still comes from Rebuild; if a
	// later page fails, Rebuild fails, and what Early showed was not a good
	// build.
	Early func(files map[string][]byte, changed []string)
}

// source is one Markdown file as parsed, before any build changed it.
type source struct {
	page *generator.Page // nil when it failed to parse
	errs generator.ErrorList
	sum  uint64 // hash of the whole file
	fm   uint64 // hash of the front matter part
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
	wide          bool
}

// cardOf is a page's link card and the front matter it was made from.
type cardOf struct{ fm, h uint64 }

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
	return &State{opts: opts, seed: maphash.MakeSeed(), pending: map[string]bool{}, needFull: true}
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
		if c == "." || c == "site.yaml" || c == "site.toml" || c == "layouts" || strings.HasPrefix(c, "layouts/") {
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
	if s.needFull || !s.incrementalExtensions() {
		u, err = s.full(ctx)
	} else {
		u, err = s.update(ctx)
	}
	if err != nil {
		return nil, err
	}
	clear(s.pending)
	u.Sources = sources
	u.Result.Duration = time.Since(start)
	s.res = u.Result
	return u, nil
}

// IncrementalExtension is an Extension that watch mode keeps from one build
// to the next instead of making a fresh one and showing it every page
// again. A rebuild calls Forget for every page it re-renders or removes,
// then Page for the re-rendered ones, then Finish with the whole site.
type IncrementalExtension interface {
	Extension
	// Forget drops what Page recorded for the page written to outFile.
	Forget(outFile string)
}

func (s *State) incrementalExtensions() bool {
	if s.b == nil {
		return false
	}
	for _, x := range s.b.exts {
		if _, ok := x.(IncrementalExtension); !ok {
			return false
		}
	}
	return true
}

// full builds everything through Build and records what the pages read.
func (s *State) full(ctx context.Context) (*Update, error) {
	tr := &tracker{}
	opts := s.opts
	opts.track = tr
	// Read the sources before the build: a file saved while it runs then
	// differs from what is recorded here, and its change is not lost.
	src, order, files, err := s.scan(opts.Source)
	if err != nil {
		return nil, err
	}
	sink := NewMemSink()
	b, err := build(ctx, opts, sink)
	if err != nil {
		return nil, err
	}
	s.src, s.order, s.files = src, order, files
	prev := &snapshot{links: tr.links, uses: tr.samples, extOut: map[string]bool{}}
	s.b = b
	prev.wide = s.wideLayouts()
	s.record(prev, b.site, b.urls)
	// Extension files are whatever is neither a page, a copied file, an
	// asset nor a site file.
	known := map[string]bool{"sitemap.xml": true, "robots.txt": true, "feed.xml": true}
	for _, p := range allPages(b.site) {
		known[p.OutFile] = true
	}
	for f := range files {
		known[f] = true
	}
	for _, a := range b.assets {
		known[a] = true
	}
	for f := range sink.Files {
		if !known[f] {
			prev.extOut[f] = true
		}
	}
	u := &Update{Result: b.res, Full: true}
	for _, p := range allPages(b.site) {
		u.Rendered = append(u.Rendered, p.OutFile)
	}
	sort.Strings(u.Rendered)
	u.Changed, u.Removed = diff(s.out, sink.Files)
	s.out = sink.Files
	s.prev = prev
	s.needFull = false
	return u, nil
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

// scan reads every Markdown file under content/ as content.Load does.
func (s *State) scan(fsys fs.FS) (map[string]*source, []string, map[string]bool, error) {
	src := map[string]*source{}
	files := map[string]bool{}
	var mdFiles []string
	err := fs.WalkDir(fsys, content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == content.Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if p != content.Dir && skipDir(p) {
				return fs.SkipDir
			}
			return nil
		}
		switch classify(p) {
		case kindPage:
			mdFiles = append(mdFiles, p)
		case kindFile:
			files[strings.TrimPrefix(p, content.Dir+"/")] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, generator.Errorf(generator.Pos{File: content.Dir}, "%v", err)
	}
	parsed := make([]*source, len(mdFiles))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range mdFiles {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			parsed[i] = s.parse(fsys, f)
		}()
	}
	wg.Wait()
	for i, f := range mdFiles {
		src[f] = parsed[i]
	}
	return src, mdFiles, files, nil
}

// parse reads and parses one Markdown file.
func (s *State) parse(fsys fs.FS, file string) *source {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return &source{errs: generator.ErrorList{generator.Errorf(generator.Pos{File: file}, "%v", err)}}
	}
	p, errs := content.Parse(file, data)
	src := &source{sum: maphash.Bytes(s.seed, data), errs: errs}
	if len(errs) == 0 {
		src.page = p
		fm := data
		if n := len(p.Body); n <= len(data) && bytes.Equal(data[len(data)-n:], p.Body) {
			fm = data[:len(data)-n]
		}
		src.fm = maphash.Bytes(s.seed, fm)
	}
	return src
}

const (
	kindIgnore = iota
	kindPage
	kindFile
	kindSample
)

// classify says what a file under content/ is to a build, with the rules
// content.Load walks by.
func classify(p string) int {
	rel, ok := strings.CutPrefix(p, content.Dir+"/")
	if !ok {
		return kindIgnore
	}
	if rel == content.SamplesDir || strings.HasPrefix(rel, content.SamplesDir+"/") {
		return kindSample
	}
	dir, name := path.Split(rel)
	for _, seg := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		if strings.HasPrefix(seg, ".") {
			return kindIgnore
		}
	}
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return kindIgnore
	}
	if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".markdown") {
		return kindPage
	}
	return kindFile
}

// skipDir reports whether content.Load skips a folder under content/.
func skipDir(p string) bool {
	rel := strings.TrimPrefix(p, content.Dir+"/")
	return rel == content.SamplesDir || strings.HasPrefix(path.Base(p), ".")
}

// walkLess orders paths as fs.WalkDir visits them: folder by folder.
func walkLess(a, b string) bool {
	for {
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		as, bs := a, b
		if ai >= 0 {
			as = a[:ai]
		}
		if bi >= 0 {
			bs = b[:bi]
		}
		if as != bs {
			return as < bs
		}
		if ai < 0 || bi < 0 {
			return ai < 0 && bi >= 0
		}
		a, b = a[ai+1:], b[bi+1:]
	}
}

// tracker records, while pages render, the link targets each looked up
// and the samples each showed.
type tracker struct {
	mu      sync.Mutex
	links   map[string]map[string]bool
	samples map[string]map[string]bool
}

func (t *tracker) link(file, target string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	if t.links == nil {
		t.links = map[string]map[string]bool{}
	}
	m := t.links[file]
	if m == nil {
		m = map[string]bool{}
		t.links[file] = m
	}
	m[target] = true
	t.mu.Unlock()
}

func (t *tracker) uses(file string, scs []*generator.Shortcode) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.samples == nil {
		t.samples = map[string]map[string]bool{}
	}
	for _, sc := range scs {
		if sc.Name != "sample" {
			continue
		}
		name := sc.Get("0")
		if name == "" {
			name = sc.Args["name"]
		}
		m := t.samples[file]
		if m == nil {
			m = map[string]bool{}
			t.samples[file] = m
		}
		m[name] = true
	}
}

// recorder is the extension a rebuild shows pages to while it renders; the
// real extensions see them only once every page rendered.
type recorder struct {
	mu    sync.Mutex
	pages []recorded
}

type recorded struct {
	p       *generator.Page
	html    []byte
	content template.HTML
}

func (r *recorder) Page(p *generator.Page, html []byte) error {
	r.mu.Lock()
	r.pages = append(r.pages, recorded{p: p, html: bytes.Clone(html), content: p.Content})
	r.mu.Unlock()
	return nil
}

func (r *recorder) Finish(*generator.Site) (map[string][]byte, error) { return nil, nil }

// update applies the pending changes to the last good build.
func (s *State) update(ctx context.Context) (*Update, error) {
	b := s.b
	prev := s.prev
	fsys := b.opts.Source
	var errs generator.ErrorList

	// 1. Sources: parse what changed; copy-on-write so a failure leaves the
	// state as it was.
	src := maps.Clone(s.src)
	files := maps.Clone(s.files)
	dirty := map[string]bool{}   // page files to parse, compare and render again
	copyNow := map[string]bool{} // files (relative to content/) to copy again
	samplesChanged := map[string]bool{}
	orderChanged := false
	filesChanged := false // copied files added or removed
	addFile := func(p string) {
		switch classify(p) {
		case kindPage:
			old := s.src[p]
			n := s.parse(fsys, p)
			if old != nil && old.sum == n.sum && len(old.errs) == 0 {
				src[p] = old
				return
			}
			if _, ok := src[p]; !ok {
				orderChanged = true
			}
			src[p] = n
			dirty[p] = true
		case kindFile:
			rel := strings.TrimPrefix(p, content.Dir+"/")
			if !files[rel] {
				filesChanged = true
			}
			files[rel] = true
			copyNow[rel] = true
		}
	}
	dropUnder := func(prefix string) {
		for f := range src {
			if strings.HasPrefix(f, prefix) {
				delete(src, f)
				orderChanged = true
			}
		}
		rel := strings.TrimPrefix(prefix, content.Dir+"/")
		for f := range files {
			if strings.HasPrefix(f, rel) {
				delete(files, f)
				filesChanged = true
			}
		}
	}
	pending := make([]string, 0, len(s.pending))
	for c := range s.pending {
		pending = append(pending, c)
	}
	sort.Strings(pending)
	for _, c := range pending {
		if c != content.Dir && !strings.HasPrefix(c, content.Dir+"/") {
			continue // not something a content rebuild reads
		}
		if c == content.Dir {
			samplesChanged["*"] = true
		}
		switch classify(c) {
		case kindSample:
			rest := strings.TrimPrefix(strings.TrimPrefix(c, content.Dir+"/"+content.SamplesDir), "/")
			name, _, _ := strings.Cut(rest, "/")
			if name == "" {
				name = "*"
			}
			samplesChanged[name] = true
			continue
		case kindIgnore:
			if c != content.Dir {
				continue
			}
		}
		fi, err := fs.Stat(fsys, c)
		if err == nil && !fi.IsDir() {
			addFile(c)
			continue
		}
		// Gone, or a folder: forget c and all below it, then read what the
		// folder holds now.
		if _, ok := src[c]; ok {
			delete(src, c)
			orderChanged = true
		}
		if rel := strings.TrimPrefix(c, content.Dir+"/"); files[rel] {
			delete(files, rel)
			filesChanged = true
		}
		if c == content.Dir {
			dropUnder(content.Dir + "/")
		} else {
			dropUnder(c + "/")
		}
		if err != nil {
			continue
		}
		err = fs.WalkDir(fsys, c, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != content.Dir && skipDir(p) {
					return fs.SkipDir
				}
				return nil
			}
			addFile(p)
			return nil
		})
		if err != nil {
			errs.Add(generator.Pos{File: c}, "%v", err)
		}
	}
	if !orderChanged && !filesChanged && len(errs) == 0 {
		if u, ok, err := s.quick(ctx, src, s.order, files, dirty, copyNow, samplesChanged); ok {
			return u, err
		}
	}
	order := s.order
	if orderChanged {
		order = make([]string, 0, len(src))
		for f := range src {
			order = append(order, f)
		}
		sort.Slice(order, func(i, j int) bool { return walkLess(order[i], order[j]) })
	}

	// 2. Which pages are built, as content.Load chooses them.
	skipped := 0
	seen := map[string]string{}
	var pages []*generator.Page
	for _, f := range order {
		sr := src[f]
		if sr.page == nil {
			errs = append(errs, sr.errs...)
			continue
		}
		pr := sr.page
		if pr.Draft && !b.opts.Drafts || pr.Date.After(b.opts.Now) && !b.opts.Future {
			skipped++
			continue
		}
		if other, dup := seen[pr.Path]; dup {
			errs.Add(generator.Pos{File: pr.File, Line: 1}, "page URL %s is also used by %s", pr.Path, other)
			continue
		}
		seen[pr.Path] = pr.File
		cp := *pr
		pages = append(pages, &cp)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].Path < pages[j].Path })

	// 3. Links: pages whose link targets appeared, went away or moved are
	// rendered again, and so are pages showing a changed sample.
	urls := make(map[string]string, len(pages)+len(files))
	for _, p := range pages {
		urls[p.File] = p.Path
	}
	for f := range files {
		urls[content.Dir+"/"+f] = "/" + f
	}
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
	if len(samplesChanged) > 0 {
		for f, names := range prev.uses {
			for n := range names {
				if samplesChanged[n] || samplesChanged["*"] {
					dirty[f] = true
					break
				}
			}
		}
	}

	// 4. Comparisons come from front matter: reuse them unless the page
	// changed.
	for _, p := range pages {
		old := prev.pages[p.File]
		if !dirty[p.File] && old != nil {
			p.Comparison = old.Comparison
			continue
		}
		dirty[p.File] = true
		c, err := compare.Build(p, b.cfg, b.md.Inline, b.md.Block)
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
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}

	// 5. The site's structure, and related pages for those a change can
	// affect.
	site := link(b.cfg, pages, b.opts.Now)
	newKeys := relatedIncremental(site.Pages, prev, dirty)

	// 6. Render what changed: articles first, then the lists that show
	// their cards.
	ss := s.begin(site, urls, skipped)
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
	for _, p := range allPages(site) {
		if p.Kind == generator.KindPage {
			continue
		}
		h := v.list(p)
		views[p.OutFile] = h
		if old, ok := prev.views[p.OutFile]; !ok || old != h || (p.File != "" && dirty[p.File]) {
			lists = append(lists, p)
		} else if old := prev.pages[p.File]; p.File != "" && old != nil {
			carry(p, old)
		}
	}
	if len(lists) > 0 {
		ss.early()
		if err := b.renderAll(ctx, lists); err != nil {
			return ss.fail(err)
		}
	}
	sitemap, feed := v.siteFiles()
	if sitemap != prev.sitemap || feed != prev.feed {
		if err := b.writeSiteFiles(); err != nil {
			return ss.fail(err)
		}
	}
	next := &snapshot{wide: prev.wide, sitemap: sitemap, feed: feed, views: views, keys: newKeys.keys, rel: newKeys.rel, urls: urls,
		link: map[string]uint64{}, full: map[string]uint64{}, cards: v.byFile}
	for p, h := range v.links {
		next.link[p.OutFile] = h
	}
	for p, h := range v.full {
		next.full[p.OutFile] = h
	}
	rendered := append(append(edited, others...), lists...)
	return ss.finish(ctx, rendered, files, copyNow, next, dirty, src, order)
}

// session is one rebuild's rendering: the kept builder pointed at the new
// site and a scratch sink, and what to put back if the rebuild fails.
type session struct {
	s       *State
	b       *builder
	saved   builder
	site    *generator.Site
	tr      *tracker
	rec     *recorder
	scratch *MemSink
	undo    []func()
	// shown are the files handed to State.Early so far.
	shown map[string]bool
}

// early hands State.Early the output with what this rebuild rendered so
// far, if there is anything new to show.
func (ss *session) early() {
	if ss.s.Early == nil {
		return
	}
	var changed []string
	for n, data := range ss.scratch.Files {
		if ss.shown[n] {
			continue
		}
		if old, ok := ss.s.out[n]; !ok || !bytes.Equal(old, data) {
			changed = append(changed, n)
		}
	}
	if len(changed) == 0 {
		return
	}
	if ss.shown == nil {
		ss.shown = map[string]bool{}
	}
	files := maps.Clone(ss.s.out)
	for n, data := range ss.scratch.Files {
		files[n] = data
		ss.shown[n] = true
	}
	sort.Strings(changed)
	ss.s.Early(files, changed)
}

func (s *State) begin(site *generator.Site, urls map[string]string, skipped int) *session {
	b := s.b
	ss := &session{s: s, b: b, saved: *b, site: site, tr: &tracker{}, rec: &recorder{}, scratch: NewMemSink()}
	b.opts.track = ss.tr
	b.urls = urls
	b.site = site
	b.sink = ss.scratch
	b.exts = []Extension{ss.rec}
	b.res = &Result{Config: b.cfg, Site: site, Skipped: skipped}
	b.pages, b.files = 0, 0
	b.sc = &shortcode.Renderer{Layouts: b.set, Highlighter: b.opts.Highlighter, Markdown: b.md, FS: b.opts.Source, Config: b.cfg, Outputs: b.opts.Outputs}
	return ss
}

// fail puts the builder (and any page the rebuild changed in place) back
// as the last good build left it.
func (ss *session) fail(err error) (*Update, error) {
	*ss.b = ss.saved
	for i := len(ss.undo) - 1; i >= 0; i-- {
		ss.undo[i]()
	}
	return nil, err
}

// finish copies changed files, shows the extensions the re-rendered pages,
// and publishes: the previous output with this rebuild's files over it.
func (ss *session) finish(ctx context.Context, rendered []*generator.Page, files, copyNow map[string]bool, next *snapshot, dirty map[string]bool, src map[string]*source, order []string) (*Update, error) {
	s, b, prev, site := ss.s, ss.b, ss.s.prev, ss.site
	copyList := make([]string, 0, len(copyNow))
	for f := range copyNow {
		if files[f] {
			copyList = append(copyList, f)
		}
	}
	sort.Strings(copyList)
	if err := b.copyFiles(ctx, copyList); err != nil {
		return ss.fail(err)
	}

	// Extensions see the re-rendered pages and forget the removed ones.
	next.extOut = prev.extOut
	pageOut := map[string]bool{}
	var gonePages []string
	if site != prev.site {
		for _, p := range allPages(site) {
			pageOut[p.OutFile] = true
		}
		for _, p := range allPages(prev.site) {
			if !pageOut[p.OutFile] {
				gonePages = append(gonePages, p.OutFile)
			}
		}
	}
	recs := ss.rec.pages
	if len(ss.saved.exts) > 0 && (len(recs) > 0 || len(gonePages) > 0) {
		sort.Slice(recs, func(i, j int) bool { return recs[i].p.OutFile < recs[j].p.OutFile })
		next.extOut = map[string]bool{}
		var xerrs generator.ErrorList
		for _, x := range ss.saved.exts {
			ix := x.(IncrementalExtension)
			for _, f := range gonePages {
				ix.Forget(f)
			}
			for _, r := range recs {
				ix.Forget(r.p.OutFile)
				kept := r.p.Content
				r.p.Content = r.content
				err := ix.Page(r.p, r.html)
				r.p.Content = kept
				xerrs.Append(generator.Pos{File: r.p.File}, err)
			}
			out, err := ix.Finish(site)
			xerrs.Append(generator.Pos{}, err)
			for n, data := range out {
				next.extOut[n] = true
				if err := ss.scratch.Write(n, data); err != nil {
					xerrs.Append(generator.Pos{}, err)
				}
			}
		}
		if len(xerrs) > 0 {
			// The extensions saw part of this build: start them afresh.
			s.needFull = true
			return ss.fail(xerrs)
		}
	}
	b.exts = ss.saved.exts
	b.opts.track = ss.saved.opts.track

	out := maps.Clone(s.out)
	u := &Update{Result: b.res}
	for n, data := range ss.scratch.Files {
		if old, ok := out[n]; !ok || !bytes.Equal(old, data) {
			u.Changed = append(u.Changed, n)
			out[n] = data
		}
	}
	remove := func(n string) {
		if _, ok := out[n]; ok {
			delete(out, n)
			u.Removed = append(u.Removed, n)
		}
	}
	for _, n := range gonePages {
		remove(n)
	}
	for f := range s.files {
		if !files[f] && !pageOut[f] {
			remove(f)
		}
	}
	for n := range prev.extOut {
		if !next.extOut[n] && !pageOut[n] && ss.scratch.Files[n] == nil {
			remove(n)
		}
	}
	for _, p := range rendered {
		u.Rendered = append(u.Rendered, p.OutFile)
	}
	sort.Strings(u.Rendered)
	sort.Strings(u.Changed)
	sort.Strings(u.Removed)

	// What the pages read, for the next rebuild.
	next.site = site
	if site == prev.site {
		next.pages = prev.pages
	} else {
		next.pages = map[string]*generator.Page{}
		for _, p := range allPages(site) {
			if p.File != "" {
				next.pages[p.File] = p
			}
		}
	}
	next.links = merge(prev.links, ss.tr.links, dirty, next.pages)
	next.uses = merge(prev.uses, ss.tr.samples, dirty, next.pages)
	samples := map[string]bool{}
	for _, names := range next.uses {
		for n := range names {
			samples[n] = true
		}
	}
	u.Result.Pages = int(b.pages)
	u.Result.Files = int(b.files)
	u.Result.Samples = len(samples)
	s.src, s.order, s.files = src, order, files
	s.out = out
	s.prev = next
	return u, nil
}

// quick handles the common edit: page bodies changed (or samples they
// show, or copied files), nothing else. The site's structure is then the
// previous one, so the pages are rendered again in place; when a page's
// card for lists (its summary) changed too, quick gives up and the full
// incremental path runs. It reports whether it handled the change.
func (s *State) quick(ctx context.Context, src map[string]*source, order []string, files map[string]bool, dirty, copyNow, samplesChanged map[string]bool) (*Update, bool, error) {
	prev := s.prev
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
			if samplesChanged[n] || samplesChanged["*"] {
				if !add(f) {
					return nil, false, nil
				}
				dirty[f] = true
			}
		}
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].File < pages[j].File })
	ss := s.begin(prev.site, prev.urls, s.res.Skipped)
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
		if fullCard(s.seed, prev.link[p.OutFile], p, prev.wide) != prev.full[p.OutFile] {
			ss.fail(nil)
			return nil, false, nil
		}
	}
	next := *prev
	u, err := ss.finish(ctx, pages, files, copyNow, &next, dirty, src, order)
	return u, true, err
}

// merge updates what pages read: a page whose source changed has only what
// it read now, other pages keep what they read before as well.
func merge(prev, now map[string]map[string]bool, dirty map[string]bool, pages map[string]*generator.Page) map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(prev))
	for f, m := range prev {
		if pages[f] != nil && !dirty[f] {
			out[f] = m
		}
	}
	for f, m := range now {
		if old := out[f]; old != nil {
			m = maps.Clone(m)
			maps.Copy(m, old)
		}
		out[f] = m
	}
	return out
}

// carry copies what rendering its body gave a page from its previous build.
func carry(p, old *generator.Page) {
	p.Content = old.Content
	p.Summary = old.Summary
	p.Description = old.Description
	p.Headings = old.Headings
	p.WordCount = old.WordCount
	p.ReadingTime = old.ReadingTime
	p.TableOfContents = old.TableOfContents
	p.Placed = old.Placed
}

// record keeps what a full build made, for the next rebuild.
func (s *State) record(snap *snapshot, site *generator.Site, urls map[string]string) {
	snap.site = site
	snap.urls = urls
	snap.pages = map[string]*generator.Page{}
	for _, p := range allPages(site) {
		if p.File != "" {
			snap.pages[p.File] = p
		}
	}
	snap.keys, snap.rel = map[string]relKey{}, map[string][]string{}
	for _, p := range site.Pages {
		snap.keys[p.File] = keyOf(p)
		rel := make([]string, 0, len(p.Related))
		for _, r := range p.Related {
			rel = append(rel, r.File)
		}
		snap.rel[p.File] = rel
	}
	v := s.newViews(site, s.src, snap.wide)
	snap.views = map[string]uint64{}
	for _, p := range site.Pages {
		snap.views[p.OutFile] = v.article(p)
	}
	v.cards()
	for _, p := range allPages(site) {
		if p.Kind != generator.KindPage {
			snap.views[p.OutFile] = v.list(p)
		}
	}
	snap.sitemap, snap.feed = v.siteFiles()
	snap.cards = v.byFile
	snap.link, snap.full = map[string]uint64{}, map[string]uint64{}
	for p, h := range v.links {
		snap.link[p.OutFile] = h
	}
	for p, h := range v.full {
		snap.full[p.OutFile] = h
	}
}

// views hashes what each page shows, so that a page whose hash did not
// change need not be rendered again.
type views struct {
	seed  maphash.Seed
	site  *generator.Site
	src   map[string]*source
	wide  bool
	links map[*generator.Page]uint64
	// byFile are the link cards of pages with a source, for the next
	// rebuild.
	byFile map[string]cardOf
	full   map[*generator.Page]uint64
	nav    uint64
	all    uint64 // every page's card, for wide layouts
	h      maphash.Hash
}

func (s *State) newViews(site *generator.Site, src map[string]*source, wide bool) *views {
	pages := allPages(site)
	v := &views{seed: s.seed, site: site, src: src, wide: wide, links: make(map[*generator.Page]uint64, len(pages)), byFile: make(map[string]cardOf, len(pages))}
	v.h.SetSeed(s.seed)
	var known map[string]cardOf
	if s.prev != nil {
		known = s.prev.cards
	}
	for _, p := range pages {
		// A page's link card follows from its file and front matter (the
		// settings do not change between incremental rebuilds).
		if sr := src[p.File]; sr != nil {
			if c, ok := known[p.File]; ok && c.fm == sr.fm {
				v.links[p] = c.h
				v.byFile[p.File] = c
				continue
			}
			v.links[p] = v.linkCard(p)
			v.byFile[p.File] = cardOf{fm: sr.fm, h: v.links[p]}
			continue
		}
		v.links[p] = v.linkCard(p)
	}
	// What every page's header, footer and head show.
	v.h.Reset()
	v.str(site.Title)
	v.str(site.Description)
	v.str(site.BaseURL)
	v.str(site.Language)
	for _, sec := range site.Sections {
		v.num(v.links[sec])
	}
	for _, sub := range site.Subjects {
		v.str(sub.ID)
		v.str(sub.Name)
		v.str(sub.URL)
	}
	v.num(uint64(len(site.Tags)))
	if wide {
		for _, p := range pages {
			v.num(v.links[p])
		}
		v.tags()
		v.str(site.BuildDate.String())
	}
	v.nav = v.h.Sum64()
	return v
}

func (v *views) str(s string) {
	v.h.WriteString(s)
	v.h.WriteByte(0)
}

func (v *views) num(n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	v.h.Write(b[:])
}

func (v *views) tags() {
	for _, t := range v.site.Tags {
		v.str(t.Slug)
		v.str(t.Name)
		v.str(t.URL)
		v.num(uint64(t.Count))
	}
}

// linkCard hashes what another page may show of p before bodies are
// rendered: its kind, source, URL, title and front matter.
func (v *views) linkCard(p *generator.Page) uint64 {
	var h maphash.Hash
	h.SetSeed(v.seed)
	h.WriteString(p.Kind)
	h.WriteByte(0)
	h.WriteString(p.File)
	h.WriteByte(0)
	if sr := v.src[p.File]; sr != nil {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], sr.fm)
		h.Write(b[:])
	} else {
		h.WriteString(p.Description)
		h.WriteByte(0)
	}
	for _, s := range []string{p.Path, p.OutFile, p.RelPermalink, p.Permalink, p.Title, p.Date.String(), p.Lastmod.String()} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// cards hashes what lists show of each article once bodies are rendered:
// the link card with the description and summary.
func (v *views) cards() {
	v.full = make(map[*generator.Page]uint64, len(v.site.Pages))
	var all maphash.Hash
	all.SetSeed(v.seed)
	for _, p := range v.site.Pages {
		v.full[p] = fullCard(v.seed, v.links[p], p, v.wide)
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v.full[p])
		all.Write(b[:])
	}
	v.all = all.Sum64()
}

// fullCard hashes an article's card for lists from its link card.
func fullCard(seed maphash.Seed, link uint64, p *generator.Page, wide bool) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], link)
	h.Write(b[:])
	h.WriteString(p.Description)
	h.WriteByte(0)
	h.WriteString(string(p.Summary))
	h.WriteByte(0)
	if wide {
		// The theme's lists do not show them; a site's own may.
		binary.LittleEndian.PutUint64(b[:], uint64(p.WordCount))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], uint64(p.ReadingTime))
		h.Write(b[:])
	}
	return h.Sum64()
}

// article hashes what an article shows of other pages.
func (v *views) article(p *generator.Page) uint64 {
	v.h.Reset()
	v.num(v.nav)
	v.num(v.links[p])
	for _, o := range []*generator.Page{p.Parent, p.Prev, p.Next} {
		if o != nil {
			v.num(v.links[o])
		} else {
			v.num(0)
		}
	}
	v.str("ancestors")
	for _, a := range p.Ancestors {
		v.num(v.links[a])
	}
	v.str("related")
	for _, r := range p.Related {
		v.num(v.links[r])
	}
	for _, t := range p.Tags {
		v.str(t.URL)
	}
	return v.h.Sum64()
}

// list hashes what a list page (home, section, tag, subject, 404) shows:
// the cards of the pages it lists and what its kind adds.
func (v *views) list(p *generator.Page) uint64 {
	v.h.Reset()
	v.num(v.nav)
	v.num(v.links[p])
	if p.Parent != nil {
		v.num(v.links[p.Parent])
	}
	v.str("ancestors")
	for _, a := range p.Ancestors {
		v.num(v.links[a])
	}
	v.str("pages")
	for _, o := range p.Pages {
		v.num(v.full[o])
	}
	switch p.Kind {
	case generator.KindTaxonomy:
		v.tags()
	case generator.Kind404:
		for _, o := range v.site.Pages {
			v.num(v.links[o])
		}
	case generator.KindSubject:
		for _, sc := range p.SubjectCriteria {
			v.num(v.links[sc.Page])
			v.str(sc.Criterion.Name)
			v.str(sc.Result)
			v.str(sc.Cell.Kind)
			v.str(string(sc.Cell.HTML))
			if sc.Cell.Bool {
				v.str("yes")
			}
		}
	}
	if v.wide {
		v.num(v.all)
	}
	return v.h.Sum64()
}

// siteFiles hashes what the sitemap and the feed list.
func (v *views) siteFiles() (sitemap, feed uint64) {
	v.h.Reset()
	for _, p := range allPages(v.site) {
		v.str(p.Kind)
		v.str(p.Permalink)
		v.str(p.Lastmod.String())
	}
	sitemap = v.h.Sum64()
	v.h.Reset()
	v.num(v.nav)
	v.str(v.site.BuildDate.String())
	v.num(v.all)
	return sitemap, v.h.Sum64()
}
