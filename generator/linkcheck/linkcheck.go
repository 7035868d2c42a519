// Package linkcheck resolves every internal link and #anchor of a built site
// and reports the broken ones where a writer can fix them: links written in
// Markdown at their source line (content/a.md:12), links that come from the
// layouts at the output file. It never touches the network: links to other
// hosts are only counted.
package linkcheck

import (
	"fmt"
	stdhtml "html"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"

	"github.com/versus-ssg/versus/generator"
)

// OutputDir names the output folder in positions of links that come from
// the layouts (the check builds in memory; this is where generate writes).
const OutputDir = "public"

// Broken is one broken link.
type Broken struct {
	// Pos is where to fix it: the Markdown source line, or the output file
	// and line for links from the layouts.
	Pos generator.Pos
	// Link is the link as written; Target is the site path it resolves to.
	Link   string
	Target string
	Reason string
	// Pages counts the pages a layout link is broken on (1 for Markdown).
	Pages int
}

// String formats the problem as "file:line: link → target (reason)".
func (b Broken) String() string {
	s := fmt.Sprintf("%s: %s → %s (%s)", b.Pos, b.Link, b.Target, b.Reason)
	if b.Pages > 1 {
		s += fmt.Sprintf(", on %d pages", b.Pages)
	}
	return s
}

// Report is the outcome of a check.
type Report struct {
	// Broken are sorted by file and line.
	Broken []Broken
	// Checked counts the internal links resolved; External the links to
	// other hosts, which are not checked.
	Checked  int
	External int
	// ExternalHosts counts the skipped links by host.
	ExternalHosts map[string]int
}

