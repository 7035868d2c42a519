package pipeline

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
)

// link links the chosen pages into a site: sections (one per folder,
// with or without an _index.md), the home page, tags, subject pages, the
// 404 page, ordering and previous/next. Related pages are worked out
// apart (relatedIncremental), only for the pages a change can affect.
func link(cfg *generator.Config, pages []*generator.Page, now time.Time) *generator.Site {
	site := &generator.Site{
		Config: cfg, Title: cfg.Title, Description: cfg.Description, BaseURL: cfg.BaseURL,
		Language: cfg.Language, Params: cfg.Params, Subjects: cfg.Subjects,
	}
	sections := map[string]*generator.Page{}
	var regular []*generator.Page
	// content/subjects/ID.md gives the text of a subject's page; a file
	// naming no subject stays a page, for collisions to report.
	texts := map[string]*generator.Page{}
	for _, p := range pages {
		p.Site = site
		if id, ok := subjectFile(p.File); ok && p.Kind == generator.KindPage && cfg.Subject(id) != nil {
			texts[id] = p
			continue
		}
		if p.Kind == generator.KindPage {
			regular = append(regular, p)
		} else {
			sections[p.Path] = p
		}
	}
	home := sections["/"]
	if home == nil {
		home = &generator.Page{Kind: generator.KindHome, Path: "/", OutFile: "index.html", Site: site}
		sections["/"] = home
	}
	if home.Title == "" {
		home.Title = cfg.Title
	}
	if home.Description == "" {
		home.Description = cfg.Description
	}
	site.Home = home
	// Every folder holding pages is a section, as in Hugo.
	for _, p := range regular {
		dir := path.Dir(strings.TrimSuffix(p.Path, "/"))
		for dir != "/" && dir != "." {
			sp := dir + "/"
			if sections[sp] == nil {
				sections[sp] = &generator.Page{
					Kind: generator.KindSection, Path: sp, OutFile: strings.TrimPrefix(sp, "/") + "index.html",
					Title: titleCase(path.Base(dir)), Section: strings.SplitN(strings.TrimPrefix(sp, "/"), "/", 2)[0], Site: site,
				}
			}
			dir = path.Dir(dir)
		}
	}
	sortPages(regular)
	site.Pages = regular
	for _, p := range regular {
		p.Parent = sections[parentPath(p.Path)]
		if p.Parent == nil {
			p.Parent = home
		}
	}
	var secList []*generator.Page
	for sp, s := range sections {
		if sp == "/" {
			continue
		}
		s.Parent = sections[parentPath(sp)]
		if s.Parent == nil {
			s.Parent = home
		}
		secList = append(secList, s)
	}
	sortSections(secList, home)
	site.Sections = secList
	// A section lists the pages below it; the home page lists every article.
	for _, p := range regular {
		for s := p.Parent; s != nil && s != home; s = s.Parent {
			s.Pages = append(s.Pages, p)
		}
	}
	home.Pages = regular
	for _, s := range secList {
		// Prev/next run within a section, in the section's order.
		var direct []*generator.Page
		for _, p := range s.Pages {
			if p.Parent == s {
				direct = append(direct, p)
			}
		}
		linkPrevNext(direct)
	}
	var top []*generator.Page
	for _, p := range regular {
		if p.Parent == home {
			top = append(top, p)
		}
	}
	linkPrevNext(top)

	// Tags.
	terms := map[string]*generator.Term{}
	for _, p := range regular {
		for _, name := range p.TagNames {
			slug := content.URLSegment(name)
			if slug == "" {
				continue
			}
			t := terms[slug]
			if t == nil {
				t = &generator.Term{Name: name, Slug: slug, URL: cfg.RelURL("/tags/" + slug + "/")}
				terms[slug] = t
			}
			t.Pages = append(t.Pages, p)
			p.Tags = append(p.Tags, t)
		}
	}
	for _, t := range terms {
		t.Count = len(t.Pages)
		site.Tags = append(site.Tags, t)
	}
	sort.Slice(site.Tags, func(i, j int) bool { return site.Tags[i].Slug < site.Tags[j].Slug })

	site.Generated = generated(site, texts)
	for _, p := range allPages(site) {
		finish(cfg, p)
	}
	for _, p := range regular {
		if p.Date.After(site.BuildDate) {
			site.BuildDate = p.Date
		}
		if p.Lastmod.After(site.BuildDate) {
			site.BuildDate = p.Lastmod
		}
	}
	if site.BuildDate.IsZero() {
		site.BuildDate = now.UTC().Truncate(24 * time.Hour)
	}
	return site
}

