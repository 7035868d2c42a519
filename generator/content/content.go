// Package content walks a site's content/ folder and turns its Markdown files
// into pages: front matter split and decoded, URLs assigned, drafts and
// future pages left out unless asked for. It also lists the other files that
// are copied to the output as they are.
package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/menu"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Dir is the folder of a site that holds its pages.
const Dir = "content"

// SamplesDir is the folder under Dir that holds code samples; it is never
// rendered as pages.
const SamplesDir = "samples"

// Options choose which pages are built.
type Options struct {
	Drafts bool
	Future bool
	// Now decides what "future" means; the zero value means time.Now().
	Now time.Time
	// DropBodies leaves Page.Body empty, so a large site's Markdown is not
	// all held in memory at once; the build reads each body again when it
	// renders the page.
	DropBodies bool
	// Limits bound the size of each page (Page) and copied file (File);
	// zero fields mean the defaults.
	Limits generator.Limits
	// Data are the site's data files (package data), which front matter
	// refers to with {$data: path}; nil leaves references unresolved.
	Data *generator.Node
}

// Result is what Load found.
type Result struct {
	// Pages are the articles and the section/home pages that have an
	// _index.md, sorted by path.
	Pages []*generator.Page
	// Files are the other files under content/ (outside samples/), relative
	// to content/, sorted; they are copied to the same path in the output.
	Files []string
	// Skipped counts drafts and future pages that were left out.
	Skipped int
	// Left names each page left out (its file) and why: "draft" or
	// "future", so that a link to one can say how to include it.
	Left map[string]string
}

// Load reads every page under content/ in fsys. When some files fail it
// returns the pages that did load together with every error, so a build can
// go on to find the rest of the problems in one run.
func Load(fsys fs.FS, opts Options) (*Result, error) {
	limits := opts.Limits.WithDefaults()
	list, err := Walk(fsys, limits)
	if list == nil {
		return nil, err
	}
	errs := generator.Errors(err)
	pages := make([]*generator.Page, len(list.Pages))
	errLists := make([]generator.ErrorList, len(list.Pages))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, file := range list.Pages {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			data, err := ReadPage(fsys, file, limits.Page)
			if err != nil {
				errLists[i].Append(generator.Pos{File: file}, err)
				return
			}
			p, errs := ParseData(file, data, opts.Data)
			if len(errs) == 0 {
				if opts.DropBodies {
					p.Body = nil
				}
				pages[i] = p
			}
			errLists[i] = errs
		}()
	}
	wg.Wait()
	for _, l := range errLists {
		errs = append(errs, l...)
	}
	res, serrs := Select(pages, opts)
	res.Files = list.Files
	errs = append(errs, serrs...)
	errs.Sort()
	return res, errs.Err()
}

// Listing is what Walk found under content/.
type Listing struct {
	// Pages are the Markdown files (paths from the site root), in walk
	// order; Files the other files, relative to content/.
	Pages []string
	Files []string
}

// Walk lists the files under content/ that a build reads, held to limits
// (which must have their defaults filled in). Files it cannot use (an
// unreadable folder, a link to a folder, one over its size limit) are
// errors beside a listing of the rest; a nil listing means content/ itself
// could not be read.
func Walk(fsys fs.FS, limits generator.Limits) (*Listing, error) {
	return WalkFrom(fsys, Dir, limits)
}

// WalkFrom is Walk of one folder under content/ (root, a path from the
// site root), for a rebuild that needs only what changed there.
func WalkFrom(fsys fs.FS, root string, limits generator.Limits) (*Listing, error) {
	list := &Listing{}
	var errs generator.ErrorList
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && isNotExist(err) {
				return fs.SkipDir
			}
			if p == root {
				return err
			}
			// One unreadable folder is that folder's problem; the rest of
			// the site is still worth checking.
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, Dir), "/")
		if d.IsDir() {
			if rel != "" && SkipDir(rel) {
				return fs.SkipDir
			}
			return nil
		}
		kind := Classify(rel)
		if kind == Ignored || kind == SampleFile {
			return nil
		}
		if err := checkEntry(fsys, p, d, kind == PageFile, limits); err != nil {
			errs.Add(generator.Pos{File: p}, "%v", err)
			return nil
		}
		if kind == PageFile {
			list.Pages = append(list.Pages, p)
		} else {
			list.Files = append(list.Files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, generator.Errorf(generator.Pos{File: root}, "%v", sitefs.Reason(err))
	}
	return list, errs.Err()
}

// What a file under content/ is to a build (Classify).
const (
	// Ignored files are hidden, backups, or inside a hidden folder.
	Ignored = iota
	// PageFile is a Markdown page.
	PageFile
	// CopiedFile is copied to the output as it is.
	CopiedFile
	// SampleFile is part of a code sample (under samples/).
	SampleFile
)

