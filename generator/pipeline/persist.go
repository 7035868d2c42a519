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
// and set again on Resume (link sets the ones it makes). Links and Params
// are written by hand (savePage), gob being slow at their many small
// values; TestSavedLinkFields fails when generator.Link changes. A new
// field of snapshot or source goes into savedState and the two
// conversions below. Change stateMagic with the layout.

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// stateMagic starts the saved form and names its layout; change it with
// the layout (of savedState and savedPage too), so that an older versus's
// state is refused and the build is full.
//
// After it come frames, each a uvarint length and that many bytes: the
// key; then four lists, each a uvarint count of frames: the parts of the
// savedState (gob, see parts), the sources in chunks (gob []savedSource),
// the pages in chunks (gob []savedPage), and each extension's state as its
// MarshalBinary made it. Frames are encoded and decoded on every core.
// Last, a CRC-32C of every byte before it, little-endian.
const stateMagic = "versus state 2\n"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func init() {
	// What front matter's params: can hold.
	gob.Register(map[string]any{})
	gob.Register([]any{})
	gob.Register(time.Time{})
}

// savedState is what Save writes but the sources and pages (see
// stateMagic), in parts of about the same size, each a frame of its own,
// encoded and decoded on every core.
type savedState struct {
	stateCore
	stateGraph
	stateHashes
}

type stateCore struct {
	Files   []string
	Left    map[string]string
	Skipped int
	RelKeys map[string]savedRelKey
	Cards   map[string][2]uint64
	Sitemap uint64
	Feed    uint64
	ExtOut  map[string]bool
	Wide    bool
	Out     []string
	// Warnings are the build's warnings about its pages.
	Warnings []generator.Error
}

type stateGraph struct {
	Related map[string][]string
	Links   map[string]map[string]bool
	Uses    map[string]map[string]bool
}

type stateHashes struct {
	Views    map[string]uint64
	URLs     map[string]string
	Link     map[string]uint64
	Full     map[string]uint64
	CardKeys map[string]string
}

// parts are the parts of st, each encoded as a frame of its own.
func (st *savedState) parts() []any {
	return []any{&st.stateCore, &st.stateGraph, &st.stateHashes}
}

type savedSource struct {
	Page    savedPage
	Sum, FM uint64
}

// savedPage is a page as saved: plainPage without its links and params,
// which gob is slow at (they are most of a page's values) and which are
// written by hand instead (appendLinks, appendValue).
type savedPage struct {
	Page          generator.Page
	Links, Params []byte
	// ParamsOfSource is set when a built page's Params are its source's
	// (the build copies the parsed page): they are saved with the source.
	ParamsOfSource bool
}

// savePage makes p's saved form; src is the source page a built page was
// copied from, nil for a source page.
func savePage(p, src *generator.Page) (savedPage, error) {
	sp := savedPage{Page: plainPage(p)}
	c := &sp.Page
	if len(c.Links) > 0 {
		sp.Links = appendLinks(nil, c.Links, c.File)
	}
	switch {
	case src != nil && c.Params != nil && reflect.ValueOf(c.Params).UnsafePointer() == reflect.ValueOf(src.Params).UnsafePointer():
		sp.ParamsOfSource = true
	case c.Params != nil:
		var err error
		if sp.Params, err = appendValue(nil, c.Params); err != nil {
			return sp, fmt.Errorf("saving the front matter of %s: %w", p.File, err)
		}
	}
	c.Links, c.Params = nil, nil
	return sp, nil
}

