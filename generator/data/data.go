// Package data reads a site's data files: data/*.yaml, *.yml, *.toml and
// *.json, each a key named after the file (folders nest, as Hugo's
// .Site.Data does), so that a table many pages show (the versions of the
// subjects, say) is written once. Pages refer to a value by its dotted
// path: versions.node.lts is the key lts under node in data/versions.yaml.
package data

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Dir is the folder of data files at the site root.
const Dir = "data"

// key is what a file or folder name may be to serve as a key in a path.
var key = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// Load reads every data file under data/ into one map whose keys are the
// files' and folders' names, with positions, so that an error about a
// value points at its line. A site without data/ has an empty map. Files
// larger than max (limits.page) are an error, like every other settings
// file.
func Load(fsys fs.FS, max int64) (*generator.Node, error) {
	root := newMap(generator.Pos{File: Dir})
	if _, err := fs.Stat(fsys, Dir); err != nil {
		return root, nil
	}
	var errs generator.ErrorList
	from := map[*generator.Node]map[string]string{} // map → key → the file or folder it came from
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
			return nil
		}
		if p == Dir {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editors' and version control's files
		}
		ext := path.Ext(name)
		k := name
		if !d.IsDir() {
			switch ext {
			case ".yaml", ".yml", ".toml", ".json":
			default:
				errs.Add(generator.Pos{File: p}, "a data file is YAML (.yaml, .yml), TOML (.toml) or JSON (.json); rename it, or move it out of %s/", Dir)
				return nil
			}
			k = strings.TrimSuffix(name, ext)
		}
		if !key.MatchString(k) {
			errs.Add(generator.Pos{File: p}, "%q cannot be a key of a data path (versions.node.lts): name data files and folders with letters, digits, - and _, starting with a letter", k)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		parent := root
		for _, seg := range strings.Split(strings.TrimPrefix(path.Dir(p), Dir), "/") {
			if seg == "" {
				continue
			}
			parent = parent.Map[seg]
			if parent == nil || parent.Kind != generator.MapValue {
				return fs.SkipDir // its folder was refused
			}
		}
		if other, dup := from[parent][k]; dup {
			errs.Add(generator.Pos{File: p}, "%s and %s both give the data key %q: keep one, or rename the other", other, p, k)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if from[parent] == nil {
			from[parent] = map[string]string{}
		}
		from[parent][k] = p
		var n *generator.Node
		if d.IsDir() {
			n = newMap(generator.Pos{File: p})
		} else {
			if n = readFile(fsys, p, ext, max, &errs); n == nil {
				return nil
			}
		}
		parent.Keys = append(parent.Keys, k)
		parent.Map[k] = n
		return nil
	})
	if err != nil {
		errs.Add(generator.Pos{File: Dir}, "%v", err)
	}
	sortKeys(root)
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return root, nil
}

func newMap(pos generator.Pos) *generator.Node {
	return &generator.Node{Kind: generator.MapValue, Pos: pos, KeyPos: pos, Map: map[string]*generator.Node{}}
}

// sortKeys orders keys made from file names, which WalkDir gives in name
// order with extensions (a.b.yaml before a.yaml), by the keys themselves.
func sortKeys(n *generator.Node) {
	if n.Pos.Line != 0 {
		return // a file's own map keeps its order
	}
	sort.Strings(n.Keys)
	for _, k := range n.Keys {
		if c := n.Map[k]; c.Kind == generator.MapValue {
			sortKeys(c)
		}
	}
}

func readFile(fsys fs.FS, p, ext string, max int64, errs *generator.ErrorList) *generator.Node {
	if max <= 0 {
		max = generator.DefaultPageLimit
	}
	b, err := sitefs.ReadFile(fsys, p, max, "limits.page")
	if err != nil {
		errs.Add(generator.Pos{File: p}, "%v", sitefs.Reason(err))
		return nil
	}
	src := meta.Source{Data: b, File: p, Line: 1}
	if ext == ".toml" {
		src.Format = meta.TOML
	}
	// JSON is YAML (1.2 is a superset of it), so one positioned parser
	// reads both.
	n, err := meta.DecodeValue(src)
	if err != nil {
		errs.Append(generator.Pos{File: p}, err)
		return nil
	}
	n.KeyPos = generator.Pos{File: p, Line: 1, Col: 1}
	return n
}

// Lookup finds the value at a dotted path (versions.node.lts; a number
// picks from a list: releases.0.name). The error says which part of the
// path is missing, in which file, and what it most likely meant.
func Lookup(root *generator.Node, dotted string) (*generator.Node, error) {
	if strings.TrimSpace(dotted) == "" {
		return nil, fmt.Errorf("an empty data path: name a value of a file in %s/, such as versions.node.lts for the key lts under node in %s/versions.yaml", Dir, Dir)
	}
	n := root
	segs := strings.Split(dotted, ".")
	for i, seg := range segs {
		at := strings.Join(segs[:i], ".")
		switch n.Kind {
		case generator.MapValue:
			c := n.Map[seg]
			if c == nil {
				hint := ""
				if s := generator.Suggest(seg, n.Keys); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", strings.TrimPrefix(at+"."+s, "."))
				}
				if i == 0 {
					if len(n.Keys) == 0 {
						return nil, fmt.Errorf("unknown data %q: the site has no data files; add %s/%s.yaml", dotted, Dir, seg)
					}
					return nil, fmt.Errorf("unknown data %q: no file %s/%s.yaml (or .yml, .toml, .json)%s", dotted, Dir, seg, hint)
				}
				return nil, fmt.Errorf("unknown data %q: %s has no key %q under %s%s", dotted, n.Pos.File, seg, at, hint)
			}
			n = c
		case generator.ListValue:
			j, err := strconv.Atoi(seg)
			if err != nil || j < 0 || j >= len(n.List) {
				return nil, fmt.Errorf("unknown data %q: %s is a list of %d in %s; pick an item by its number from 0", dotted, at, len(n.List), n.Pos.File)
			}
			n = n.List[j]
		default:
			return nil, fmt.Errorf("unknown data %q: %s is a %s in %s, with no keys", dotted, at, n.Kind, n.Pos.File)
		}
	}
	return n, nil
}