// Classify says what a file is to a build, from its path relative to
// content/ ("a/b.md"), by the rules Walk lists files with.
func Classify(rel string) int {
	if rel == SamplesDir || strings.HasPrefix(rel, SamplesDir+"/") {
		return SampleFile
	}
	dir, name := path.Split(rel)
	for _, seg := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		if strings.HasPrefix(seg, ".") {
			return Ignored
		}
	}
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return Ignored
	}
	if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".markdown") {
		return PageFile
	}
	return CopiedFile
}

// SkipDir reports whether Walk leaves out a folder (relative to content/,
// not empty): samples/ and hidden folders.
func SkipDir(rel string) bool {
	return rel == SamplesDir || strings.HasPrefix(path.Base(rel), ".")
}

// Select picks the pages a build publishes from the parsed pages (nil for
// a file that failed to parse, which is skipped): drafts and future pages
// are left out unless opts ask for them, and two pages with one URL are an
// error. The result's pages are sorted by path; it has no Files.
func Select(pages []*generator.Page, opts Options) (*Result, generator.ErrorList) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	res := &Result{Left: map[string]string{}}
	var errs generator.ErrorList
	seen := map[string]string{}
	for _, p := range pages {
		if p == nil {
			continue
		}
		if p.Draft && !opts.Drafts || p.Date.After(opts.Now) && !opts.Future {
			res.Skipped++
			res.Left[p.File] = "future"
			if p.Draft {
				res.Left[p.File] = "draft"
			}
			continue
		}
		if other, dup := seen[p.Path]; dup {
			errs.Add(generator.Pos{File: p.File, Line: 1}, "page URL %s is also used by %s", p.Path, other)
			continue
		}
		seen[p.Path] = p.File
		res.Pages = append(res.Pages, p)
	}
	sort.Slice(res.Pages, func(i, j int) bool { return res.Pages[i].Path < res.Pages[j].Path })
	return res, errs
}

func isNotExist(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "not exist") || err == fs.ErrNotExist)
}

// checkEntry looks at a file before it is read: a link is followed (the
// site's fs.FS refuses one that leads outside the site), a folder behind a
// link is not walked, and the size is held to the limit, all with a
// message that says what to do.
func checkEntry(fsys fs.FS, p string, d fs.DirEntry, page bool, limits generator.Limits) error {
	var fi fs.FileInfo
	var err error
	if d.Type()&fs.ModeSymlink != 0 {
		fi, err = fs.Stat(fsys, p)
		if err == nil && fi.IsDir() {
			return fmt.Errorf("is a link to a folder; versus does not follow folder links under %s/ (they can loop or show a page twice): move the folder here, or link its files one by one", Dir)
		}
	} else {
		fi, err = d.Info()
	}
	if err != nil {
		return sitefs.Reason(err)
	}
	if err := sitefs.Regular(fi); err != nil {
		return err
	}
	max, key := limits.File, "limits.file"
	if page {
		max, key = limits.Page, "limits.page"
	}
	if fi.Size() > max {
		return &sitefs.SizeError{Size: fi.Size(), Max: max, Key: key}
	}
	return nil
}

// ReadPage reads a Markdown file of at most max bytes (limits.page); the
// error is positioned at the file.
func ReadPage(fsys fs.FS, file string, max int64) ([]byte, error) {
	if max <= 0 {
		max = generator.DefaultPageLimit
	}
	data, err := sitefs.ReadFile(fsys, file, max, "limits.page")
	if err != nil {
		return nil, generator.Errorf(generator.Pos{File: file}, "%v", sitefs.Reason(err))
	}
	return data, nil
}

// Body reads a page's body again from its file (after Load with
// DropBodies), held to the same limit as Load (limits.page).
func Body(fsys fs.FS, p *generator.Page, max int64) ([]byte, error) {
	data, err := ReadPage(fsys, p.File, max)
	if err != nil {
		return nil, err
	}
	_, body, _, _, err := meta.Split(p.File, data)
	return body, err
}

// Parse turns one Markdown file into a page. file is the path from the site
// root ("content/a/b.md"); it names the page's URL and every error.
func Parse(file string, data []byte) (*generator.Page, generator.ErrorList) {
	return ParseData(file, data, nil)
}

