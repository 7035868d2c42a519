// Package menu reads menu entries from site settings (menus:) and front
// matter (menu:), and resolves them against the site's pages into the
// ordered trees layouts see as .Site.Menus, as Hugo does.
package menu

import (
	"fmt"
	"sort"
	"strings"

	"github.com/versus-ssg/versus/generator"
)

// entryKeys are the keys an entry in site settings may have.
var entryKeys = []string{"identifier", "name", "url", "pageRef", "title", "weight", "parent"}

// pageKeys are the keys a page's own entry (front matter) may have: it
// links to the page, so it has no url or pageRef.
var pageKeys = []string{"identifier", "name", "title", "weight", "parent"}

// Settings decodes the menus: of site settings: a map from menu name to a
// list of entries.
func Settings(n *generator.Node, errs *generator.ErrorList) []*generator.MenuSpec {
	if n.Kind == generator.NullValue {
		return nil
	}
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "menus must be a map from a menu's name to its entries, e.g. main: [{name: Guides, pageRef: /guides/}]")
		return nil
	}
	var out []*generator.MenuSpec
	for _, name := range n.Keys {
		list := n.Map[name]
		if list.Kind == generator.NullValue {
			continue
		}
		if list.Kind != generator.ListValue {
			errs.Add(list.Pos, "menus.%s must be a list of entries (- name: …), found a %s", name, list.Kind)
			continue
		}
		for _, e := range list.List {
			if s := entry(name, e, entryKeys, errs); s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// FrontMatter decodes a page's menu: the name of a menu ("main"), a list
// of names, or a map from menu name to the entry's settings (Hugo's
// forms). The entries stand for the page they are written in.
func FrontMatter(n *generator.Node, errs *generator.ErrorList) []*generator.MenuSpec {
	var out []*generator.MenuSpec
	plain := func(c *generator.Node) {
		if c.Kind != generator.StringValue || strings.TrimSpace(c.Str) == "" {
			errs.Add(c.Pos, "menu must name a menu (menu: main), list menus (menu: [main, footer]) or map each menu to the entry's settings (menu: {main: {weight: 2}}), found a %s", c.Kind)
			return
		}
		out = append(out, &generator.MenuSpec{Menu: strings.TrimSpace(c.Str), Pos: c.Pos})
	}
	switch n.Kind {
	case generator.NullValue:
	case generator.StringValue:
		plain(n)
	case generator.ListValue:
		for _, c := range n.List {
			plain(c)
		}
	case generator.MapValue:
		for _, name := range n.Keys {
			c := n.Map[name]
			if c.Kind == generator.NullValue {
				out = append(out, &generator.MenuSpec{Menu: name, Pos: c.KeyPos})
				continue
			}
			if s := entry(name, c, pageKeys, errs); s != nil {
				s.Pos = c.KeyPos
				out = append(out, s)
			}
		}
	default:
		plain(n)
	}
	return out
}

func entry(menu string, n *generator.Node, known []string, errs *generator.ErrorList) *generator.MenuSpec {
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "an entry of menu %q must be a map (name:, url: or pageRef:, weight:, parent:), found a %s", menu, n.Kind)
		return nil
	}
	s := &generator.MenuSpec{Menu: menu, Pos: n.Pos}
	for _, k := range n.Keys {
		c := n.Map[k]
		switch k {
		case "identifier":
			s.Identifier = c.Text(errs)
		case "name":
			s.Name = c.Text(errs)
		case "url":
			if !contains(known, k) {
				errs.Add(c.KeyPos, "a page's own menu entry links to the page, so it takes no url: put entries for other addresses in menus: in site settings")
				continue
			}
			s.URL = strings.TrimSpace(c.Text(errs))
		case "pageRef":
			if !contains(known, k) {
				errs.Add(c.KeyPos, "a page's own menu entry links to the page, so it takes no pageRef: put entries for other pages in menus: in site settings")
				continue
			}
			s.PageRef = strings.TrimSpace(c.Text(errs))
			s.PageRefPos = c.Pos
		case "title":
			s.Title = c.Text(errs)
		case "weight":
			if c.Kind != generator.IntValue {
				errs.Add(c.Pos, "weight must be a whole number, found a %s", c.Kind)
			}
			s.Weight = int(c.Int)
		case "parent":
			s.Parent = c.Text(errs)
			s.ParentPos = c.Pos
		default:
			errs.Add(c.KeyPos, "unknown key %q in an entry of menu %q (known keys: %s)", k, menu, strings.Join(known, ", "))
		}
	}
	if s.URL != "" && s.PageRef != "" {
		errs.Add(s.PageRefPos, "this entry gives both url and pageRef: keep pageRef for a page of the site, url for any other address")
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Resolve builds the site's menus from the entries of the settings and of
// every page's front matter (Page.MenuSpecs, which stand for the page):
// pageRefs are looked up among pages, entries
// are nested under their parents and ordered by weight (unweighted last),
// then name. rel turns a site path into a URL with the base path. Every
// entry that names a missing page or parent, shares an identifier with
// another, or sits in a loop of parents is an error at its line.
func Resolve(specs []*generator.MenuSpec, pages []*generator.Page, rel func(string) string) (generator.Menus, generator.ErrorList) {
	var errs generator.ErrorList
	byFile := map[string]*generator.Page{}
	byPath := map[string]*generator.Page{}
	for _, p := range pages {
		if p.File != "" {
			byFile[strings.TrimPrefix(p.File, "content/")] = p
		}
		byPath[p.Path] = p
	}
	menus := map[string][]*node{}
	ids := map[string]map[string]*generator.MenuSpec{}
	var menuNames []string
	type owned struct {
		spec *generator.MenuSpec
		page *generator.Page
	}
	all := make([]owned, 0, len(specs))
	for _, s := range specs {
		all = append(all, owned{spec: s})
	}
	for _, p := range pages {
		for _, s := range p.MenuSpecs {
			all = append(all, owned{spec: s, page: p})
		}
	}
	for _, o := range all {
		s := o.spec
		e := &generator.MenuEntry{Menu: s.Menu, Identifier: s.Identifier, Name: s.Name, Title: s.Title, Weight: s.Weight, Parent: s.Parent, Page: o.page}
		if e.Page == nil && s.PageRef != "" {
			e.Page = lookup(s.PageRef, byFile, byPath)
			if e.Page == nil {
				errs.Add(s.PageRefPos, "menu %q: pageRef %q names no page of this build: give a file under content/ (guides/_index.md) or a page's URL (/guides/); a draft or a page dated in the future is left out unless built with --drafts or --future", s.Menu, s.PageRef)
				continue
			}
		}
		if e.Page != nil {
			e.URL = e.Page.RelPermalink
			if e.Name == "" {
				e.Name = e.Page.Title
			}
			if o.page != nil && e.Weight == 0 {
				e.Weight = o.page.Weight
			}
		} else if s.URL != "" {
			e.URL = rel(s.URL)
		}
		if e.Name == "" {
			errs.Add(s.Pos, "an entry of menu %q needs a name: (or a pageRef:, whose page's title it then shows)", s.Menu)
			continue
		}
		if e.Identifier == "" {
			e.Identifier = e.Name
		}
		if ids[s.Menu] == nil {
			ids[s.Menu] = map[string]*generator.MenuSpec{}
			menuNames = append(menuNames, s.Menu)
		}
		if first := ids[s.Menu][e.Identifier]; first != nil {
			errs.Add(s.Pos, "menu %q already has an entry %q (at %s): give this one another identifier:", s.Menu, e.Identifier, first.Pos)
			continue
		}
		ids[s.Menu][e.Identifier] = s
		menus[s.Menu] = append(menus[s.Menu], &node{e: e, spec: s})
	}
	out := generator.Menus{}
	for _, name := range menuNames {
		nodes := menus[name]
		byID := map[string]*node{}
		for _, n := range nodes {
			byID[n.e.Identifier] = n
		}
		var top generator.Menu
		for _, n := range nodes {
			if n.e.Parent == "" {
				top = append(top, n.e)
				continue
			}
			parent := byID[n.e.Parent]
			if parent == nil {
				pos := n.spec.ParentPos
				if pos.File == "" {
					pos = n.spec.Pos
				}
				errs.Add(pos, "menu %q has no entry %q to be this entry's parent (identifiers: %s)", name, n.e.Parent, strings.Join(identifiers(nodes), ", "))
				continue
			}
			parent.e.Children = append(parent.e.Children, n.e)
		}
		// An entry not reachable from the top sits in a loop of parents.
		reached := map[*generator.MenuEntry]bool{}
		var walk func(generator.Menu)
		walk = func(m generator.Menu) {
			for _, e := range m {
				reached[e] = true
				walk(e.Children)
			}
		}
		walk(top)
		for _, n := range nodes {
			if !reached[n.e] && byID[n.e.Parent] != nil {
				errs.Add(n.spec.ParentPos, "menu %q: entry %q is its own ancestor through parent: %q; one entry of the loop must sit at the top", name, n.e.Identifier, n.e.Parent)
			}
		}
		for _, n := range nodes {
			if !reached[n.e] {
				n.e.Children = nil
			}
		}
		sortMenu(top)
		for _, n := range nodes {
			if n.e.URL == "" && !n.e.HasChildren() && reached[n.e] {
				errs.Add(n.spec.Pos, "entry %q of menu %q links nowhere: give it a url: or a pageRef:, or entries with parent: %q below it", n.e.Identifier, name, n.e.Identifier)
			}
		}
		out[name] = top
	}
	errs.Sort()
	return out, errs
}

// node is an entry being resolved, with the spec it came from.
type node struct {
	e    *generator.MenuEntry
	spec *generator.MenuSpec
}

func identifiers(nodes []*node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.e.Identifier)
	}
	sort.Strings(out)
	return out
}

