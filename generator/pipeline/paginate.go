package pipeline

// Pagination: a list whose layout shows .Paginator is split into pagers of
// pagination.pagerSize pages. Pager 1 is the list page itself, at the
// list's URL; pagers 2..N are copies of it at LIST/page/N/, each its own
// page of the site, so that the incremental state renders again only the
// pagers whose cards changed.

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/layout"
)

// paginate sets the Paginator of the home page, the sections and the tag
// pages whose layout shows it, and makes their pagers 2..N (site.Pagers).
func paginate(cfg *generator.Config, site *generator.Site, set *layout.Set) {
	site.Pagers = nil
	lists := append([]*generator.Page{site.Home}, site.Sections...)
	for _, p := range site.Generated {
		if p.Kind == generator.KindTerm {
			lists = append(lists, p)
		}
	}
	size := cfg.Pagination.PagerSize
	if size <= 0 {
		size = generator.DefaultPagerSize
	}
	for _, p := range lists {
		if !set.Paginates(layoutFor(p, set)) {
			continue
		}
		n := (len(p.Pages) + size - 1) / size
		if n == 0 {
			n = 1 // an empty list still has its first pager
		}
		pagers := make([]*generator.Pager, n)
		for i := range pagers {
			lo, hi := i*size, min((i+1)*size, len(p.Pages))
			u := cfg.RelURL(p.Path)
			if i > 0 {
				u = cfg.RelURL(pagerPath(cfg, p.Path, i+1))
			}
			pagers[i] = &generator.Pager{
				PageNumber: i + 1, URL: u,
				Pages: p.Pages[lo:hi:hi], PagerSize: size, TotalNumberOfElements: len(p.Pages), Pagers: pagers,
			}
		}
		p.Paginator = pagers[0]
		for _, pg := range pagers[1:] {
			cp := *p
			cp.File, cp.Body, cp.Meta = "", nil, nil
			cp.PagerOf = p
			if cp.ImageFile == "" {
				// A pager has none of the list's body, so not its first
				// picture either (a rebuild's list still holds the one
				// it found last time): it shows the list's card.
				cp.Image = nil
			}
			cp.Paginator = pg
			cp.Path = pagerPath(cfg, p.Path, pg.PageNumber)
			cp.OutFile = strings.TrimPrefix(cp.Path, "/") + "index.html"
			finish(cfg, &cp)
			site.Pagers = append(site.Pagers, &cp)
		}
	}
}

// pagerPath is the URL path of a list's pager n (n > 1, or 1 for the
// redirect to the list): /blog/ → /blog/page/2/.
func pagerPath(cfg *generator.Config, list string, n int) string {
	dir := cfg.Pagination.Path
	if dir == "" {
		dir = generator.DefaultPagerPath
	}
	return list + dir + "/" + strconv.Itoa(n) + "/"
}

// pagerRedirect is the output file of the page/1/ redirect of a list page
// that is its paginator's first pager, or "" for any other page.
func pagerRedirect(cfg *generator.Config, p *generator.Page) string {
	if p.Paginator == nil || p.PagerOf != nil || cfg.Pagination.DisableAliases {
		return ""
	}
	return strings.TrimPrefix(pagerPath(cfg, p.Path, 1), "/") + "index.html"
}

// redirectPage is what a list's page/1/ holds, as Hugo writes it: a page
// that sends browsers to the list's own URL at once and tells crawlers
// that URL is the one to index.
func redirectPage(cfg *generator.Config, p *generator.Page) []byte {
	u := template.HTMLEscapeString(p.Permalink)
	lang := cfg.Language
	if lang == "" {
		lang = "en"
	}
	return fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<title>%s</title>
<link rel="canonical" href="%s">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=%s">
</head>
<body><p><a href="%s">%s</a></p></body>
</html>
`, template.HTMLEscapeString(lang), template.HTMLEscapeString(p.Title), u, u, template.HTMLEscapeString(p.RelPermalink), template.HTMLEscapeString(p.Title))
}
