package pipeline

// One incremental rebuild's rendering: the kept builder pointed at the
// new site, what pages read while rendering, and publishing the result.

import (
	"bytes"
	"context"
	"html/template"
	"maps"
	"slices"
	"sort"
	"sync"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/shortcode"
)

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

func (r *recorder) Forget(string) {}

func (r *recorder) Finish(*generator.Site) (map[string][]byte, error) { return nil, nil }

// session is one rebuild's rendering: the kept builder pointed at the new
// site and a scratch sink, and what to put back if the rebuild fails.
type session struct {
	s     *State
	b     *builder
	saved builder
	site  *generator.Site
	tr    *tracker
	rec   *recorder
	// scratch holds what the session writes (nil when it streams to
	// sink); cold is set for a full build's.
	scratch *MemSink
	sink    Sink
	cold    bool
	undo    []func()
	// shown are the files handed to State.Early so far.
	shown map[string]bool
}

// early hands State.Early the output with what this rebuild rendered so
// far, if there is anything new to show. A full build shows nothing early.
func (ss *session) early() {
	if ss.s.Early == nil || ss.cold {
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

// begin starts a rebuild's rendering; sel are the pages chosen
// (nil: the same as the last build), w the warnings so far (nil: none).
// A full build's session (the state has no previous site) writes to the
// stream or to what its assets went to, and shows the extensions each page
// as it is rendered.
func (s *State) begin(urls map[string]string, sel *content.Result, w *warnings) *session {
	b := s.b
	ss := &session{s: s, saved: *b, b: b, tr: &tracker{}, cold: s.prev.site == nil}
	if ss.cold {
		ss.scratch = s.first
	} else {
		ss.scratch = NewMemSink()
		ss.rec = &recorder{}
		b.exts = []Extension{ss.rec}
		b.pages, b.files = 0, 0
	}
	ss.sink = b.sink
	if ss.scratch != nil {
		ss.sink = ss.scratch
	}
	skipped := 0
	if s.res != nil {
		skipped = s.res.Skipped
	}
	if sel != nil {
		b.left = sel.Left
		skipped = sel.Skipped
	}
	b.opts.track = ss.tr
	b.opts.prevCard = s.lookupCard
	b.cardKeys = newCardMemo()
	b.pics = &picMemo{info: map[string]picInfo{}}
	b.urls = urls
	b.sink = ss.sink
	b.res = &Result{Config: b.cfg, Skipped: skipped}
	// A rebuild warns only of what it re-rendered.
	if w == nil {
		w = &warnings{}
		if s.resumed {
			w.list = slices.Clone(s.setupWarn)
		}
	}
	b.warnings = w
	b.set.ResetCached()
	b.fresh = newFreshness(b.cfg, b)
	var outputs shortcode.Outputs
	if b.opts.Outputs != nil {
		outputs = freshOutputs{inner: b.opts.Outputs, f: b.fresh}
	}
	b.sc = &shortcode.Renderer{Layouts: b.set, Highlighter: b.opts.Highlighter, Markdown: b.md, FS: b.opts.Source, Config: b.cfg, Outputs: outputs, Benchmark: b.fresh.bench}
	return ss
}

// render sets the site the session renders.
func (ss *session) render(site *generator.Site) {
	ss.site, ss.b.site, ss.b.res.Site = site, site, site
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
func (ss *session) finish(ctx context.Context, rendered []*generator.Page, ch *changes, next *snapshot) (*Update, error) {
	s, b, prev, site := ss.s, ss.b, ss.s.prev, ss.site
	files, dirty := ch.files, ch.dirty
	copyList := make([]string, 0, len(ch.copyNow))
	for f := range ch.copyNow {
		if files[f] {
			copyList = append(copyList, f)
		}
	}
	sort.Strings(copyList)
	if err := b.copyFiles(ctx, copyList); err != nil {
		return ss.fail(err)
	}

	// Extensions see the re-rendered pages and forget the removed ones; a
	// full build's saw each page as it was rendered.
	next.extOut = prev.extOut
	pageOut := map[string]bool{}
	var gonePages []string
	if site != prev.site {
		for _, p := range allPages(site) {
			pageOut[p.OutFile] = true
		}
		if !ss.cold {
			for _, p := range allPages(prev.site) {
				if !pageOut[p.OutFile] {
					gonePages = append(gonePages, p.OutFile)
				}
			}
		}
		for _, p := range allPages(site) {
			if r := pagerRedirect(b.cfg, p); r != "" {
				pageOut[r] = true
			}
		}
	}
	var recs []recorded
	if ss.rec != nil {
		recs = ss.rec.pages
	}
	if len(ss.saved.exts) > 0 && (ss.cold || len(recs) > 0 || len(gonePages) > 0) {
		sort.Slice(recs, func(i, j int) bool { return recs[i].p.OutFile < recs[j].p.OutFile })
		next.extOut = map[string]bool{}
		var xerrs generator.ErrorList
		for _, x := range ss.saved.exts {
			if !ss.cold {
				for _, f := range gonePages {
					x.Forget(f)
				}
				for _, r := range recs {
					x.Forget(r.p.OutFile)
					kept := r.p.Content
					r.p.Content = r.content
					err := x.Page(r.p, r.html)
					r.p.Content = kept
					xerrs.Append(generator.Pos{File: r.p.File}, err)
				}
			}
			out, err := x.Finish(site)
			xerrs.Append(generator.Pos{}, err)
			names := make([]string, 0, len(out))
			for n := range out {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				next.extOut[n] = true
				xerrs.Append(generator.Pos{}, b.write(n, out[n]))
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
	for _, w := range b.fresh.warnings() {
		b.warn(w.Pos, "%s", w.Msg)
	}
	b.warnings.list.Sort()
	if len(b.warnings.list) > 0 && (b.opts.Strict || b.cfg.Strict) {
		return ss.fail(b.warnings.list)
	}

	u := &Update{Result: b.res}
	var out map[string][]byte
	switch {
	case ss.scratch == nil && s.named != nil:
		// Streamed, keeping the names.
		out = s.named.files()
		for n := range out {
			u.Changed = append(u.Changed, n)
		}
	case ss.scratch == nil:
		// Streamed: the state keeps no output.
	case ss.cold:
		out = ss.scratch.Files
		u.Changed, u.Removed = diff(s.out, out)
	default:
		out = maps.Clone(s.out)
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
			if c := cardFile(n); c != "" && !files[c] {
				remove(c)
			}
		}
		// A list that went away, or is no longer paginated, leaves no
		// page/1/ redirect behind.
		if site != prev.site {
			for _, p := range allPages(prev.site) {
				if r := pagerRedirect(b.cfg, p); r != "" && !pageOut[r] && !files[r] {
					remove(r)
				}
			}
		}
		// A page that now has an image: of its own (or a site that turned
		// cards off) leaves no card behind.
		for _, p := range rendered {
			if c := cardFile(p.OutFile); c != "" && ss.scratch.Files[c] == nil && !files[c] {
				remove(c)
			}
		}
		for f := range s.files {
			if !files[f] && !pageOut[f] {
				remove(f)
			}
		}
		for n := range prev.aliasOut {
			if !next.aliasOut[n] && !pageOut[n] && ss.scratch.Files[n] == nil && !files[n] {
				remove(n)
			}
		}
		// The copies of a picture that went away, or that has fewer
		// now, go too.
		for f := range s.files {
			if files[f] && !ch.copyNow[f] {
				continue
			}
			for _, v := range variantFiles(f) {
				if ss.scratch.Files[v] == nil && !files[v] && !pageOut[v] {
					remove(v)
				}
			}
		}
		for n := range prev.extOut {
			if !next.extOut[n] && !pageOut[n] && ss.scratch.Files[n] == nil {
				remove(n)
			}
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
	u.Result.Warnings = b.warnings.list
	if s.resumed && len(s.carried) > 0 {
		again := map[string]bool{}
		for _, p := range rendered {
			again[p.File] = true
		}
		ws := slices.Clone(b.warnings.list)
		for f, list := range s.carried {
			if next.pages[f] != nil && !again[f] && !dirty[f] {
				ws = append(ws, list...)
			}
		}
		ws.Sort()
		u.Result.Warnings = ws
	}
	s.src, s.order, s.files = ch.src, ch.order, ch.files
	s.out = out
	cardKeys := maps.Clone(s.cardKeys)
	if cardKeys == nil {
		cardKeys = map[string]string{}
	}
	maps.Copy(cardKeys, b.cardKeys.keys)
	s.cardKeys = cardKeys
	s.prev = next
	return u, nil
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
