package pipeline

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// AssetsDir is the site's folder of its own stylesheets and scripts, named
// by css: and js: in site settings and front matter. Its files are
// published under assets/ with a content hash in their names, as the
// theme's are.
const AssetsDir = "assets"

// readSiteAssets reads every file under the site's assets/ folder (path
// relative to it → bytes).
func (b *builder) readSiteAssets() (map[string][]byte, error) {
	files := map[string][]byte{}
	if fi, err := fs.Stat(b.opts.Source, AssetsDir); err != nil || !fi.IsDir() {
		return files, nil
	}
	var errs generator.ErrorList
	max := b.cfg.Limits.WithDefaults().File
	err := fs.WalkDir(b.opts.Source, AssetsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			return nil
		}
		name := strings.TrimPrefix(p, AssetsDir+"/")
		if d.IsDir() || strings.HasPrefix(path.Base(name), ".") || strings.HasSuffix(name, "~") {
			return nil
		}
		data, err := sitefs.ReadFile(b.opts.Source, p, max, "limits.file")
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			return nil
		}
		files[name] = data
		return nil
	})
	if err != nil {
		errs.Add(generator.Pos{File: AssetsDir}, "%v", sitefs.Reason(err))
	}
	return files, errs.Err()
}

// resolveRefs turns the css: or js: of settings or front matter into the
// hashed URLs of the files they name, with an error at each name that is
// not a file of the right kind under assets/.
func (b *builder) resolveRefs(refs []generator.AssetRef, key string, errs *generator.ErrorList) []string {
	var out []string
	for _, r := range refs {
		name := strings.TrimPrefix(strings.TrimPrefix(path.Clean("/"+r.Name), "/"), AssetsDir+"/")
		want := map[string]string{"css": ".css", "js": ".js"}[key]
		if path.Ext(name) != want {
			errs.Add(r.Pos, "%s: lists %s files, and %q is not one", key, want, r.Name)
			continue
		}
		hashed, ok := b.siteAssets[name]
		if !ok {
			errs.Add(r.Pos, "%s: there is no file %s/%s: put the file there (files under %s/ are published with a content hash in their names), or correct the name", key, AssetsDir, name, AssetsDir)
			continue
		}
		u := b.cfg.RelURL(hashed)
		if !contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// without is list less the entries of drop.
func without(list, drop []string) []string {
	var out []string
	for _, s := range list {
		if !contains(drop, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// resolveSiteHooks resolves the settings' css: and js:. Their errors wait
// in hookErrs for the first pass over the pages, to be listed with the
// pages' own.
func (b *builder) resolveSiteHooks() {
	var errs generator.ErrorList
	b.siteCSS = b.resolveRefs(b.cfg.CSS, "css", &errs)
	b.siteJS = b.resolveRefs(b.cfg.JS, "js", &errs)
	b.hookErrs = errs
}

// hashedName is where an asset is published: assets/NAME.HASH.EXT.
func hashedName(name string, sum string) string {
	ext := path.Ext(name)
	return fmt.Sprintf("assets/%s.%s%s", strings.TrimSuffix(name, ext), sum[:10], ext)
}

// menuKey names the menu entries that are p or hold p, in every menu: two
// pages with the same key show the same menus.
func menuKey(p *generator.Page) string {
	if p == nil || p.Site == nil || len(p.Site.Menus) == 0 {
		return ""
	}
	names := make([]string, 0, len(p.Site.Menus))
	for n := range p.Site.Menus {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	var walk func(string, generator.Menu)
	walk = func(menu string, m generator.Menu) {
		for _, e := range m {
			if p.IsMenuCurrent(menu, e) {
				b.WriteString("=" + menu + "\x00" + e.Identifier + "\x00")
			} else if p.HasMenuCurrent(menu, e) {
				b.WriteString(">" + menu + "\x00" + e.Identifier + "\x00")
			}
			walk(menu, e.Children)
		}
	}
	for _, n := range names {
		walk(n, p.Site.Menus[n])
	}
	return b.String()
}