// lookup finds the page a pageRef names: a file under content/
// ("guides/_index.md", "/a.md") or a URL path ("/guides/", "/guides").
func lookup(ref string, byFile, byPath map[string]*generator.Page) *generator.Page {
	if strings.HasSuffix(ref, ".md") || strings.HasSuffix(ref, ".markdown") {
		return byFile[strings.TrimPrefix(ref, "/")]
	}
	p := "/" + strings.Trim(ref, "/") + "/"
	if p == "//" {
		p = "/"
	}
	if pg := byPath[p]; pg != nil {
		return pg
	}
	return byPath["/"+strings.TrimPrefix(ref, "/")] // /404.html
}

func sortMenu(m generator.Menu) {
	sort.SliceStable(m, func(i, j int) bool {
		a, b := m[i], m[j]
		if a.Weight != b.Weight {
			if a.Weight == 0 {
				return false
			}
			if b.Weight == 0 {
				return true
			}
			return a.Weight < b.Weight
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Identifier < b.Identifier
	})
	for _, e := range m {
		sortMenu(e.Children)
	}
}

// String is for debugging and tests: the entries as "name(url)" nested in
// brackets.
func String(m generator.Menu) string {
	var b strings.Builder
	for i, e := range m {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s(%s)", e.Name, e.URL)
		if e.HasChildren() {
			b.WriteString("[" + String(e.Children) + "]")
		}
	}
	return b.String()
}