// collisions reports content pages whose output is a page versus
// generates (a subject's page, the tag index, a tag's page, the 404 page):
// the generated page would overwrite it, while lists still linked to it.
func collisions(site *generator.Site) generator.ErrorList {
	errs := unknownSubjectFiles(site.Config, site.Pages)
	gen := map[string]*generator.Page{}
	for _, g := range site.Generated {
		gen[g.OutFile] = g
	}
	for _, g := range site.Pagers {
		gen[g.OutFile] = g
	}
	for _, l := range allPages(site) {
		if r := pagerRedirect(site.Config, l); r != "" {
			gen[r] = &generator.Page{Kind: l.Kind, Title: l.Title, Path: l.Path, PagerOf: l}
		}
	}
	content := append([]*generator.Page{site.Home}, site.Sections...)
	content = append(content, site.Pages...)
	for _, p := range content {
		if p.File == "" {
			continue
		}
		g := gen[p.OutFile]
		if g == nil {
			continue
		}
		var what string
		switch {
		case g.PagerOf != nil:
			what = fmt.Sprintf("where versus puts a pager of the list %s (pagination.path in site settings is %q)", g.PagerOf.Path, site.Config.Pagination.Path)
		case g.Kind == generator.KindSubject:
			what = fmt.Sprintf("the page versus makes for the subject %s", g.Subject.Name)
		case g.Kind == generator.KindTaxonomy:
			what = "the tag index versus makes"
		case g.Kind == generator.KindTerm:
			what = fmt.Sprintf("the page versus makes for the tag %q", g.Title)
		default:
			what = "a page versus makes"
		}
		fix := "move or rename the file, or give it another slug:"
		if p.Kind != generator.KindPage {
			fix = "rename its folder"
		}
		if g.PagerOf != nil {
			fix = "rename " + map[bool]string{true: "the file", false: "its folder"}[p.Kind == generator.KindPage] + ", or set another pagination.path in site settings"
		}
		errs.Add(generator.Pos{File: p.File}, "this page's URL %s is %s, which a content page cannot replace: %s", p.Path, what, fix)
	}
	return errs
}

// allPages lists every page the build renders, generated ones and pagers
// included, in a fixed order.
func allPages(site *generator.Site) []*generator.Page {
	out := []*generator.Page{site.Home}
	out = append(out, site.Sections...)
	out = append(out, site.Pages...)
	out = append(out, site.Generated...)
	out = append(out, site.Pagers...)
	return out
}

// SubjectsDir is the folder under content/ whose pages give subjects'
// pages their own text: content/subjects/node.md (or node/index.md, a
// bundle with pictures) for the subject node.
const SubjectsDir = "subjects"

// subjectFile returns the subject id a page file under content/subjects/
// is named after, and whether the file is one.
func subjectFile(file string) (string, bool) {
	rest, ok := strings.CutPrefix(file, content.Dir+"/"+SubjectsDir+"/")
	if !ok {
		return "", false
	}
	if dir, ok := strings.CutSuffix(rest, "/index.md"); ok && !strings.Contains(dir, "/") {
		return dir, true
	}
	ext := path.Ext(rest)
	if ext != ".md" && ext != ".markdown" || strings.Contains(rest, "/") {
		return "", false
	}
	id := strings.TrimSuffix(rest, ext)
	if id == "_index" || id == "index" {
		return "", false
	}
	return id, true
}

// unknownSubjectFiles reports files under content/subjects/ named after
// no subject of the site: the text was meant for a subject's page, and
// would otherwise be published as an article of its own.
func unknownSubjectFiles(cfg *generator.Config, pages []*generator.Page) generator.ErrorList {
	var errs generator.ErrorList
	ids := make([]string, len(cfg.Subjects))
	for i, s := range cfg.Subjects {
		ids[i] = s.ID
	}
	for _, p := range pages {
		id, ok := subjectFile(p.File)
		if !ok || p.Kind != generator.KindPage || cfg.Subject(id) != nil {
			continue
		}
		hint := ""
		if s := generator.Suggest(id, ids); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		settings := cfg.File
		if settings == "" {
			settings = "site.yaml"
		}
		known := "it declares none"
		if len(ids) > 0 {
			known = strings.Join(ids, ", ")
		}
		errs.Add(generator.Pos{File: p.File, Line: 1}, "no subject %q in %s%s: a page in %s/%s/ gives a subject's page its text and is named after the subject's id (%s)", id, settings, hint, content.Dir, SubjectsDir, known)
	}
	return errs
}

