// Package layout loads the html/template layouts: the built-in theme
// embedded in the binary, overridden file by file by a site's own layouts/
// folder, with Hugo's file names (baseof, home, list, single, terms, term,
// 404, partials/, shortcodes/).
package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Dir is the folder of layouts in a site and in the theme.
const Dir = "layouts"

// Set is a parsed set of layouts. It is safe for concurrent use.
type Set struct {
	pages map[string]*template.Template // "single" → ready to execute
	// paginates names the page layouts that show .Paginator.
	paginates map[string]bool
	partials  *template.Template // partials/*.html and shortcodes/*.html
	// Files are the layout files and where each came from ("site" or "theme").
	Files map[string]string
	pool  sync.Pool

	// cached holds partialCached results for the life of the Set, which is
	// one build.
	cacheMu sync.Mutex
	cached  map[string]*cachedPartial
}

type cachedPartial struct {
	once sync.Once
	html template.HTML
	err  error
}

// Load parses the layouts. theme is the built-in theme's layouts folder
// (its files at the root); site is the site's source fs (its layouts/
// folder overrides the theme), or nil. funcs add site-aware functions
// (relURL, absURL, markdownify, asset) to the built-in ones.
//
// maxFile bounds each of the site's layout files (limits.page); 0 means
// the default.
func Load(theme, site fs.FS, funcs template.FuncMap, maxFile int64) (*Set, error) {
	s := &Set{pages: map[string]*template.Template{}, paginates: map[string]bool{}, Files: map[string]string{}}
	s.pool.New = func() any { return new(bytes.Buffer) }
	if maxFile <= 0 {
		maxFile = generator.DefaultPageLimit
	}
	sources := map[string][]byte{}
	if err := collect(theme, ".", "theme", maxFile, sources, s.Files); err != nil {
		return nil, err
	}
	if site != nil {
		_, err := fs.Stat(site, Dir)
		switch {
		case err == nil:
			if err := collect(site, Dir, "site", maxFile, sources, s.Files); err != nil {
				return nil, err
			}
		case !errors.Is(err, fs.ErrNotExist):
			// A layouts folder that is there but unreadable (a link out of
			// the site) must not pass for a missing one.
			return nil, generator.Errorf(generator.Pos{File: Dir}, "%v", sitefs.Reason(err))
		}
	}
	fm := template.FuncMap{}
	for k, v := range builtinFuncs() {
		fm[k] = v
	}
	for k, v := range funcs {
		fm[k] = v
	}
	fm["partial"] = s.partial
	fm["partialCached"] = s.partialCached

	var errs generator.ErrorList
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)

	s.partials = template.New("").Funcs(fm)
	for _, n := range names {
		if strings.HasPrefix(n, "partials/") || strings.HasPrefix(n, "shortcodes/") {
			if _, err := s.partials.New(Dir + "/" + n).Parse(string(sources[n])); err != nil {
				errs = append(errs, templateError(err))
			}
		}
	}
	base := template.New(Dir + "/baseof.html").Funcs(fm)
	if src, ok := sources["baseof.html"]; ok {
		if _, err := base.Parse(string(src)); err != nil {
			errs = append(errs, templateError(err))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.Contains(n, "/") || n == "baseof.html" || !strings.HasSuffix(n, ".html") {
			continue
		}
		name := Dir + "/" + n
		src := string(sources[n])
		// A layout that defines blocks fills baseof; one that defines none is
		// the whole page.
		alone, err := template.New(name).Funcs(fm).Parse(src)
		if err != nil {
			errs = append(errs, templateError(err))
			continue
		}
		key := strings.TrimSuffix(n, ".html")
		s.paginates[key] = s.showsPaginator(alone)
		if len(alone.Templates()) <= 1 || base.Tree == nil {
			s.pages[key] = alone
			continue
		}
		t, err := base.Clone()
		if err == nil {
			_, err = t.New(name).Parse(src)
		}
		if err != nil {
			errs = append(errs, templateError(err))
			continue
		}
		s.pages[key] = t
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// collect reads every .html file under root. A file linked from elsewhere
// in the site is read; a link that leads outside the site, a link to a
// folder (never walked, so its layouts would silently not apply) and a
// file over maxFile are errors at the file, all of them reported.
func collect(fsys fs.FS, root, origin string, maxFile int64, sources map[string][]byte, files map[string]string) error {
	var errs generator.ErrorList
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := fs.Stat(fsys, p)
			if err != nil {
				errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
				return nil
			}
			if fi.IsDir() {
				errs.Add(generator.Pos{File: p}, "is a link to a folder; versus does not follow folder links under %s/: move the folder here, or link its files one by one", Dir)
				return nil
			}
		}
		if !strings.HasSuffix(p, ".html") {
			return nil
		}
		data, err := sitefs.ReadFile(fsys, p, maxFile, "limits.page")
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, root), "/")
		if root == "." {
			rel = p
		}
		sources[rel] = data
		files[rel] = origin
		return nil
	})
	if err != nil {
		errs.Add(generator.Pos{File: root}, "%v", sitefs.Reason(err))
	}
	errs.Sort()
	return errs.Err()
}