// ParseData is Parse with the site's data files: every {$data: path} in
// the front matter is replaced by the value it names before any key is
// read, so a shared value behaves as if written in place.
func ParseData(file string, data []byte, site *generator.Node) (*generator.Page, generator.ErrorList) {
	var errs generator.ErrorList
	if i := bytes.IndexByte(data, 0); i >= 0 {
		// A NUL is never text a writer meant; it is a binary file with a
		// .md name, or a damaged one. It would also forge the build's own
		// shortcode placeholders.
		line := 1 + bytes.Count(data[:i], []byte("\n"))
		col := i - (bytes.LastIndexByte(data[:i], '\n') + 1) + 1
		errs.Add(generator.Pos{File: file, Line: line, Col: col}, "a NUL byte, so this is not a text file; save it as UTF-8 text, or rename it if it is not meant to be a page")
		return nil, errs
	}
	fm, body, bodyLine, found, err := meta.Split(file, data)
	if err != nil {
		errs.Append(generator.Pos{File: file, Line: 1}, err)
		return nil, errs
	}
	p := &generator.Page{File: file, Body: body, BodyLine: bodyLine, Params: map[string]any{}}
	if found {
		root, err := meta.Decode(fm)
		if err != nil {
			errs.Append(generator.Pos{File: file, Line: fm.Line}, err)
			return nil, errs
		}
		if site != nil {
			resolveData(root, site, &errs)
			if len(errs) > 0 {
				return nil, errs
			}
		}
		p.Meta = root
		p.Params = root.Value().(map[string]any)
		// A writer's own keys may sit under params: (Hugo's convention);
		// layouts see them in .Params beside the rest.
		if own, ok := p.Params["params"].(map[string]any); ok {
			for k, v := range own {
				if _, taken := p.Params[k]; !taken {
					p.Params[k] = v
				}
			}
		}
		decodeFrontMatter(p, root, &errs)
	} else {
		p.Meta = &generator.Node{Kind: generator.MapValue, Map: map[string]*generator.Node{}, Pos: generator.Pos{File: file, Line: 1}}
	}
	assignURL(p)
	// Relative aliases are read from the page's folder, so they wait for
	// its URL.
	if n := p.Meta.Get("aliases"); n != nil {
		p.Aliases = aliases(p, n, &errs)
	}
	return p, errs
}

// aliases reads a page's aliases: URL paths from the site root
// ("/old/url/", "/old.html"), or relative to the page's folder ("old/").
func aliases(p *generator.Page, n *generator.Node, errs *generator.ErrorList) []generator.Alias {
	if n.Kind == generator.NullValue {
		return nil
	}
	items := []*generator.Node{n}
	if n.Kind == generator.ListValue {
		items = n.List
	}
	var out []generator.Alias
	for _, c := range items {
		if c.Kind != generator.StringValue || strings.TrimSpace(c.Str) == "" {
			errs.Add(c.Pos, "an alias must be a URL path such as /old/url/, found a %s", c.Kind)
			continue
		}
		raw := strings.TrimSpace(c.Str)
		switch {
		case strings.Contains(raw, "://") || strings.HasPrefix(raw, "//"):
			errs.Add(c.Pos, "alias %q is a full URL: an alias is a path on this site, such as /old/url/", raw)
			continue
		case strings.ContainsAny(raw, "?#\\") || strings.ContainsFunc(raw, unicode.IsSpace):
			errs.Add(c.Pos, "alias %q must be a plain URL path, without a query, a fragment, spaces or backslashes", raw)
			continue
		}
		dir := p.Path
		if p.Kind == generator.KindPage {
			dir = path.Dir(strings.TrimSuffix(p.Path, "/"))
		}
		full := raw
		if !strings.HasPrefix(raw, "/") {
			full = path.Join(dir, raw)
		}
		clean := path.Clean("/" + full)
		for _, seg := range strings.Split(raw, "/") {
			if seg == ".." {
				errs.Add(c.Pos, "alias %q uses .., which could leave the site: write the path from the site root, starting with /", raw)
				clean = ""
				break
			}
		}
		if clean == "" {
			continue
		}
		if clean == "/" {
			errs.Add(c.Pos, "alias %q is the home page, which a page cannot replace", raw)
			continue
		}
		a := generator.Alias{Pos: c.Pos}
		if ext := path.Ext(clean); ext == ".html" || ext == ".htm" {
			a.Path = clean
			a.OutFile = strings.TrimPrefix(clean, "/")
		} else {
			a.Path = clean + "/"
			a.OutFile = strings.TrimPrefix(a.Path, "/") + "index.html"
		}
		out = append(out, a)
	}
	return out
}

// Keys are the front matter keys this package reads; other stages read
// theirs (compare.Keys), and a site may declare its own (frontMatterKeys).
var Keys = []string{"title", "description", "summary", "date", "updated", "lastmod", "draft", "authors", "tags", "slug", "weight", "layout", "image", "menu", "css", "js", "aliases", "params"}

