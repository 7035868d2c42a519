// Package config reads a site's settings from site.yaml or site.toml.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/alecthomas/chroma/v2/styles"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/menu"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Files are the settings files looked for at the site root, in order.
var Files = generator.SettingsFiles()

// ReservedIDs are the words a criterion uses for itself, so they cannot name
// a subject.
var ReservedIDs = map[string]bool{"name": true, "winner": true, "note": true, "values": true}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// hexColour is the colour format subjects use, so that the theme can derive
// readable variants of it.
var hexColour = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// Default returns the settings of a site without a settings file.
func Default() *generator.Config {
	return &generator.Config{
		Title:       "Untitled comparisons",
		SocialCards: true,
		BaseURL:     "/",
		Language:    "en",
		Highlight:   generator.HighlightConfig{Style: "github", DarkStyle: "github-dark"},
		Params:      map[string]any{},
		Limits:      generator.Limits{}.WithDefaults(),
		Pagination:  generator.Pagination{PagerSize: generator.DefaultPagerSize, Path: generator.DefaultPagerPath},
	}
}

// size reads a limit: a whole number of bytes, or a number with a binary
// unit ("8MiB", "512 KiB", "1GiB").
func size(n *generator.Node, key string, errs *generator.ErrorList) int64 {
	v, err := ParseSize(n)
	if err != nil {
		errs.Add(n.Pos, "%s: %v", key, err)
		return 0
	}
	return v
}

