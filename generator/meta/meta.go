// Package meta decodes YAML and TOML documents (site settings and front
// matter) into generator.Node trees that remember where every key and value
// was written, so errors found later can name the exact line.
package meta

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"versus/generator"
)

// Format is a document syntax.
type Format int

// Supported formats.
const (
	YAML Format = iota
	TOML
)

// Source is a document to decode: its bytes, the file it came from, and the
// line of that file on which the bytes start (1 for a whole file, more for
// front matter after the opening delimiter).
type Source struct {
	Format Format
	Data   []byte
	File   string
	Line   int
}

func (s Source) pos(line, col int) generator.Pos {
	return generator.Pos{File: s.File, Line: s.Line + line - 1, Col: col}
}

// Decode parses the document into a Node. An empty document decodes to an
// empty map. A document whose top level is not a map is an error.
func Decode(src Source) (*generator.Node, error) {
	if src.Line == 0 {
		src.Line = 1
	}
	var n *generator.Node
	var err error
	if src.Format == TOML {
		n, err = decodeTOML(src)
	} else {
		n, err = decodeYAML(src)
	}
	if err != nil {
		return nil, err
	}
	if n == nil || n.Kind == generator.Null {
		return &generator.Node{Kind: generator.Map, Pos: src.pos(1, 1), KeyPos: src.pos(1, 1), Map: map[string]*generator.Node{}}, nil
	}
	if n.Kind != generator.Map {
		return nil, generator.Errorf(n.Pos, "expected a map of keys and values at the top level, found a %s", n.Kind)
	}
	return n, nil
}

func decodeYAML(src Source) (*generator.Node, error) {
	file, err := parser.ParseBytes(src.Data, 0)
	if err != nil {
		var yerr yaml.Error
		if errors.As(err, &yerr) && yerr.GetToken() != nil {
			p := yerr.GetToken().Position
			return nil, generator.Errorf(src.pos(p.Line, p.Column), "%s", yerr.GetMessage())
		}
		return nil, generator.Errorf(src.pos(1, 0), "%v", err)
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil, nil
	}
	if len(file.Docs) > 1 {
		p := file.Docs[1].GetToken().Position
		return nil, generator.Errorf(src.pos(p.Line, p.Column), "only one YAML document is allowed")
	}
	d := &yamlDecoder{src: src, anchors: map[string]ast.Node{}}
	n := d.node(file.Docs[0].Body)
	return n, d.errs.Err()
}

type yamlDecoder struct {
	src     Source
	anchors map[string]ast.Node
	errs    generator.ErrorList
	depth   int
}

func (d *yamlDecoder) posOf(t *token.Token) generator.Pos {
	if t == nil {
		return d.src.pos(1, 0)
	}
	return d.src.pos(t.Position.Line, t.Position.Column)
}

func (d *yamlDecoder) node(an ast.Node) *generator.Node {
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > 100 {
		d.errs.Add(d.posOf(an.GetToken()), "YAML nested too deeply")
		return &generator.Node{Kind: generator.Null}
	}
	pos := d.posOf(an.GetToken())
	n := &generator.Node{Pos: pos, KeyPos: pos}
	switch v := an.(type) {
	case *ast.NullNode:
		n.Kind = generator.Null
	case *ast.BoolNode:
		n.Kind, n.Bool = generator.Bool, v.Value
	case *ast.IntegerNode:
		n.Kind = generator.Int
		switch x := v.Value.(type) {
		case int64:
			n.Int = x
		case uint64:
			if x > math.MaxInt64 {
				n.Kind, n.Float = generator.Float, float64(x)
			} else {
				n.Int = int64(x)
			}
		}
	case *ast.FloatNode:
		n.Kind, n.Float = generator.Float, v.Value
	case *ast.InfinityNode:
		n.Kind, n.Float = generator.Float, v.Value
	case *ast.NanNode:
		n.Kind, n.Float = generator.Float, math.NaN()
	case *ast.StringNode:
		n.Kind, n.Str = generator.String, v.Value
		if t, ok := parseYAMLTime(v); ok {
			n.Kind, n.Time = generator.Time, t
		}
	case *ast.LiteralNode:
		n.Kind, n.Str = generator.String, v.Value.Value
	case *ast.AnchorNode:
		if name, ok := v.Name.(*ast.StringNode); ok {
			d.anchors[name.Value] = v.Value
		}
		return d.node(v.Value)
	case *ast.AliasNode:
		name := ""
		if s, ok := v.Value.(*ast.StringNode); ok {
			name = s.Value
		}
		target, ok := d.anchors[name]
		if !ok {
			d.errs.Add(pos, "unknown YAML alias %q", name)
			return n
		}
		c := d.node(target)
		c.Pos, c.KeyPos = pos, pos
		return c
	case *ast.TagNode:
		return d.node(v.Value)
	case *ast.MappingNode:
		n.Kind, n.Map = generator.Map, map[string]*generator.Node{}
		if len(v.Values) > 0 && !v.IsFlowStyle {
			// A block map starts at its first key, not at the first colon.
			n.Pos = d.posOf(v.Values[0].Key.GetToken())
			n.KeyPos = n.Pos
		}
		for _, mv := range v.Values {
			d.entry(n, mv)
		}
	case *ast.MappingValueNode:
		n.Kind, n.Map = generator.Map, map[string]*generator.Node{}
		n.Pos = d.posOf(v.Key.GetToken())
		n.KeyPos = n.Pos
		d.entry(n, v)
	case *ast.SequenceNode:
		n.Kind = generator.List
		for _, c := range v.Values {
			n.List = append(n.List, d.node(c))
		}
	default:
		d.errs.Add(pos, "unsupported YAML value %s", an.Type())
	}
	return n
}

