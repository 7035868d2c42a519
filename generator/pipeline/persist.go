package pipeline

// A State kept from one run of versus to the next: Save writes what the
// next rebuild needs of the last good build (the sources as parsed, the
// pages as built, what each page read and showed, the extensions' state,
// the output's file names), Resume reads it back into a State whose next
// Rebuild applies the changes since, as watch mode does.
//
// What is saved is plain data. The site's structure (sections, previous
// and next, tags, lists, related pages) holds pointers between pages, so
// pages are saved without them and linked again on Resume, by the same
// link that made them. The layouts, the Markdown renderer and the assets
// are made again from the sources (they did not change, or the rebuild is
// a full one anyway).
//
// To keep a new field of generator.Page: nothing, if it is plain data
// (gob copies it); a pointer to other pages must be cleared in plainPage
// and set again on Resume (link sets the ones it makes). A new field of
// snapshot or source goes into savedState and the two conversions below.

import (
	"encoding"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// stateFormat names the layout of savedState; change it with the layout.
const stateFormat = "versus state 1"

func init() {
	// What front matter's params: can hold.
	gob.Register(map[string]any{})
	gob.Register([]any{})
	gob.Register(time.Time{})
}

type savedState struct {
	Format, Key string
	// Sources are the Markdown files as parsed, in walk order.
	Sources []savedSource
	Files   []string
	// Pages are the pages of the last build that have a source, as built.
	Pages    []generator.Page
	Left     map[string]string
	Skipped  int
	Views    map[string]uint64
	RelKeys  map[string]savedRelKey
	Related  map[string][]string
	URLs     map[string]string
	Links    map[string]map[string]bool
	Uses     map[string]map[string]bool
	Link     map[string]uint64
	Full     map[string]uint64
	Cards    map[string][2]uint64
	Sitemap  uint64
	Feed     uint64
	ExtOut   map[string]bool
	Wide     bool
	Out      []string
	CardKeys map[string]string
	// Warnings are the build's warnings about its pages.
	Warnings []generator.Error
	// Extensions are each extension's state (encoding.BinaryMarshaler).
	Extensions [][]byte
}

// The large parts of a savedState are written as gob messages of their
// own after it, so that neither side holds the whole encoding at once.
type savedParts struct {
	Sources    int
	Pages      int
	Extensions int
}

type savedSource struct {
	Page    generator.Page
	Sum, FM uint64
}

type savedRelKey struct {
	Slugs, Subjects []string
	Weight          int
	Date            time.Time
	Title, Path     string
}

// ErrNotResumable is returned by Save for a state that a later run could
// not resume: no good build yet, changes not applied, extensions that
// cannot be saved, or a build with warnings (which the next run must show
// again, so it builds in full).
var ErrNotResumable = errors.New("this build cannot be resumed")

// NewStreamState returns a State whose full builds write to sink as they
// go, like Build, keeping no output bytes but the output's file names, so
// that it can be saved and resumed. A rebuild that is not full writes only
// to Files (see Update.Changed); the caller copies those to sink.
func NewStreamState(opts Options, sink Sink) *State {
	s := NewState(opts)
	s.stream = sink
	s.names = true
	return s
}

// Save writes what a later run needs to resume the state, with key (what
// else the output depends on: the binary, the options, the day) for Resume
// to check.
func (s *State) Save(w io.Writer, key string) error {
	if s.prev == nil || s.prev.site == nil || s.b == nil || s.needFull || len(s.pending) > 0 || s.res == nil {
		return ErrNotResumable
	}
	// Warnings about the settings come again from the next run's setup;
	// any other must be shown by the next run too, which builds in full.
	setup := map[string]bool{}
	for _, w := range s.setupWarn {
		setup[w.Error()] = true
	}
	var warns []generator.Error
	for _, w := range s.res.Warnings {
		if setup[w.Error()] {
			continue
		}
		// A page's own warnings are given again for it while it is not
		// rendered again; others (about the site) would be lost.
		if s.prev.pages[w.Pos.File] == nil || w.Err != nil {
			return fmt.Errorf("%w: it has warnings", ErrNotResumable)
		}
		warns = append(warns, *w)
	}
	prev := s.prev
	st := &savedState{
		Format: stateFormat, Key: key, Left: s.b.left, Skipped: s.res.Skipped, Warnings: warns,
		Views: prev.views, Related: prev.rel, URLs: prev.urls, Links: prev.links, Uses: prev.uses,
		Link: prev.link, Full: prev.full, Sitemap: prev.sitemap, Feed: prev.feed, ExtOut: prev.extOut, Wide: prev.wide,
		CardKeys: s.cardKeys, RelKeys: make(map[string]savedRelKey, len(prev.keys)), Cards: make(map[string][2]uint64, len(prev.cards)),
	}
	for _, f := range s.order {
		sr := s.src[f]
		if sr == nil || sr.page == nil {
			return fmt.Errorf("%w: %s did not parse", ErrNotResumable, f)
		}
		st.Sources = append(st.Sources, savedSource{Page: plainPage(sr.page), Sum: sr.sum, FM: sr.fm})
		if p := prev.pages[f]; p != nil {
			st.Pages = append(st.Pages, plainPage(p))
		}
	}
	for f := range s.files {
		st.Files = append(st.Files, f)
	}
	sort.Strings(st.Files)
	for f, k := range prev.keys {
		st.RelKeys[f] = savedRelKey{Slugs: k.slugs, Subjects: k.subjects, Weight: k.weight, Date: k.date, Title: k.title, Path: k.path}
	}
	for f, c := range prev.cards {
		st.Cards[f] = [2]uint64{c.fm, c.h}
	}
	for n := range s.out {
		st.Out = append(st.Out, n)
	}
	sort.Strings(st.Out)
	for _, x := range s.b.exts {
		m, ok := x.(encoding.BinaryMarshaler)
		if !ok {
			return fmt.Errorf("%w: extension %T cannot be saved", ErrNotResumable, x)
		}
		data, err := m.MarshalBinary()
		if err != nil {
			return err
		}
		st.Extensions = append(st.Extensions, data)
	}
	enc := gob.NewEncoder(w)
	sources, pages, exts := st.Sources, st.Pages, st.Extensions
	st.Sources, st.Pages, st.Extensions = nil, nil, nil
	if err := enc.Encode(st); err != nil {
		return err
	}
	if err := enc.Encode(savedParts{Sources: len(sources), Pages: len(pages), Extensions: len(exts)}); err != nil {
		return err
	}
	for _, part := range []any{sources, pages} {
		if err := enc.Encode(part); err != nil {
			return err
		}
	}
	for _, x := range exts {
		if err := enc.Encode(x); err != nil {
			return err
		}
	}
	return nil
}

// Resume reads a state Save wrote with the same key and returns it as a
// stream state (see NewStreamState) writing full builds to sink. Its next
// Rebuild takes the given changes since that build. Any error means the
// saved state cannot serve: build in full instead.
func Resume(opts Options, sink Sink, r io.Reader, key string) (*State, error) {
	var st savedState
	dec := gob.NewDecoder(r)
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	if st.Format != stateFormat {
		return nil, fmt.Errorf("written by another version of versus")
	}
	if st.Key != key {
		return nil, fmt.Errorf("written by another build of versus, for other options, or another day")
	}
	var parts savedParts
	if err := dec.Decode(&parts); err != nil {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	if err := dec.Decode(&st.Sources); err != nil && parts.Sources > 0 {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	if err := dec.Decode(&st.Pages); err != nil && parts.Pages > 0 {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	if len(st.Sources) != parts.Sources || len(st.Pages) != parts.Pages {
		return nil, fmt.Errorf("damaged")
	}
	st.Extensions = make([][]byte, parts.Extensions)
	for i := range st.Extensions {
		if err := dec.Decode(&st.Extensions[i]); err != nil {
			return nil, fmt.Errorf("unreadable: %w", err)
		}
	}
	s := NewStreamState(opts, sink)
	// The assets are those of the saved build: the settings, layouts and
	// theme are the same, or the next rebuild is a full one.
	b, err := newBuilder(s.opts, NewMemSink())
	if err != nil {
		return nil, err
	}
	if err := b.setup(); err != nil {
		return nil, err
	}
	s.setupWarn, s.resumed = slices.Clone(b.warnings.list), true
	s.carried = map[string]generator.ErrorList{}
	for i := range st.Warnings {
		w := &st.Warnings[i]
		s.carried[w.Pos.File] = append(s.carried[w.Pos.File], w)
	}
	b.sink = sink
	b.left = st.Left
	s.b = b
	if len(st.Extensions) != len(b.exts) {
		return nil, fmt.Errorf("saved with other extensions")
	}
	for i, x := range b.exts {
		u, ok := x.(encoding.BinaryUnmarshaler)
		if !ok {
			return nil, fmt.Errorf("extension %T cannot be resumed", x)
		}
		if err := u.UnmarshalBinary(st.Extensions[i]); err != nil {
			return nil, fmt.Errorf("extension %T: %w", x, err)
		}
	}

	s.src = make(map[string]*source, len(st.Sources))
	s.order = make([]string, 0, len(st.Sources))
	for i := range st.Sources {
		sv := &st.Sources[i]
		p := &sv.Page
		s.repoint(p)
		s.src[p.File] = &source{page: p, sum: sv.Sum, fm: sv.FM}
		s.order = append(s.order, p.File)
	}
	s.files = make(map[string]bool, len(st.Files))
	for _, f := range st.Files {
		s.files[f] = true
	}
	pages := make([]*generator.Page, len(st.Pages))
	byFile := make(map[string]*generator.Page, len(st.Pages))
	for i := range st.Pages {
		p := &st.Pages[i]
		s.repoint(p)
		pages[i] = p
		byFile[p.File] = p
	}
	site := link(b.cfg, pages, b.opts.Now)
	// The saved site was built with these settings: their menus resolved.
	_ = b.dress(site)
	for _, p := range site.Pages {
		p.Related = nil
		for _, f := range st.Related[p.File] {
			r := byFile[f]
			if r == nil {
				return nil, fmt.Errorf("damaged: related page %s is not in the site", f)
			}
			p.Related = append(p.Related, r)
		}
	}
	prev := &snapshot{
		site: site, pages: map[string]*generator.Page{}, views: st.Views, rel: st.Related, urls: st.URLs,
		links: st.Links, uses: st.Uses, link: st.Link, full: st.Full, sitemap: st.Sitemap, feed: st.Feed,
		extOut: st.ExtOut, wide: st.Wide, keys: make(map[string]relKey, len(st.RelKeys)), cards: make(map[string]cardOf, len(st.Cards)),
	}
	for _, p := range allPages(site) {
		if p.File != "" {
			prev.pages[p.File] = p
		}
	}
	for f, k := range st.RelKeys {
		prev.keys[f] = relKey{slugs: k.Slugs, subjects: k.Subjects, weight: k.Weight, date: k.Date, title: k.Title, path: k.Path}
	}
	for f, c := range st.Cards {
		prev.cards[f] = cardOf{fm: c[0], h: c[1]}
	}
	// Maps gob left out because they were empty.
	for _, m := range []*map[string]uint64{&prev.views, &prev.link, &prev.full} {
		if *m == nil {
			*m = map[string]uint64{}
		}
	}
	for _, m := range []*map[string]map[string]bool{&prev.links, &prev.uses} {
		if *m == nil {
			*m = map[string]map[string]bool{}
		}
	}
	if prev.urls == nil {
		prev.urls = map[string]string{}
	}
	if prev.rel == nil {
		prev.rel = map[string][]string{}
	}
	s.prev = prev
	if s.wideLayouts() != prev.wide {
		return nil, fmt.Errorf("the layouts changed")
	}
	s.out = make(map[string][]byte, len(st.Out))
	for _, n := range st.Out {
		s.out[n] = nil
	}
	s.cardKeys = st.CardKeys
	if s.cardKeys == nil {
		s.cardKeys = map[string]string{}
	}
	s.res = &Result{Config: b.cfg, Site: site, Skipped: st.Skipped}
	s.needFull = false
	return s, nil
}

// Totals counts what the last good build's output holds: HTML pages
// rendered and files written, as a full build's Result counts them.
func (s *State) Totals() (pages, files int) {
	if s.prev == nil || s.prev.site == nil {
		return 0, 0
	}
	return len(allPages(s.prev.site)), len(s.out)
}

// plainPage is p without the pointers that make the site's structure, and
// without what a build that streams does not keep (the body, the
// positioned front matter).
func plainPage(p *generator.Page) generator.Page {
	c := *p
	c.Site, c.Parent, c.Prev, c.Next = nil, nil, nil, nil
	c.Tags, c.Related, c.Pages, c.Ancestors = nil, nil, nil, nil
	c.Subject, c.SubjectCriteria = nil, nil
	c.Paginator, c.PagerOf = nil, nil
	c.Meta, c.Body = nil, nil
	return c
}

// repoint makes a decoded page's comparison name the site's own subjects,
// as a build's does, instead of copies.
func (s *State) repoint(p *generator.Page) {
	c := p.Comparison
	if c == nil {
		return
	}
	cfg := s.b.cfg
	same := func(x *generator.Subject) *generator.Subject {
		if x == nil {
			return nil
		}
		if y := cfg.Subject(x.ID); y != nil {
			return y
		}
		return x
	}
	for i, x := range c.Subjects {
		c.Subjects[i] = same(x)
	}
	for i, x := range c.Unfilled {
		c.Unfilled[i] = same(x)
	}
	for _, cr := range c.Criteria {
		for _, cell := range cr.Cells {
			cell.Subject = same(cell.Subject)
		}
	}
	for _, sc := range c.Score {
		sc.Subject = same(sc.Subject)
	}
	for _, v := range c.Verdict {
		v.Subject = same(v.Subject)
	}
}

// nameSink passes files on to a sink and remembers their names.
type nameSink struct {
	Sink
	mu    sync.Mutex
	names map[string][]byte
}

func (n *nameSink) Write(path string, data []byte) error {
	if err := n.Sink.Write(path, data); err != nil {
		return err
	}
	n.mu.Lock()
	n.names[path] = nil
	n.mu.Unlock()
	return nil
}

func (n *nameSink) files() map[string][]byte {
	n.mu.Lock()
	defer n.mu.Unlock()
	return maps.Clone(n.names)
}