// ParseSize reads a size from a settings node: a whole number of bytes or a
// string like "8MiB", "512 KiB", "1 GiB" (KB, MB and GB mean the same
// binary units, as most people who write them expect).
func ParseSize(n *generator.Node) (int64, error) {
	const hint = "expected a size like 8MiB, 512KiB or 1GiB"
	var v int64
	switch n.Kind {
	case generator.IntValue:
		v = n.Int
	case generator.StringValue:
		s := strings.TrimSpace(n.Str)
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
		mult := map[string]float64{"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
			"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}[unit]
		var f float64
		if _, err := fmt.Sscanf(num, "%g", &f); err != nil || mult == 0 || num == "" {
			return 0, fmt.Errorf("%s, not %q", hint, n.Str)
		}
		if f*mult > 1<<50 {
			return 0, fmt.Errorf("%q is more than any machine could read", n.Str)
		}
		v = int64(f * mult)
	default:
		return 0, fmt.Errorf("%s, found a %s", hint, n.Kind)
	}
	if v <= 0 {
		return 0, fmt.Errorf("a limit must be more than 0 bytes")
	}
	return v, nil
}

// Load reads the site's settings file from fsys, or returns the defaults when
// there is none. Every problem is reported with its file and line.
func Load(fsys fs.FS) (*generator.Config, error) {
	var found []string
	for _, name := range Files {
		_, err := fs.Stat(fsys, name)
		switch {
		case err == nil:
			found = append(found, name)
		case !errors.Is(err, fs.ErrNotExist):
			// A settings file that is there but cannot be read (a link out
			// of the site, say) must not pass for a missing one.
			return nil, generator.Errorf(generator.Pos{File: name}, "%v", sitefs.Reason(err))
		}
	}
	cfg := Default()
	if len(found) == 0 {
		return cfg, nil
	}
	if len(found) > 1 {
		return nil, generator.Errorf(generator.Pos{File: found[1]}, "more than one settings file: %s", strings.Join(found, ", "))
	}
	name := found[0]
	// The settings are read before limits.page is known, so the default
	// bounds them.
	data, err := sitefs.ReadFile(fsys, name, generator.DefaultPageLimit, "")
	if err != nil {
		return nil, generator.Errorf(generator.Pos{File: name}, "%v", sitefs.Reason(err))
	}
	format := meta.YAML
	if strings.HasSuffix(name, ".toml") {
		format = meta.TOML
	}
	root, err := meta.Decode(meta.Source{Format: format, Data: data, File: name, Line: 1})
	if err != nil {
		return nil, err
	}
	cfg.File = name
	var errs generator.ErrorList
	decode(cfg, root, &errs)
	if cfg.Favicon != "" {
		// The icon is a file of the site, copied from content/ like any other.
		if fi, err := fs.Stat(fsys, path.Join("content", cfg.Favicon)); err != nil || fi.IsDir() {
			errs.Add(cfg.FaviconPos, "favicon %q is not a file in content/: put the icon at content/%s, or leave favicon out to use the theme's", cfg.Favicon, cfg.Favicon)
		}
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func decode(cfg *generator.Config, root *generator.Node, errs *generator.ErrorList) {
	for _, key := range root.Keys {
		v := root.Map[key]
		switch key {
		case "title":
			cfg.Title = str(v, errs)
			cfg.TitlePos = v.Pos
		case "description":
			cfg.Description = str(v, errs)
		case "baseURL", "baseurl":
			cfg.BaseURL = str(v, errs)
			if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "" && u.Host == "") {
				errs.Add(v.Pos, "baseURL %q is not a URL like https://example.org/path/", cfg.BaseURL)
			}
		case "language", "languageCode":
			cfg.Language = str(v, errs)
		case "frontMatterKeys":
			cfg.FrontMatterKeys = strs(v, errs)
		case "strict":
			if v.Kind != generator.BoolValue {
				errs.Add(v.Pos, "strict must be true or false")
			}
			cfg.Strict = v.Bool
		case "socialCards":
			if v.Kind != generator.BoolValue {
				errs.Add(v.Pos, "socialCards must be true or false")
			}
			cfg.SocialCards = v.Bool
		case "favicon":
			cfg.Favicon = strings.TrimPrefix(str(v, errs), "/")
			cfg.FaviconPos = v.Pos
		case "subjects":
			cfg.Subjects = subjects(v, errs)
		case "highlight":
			forEach(v, errs, func(k string, c *generator.Node) {
				switch k {
				case "style":
					cfg.Highlight.Style = style(c, errs)
				case "darkStyle":
					cfg.Highlight.DarkStyle = style(c, errs)
				default:
					unknown(c, "highlight."+k, errs)
				}
			})
		case "markdown":
			forEach(v, errs, func(k string, c *generator.Node) {
				switch k {
				case "unsafe":
					if c.Kind != generator.BoolValue {
						errs.Add(c.Pos, "markdown.unsafe must be true or false")
					}
					cfg.Markdown.Unsafe = c.Bool
				case "math":
					if c.Kind != generator.BoolValue {
						errs.Add(c.Pos, "markdown.math must be true or false")
					}
					cfg.Markdown.Math = c.Bool
				default:
					unknown(c, "markdown."+k, errs)
				}
			})
		case "limits":
			forEach(v, errs, func(k string, c *generator.Node) {
				switch k {
				case "page":
					cfg.Limits.Page = size(c, "limits.page", errs)
				case "file":
					cfg.Limits.File = size(c, "limits.file", errs)
				case "sample":
					cfg.Limits.Sample = size(c, "limits.sample", errs)
				case "render":
					d, err := ParseDuration(c)
					if err != nil {
						errs.Add(c.Pos, "limits.render: %v", err)
					}
					cfg.Limits.Render = d
				default:
					errs.Add(c.KeyPos, "unknown key \"limits.%s\" (known keys: page, file, sample, render)", k)
				}
			})
		case "samples":
			samples(cfg, v, errs)
		case "menus", "menu":
			cfg.Menus = append(cfg.Menus, menu.Settings(v, errs)...)
		case "css":
			cfg.CSS = generator.AssetRefs(v, errs)
		case "js":
			cfg.JS = generator.AssetRefs(v, errs)
		case "redirectsFile":
			if v.Kind != generator.BoolValue {
				errs.Add(v.Pos, "redirectsFile must be true or false")
			}
			cfg.RedirectsFile = v.Bool
			cfg.RedirectsFilePos = v.Pos
		case "pagination":
			// Hugo's names (0.128 and later) for the same settings.
			forEach(v, errs, func(k string, c *generator.Node) {
				switch k {
				case "pagerSize":
					if c.Kind != generator.IntValue || c.Int < 1 || c.Int > 100000 {
						errs.Add(c.Pos, "pagination.pagerSize must be a whole number from 1 to 100000, the most pages one pager of a list shows (default %d); to keep every list on one page, give a number larger than your longest list", generator.DefaultPagerSize)
						return
					}
					cfg.Pagination.PagerSize = int(c.Int)
				case "path":
					p := str(c, errs)
					if !pagerPath.MatchString(p) {
						errs.Add(c.Pos, "pagination.path %q must be one folder name of lowercase letters, digits, - and _ (default %q), the folder of a list's pagers 2..N: /blog/page/2/", p, generator.DefaultPagerPath)
						return
					}
					cfg.Pagination.Path = p
				case "disableAliases":
					if c.Kind != generator.BoolValue {
						errs.Add(c.Pos, "pagination.disableAliases must be true or false")
					}
					cfg.Pagination.DisableAliases = c.Bool
				default:
					// Suggest compares in lower case; the keys are camelCase.
					hint := ""
					keys := map[string]string{"pagersize": "pagerSize", "path": "path", "disablealiases": "disableAliases"}
					if s := generator.Suggest(k, []string{"pagersize", "path", "disablealiases"}); s != "" {
						hint = fmt.Sprintf(" (did you mean %q?)", keys[s])
					}
					errs.Add(c.KeyPos, "unknown key \"pagination.%s\"%s (known keys: pagerSize, path, disableAliases)", k, hint)
				}
			})
		case "params":
			if v.Kind != generator.MapValue && v.Kind != generator.NullValue {
				errs.Add(v.Pos, "params must be a map")
				continue
			}
			if m, ok := v.Value().(map[string]any); ok {
				cfg.Params = m
			}
		default:
			unknown(v, key, errs)
		}
	}
}

// pagerPath is what pagination.path may be: one folder name of a URL.
var pagerPath = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func unknown(n *generator.Node, key string, errs *generator.ErrorList) {
	if to, ok := map[string]string{"paginate": "pagerSize", "paginatePath": "path"}[key]; ok {
		// Hugo before 0.128 named them so; say where they went.
		errs.Add(n.KeyPos, "%s is Hugo's old name for this setting: write pagination: {%s: …} instead", key, to)
		return
	}
	errs.Add(n.KeyPos, "unknown key %q (known keys: title, description, baseURL, language, favicon, socialCards, strict, frontMatterKeys, subjects, highlight, markdown, limits, samples, menus, css, js, redirectsFile, pagination, params)", key)
}

func forEach(n *generator.Node, errs *generator.ErrorList, f func(string, *generator.Node)) {
	if n.Kind == generator.NullValue {
		return
	}
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "expected a map, found a %s", n.Kind)
		return
	}
	for _, k := range n.Keys {
		f(k, n.Map[k])
	}
}