func (d *yamlDecoder) entry(m *generator.Node, mv *ast.MappingValueNode) {
	keyPos := d.posOf(mv.Key.GetToken())
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		merged := d.node(mv.Value)
		if merged.Kind != generator.Map {
			d.errs.Add(keyPos, "a YAML merge key needs a map")
			return
		}
		for _, k := range merged.Keys {
			if _, dup := m.Map[k]; !dup {
				m.Keys = append(m.Keys, k)
				m.Map[k] = merged.Map[k]
			}
		}
		return
	}
	key := strings.TrimSpace(mv.Key.String())
	if s, ok := mv.Key.(*ast.StringNode); ok {
		key = s.Value
	}
	if _, dup := m.Map[key]; dup {
		d.errs.Add(keyPos, "duplicate key %q", key)
		return
	}
	var v *generator.Node
	if mv.Value == nil {
		v = &generator.Node{Kind: generator.Null, Pos: keyPos}
	} else {
		v = d.node(mv.Value)
	}
	v.KeyPos = keyPos
	m.Keys = append(m.Keys, key)
	m.Map[key] = v
}

// parseYAMLTime recognises unquoted YAML timestamps (2026-11-01,
// 2026-11-01T10:00:00Z, "2026-11-01 10:00:00").
func parseYAMLTime(s *ast.StringNode) (time.Time, bool) {
	if s.Token != nil && (s.Token.Type == token.DoubleQuoteType || s.Token.Type == token.SingleQuoteType) {
		return time.Time{}, false
	}
	v := s.Value
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// decodeTOML decodes with go-toml for the values and walks the document with
// its unstable parser for the positions of keys, which go-toml does not keep.
func decodeTOML(src Source) (*generator.Node, error) {
	var v map[string]any
	if err := toml.Unmarshal(src.Data, &v); err != nil {
		var derr *toml.DecodeError
		if errors.As(err, &derr) {
			line, col := derr.Position()
			return nil, generator.Errorf(src.pos(line, col), "%s", derr.Error())
		}
		var serr *toml.StrictMissingError
		if errors.As(err, &serr) {
			return nil, generator.Errorf(src.pos(1, 0), "%s", err.Error())
		}
		return nil, generator.Errorf(src.pos(1, 0), "%v", err)
	}
	pos := tomlPositions(src)
	return tomlNode(src, v, "", pos, src.pos(1, 1)), nil
}

// tomlPositions maps a key path ("criteria.0.name") to where it is written.
func tomlPositions(src Source) map[string]generator.Pos {
	out := map[string]generator.Pos{}
	p := &unstable.Parser{KeepComments: false}
	p.Reset(src.Data)
	table := ""
	arrays := map[string]int{}
	at := func(r unstable.Range) generator.Pos {
		s := p.Shape(r)
		return src.pos(s.Start.Line, s.Start.Column)
	}
	var walkValue func(prefix string, v *unstable.Node)
	walkValue = func(prefix string, v *unstable.Node) {
		switch v.Kind {
		case unstable.InlineTable:
			it := v.Children()
			for it.Next() {
				kv := it.Node()
				walkKeyValue(out, prefix, kv, at, walkValue)
			}
		case unstable.Array:
			it := v.Children()
			i := 0
			for it.Next() {
				c := it.Node()
				key := join(prefix, strconv.Itoa(i))
				out[key] = at(c.Raw)
				walkValue(key, c)
				i++
			}
		}
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(e.Key())
			if e.Kind == unstable.ArrayTable {
				i := arrays[table]
				arrays[table] = i + 1
				out[table] = at(e.Raw)
				table = join(table, strconv.Itoa(i))
			}
			out[table] = at(e.Raw)
		case unstable.KeyValue:
			walkKeyValue(out, table, e, at, walkValue)
		}
	}
	return out
}

