package pipeline

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/versus-ssg/versus/generator"
)

// RedirectsFile is the file Netlify and Cloudflare Pages read redirects
// from, written when the settings say redirectsFile: true.
const RedirectsFile = "_redirects"

// AliasPage is what layouts/alias.html sees: the page an old URL now
// leads to.
type AliasPage struct {
	// Alias is the old URL path, with the base path.
	Alias        string
	Page         *generator.Page
	Permalink    string
	RelPermalink string
	Site         *generator.Site
}

// aliasCollisions reports aliases whose file another output already is: a
// page (written or generated), another alias, a copied file, or a folder
// versus publishes into; and a _redirects file of the site's own when
// versus is asked to write one.
func (b *builder) aliasCollisions(site *generator.Site, files map[string]bool) generator.ErrorList {
	var errs generator.ErrorList
	pages := map[string]*generator.Page{}
	for _, p := range allPages(site) {
		pages[p.OutFile] = p
	}
	taken := map[string]generator.Alias{}
	owner := map[string]*generator.Page{}
	for _, p := range allPages(site) {
		for _, a := range p.Aliases {
			top, _, _ := strings.Cut(a.OutFile, "/")
			switch other := pages[a.OutFile]; {
			case other == p:
				errs.Add(a.Pos, "alias %s is this page's own URL: remove it", a.Path)
			case other != nil && other.File != "":
				errs.Add(a.Pos, "alias %s is the URL of %s, which a redirect cannot replace: remove the alias, or move that page", a.Path, other.File)
			case other != nil:
				errs.Add(a.Pos, "alias %s is the URL of a page versus makes (%s), which a redirect cannot replace: remove the alias", a.Path, other.Title)
			case files[a.OutFile]:
				errs.Add(a.Pos, "alias %s is the file content/%s, which a redirect cannot replace: remove the alias, or the file", a.Path, a.OutFile)
			case top == "assets" || top == "search":
				errs.Add(a.Pos, "alias %s is under /%s/, where versus publishes its own files: choose another path", a.Path, top)
			default:
				if first, dup := taken[a.OutFile]; dup {
					errs.Add(a.Pos, "alias %s is also an alias of %s (at %s): keep it on one page", a.Path, owner[a.OutFile].File, first.Pos)
					continue
				}
				taken[a.OutFile] = a
				owner[a.OutFile] = p
			}
		}
	}
	if b.cfg.RedirectsFile && files[RedirectsFile] {
		errs.Add(b.cfg.RedirectsFilePos, "redirectsFile: true writes %s, and the site has its own content/%s: keep one of them", RedirectsFile, RedirectsFile)
	}
	return errs
}

// writeAliases writes a redirect page at each alias of each page (the
// layout alias.html), and the _redirects file when asked for; it returns
// the files written.
func (b *builder) writeAliases(site *generator.Site) (map[string]bool, error) {
	type entry struct {
		a generator.Alias
		p *generator.Page
	}
	var list []entry
	for _, p := range allPages(site) {
		for _, a := range p.Aliases {
			list = append(list, entry{a, p})
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].a.OutFile < list[j].a.OutFile })
	out := map[string]bool{}
	var buf bytes.Buffer
	for _, e := range list {
		buf.Reset()
		data := &AliasPage{Alias: b.cfg.RelURL(e.a.Path), Page: e.p, Permalink: e.p.Permalink, RelPermalink: e.p.RelPermalink, Site: site}
		if err := b.set.Execute(&buf, "alias", data); err != nil {
			return nil, generator.Errorf(e.a.Pos, "writing the redirect for alias %s: %v", e.a.Path, err)
		}
		if err := b.write(e.a.OutFile, buf.Bytes()); err != nil {
			return nil, err
		}
		out[e.a.OutFile] = true
	}
	if b.cfg.RedirectsFile {
		var r strings.Builder
		for _, e := range list {
			fmt.Fprintf(&r, "%s %s 301\n", b.cfg.RelURL(e.a.Path), e.p.RelPermalink)
		}
		if err := b.write(RedirectsFile, []byte(r.String())); err != nil {
			return nil, err
		}
		out[RedirectsFile] = true
	}
	return out, nil
}