// restore gives a decoded page its links and params (but those of its
// source, which Resume sets).
func (sp *savedPage) restore() error {
	p := &sp.Page
	if len(sp.Links) > 0 {
		links, err := readLinks(sp.Links, p.File)
		if err != nil {
			return fmt.Errorf("damaged: the links of %s: %w", p.File, err)
		}
		p.Links = links
	}
	if sp.Params != nil {
		v, rest, err := readValue(sp.Params, 0)
		m, ok := v.(map[string]any)
		if err == nil && (!ok || len(rest) > 0) {
			err = errValue
		}
		if err != nil {
			return fmt.Errorf("damaged: the front matter of %s: %w", p.File, err)
		}
		p.Params = m
	}
	sp.Links, sp.Params = nil, nil
	return nil
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
		stateCore: stateCore{
			Left: s.b.left, Skipped: s.res.Skipped, Warnings: warns, Sitemap: prev.sitemap, Feed: prev.feed, ExtOut: prev.extOut, Wide: prev.wide,
			RelKeys: make(map[string]savedRelKey, len(prev.keys)), Cards: make(map[string][2]uint64, len(prev.cards)),
		},
		stateGraph:  stateGraph{Related: prev.rel, Links: prev.links, Uses: prev.uses},
		stateHashes: stateHashes{Views: prev.views, URLs: prev.urls, Link: prev.link, Full: prev.full, CardKeys: s.cardKeys},
	}
	// The sources as parsed, in walk order, and the pages of the last
	// build that have a source, as built.
	var sources []*source
	var pages, pageSrc []*generator.Page
	for _, f := range s.order {
		sr := s.src[f]
		if sr == nil || sr.page == nil {
			return fmt.Errorf("%w: %s did not parse", ErrNotResumable, f)
		}
		sources = append(sources, sr)
		if p := prev.pages[f]; p != nil {
			pages = append(pages, p)
			pageSrc = append(pageSrc, sr.page)
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
	exts := s.b.exts
	for _, x := range exts {
		if _, ok := x.(encoding.BinaryMarshaler); !ok {
			return fmt.Errorf("%w: extension %T cannot be saved", ErrNotResumable, x)
		}
	}
	srcChunks, pageChunks := chunks(len(sources)), chunks(len(pages))
	// Every frame is encoded on its own, on every core: the parts of the
	// header, the chunks of sources and pages, the extensions' states. An
	// extension's state may come in parts, written as it holds them.
	heads := st.parts()
	nh, ns, np := len(heads), len(srcChunks), len(pageChunks)
	frames := make([][][]byte, nh+ns+np+len(exts))
	err := parallel(len(frames), func(i int) error {
		var f []byte
		var err error
		switch {
		case i < nh:
			f, err = gobBytes(heads[i])
		case i < nh+ns:
			c := srcChunks[i-nh]
			out := make([]savedSource, 0, c[1]-c[0])
			for j := c[0]; j < c[1]; j++ {
				sr := sources[j]
				sp, err := savePage(sr.page, nil)
				if err != nil {
					return err
				}
				out = append(out, savedSource{Page: sp, Sum: sr.sum, FM: sr.fm})
			}
			f, err = gobBytes(out)
		case i < nh+ns+np:
			c := pageChunks[i-nh-ns]
			out := make([]savedPage, 0, c[1]-c[0])
			for j := c[0]; j < c[1]; j++ {
				sp, err := savePage(pages[j], pageSrc[j])
				if err != nil {
					return err
				}
				out = append(out, sp)
			}
			f, err = gobBytes(out)
		default:
			x := exts[i-nh-ns-np]
			if m, ok := x.(partsMarshaler); ok {
				frames[i], err = m.MarshalParts()
				return err
			}
			f, err = x.(encoding.BinaryMarshaler).MarshalBinary()
		}
		frames[i] = [][]byte{f}
		return err
	})
	if err != nil {
		return err
	}
	// The checksum covers every byte before it.
	sum := crc32.New(crcTable)
	w = io.MultiWriter(w, sum)
	b := binary.AppendUvarint([]byte(stateMagic), uint64(len(key)))
	if _, err := w.Write(append(b, key...)); err != nil {
		return err
	}
	for _, n := range []int{nh, ns, np, len(exts)} {
		if _, err := w.Write(binary.AppendUvarint(nil, uint64(n))); err != nil {
			return err
		}
		for _, parts := range frames[:n] {
			size := 0
			for _, p := range parts {
				size += len(p)
			}
			if _, err := w.Write(binary.AppendUvarint(nil, uint64(size))); err != nil {
				return err
			}
			for _, p := range parts {
				if _, err := w.Write(p); err != nil {
					return err
				}
			}
		}
		frames = frames[n:]
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32()))
	return err
}

