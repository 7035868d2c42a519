package content

import (
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/data"
)

// DataKey is the key of a front matter reference to a data file's value:
// node: {$data: versions.node.lts}. A map holding only this key stands for
// the value, whatever its type, so a boolean cell stays a yes/no mark and
// a shared list of verdicts stays a list. A key no writer would type by
// chance, it cannot change what an ordinary key means.
const DataKey = "$data"

// resolveData replaces every reference in n by a copy of the value it
// names, with the value's own positions (its data file's lines).
func resolveData(n *generator.Node, site *generator.Node, errs *generator.ErrorList) {
	switch n.Kind {
	case generator.ListValue:
		for i, c := range n.List {
			if v := dataRef(c, site, errs); v != nil {
				n.List[i] = v
				continue
			}
			resolveData(c, site, errs)
		}
	case generator.MapValue:
		for _, k := range n.Keys {
			c := n.Map[k]
			if strings.HasPrefix(k, "$") && k != DataKey {
				hint := ""
				if generator.Suggest(k, []string{DataKey}) != "" {
					hint = " (did you mean \"$data\"?)"
				}
				errs.Add(c.KeyPos, "unknown key %q%s: a key starting with $ is a reference; {$data: versions.node.lts} stands for a value of data/versions.yaml", k, hint)
				continue
			}
			if v := dataRef(c, site, errs); v != nil {
				v.KeyPos = c.KeyPos
				n.Map[k] = v
				continue
			}
			resolveData(c, site, errs)
		}
	}
}

// dataRef returns the value a {$data: path} map stands for, or nil when n
// is not one (or is a wrong one, reported in errs).
func dataRef(n *generator.Node, site *generator.Node, errs *generator.ErrorList) *generator.Node {
	ref := n.Get(DataKey)
	if ref == nil {
		return nil
	}
	if len(n.Keys) != 1 {
		for _, k := range n.Keys {
			if k != DataKey {
				errs.Add(n.Map[k].KeyPos, "%s stands alone in its map, for the value it names; move %s: out of it", DataKey, k)
				break
			}
		}
		return nil
	}
	if ref.Kind != generator.StringValue {
		errs.Add(ref.Pos, "%s takes a dotted path to a data value, such as versions.node.lts, found a %s", DataKey, ref.Kind)
		return nil
	}
	v, err := data.Lookup(site, strings.TrimSpace(ref.Str))
	if err != nil {
		errs.Add(ref.Pos, "%v", err)
		return nil
	}
	return clone(v)
}

// clone copies a value, so that pages sharing it cannot change each
// other's.
func clone(n *generator.Node) *generator.Node {
	c := *n
	if n.List != nil {
		c.List = make([]*generator.Node, len(n.List))
		for i, x := range n.List {
			c.List[i] = clone(x)
		}
	}
	if n.Map != nil {
		c.Keys = append([]string(nil), n.Keys...)
		c.Map = make(map[string]*generator.Node, len(n.Map))
		for k, x := range n.Map {
			c.Map[k] = clone(x)
		}
	}
	return &c
}
