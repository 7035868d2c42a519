package pipeline

// What each page shows of other pages, hashed, so that a rebuild renders
// only the pages whose hash changed.

import (
	"encoding/binary"
	"sort"

	"github.com/versus-ssg/versus/generator"
)

// cardOf is a page's link card and the front matter it was made from.
type cardOf struct{ fm, h uint64 }

// views hashes what each page shows, so that a page whose hash did not
// change need not be rendered again.
type views struct {
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
	h      hash64
}

func (s *State) newViews(site *generator.Site, src map[string]*source, wide bool) *views {
	pages := allPages(site)
	v := &views{site: site, src: src, wide: wide, links: make(map[*generator.Page]uint64, len(pages)), byFile: make(map[string]cardOf, len(pages))}
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
	v.menus(site.Menus)
	for _, u := range append(append([]string{"css"}, site.CSS...), append([]string{"js"}, site.JS...)...) {
		v.str(u)
	}
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

// menus hashes what the menus show: each entry and where it sits.
func (v *views) menus(m generator.Menus) {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var walk func(generator.Menu)
	walk = func(list generator.Menu) {
		v.str("[")
		for _, e := range list {
			v.str(e.Identifier)
			v.str(e.Name)
			v.str(e.URL)
			v.str(e.Title)
			walk(e.Children)
		}
		v.str("]")
	}
	for _, n := range names {
		v.str(n)
		walk(m[n])
	}
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
	var h hash64
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
	var all hash64
	for _, p := range v.site.Pages {
		v.full[p] = fullCard(v.links[p], p, v.wide)
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v.full[p])
		all.Write(b[:])
	}
	v.all = all.Sum64()
}

// fullCard hashes an article's card for lists from its link card.
func fullCard(link uint64, p *generator.Page, wide bool) uint64 {
	var h hash64
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
	shown := p.Pages
	if pg := p.Paginator; pg != nil {
		// A pager shows its own cards, the list's length and the links
		// to the other pagers.
		shown = pg.Pages
		v.num(uint64(pg.PageNumber))
		v.num(uint64(len(pg.Pagers)))
		v.num(uint64(pg.TotalNumberOfElements))
		v.num(uint64(len(p.Pages)))
	}
	for _, o := range shown {
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
		if p.PagerOf != nil {
			continue
		}
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