// templateError turns an html/template error into a generator error at the
// template's file, line and column. html/template's own *Error (escaping
// problems) carries its position as fields; text/template reports parse and
// execution errors only as text of the fixed form "template: NAME:LINE:COL:
// …" (its ExecError holds the name alone), so that prefix is read, and the
// error is kept as the cause either way.
func templateError(err error) *generator.Error {
	var he *template.Error
	if errors.As(err, &he) && he.Name != "" && he.Line > 0 {
		return &generator.Error{Pos: generator.Pos{File: he.Name, Line: he.Line}, Msg: he.Description, Err: err}
	}
	msg := err.Error()
	if m := templatePos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &generator.Error{Pos: generator.Pos{File: m[1], Line: line, Col: col}, Msg: msg[len(m[0]):], Err: err}
	}
	return &generator.Error{Msg: strings.TrimPrefix(msg, "template: "), Err: err}
}

// templatePos matches the position text/template puts before its messages.
var templatePos = regexp.MustCompile(`^(?:html/)?template: ([^:\s]+):([0-9]+)(?::([0-9]+))?: `)

// Paginates reports whether the page layout name shows .Paginator, in its
// own file or a partial it calls by a quoted name: a list with such a
// layout is split into pagers, as Hugo splits the lists whose layout calls
// .Paginator. What baseof.html and the partials it calls show (the head's
// rel prev/next links) does not count, or every list would be paginated.
func (s *Set) Paginates(name string) bool { return s.paginates[name] }

// showsPaginator walks the templates a layout file defines, and the
// partials they name, for a use of .Paginator.
func (s *Set) showsPaginator(file *template.Template) bool {
	seen := map[string]bool{}
	var walk func(n parse.Node) bool
	partial := func(name string) bool {
		if !strings.HasSuffix(name, ".html") {
			name += ".html"
		}
		name = Dir + "/partials/" + name
		if seen[name] {
			return false
		}
		seen[name] = true
		t := s.partials.Lookup(name)
		return t != nil && t.Tree != nil && walk(t.Tree.Root)
	}
	walk = func(n parse.Node) bool {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return false
			}
			for _, c := range n.Nodes {
				if walk(c) {
					return true
				}
			}
		case *parse.ActionNode:
			return walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return false
			}
			for _, c := range n.Cmds {
				if walk(c) {
					return true
				}
			}
		case *parse.CommandNode:
			if len(n.Args) >= 2 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "partial" || id.Ident == "partialCached") {
					if name, ok := n.Args[1].(*parse.StringNode); ok && partial(name.Text) {
						return true
					}
				}
			}
			for _, c := range n.Args {
				if walk(c) {
					return true
				}
			}
		case *parse.FieldNode:
			return slices.Contains(n.Ident, "Paginator")
		case *parse.VariableNode:
			return slices.Contains(n.Ident, "Paginator")
		case *parse.ChainNode:
			return slices.Contains(n.Field, "Paginator") || walk(n.Node)
		case *parse.IfNode:
			return walk(n.Pipe) || walk(n.List) || walk(n.ElseList)
		case *parse.RangeNode:
			return walk(n.Pipe) || walk(n.List) || walk(n.ElseList)
		case *parse.WithNode:
			return walk(n.Pipe) || walk(n.List) || walk(n.ElseList)
		case *parse.TemplateNode:
			return walk(n.Pipe)
		}
		return false
	}
	for _, t := range file.Templates() {
		if t.Tree != nil && walk(t.Tree.Root) {
			return true
		}
	}
	return false
}