// Check checks the built site: files are the output files by path (as a
// build's MemSink holds them) and site the built site, whose pages carry the
// links their Markdown wrote.
func Check(site *generator.Site, files map[string][]byte) *Report {
	c := &checker{
		files: files, ids: map[string]map[string]bool{},
		rep: &Report{ExternalHosts: map[string]int{}},
	}
	c.base, _ = url.Parse(site.Config.BaseURL)
	if c.base == nil {
		c.base = &url.URL{Path: "/"}
	}
	c.basePath = site.Config.BasePath()
	pages := map[string]*generator.Page{}
	for _, p := range allPages(site) {
		pages[p.OutFile] = p
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if strings.HasSuffix(n, ".html") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	layoutBroken := map[string]*Broken{}
	var layoutOrder []string
	for _, name := range names {
		doc := scan(files[name])
		c.ids[name] = doc.ids
		p := pages[name]
		var written map[string][]generator.Link
		if p != nil && len(p.Links) > 0 {
			written = map[string][]generator.Link{}
			for _, l := range p.Links {
				written[norm(l.URL)] = append(written[norm(l.URL)], l)
			}
		}
		reported := map[string]bool{}
		for _, l := range doc.links {
			target, reason, ok := c.check(name, l.value)
			if ok {
				continue
			}
			if src, found := written[norm(l.value)]; found {
				if reported[norm(l.value)] {
					continue
				}
				reported[norm(l.value)] = true
				for _, w := range src {
					c.rep.Broken = append(c.rep.Broken, Broken{Pos: w.Pos, Link: w.Dest, Target: target, Reason: sourceReason(p.File, w.Dest, reason), Pages: 1})
				}
				continue
			}
			key := l.value + "\x00" + target + "\x00" + reason
			if b := layoutBroken[key]; b != nil {
				b.Pages++
				continue
			}
			layoutBroken[key] = &Broken{Pos: generator.Pos{File: OutputDir + "/" + name, Line: l.line}, Link: l.value, Target: target, Reason: reason, Pages: 1}
			layoutOrder = append(layoutOrder, key)
		}
	}
	for _, k := range layoutOrder {
		c.rep.Broken = append(c.rep.Broken, *layoutBroken[k])
	}
	sort.SliceStable(c.rep.Broken, func(i, j int) bool {
		a, b := c.rep.Broken[i].Pos, c.rep.Broken[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return c.rep
}

type checker struct {
	files    map[string][]byte
	ids      map[string]map[string]bool
	base     *url.URL
	basePath string
	rep      *Report
}

// check resolves link, found in the output file name. It returns the site
// path it points to and, when broken, why.
func (c *checker) check(name, link string) (target, reason string, ok bool) {
	link = strings.TrimSpace(link)
	if link == "" || link == "#" {
		return "", "", true
	}
	u, err := url.Parse(link)
	if err != nil {
		return link, "not a valid URL", false
	}
	switch strings.ToLower(u.Scheme) {
	case "":
	case "http", "https":
		if !strings.EqualFold(u.Host, c.base.Host) || c.base.Host == "" {
			c.rep.External++
			c.rep.ExternalHosts[strings.ToLower(u.Host)]++
			return "", "", true
		}
	default:
		// mailto:, tel:, data: and the like lead nowhere on this site.
		return "", "", true
	}
	if u.Scheme == "" && u.Host != "" {
		// Protocol-relative: another host unless it is ours.
		if !strings.EqualFold(u.Host, c.base.Host) {
			c.rep.External++
			c.rep.ExternalHosts[strings.ToLower(u.Host)]++
			return "", "", true
		}
	}
	here := &url.URL{Path: c.basePath + path.Dir(name) + "/"}
	if path.Dir(name) == "." {
		here.Path = c.basePath
	}
	abs := here.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, Fragment: u.Fragment, RawFragment: u.RawFragment})
	if u.Path == "" {
		abs.Path = here.Path + path.Base(name)
		if path.Base(name) == "index.html" {
			abs.Path = here.Path
		}
	}
	target = abs.Path
	if u.Fragment != "" {
		target += "#" + u.Fragment
	}
	if !strings.HasPrefix(abs.Path, c.basePath) && abs.Path+"/" != c.basePath {
		// Another site on the same host (the parent site of one under a
		// sub-path): not this site's to check.
		c.rep.External++
		c.rep.ExternalHosts[strings.ToLower(c.base.Host)]++
		return "", "", true
	}
	c.rep.Checked++
	rel := strings.TrimPrefix(strings.TrimPrefix(abs.Path, c.basePath), "/")
	file, found := c.resolve(rel)
	if !found {
		return target, "no such page or file", false
	}
	if u.Fragment == "" || u.Fragment == "top" || !strings.HasSuffix(file, ".html") {
		return target, "", true
	}
	ids := c.ids[file]
	if ids == nil {
		ids = scan(c.files[file]).ids
		c.ids[file] = ids
	}
	if !ids[u.Fragment] {
		return target, "no element with id " + u.Fragment + " on " + c.basePath + strings.TrimSuffix(strings.TrimSuffix(file, "index.html"), "/") + pageSuffix(file), false
	}
	return target, "", true
}

func pageSuffix(file string) string {
	if strings.HasSuffix(file, "index.html") {
		if file == "index.html" {
			return ""
		}
		return "/"
	}
	return ""
}

// resolve maps a path under the base to an output file the way static hosts
// do: folders serve their index.html, with or without the trailing slash.
func (c *checker) resolve(rel string) (string, bool) {
	if rel == "" || strings.HasSuffix(rel, "/") {
		f := rel + "index.html"
		_, ok := c.files[f]
		return f, ok
	}
	if _, ok := c.files[rel]; ok {
		return rel, true
	}
	f := rel + "/index.html"
	_, ok := c.files[f]
	return f, ok
}

// sourceReason explains a broken Markdown link in terms of the source tree:
// a .md file that is not a page, or a file under samples/, which is never
// published.
func sourceReason(file, dest, reason string) string {
	d, _, _ := strings.Cut(dest, "#")
	d, _, _ = strings.Cut(d, "?")
	if d == "" || strings.Contains(d, "://") {
		return reason
	}
	var p string
	if strings.HasPrefix(d, "/") {
		p = path.Join("content", d)
	} else {
		p = path.Join(path.Dir(file), d)
	}
	switch {
	case strings.HasPrefix(p, "content/samples/"):
		return p + " is in a sample folder; samples are not copied to the site, so show it with {{< sample >}} instead"
	case strings.HasSuffix(p, ".md") && strings.HasPrefix(reason, "no such"):
		return "no page is built from " + p
	case strings.HasPrefix(reason, "no such") && strings.HasPrefix(p, "content/") && path.Ext(p) != "" && !strings.HasSuffix(d, "/"):
		return "no file " + p
	}
	return reason
}

func allPages(site *generator.Site) []*generator.Page {
	var out []*generator.Page
	if site.Home != nil {
		out = append(out, site.Home)
	}
	out = append(out, site.Sections...)
	out = append(out, site.Pages...)
	out = append(out, site.Generated...)
	return out
}

type found struct {
	value string
	line  int
}

type document struct {
	links []found
	ids   map[string]bool
}

// linkAttrs are the attributes that point somewhere, by element.
var linkAttrs = map[string]string{
	"a": "href", "area": "href", "link": "href",
	"img": "src", "script": "src", "iframe": "src", "source": "src",
	"video": "src", "audio": "src", "track": "src", "embed": "src",
}

// scan lists a page's links with their lines, and the ids it defines.
func scan(data []byte) document {
	doc := document{ids: map[string]bool{}}
	buf := make([]byte, len(data))
	copy(buf, data) // the lexer lowercases tag names in place
	l := html.NewLexer(parse.NewInputBytes(buf))
	line := 1
	tag := ""
	for {
		tt, raw := l.Next()
		if tt == html.ErrorToken {
			return doc
		}
		switch tt {
		case html.StartTagToken:
			tag = string(l.Text())
		case html.AttributeToken:
			key := strings.ToLower(string(l.AttrKey()))
			val := attrValue(l.AttrVal())
			switch {
			case key == "id" || (key == "name" && tag == "a"):
				doc.ids[val] = true
			case linkAttrs[tag] == key:
				// Preloads and icons are links too; a stylesheet that is
				// missing breaks the page as surely as a missing page.
				doc.links = append(doc.links, found{value: val, line: line + strings.Count(string(raw), "\n") - strings.Count(strings.TrimLeft(string(raw), " \t\r\n\f"), "\n")})
			}
		case html.StartTagCloseToken, html.StartTagVoidToken:
			tag = ""
		}
		line += strings.Count(string(raw), "\n")
	}
}

// norm lets a destination as written match the same one as rendered, which
// Markdown percent-encodes.
func norm(u string) string {
	if s, err := url.PathUnescape(u); err == nil {
		return s
	}
	return u
}

func attrValue(v []byte) string {
	s := string(v)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return stdhtml.UnescapeString(s)
}