func str(n *generator.Node, errs *generator.ErrorList) string { return n.Text(errs) }

func strs(n *generator.Node, errs *generator.ErrorList) []string { return n.TextList(errs) }

func style(n *generator.Node, errs *generator.ErrorList) string {
	s := str(n, errs)
	if s != "" && styles.Registry[strings.ToLower(s)] == nil {
		errs.Add(n.Pos, "unknown highlight style %q (one of: %s)", s, strings.Join(styles.Names(), ", "))
	}
	return s
}

func subjects(n *generator.Node, errs *generator.ErrorList) []*generator.Subject {
	if n.Kind == generator.NullValue {
		return nil
	}
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "subjects must be a map from subject id to its settings")
		return nil
	}
	var out []*generator.Subject
	for _, id := range n.Keys {
		v := n.Map[id]
		s := &generator.Subject{ID: id, Name: id, Pos: v.KeyPos, URL: "/subjects/" + id + "/"}
		switch {
		case !idPattern.MatchString(id):
			errs.Add(v.KeyPos, "subject id %q must be a lowercase word ([a-z][a-z0-9_-]*)", id)
		case ReservedIDs[id]:
			errs.Add(v.KeyPos, "subject id %q is reserved by criteria (name, winner, note, values); choose another id", id)
		}
		forEach(v, errs, func(k string, c *generator.Node) {
			switch k {
			case "name":
				s.Name = str(c, errs)
			case "language":
				s.Language = str(c, errs)
			case "extensions":
				for _, e := range strs(c, errs) {
					if !strings.HasPrefix(e, ".") {
						e = "." + e
					}
					s.Extensions = append(s.Extensions, e)
				}
			case "run":
				s.Run = strs(c, errs)
				if len(s.Run) == 0 && c.Kind != generator.NullValue {
					errs.Add(c.Pos, "run must name a program, e.g. [node, \"{file}\"]")
				}
			case "versionCommand":
				s.VersionCommand = strs(c, errs)
			case "version":
				s.Version = str(c, errs)
				s.VersionPos = c.Pos
			case "homepage":
				s.Homepage = str(c, errs)
			case "color":
				s.Color = str(c, errs)
				if s.Color != "" && !hexColour.MatchString(s.Color) {
					errs.Add(c.Pos, "color must be a hex colour such as \"#5fa04e\" or \"#5a4\" (got %q); the theme derives readable text and tint colours from it", s.Color)
				}
			default:
				errs.Add(c.KeyPos, "unknown key %q in subject %q (known keys: name, language, extensions, run, versionCommand, version, homepage, color)", k, id)
			}
		})
		out = append(out, s)
	}
	return out
}