// Has reports whether a page layout exists ("single", "list", …).
func (s *Set) Has(name string) bool { _, ok := s.pages[name]; return ok }

// HasShortcode reports whether layouts/shortcodes/NAME.html exists.
func (s *Set) HasShortcode(name string) bool {
	return s.partials.Lookup(Dir+"/shortcodes/"+name+".html") != nil
}

// Execute renders the page layout name with data into w.
func (s *Set) Execute(w io.Writer, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no layout %s/%s.html", Dir, name)
	}
	if err := t.Execute(w, data); err != nil {
		return templateError(err)
	}
	return nil
}

// Shortcode renders layouts/shortcodes/NAME.html with data.
func (s *Set) Shortcode(name string, data any) (template.HTML, error) {
	return s.run(Dir+"/shortcodes/"+name+".html", data)
}

func (s *Set) partial(name string, data ...any) (template.HTML, error) {
	if !strings.HasSuffix(name, ".html") {
		name += ".html"
	}
	var d any
	if len(data) > 0 {
		d = data[0]
	}
	return s.run(Dir+"/partials/"+name, d)
}

// ResetCached forgets partialCached results, for a rebuild that reuses the
// Set (watch mode): what was the same on every page may have changed.
func (s *Set) ResetCached() {
	s.cacheMu.Lock()
	s.cached = nil
	s.cacheMu.Unlock()
}

// partialCached renders a partial once per build for each combination of
// variant keys, as Hugo's partialCached does: for parts of the page that are
// the same on every page (or every page of a kind), like the site header.
func (s *Set) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	key := name
	for _, v := range variants {
		key += "\x00" + fmt.Sprint(v)
	}
	s.cacheMu.Lock()
	if s.cached == nil {
		s.cached = map[string]*cachedPartial{}
	}
	c, ok := s.cached[key]
	if !ok {
		c = &cachedPartial{}
		s.cached[key] = c
	}
	s.cacheMu.Unlock()
	c.once.Do(func() { c.html, c.err = s.partial(name, data) })
	return c.html, c.err
}

func (s *Set) run(name string, data any) (template.HTML, error) {
	t := s.partials.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("no template %s", name)
	}
	buf := s.pool.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.pool.Put(buf)
	if err := t.Execute(buf, data); err != nil {
		return "", templateError(err)
	}
	return template.HTML(buf.String()), nil
}

func builtinFuncs() template.FuncMap {
	return template.FuncMap{
		"dateFormat": func(layout string, t any) (string, error) {
			tm, ok := t.(time.Time)
			if !ok {
				return "", fmt.Errorf("dateFormat needs a date, got %T", t)
			}
			if tm.IsZero() {
				return "", nil
			}
			return tm.Format(layout), nil
		},
		"jsonify": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"safeHTML": func(s string) template.HTML { return template.HTML(s) },
		"safeCSS":  func(s string) template.CSS { return template.CSS(s) },
		"safeURL":  func(s string) template.URL { return template.URL(s) },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs pairs of keys and values")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys must be strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"lower": strings.ToLower,
		"upper": strings.ToUpper,
		"first": func(n int, v any) any {
			switch x := v.(type) {
			case []*generator.Page:
				return x[:min(n, len(x))]
			case []*generator.Term:
				return x[:min(n, len(x))]
			}
			return v
		},
		"base":      path.Base,
		"split":     strings.Split,
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
	}
}