// generated makes the tag index, tag pages, subject pages and 404 page.
// texts are the pages giving subjects' pages their own text, by id.
func generated(site *generator.Site, texts map[string]*generator.Page) []*generator.Page {
	cfg := site.Config
	var out []*generator.Page
	mk := func(kind, p, title string) *generator.Page {
		pg := &generator.Page{Kind: kind, Path: p, OutFile: strings.TrimPrefix(p, "/") + "index.html", Title: title, Site: site, Parent: site.Home}
		finish(cfg, pg)
		out = append(out, pg)
		return pg
	}
	if len(site.Tags) > 0 {
		idx := mk(generator.KindTaxonomy, "/tags/", "Tags")
		idx.Description = "Every tag used on " + site.Title + "."
		for _, t := range site.Tags {
			tp := mk(generator.KindTerm, "/tags/"+t.Slug+"/", t.Name)
			tp.Pages = t.Pages
			tp.Parent = idx
			tp.Description = "Pages tagged " + t.Name + "."
			finish(cfg, tp)
		}
	}
	for _, s := range site.Subjects {
		var sp *generator.Page
		if t := texts[s.ID]; t != nil {
			// The page's own title and description win over the made-up
			// ones; its URL is the subject's, whatever its slug.
			sp = t
			sp.Kind, sp.Path, sp.OutFile, sp.Parent = generator.KindSubject, s.URL, strings.TrimPrefix(s.URL, "/")+"index.html", site.Home
			if sp.Title == "" {
				sp.Title = s.Name
			}
			finish(cfg, sp)
			out = append(out, sp)
		} else {
			sp = mk(generator.KindSubject, s.URL, s.Name)
		}
		sp.Subject = s
		if sp.Description == "" {
			sp.Description = "Every criterion " + s.Name + " is compared on across " + site.Title + "."
		}
		sp.SubjectCriteria = subjectCriteria(site, s)
		for _, sc := range sp.SubjectCriteria {
			if len(sp.Pages) == 0 || sp.Pages[len(sp.Pages)-1] != sc.Page {
				sp.Pages = append(sp.Pages, sc.Page)
			}
		}
	}
	nf := &generator.Page{Kind: generator.Kind404, Path: "/404.html", OutFile: "404.html", Title: "Page not found", Site: site, Parent: site.Home}
	finish(cfg, nf)
	out = append(out, nf)
	return out
}

func subjectCriteria(site *generator.Site, s *generator.Subject) []*generator.SubjectCriterion {
	var out []*generator.SubjectCriterion
	for _, p := range site.Pages {
		c := p.Comparison
		if c == nil {
			continue
		}
		for _, cr := range c.Criteria {
			var cell *generator.Cell
			for _, cl := range cr.Cells {
				if cl.Subject.ID == s.ID {
					cell = cl
				}
			}
			if cell == nil {
				continue
			}
			res := ""
			switch {
			case len(cr.Winners) == 0:
			case cell.Winner && len(cr.Winners) > 1:
				res = "shared"
			case cell.Winner:
				res = "won"
			default:
				res = "lost"
			}
			out = append(out, &generator.SubjectCriterion{Page: p, Criterion: cr, Cell: cell, Result: res})
		}
	}
	return out
}

// finish sets the URLs and breadcrumbs that depend on the base URL.
func finish(cfg *generator.Config, p *generator.Page) {
	if p.Path == "/404.html" {
		p.RelPermalink = cfg.RelURL("/404.html")
	} else {
		p.RelPermalink = cfg.RelURL(p.Path)
	}
	p.Permalink = cfg.AbsURL(p.Path)
	p.Ancestors = nil
	for a := p.Parent; a != nil; a = a.Parent {
		p.Ancestors = append([]*generator.Page{a}, p.Ancestors...)
		if a.Kind == generator.KindHome {
			break
		}
	}
}

func parentPath(p string) string {
	d := path.Dir(strings.TrimSuffix(p, "/"))
	if d == "/" || d == "." {
		return "/"
	}
	return d + "/"
}

// sortPages orders pages as Hugo does: weight (pages without one last),
// then newest first, then title, then path.
func sortPages(pages []*generator.Page) {
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := pages[i], pages[j]
		if a.Weight != b.Weight {
			if a.Weight == 0 {
				return false
			}
			if b.Weight == 0 {
				return true
			}
			return a.Weight < b.Weight
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Path < b.Path
	})
}

// sortSections orders sections as a tree, each below its parent, and
// siblings by the weight of their _index.md (lower first, unweighted last),
// then by path: the navigation shows them in this order.
func sortSections(secs []*generator.Page, home *generator.Page) {
	chain := func(s *generator.Page) []*generator.Page {
		var out []*generator.Page
		for p := s; p != nil && p != home; p = p.Parent {
			out = append(out, p)
		}
		slices.Reverse(out)
		return out
	}
	sort.SliceStable(secs, func(i, j int) bool {
		a, b := chain(secs[i]), chain(secs[j])
		for k := 0; k < len(a) && k < len(b); k++ {
			x, y := a[k], b[k]
			if x == y {
				continue
			}
			if x.Weight != y.Weight {
				if x.Weight == 0 {
					return false
				}
				if y.Weight == 0 {
					return true
				}
				return x.Weight < y.Weight
			}
			return x.Path < y.Path
		}
		return len(a) < len(b)
	})
}

func linkPrevNext(pages []*generator.Page) {
	for i, p := range pages {
		if i > 0 {
			p.Prev = pages[i-1]
		}
		if i+1 < len(pages) {
			p.Next = pages[i+1]
		}
	}
}

// related sets each article's five best related pages: two points per
// shared tag, then one per shared subject, ties broken by the site's order.
// The ranker walks only the articles that share a tag, with no sorting, and
// is the same one watch mode uses to patch related pages incrementally.
func related(pages []*generator.Page) {
	keys := make(map[string]relKey, len(pages))
	for _, p := range pages {
		keys[p.File] = keyOf(p)
	}
	r := newRanker(pages, keys)
	for i, p := range pages {
		p.Related = nil
		for _, j := range r.full(i) {
			p.Related = append(p.Related, pages[j])
		}
	}
}

func titleCase(s string) string {
	s = strings.NewReplacer("-", " ", "_", " ").Replace(s)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