func decodeFrontMatter(p *generator.Page, root *generator.Node, errs *generator.ErrorList) {
	for _, key := range root.Keys {
		v := root.Map[key]
		switch key {
		case "title":
			p.Title = str(v, errs)
		case "description", "summary":
			if p.Description == "" {
				p.Description = str(v, errs)
			}
		case "date":
			p.Date = date(v, errs)
		case "updated", "lastmod":
			p.Lastmod = date(v, errs)
		case "draft":
			p.Draft = boolean(v, errs)
		case "authors":
			p.Authors = strs(v, errs)
		case "tags":
			p.TagNames = strs(v, errs)
		case "slug":
			p.Slug = str(v, errs)
			if strings.ContainsAny(p.Slug, "/\\") || p.Slug == "." || p.Slug == ".." {
				errs.Add(v.Pos, "slug %q must be a single URL segment", p.Slug)
				p.Slug = ""
			}
		case "weight":
			if v.Kind != generator.IntValue {
				errs.Add(v.Pos, "weight must be a whole number, found a %s", v.Kind)
			}
			p.Weight = int(v.Int)
		case "layout":
			p.Layout = str(v, errs)
			if strings.ContainsAny(p.Layout, "/\\.") {
				errs.Add(v.Pos, "layout %q must be a template name like \"wide\" (for layouts/wide.html)", p.Layout)
				p.Layout = ""
			}
		case "image":
			p.ImageFile = strings.TrimSpace(str(v, errs))
			p.ImagePos = v.Pos
		case "menu":
			p.MenuSpecs = menu.FrontMatter(v, errs)
		case "css":
			p.CSSRefs = generator.AssetRefs(v, errs)
		case "js":
			p.JSRefs = generator.AssetRefs(v, errs)
		case "aliases":
			// Read once the page has its URL (Parse), as relative ones
			// are relative to its folder.
		}
		// Everything else (subjects, criteria, verdict, faq and the writer's
		// own keys) stays in Params and Meta for later stages and layouts.
	}
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
}

func str(n *generator.Node, errs *generator.ErrorList) string { return n.Text(errs) }

func strs(n *generator.Node, errs *generator.ErrorList) []string { return n.TextList(errs) }

func boolean(n *generator.Node, errs *generator.ErrorList) bool {
	if n.Kind != generator.BoolValue && n.Kind != generator.NullValue {
		errs.Add(n.Pos, "expected true or false, found a %s", n.Kind)
	}
	return n.Bool
}

func date(n *generator.Node, errs *generator.ErrorList) time.Time {
	switch n.Kind {
	case generator.NullValue:
		return time.Time{}
	case generator.TimeValue:
		return n.Time
	case generator.StringValue:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
			if t, err := time.Parse(layout, n.Str); err == nil {
				return t
			}
		}
	}
	errs.Add(n.Pos, "expected a date like 2026-11-23, found %q", n.Str)
	return time.Time{}
}

// assignURL gives the page its kind, section and URL from its file name:
// content/a/b.md → /a/b/, content/a/_index.md → /a/, content/_index.md → /.
func assignURL(p *generator.Page) {
	rel := strings.TrimPrefix(p.File, Dir+"/")
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	name := strings.TrimSuffix(strings.TrimSuffix(base, ".md"), ".markdown")
	if dir != "" {
		p.Section = strings.SplitN(dir, "/", 2)[0]
	}
	switch {
	case name == "_index":
		p.Kind = generator.KindSection
		if dir == "" {
			p.Kind = generator.KindHome
		}
		p.Path = urlPath(dir)
	case name == "index":
		// A leaf bundle: content/a/index.md is the page /a/.
		p.Kind = generator.KindPage
		if p.Slug != "" {
			dir = path.Join(path.Dir(dir), p.Slug)
		}
		p.Path = urlPath(dir)
	default:
		p.Kind = generator.KindPage
		if p.Slug != "" {
			name = p.Slug
		}
		p.Path = urlPath(path.Join(dir, name))
	}
	p.OutFile = strings.TrimPrefix(p.Path, "/") + "index.html"
	if p.Title == "" && p.Kind != generator.KindHome {
		p.Title = titleFromName(name, dir)
	}
}

func urlPath(p string) string {
	if p == "" || p == "." {
		return "/"
	}
	return "/" + strings.Trim(p, "/") + "/"
}

func titleFromName(name, dir string) string {
	if name == "_index" || name == "index" {
		name = path.Base(dir)
	}
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	r := []rune(name)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// URLSegment makes a URL segment from a name (a tag; the file name versus
// new makes from a title): lowercase letters and digits of any script joined by single
// dashes, with "+" and "#" spelled out so that C++ and C# keep apart. It
// is not generator.AnchorID, the rule for ids inside a page.
func URLSegment(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '+':
			b.WriteString("plus")
		case r == '#':
			b.WriteString("sharp")
		default:
			dash = true
		}
	}
	return b.String()
}