func walkKeyValue(out map[string]generator.Pos, prefix string, kv *unstable.Node, at func(unstable.Range) generator.Pos, walkValue func(string, *unstable.Node)) {
	key := join(prefix, keyPath(kv.Key()))
	it := kv.Key()
	if it.Next() {
		out[key] = at(it.Node().Raw)
	}
	walkValue(key, kv.Value())
}

func keyPath(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func tomlNode(src Source, v any, path string, pos map[string]generator.Pos, parent generator.Pos) *generator.Node {
	p, ok := pos[path]
	if !ok || p.Line == 0 {
		p = parent
	}
	n := &generator.Node{Pos: p, KeyPos: p}
	switch x := v.(type) {
	case nil:
		n.Kind = generator.Null
	case bool:
		n.Kind, n.Bool = generator.Bool, x
	case int64:
		n.Kind, n.Int = generator.Int, x
	case float64:
		n.Kind, n.Float = generator.Float, x
	case string:
		n.Kind, n.Str = generator.String, x
	case time.Time:
		n.Kind, n.Time = generator.Time, x
	case toml.LocalDate:
		n.Kind, n.Time = generator.Time, x.AsTime(time.UTC)
	case toml.LocalDateTime:
		n.Kind, n.Time = generator.Time, x.AsTime(time.UTC)
	case toml.LocalTime:
		n.Kind, n.Str = generator.String, x.String()
	case []any:
		n.Kind = generator.List
		for i, c := range x {
			n.List = append(n.List, tomlNode(src, c, join(path, strconv.Itoa(i)), pos, p))
		}
	case []map[string]any:
		n.Kind = generator.List
		for i, c := range x {
			n.List = append(n.List, tomlNode(src, c, join(path, strconv.Itoa(i)), pos, p))
		}
	case map[string]any:
		n.Kind, n.Map = generator.Map, map[string]*generator.Node{}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Source order, so tables list criteria in the order written.
		sort.SliceStable(keys, func(i, j int) bool {
			a, b := pos[join(path, keys[i])], pos[join(path, keys[j])]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			if a.Col != b.Col {
				return a.Col < b.Col
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			n.Keys = append(n.Keys, k)
			n.Map[k] = tomlNode(src, x[k], join(path, k), pos, p)
		}
	default:
		n.Kind, n.Str = generator.String, fmt.Sprint(x)
	}
	return n
}

// Split separates a page's front matter from its body. It recognises YAML
// between "---" lines and TOML between "+++" lines at the very start of the
// file. bodyLine is the 1-based line where the body starts; fmLine is where
// the front matter's first line is.
func Split(file string, data []byte) (fm Source, body []byte, bodyLine int, found bool, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var delim string
	var format Format
	switch {
	case hasDelimLine(data, "---"):
		delim, format = "---", YAML
	case hasDelimLine(data, "+++"):
		delim, format = "+++", TOML
	default:
		return Source{}, data, 1, false, nil
	}
	// Skip the opening line.
	rest := data[len(delim):]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return Source{}, nil, 0, false, generator.Errorf(generator.Pos{File: file, Line: 1, Col: 1}, "front matter opened with %q is never closed", delim)
	}
	rest = rest[nl+1:]
	start := len(data) - len(rest)
	line := 2
	for off := start; off <= len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		var l []byte
		next := len(data) + 1
		if end < 0 {
			l = data[off:]
		} else {
			l = data[off : off+end]
			next = off + end + 1
		}
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			fm = Source{Format: format, Data: data[start:off], File: file, Line: 2}
			if next > len(data) {
				next = len(data)
			}
			return fm, data[next:], line + 1, true, nil
		}
		if end < 0 {
			break
		}
		off = next
		line++
	}
	return Source{}, nil, 0, false, generator.Errorf(generator.Pos{File: file, Line: 1, Col: 1}, "front matter opened with %q is never closed", delim)
}

func hasDelimLine(data []byte, delim string) bool {
	if !bytes.HasPrefix(data, []byte(delim)) {
		return false
	}
	rest := bytes.TrimLeft(data[len(delim):], " \t\r")
	return len(rest) == 0 || rest[0] == '\n'
}