// Resume reads a state Save wrote with the same key and returns it as a
// stream state (see NewStreamState) writing full builds to sink. Its next
// Rebuild takes the given changes since that build. Any error means the
// saved state cannot serve: build in full instead.
//
// The state keeps slices of data (an extension's saved bytes, see
// sharedUnmarshaler): the caller must not change data afterwards.
func Resume(opts Options, sink Sink, data []byte, key string) (*State, error) {
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		if len(data) == 0 {
			return nil, fmt.Errorf("unreadable: empty")
		}
		return nil, fmt.Errorf("written by another version of versus")
	}
	fr := frameReader{b: data[len(stateMagic):]}
	if k := fr.frame(); fr.err != nil {
		return nil, fmt.Errorf("unreadable: %w", fr.err)
	} else if string(k) != key {
		return nil, fmt.Errorf("written by another build of versus, for other options, or another day")
	}
	if len(fr.b) < 4 || crc32.Checksum(data[:len(data)-4], crcTable) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("damaged: its checksum does not match (cut short, or changed)")
	}
	fr.b = fr.b[:len(fr.b)-4]
	headFrames, srcFrames, pageFrames, extFrames := fr.frames(), fr.frames(), fr.frames(), fr.frames()
	if fr.err != nil || len(fr.b) != 0 {
		return nil, fmt.Errorf("damaged: its frames do not add up")
	}
	// The settings, layouts and theme are read again while the pages are
	// decoded: they are the saved build's, or the next rebuild is full.
	s := NewStreamState(opts, sink)
	var b *builder
	var st savedState
	heads := st.parts()
	if len(headFrames) != len(heads) {
		return nil, fmt.Errorf("damaged: %d parts of the header, not %d", len(headFrames), len(heads))
	}
	srcs := make([][]savedSource, len(srcFrames))
	pgs := make([][]savedPage, len(pageFrames))
	nh := len(heads)
	err := parallel(1+nh+len(srcFrames)+len(pageFrames), func(i int) error {
		switch {
		case i == 0:
			var err error
			if b, err = newBuilder(s.opts, NewMemSink()); err != nil {
				return err
			}
			if err := b.setup(); err != nil {
				return err
			}
			s.setupWarn = slices.Clone(b.warnings.list)
			return resumeExtensions(b.exts, extFrames)
		case i < 1+nh:
			if err := gobFrom(headFrames[i-1], heads[i-1]); err != nil {
				return fmt.Errorf("unreadable: %w", err)
			}
		case i < 1+nh+len(srcFrames):
			j := i - 1 - nh
			if err := gobFrom(srcFrames[j], &srcs[j]); err != nil {
				return fmt.Errorf("unreadable: %w", err)
			}
			for k := range srcs[j] {
				if err := srcs[j][k].Page.restore(); err != nil {
					return err
				}
			}
		default:
			j := i - 1 - nh - len(srcFrames)
			if err := gobFrom(pageFrames[j], &pgs[j]); err != nil {
				return fmt.Errorf("unreadable: %w", err)
			}
			for k := range pgs[j] {
				if err := pgs[j][k].restore(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.resumed = true
	s.carried = map[string]generator.ErrorList{}
	for i := range st.Warnings {
		w := &st.Warnings[i]
		s.carried[w.Pos.File] = append(s.carried[w.Pos.File], w)
	}
	b.sink = sink
	b.left = st.Left
	s.b = b

	n := 0
	for _, c := range srcs {
		n += len(c)
	}
	s.src = make(map[string]*source, n)
	s.order = make([]string, 0, n)
	for _, c := range srcs {
		for i := range c {
			sv := &c[i]
			p := &sv.Page.Page
			s.repoint(p)
			s.src[p.File] = &source{page: p, sum: sv.Sum, fm: sv.FM}
			s.order = append(s.order, p.File)
		}
	}
	s.files = make(map[string]bool, len(st.Files))
	for _, f := range st.Files {
		s.files[f] = true
	}
	var pages []*generator.Page
	for _, c := range pgs {
		for i := range c {
			sp := &c[i]
			p := &sp.Page
			if sp.ParamsOfSource {
				sr := s.src[p.File]
				if sr == nil {
					return nil, fmt.Errorf("damaged: page %s has no source", p.File)
				}
				p.Params = sr.page.Params
			}
			pages = append(pages, p)
		}
	}
	byFile := make(map[string]*generator.Page, len(pages))
	for _, p := range pages {
		s.repoint(p)
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

// chunkSize is how many sources or pages a chunk of the saved form holds:
// enough that gob's type descriptions are a small part of each, few
// enough that every core has several to decode.
const chunkSize = 1024

// chunks cuts n items into [start, end) ranges of chunkSize.
func chunks(n int) [][2]int {
	var out [][2]int
	for i := 0; i < n; i += chunkSize {
		out = append(out, [2]int{i, min(i+chunkSize, n)})
	}
	return out
}

// parallel calls fn(0) … fn(n-1) on every core, lower indices first, and
// returns the error of the lowest index that failed.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func gobBytes(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gobFrom decodes v from data, which must hold exactly one gob value.
func gobFrom(data []byte, v any) error {
	r := bytes.NewReader(data)
	if err := gob.NewDecoder(r).Decode(v); err != nil {
		return err
	}
	if r.Len() != 0 {
		return fmt.Errorf("%d bytes after the value", r.Len())
	}
	return nil
}

// frameReader reads the frames of the saved form; the first error sticks.
type frameReader struct {
	b   []byte
	err error
}

var errCut = errors.New("cut short")

func (r *frameReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCut
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *frameReader) frame() []byte {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errCut
		return nil
	}
	f := r.b[:n:n]
	r.b = r.b[n:]
	return f
}

// frames reads a count, then that many frames.
func (r *frameReader) frames() [][]byte {
	n := r.uvarint()
	// Each frame takes at least its length's byte.
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errCut
		return nil
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = r.frame()
	}
	return out
}

// partsMarshaler is an extension whose saved state comes in parts, to be
// written one after another (encoding.BinaryMarshaler's bytes, not joined):
// the search index's documents are most of a large site's saved build.
type partsMarshaler interface {
	MarshalParts() ([][]byte, error)
}

// sharedUnmarshaler is an extension that resumes its saved state without
// copying it: it may keep slices of data, which the caller never changes.
// The search index's documents are most of a large site's saved build.
type sharedUnmarshaler interface {
	UnmarshalShared(data []byte) error
}

// resumeExtensions gives each extension its saved state.
func resumeExtensions(exts []Extension, saved [][]byte) error {
	if len(saved) != len(exts) {
		return fmt.Errorf("saved with other extensions")
	}
	for i, x := range exts {
		var err error
		switch u := x.(type) {
		case sharedUnmarshaler:
			err = u.UnmarshalShared(saved[i])
		case encoding.BinaryUnmarshaler:
			err = u.UnmarshalBinary(saved[i])
		default:
			return fmt.Errorf("extension %T cannot be resumed", x)
		}
		if err != nil {
			return fmt.Errorf("extension %T: %w", x, err)
		}
	}
	return nil
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

// errValue is returned for saved links or params that do not decode.
var errValue = errors.New("not a saved value")

// Link flags in the saved form.
const (
	linkImage   = 1 << iota
	linkSameURL // URL is Dest
	linkInPage  // Pos.File is the page's file
)

// appendLinks appends links, of the page from file, to b: a count, then
// for each flags, Dest, URL unless it is Dest, the position's file unless
// it is the page's, line and column. TestSavedLinkFields keeps it in step
// with generator.Link.
func appendLinks(b []byte, links []generator.Link, file string) []byte {
	b = binary.AppendUvarint(b, uint64(len(links)))
	for _, l := range links {
		var flags uint64
		if l.Image {
			flags |= linkImage
		}
		if l.URL == l.Dest {
			flags |= linkSameURL
		}
		if l.Pos.File == file {
			flags |= linkInPage
		}
		b = binary.AppendUvarint(b, flags)
		b = appendString(b, l.Dest)
		if flags&linkSameURL == 0 {
			b = appendString(b, l.URL)
		}
		if flags&linkInPage == 0 {
			b = appendString(b, l.Pos.File)
		}
		b = binary.AppendVarint(b, int64(l.Pos.Line))
		b = binary.AppendVarint(b, int64(l.Pos.Col))
	}
	return b
}

// readLinks reads what appendLinks wrote, all of b.
func readLinks(b []byte, file string) ([]generator.Link, error) {
	r := valueReader{b: b}
	n := r.count()
	links := make([]generator.Link, n)
	for i := range links {
		l := &links[i]
		flags := r.uvarint()
		l.Image = flags&linkImage != 0
		l.Dest = r.string()
		l.URL = l.Dest
		if flags&linkSameURL == 0 {
			l.URL = r.string()
		}
		l.Pos.File = file
		if flags&linkInPage == 0 {
			l.Pos.File = r.string()
		}
		l.Pos.Line, l.Pos.Col = int(r.varint()), int(r.varint())
	}
	if r.err != nil || len(r.b) > 0 {
		return nil, errValue
	}
	return links, nil
}

// Value tags in the saved form of front matter params.
const (
	valNil = iota
	valFalse
	valTrue
	valInt64
	valFloat64
	valString
	valTime
	valList
	valMap
	// valGob is any other type, as gob writes it (the types front matter
	// gives are the ones above; this keeps any other as gob kept it).
	valGob
)

// maxDepth bounds the nesting of saved values, against a damaged file.
const maxDepth = 1000

// appendValue appends v, a front matter value (generator.Node.Value), to
// b: a tag, then the value. Map keys are sorted, so the same value saves
// the same bytes.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, valNil), nil
	case bool:
		if v {
			return append(b, valTrue), nil
		}
		return append(b, valFalse), nil
	case int64:
		return binary.AppendVarint(append(b, valInt64), v), nil
	case float64:
		return binary.LittleEndian.AppendUint64(append(b, valFloat64), math.Float64bits(v)), nil
	case string:
		return appendString(append(b, valString), v), nil
	case time.Time:
		t, err := v.MarshalBinary()
		if err != nil {
			return nil, err
		}
		return appendString(append(b, valTime), string(t)), nil
	case []any:
		b = binary.AppendUvarint(append(b, valList), uint64(len(v)))
		for _, x := range v {
			var err error
			if b, err = appendValue(b, x); err != nil {
				return nil, err
			}
		}
		return b, nil
	case map[string]any:
		if v == nil {
			// As gob would: an empty map.
			v = map[string]any{}
		}
		b = binary.AppendUvarint(append(b, valMap), uint64(len(v)))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			b = appendString(b, k)
			var err error
			if b, err = appendValue(b, v[k]); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	g, err := gobBytes(&gobValue{V: v})
	if err != nil {
		return nil, err
	}
	return appendString(append(b, valGob), string(g)), nil
}

// gobValue carries a value of another type through gob.
type gobValue struct{ V any }

// readValue reads one value appendValue wrote from b and returns it with
// the rest of b.
func readValue(b []byte, depth int) (any, []byte, error) {
	if depth > maxDepth {
		return nil, nil, errValue
	}
	if len(b) == 0 {
		return nil, nil, errValue
	}
	r := valueReader{b: b[1:]}
	var v any
	switch b[0] {
	case valNil:
	case valFalse:
		v = false
	case valTrue:
		v = true
	case valInt64:
		v = r.varint()
	case valFloat64:
		v = math.Float64frombits(r.uint64())
	case valString:
		v = r.string()
	case valTime:
		var t time.Time
		if err := t.UnmarshalBinary(r.bytes()); err != nil && r.err == nil {
			r.err = err
		}
		v = t
	case valList:
		n := r.count()
		l := make([]any, n)
		for i := range l {
			if r.err != nil {
				break
			}
			var err error
			if l[i], r.b, err = readValue(r.b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		v = l
	case valMap:
		n := r.count()
		m := make(map[string]any, n)
		for range n {
			k := r.string()
			if r.err != nil {
				break
			}
			var err error
			if m[k], r.b, err = readValue(r.b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		v = m
	case valGob:
		var g gobValue
		if err := gobFrom(r.bytes(), &g); err != nil && r.err == nil {
			r.err = err
		}
		v = g.V
	default:
		return nil, nil, errValue
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return v, r.b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// valueReader reads saved links and values; the first error sticks.
type valueReader struct {
	b   []byte
	err error
}

func (r *valueReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errValue
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *valueReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errValue
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *valueReader) uint64() uint64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errValue
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// count reads a number of entries, each at least a byte of what is left.
func (r *valueReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errValue
		return 0
	}
	return int(n)
}

func (r *valueReader) bytes() []byte {
	n := r.count()
	if r.err != nil {
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}

func (r *valueReader) string() string { return string(r.bytes()) }
