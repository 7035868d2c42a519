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
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/versus-ssg/versus/generator"
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
	if n == nil || n.Kind == generator.NullValue {
		return &generator.Node{Kind: generator.MapValue, Pos: src.pos(1, 1), KeyPos: src.pos(1, 1), Map: map[string]*generator.Node{}}, nil
	}
	if n.Kind != generator.MapValue {
		return nil, generator.Errorf(n.Pos, "expected a map of keys and values at the top level, found a %s", n.Kind)
	}
	return n, nil
}

// DecodeValue parses a document whose top level may be any value (a data
// file holding a list, say). An empty document decodes to a null.
func DecodeValue(src Source) (*generator.Node, error) {
	if src.Line == 0 {
		src.Line = 1
	}
	if src.Format == TOML {
		return Decode(src) // a TOML document is always a table
	}
	n, err := decodeYAML(src)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return &generator.Node{Kind: generator.NullValue, Pos: src.pos(1, 1), KeyPos: src.pos(1, 1)}, nil
	}
	return n, nil
}

// MaxDepth is how deeply maps and lists may nest. Real settings and front
// matter nest a handful of levels; go-yaml's parser recurses once per level
// and runs out of memory on 200 KB of "[".
const MaxDepth = 100

// MaxAliasValues bounds how many values YAML aliases may add to a
// document, beyond the ones written out: nine levels of aliases of nine
// aliases ("billion laughs") fit in under 1 KB and would expand to
// hundreds of millions of values.
const MaxAliasValues = 100_000

// MaxKeys bounds the keys of one YAML block map and of one TOML document.
// Both parsers take time with the square of it (go-yaml parses each next
// key of a block map by recursion, go-toml checks each key against all
// earlier ones): 20,000 keys took 1.7 s in YAML, 100,000 took 19 s in
// TOML; 2,000 take a few milliseconds. Lists, flow maps and nested maps
// have no such cost.
const MaxKeys = 2_000

func decodeYAML(src Source) (*generator.Node, error) {
	tokens := lexer.Tokenize(string(src.Data))
	if err := yamlDepth(src, tokens); err != nil {
		return nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		var yerr yaml.Error
		if errors.As(err, &yerr) && yerr.GetToken() != nil {
			p := yerr.GetToken().Position
			if col := tabIndent(src.Data, p.Line); col > 0 {
				// The parser's message would show the tab itself, which a
				// terminal prints as blank space.
				return nil, generator.Errorf(src.pos(p.Line, col), "a tab indents this line, and tabs cannot indent YAML: use spaces")
			}
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

// tabIndent returns the column of the first tab in the indentation of line
// (from 1) of data, or 0 when its indentation has none.
func tabIndent(data []byte, line int) int {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return 0
		}
		data = data[j+1:]
	}
	for i, c := range data {
		switch c {
		case ' ':
			continue
		case '\t':
			return i + 1
		}
		return 0
	}
	return 0
}

type yamlDecoder struct {
	src     Source
	anchors map[string]ast.Node
	errs    generator.ErrorList
	depth   int
	// inAlias counts the aliases being expanded; aliased the values they
	// added so far, up to MaxAliasValues.
	inAlias, aliased int
	bombed           bool
}

// yamlDepth refuses a document that nests more than MaxDepth levels, or
// has a block map of more than MaxKeys keys, from its tokens, before the
// parser (which recurses per level and per key) sees it. Flow
// collections count their brackets; block ones the rising indentation of
// their entries, so "- - - - x" on one line counts too. It is linear in the
// number of tokens.
func yamlDepth(src Source, tokens token.Tokens) error {
	flow := 0
	var cols []int // columns of the open block collections
	var keys []int // keys seen so far at each of those columns
	props := 0     // tags and anchors in a row, which the parser also nests
	prev := (*token.Token)(nil)
	for _, tk := range tokens {
		switch tk.Type {
		case token.CommentType:
			continue
		case token.DocumentHeaderType, token.DocumentEndType:
			flow, cols, keys = 0, cols[:0], keys[:0]
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			if flow > 0 {
				flow--
			}
		case token.SequenceEntryType, token.MappingValueType:
			if flow == 0 {
				col := tk.Position.Column
				if tk.Type == token.MappingValueType && prev != nil {
					col = prev.Position.Column // where the key starts
				}
				for len(cols) > 0 && cols[len(cols)-1] > col {
					cols, keys = cols[:len(cols)-1], keys[:len(keys)-1]
				}
				if len(cols) == 0 || cols[len(cols)-1] < col {
					cols, keys = append(cols, col), append(keys, 0)
				}
				if tk.Type == token.MappingValueType {
					if keys[len(keys)-1]++; keys[len(keys)-1] > MaxKeys {
						return generator.Errorf(src.pos(prev.Position.Line, prev.Position.Column), "more than %d keys in one YAML map; make it a list of maps, or split it", MaxKeys)
					}
				}
			}
		}
		if tk.Type == token.TagType || tk.Type == token.AnchorType {
			props++
		} else {
			props = 0
		}
		if flow+len(cols)+props > MaxDepth {
			return generator.Errorf(src.pos(tk.Position.Line, tk.Position.Column), "YAML nested more than %d levels deep; flatten this value", MaxDepth)
		}
		prev = tk
	}
	return nil
}

func (d *yamlDecoder) posOf(t *token.Token) generator.Pos {
	if t == nil {
		return d.src.pos(1, 0)
	}
	return d.src.pos(t.Position.Line, t.Position.Column)
}

func (d *yamlDecoder) node(an ast.Node) *generator.Node {
	if d.inAlias > 0 {
		if d.aliased++; d.aliased > MaxAliasValues {
			// Stop expanding; the outermost alias reports it.
			return &generator.Node{Kind: generator.NullValue}
		}
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > MaxDepth {
		d.errs.Add(d.posOf(an.GetToken()), "YAML nested more than %d levels deep (an alias inside its own anchor?); flatten this value", MaxDepth)
		return &generator.Node{Kind: generator.NullValue}
	}
	pos := d.posOf(an.GetToken())
	n := &generator.Node{Pos: pos, KeyPos: pos}
	switch v := an.(type) {
	case *ast.NullNode:
		n.Kind = generator.NullValue
	case *ast.BoolNode:
		n.Kind, n.Bool = generator.BoolValue, v.Value
	case *ast.IntegerNode:
		n.Kind = generator.IntValue
		switch x := v.Value.(type) {
		case int64:
			n.Int = x
		case uint64:
			if x > math.MaxInt64 {
				n.Kind, n.Float = generator.FloatValue, float64(x)
			} else {
				n.Int = int64(x)
			}
		}
	case *ast.FloatNode:
		n.Kind, n.Float = generator.FloatValue, v.Value
	case *ast.InfinityNode:
		n.Kind, n.Float = generator.FloatValue, v.Value
	case *ast.NanNode:
		n.Kind, n.Float = generator.FloatValue, math.NaN()
	case *ast.StringNode:
		n.Kind, n.Str = generator.StringValue, v.Value
		if t, ok := parseYAMLTime(v); ok {
			n.Kind, n.Time = generator.TimeValue, t
		}
	case *ast.LiteralNode:
		n.Kind, n.Str = generator.StringValue, v.Value.Value
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
		if d.bombed {
			return n // reported once, at the alias that went over
		}
		target, ok := d.anchors[name]
		if !ok {
			d.errs.Add(pos, "unknown YAML alias %q", name)
			return n
		}
		d.inAlias++
		c := d.node(target)
		d.inAlias--
		if d.inAlias == 0 && d.aliased > MaxAliasValues {
			d.errs.Add(pos, "YAML aliases here expand to more than %d values (an alias bomb?); write the values out, or alias less", MaxAliasValues)
			// Later aliases are not worth expanding either.
			d.bombed = true
			return &generator.Node{Kind: generator.NullValue, Pos: pos, KeyPos: pos}
		}
		c.Pos, c.KeyPos = pos, pos
		return c
	case *ast.TagNode:
		return d.node(v.Value)
	case *ast.MappingNode:
		n.Kind, n.Map = generator.MapValue, map[string]*generator.Node{}
		if len(v.Values) > 0 && !v.IsFlowStyle {
			// A block map starts at its first key, not at the first colon.
			n.Pos = d.posOf(v.Values[0].Key.GetToken())
			n.KeyPos = n.Pos
		}
		for _, mv := range v.Values {
			d.entry(n, mv)
		}
	case *ast.MappingValueNode:
		n.Kind, n.Map = generator.MapValue, map[string]*generator.Node{}
		n.Pos = d.posOf(v.Key.GetToken())
		n.KeyPos = n.Pos
		d.entry(n, v)
	case *ast.SequenceNode:
		n.Kind = generator.ListValue
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
		if merged.Kind != generator.MapValue {
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
		v = &generator.Node{Kind: generator.NullValue, Pos: keyPos}
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
	pos, err := tomlPositions(src)
	if err != nil {
		return nil, err
	}
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
	var errs generator.ErrorList
	n := tomlNode(src, v, "", pos, src.pos(1, 1), 0, &errs)
	return n, errs.Err()
}

// tomlPositions maps a key path ("criteria.0.name") to where it is written.
// Offsets become lines through one index of line starts: go-toml's Shape
// counts lines from the top of the document for every call, which made a
// document of 100,000 keys take minutes.
//
// It fails on a document of more than MaxKeys keys, before go-toml sees it.
func tomlPositions(src Source) (map[string]generator.Pos, error) {
	return tomlPositionsMax(src, MaxKeys)
}

// tomlPositionsMax is tomlPositions with its own bound on keys, which the
// benchmarks raise to show the walk linear far past MaxKeys.
func tomlPositionsMax(src Source, maxKeys int) (map[string]generator.Pos, error) {
	t := &tomlPos{src: src, starts: []int{0}, out: map[string]generator.Pos{}, maxKeys: maxKeys}
	for i, c := range src.Data {
		if c == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	p := &unstable.Parser{KeepComments: false}
	p.Reset(src.Data)
	table := ""
	arrays := map[string]int{}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			// A header's own range is empty; its key's is not.
			var r unstable.Range
			table, r = t.key("", e.Key())
			if e.Kind == unstable.ArrayTable {
				i := arrays[table]
				arrays[table] = i + 1
				t.set(table, r)
				table = join(table, strconv.Itoa(i))
			}
			t.set(table, r)
		case unstable.KeyValue:
			t.keyValue(table, e)
		}
		if t.tooMany != nil {
			return nil, generator.Errorf(*t.tooMany, "more than %d keys in one TOML document; make it smaller, or write it in YAML", MaxKeys)
		}
	}
	return t.out, nil
}

type tomlPos struct {
	src    Source
	starts []int // offset of each line's first byte
	out    map[string]generator.Pos
	depth  int
	// keys counts the keys so far; tooMany is where the one over MaxKeys
	// is written.
	keys, maxKeys int
	tooMany       *generator.Pos
}

// at is where a range starts; false for the empty range go-toml leaves on
// containers.
func (t *tomlPos) at(r unstable.Range) (generator.Pos, bool) {
	if r.Length == 0 {
		return generator.Pos{}, false
	}
	off := int(r.Offset)
	line := sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off }) // 1-based
	return t.src.pos(line, off-t.starts[line-1]+1), true
}

func (t *tomlPos) set(key string, r unstable.Range) {
	if p, ok := t.at(r); ok {
		t.out[key] = p
	}
}

// key reads a dotted key under prefix and records each of its prefixes
// (a, a.b, a.b.c) where its first part is written, unless one was already,
// so that tables made by dots alone have a position too. Past MaxDepth
// parts nothing is decoded, so nothing more is recorded; the builder makes
// every prefix without copying, keeping 100,000-part keys linear.
func (t *tomlPos) key(prefix string, it unstable.Iterator) (string, unstable.Range) {
	var b strings.Builder
	b.WriteString(prefix)
	var first unstable.Range
	n := 0
	for it.Next() {
		node := it.Node()
		if n == 0 {
			first = node.Raw
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(node.Data)
		if n++; n <= MaxDepth+1 {
			if _, ok := t.out[b.String()]; !ok {
				t.set(b.String(), first)
			}
		}
	}
	return b.String(), first
}

func (t *tomlPos) keyValue(prefix string, kv *unstable.Node) {
	key, r := t.key(prefix, kv.Key())
	if t.keys++; t.keys > t.maxKeys && t.tooMany == nil {
		p, ok := t.at(r)
		if !ok {
			p = t.src.pos(1, 0)
		}
		t.tooMany = &p
		return
	}
	t.set(key, r)
	t.value(key, kv.Value())
}

func (t *tomlPos) value(prefix string, v *unstable.Node) {
	// tomlNode refuses deeper values; their positions are not needed.
	if t.depth >= MaxDepth {
		return
	}
	t.depth++
	defer func() { t.depth-- }()
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			t.keyValue(prefix, it.Node())
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			c := it.Node()
			key := join(prefix, strconv.Itoa(i))
			t.set(key, c.Raw)
			t.value(key, c)
		}
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func tomlNode(src Source, v any, path string, pos map[string]generator.Pos, parent generator.Pos, depth int, errs *generator.ErrorList) *generator.Node {
	p, ok := pos[path]
	if !ok || p.Line == 0 {
		p = parent
	}
	n := &generator.Node{Pos: p, KeyPos: p}
	if depth > MaxDepth {
		// Dotted keys and table headers nest without brackets, so go-toml's
		// own bound on brackets does not see them.
		errs.Add(p, "TOML nested more than %d levels deep; flatten this value", MaxDepth)
		n.Kind = generator.NullValue
		return n
	}
	switch x := v.(type) {
	case nil:
		n.Kind = generator.NullValue
	case bool:
		n.Kind, n.Bool = generator.BoolValue, x
	case int64:
		n.Kind, n.Int = generator.IntValue, x
	case float64:
		n.Kind, n.Float = generator.FloatValue, x
	case string:
		n.Kind, n.Str = generator.StringValue, x
	case time.Time:
		n.Kind, n.Time = generator.TimeValue, x
	case toml.LocalDate:
		n.Kind, n.Time = generator.TimeValue, x.AsTime(time.UTC)
	case toml.LocalDateTime:
		n.Kind, n.Time = generator.TimeValue, x.AsTime(time.UTC)
	case toml.LocalTime:
		n.Kind, n.Str = generator.StringValue, x.String()
	case []any:
		n.Kind = generator.ListValue
		for i, c := range x {
			n.List = append(n.List, tomlNode(src, c, join(path, strconv.Itoa(i)), pos, p, depth+1, errs))
		}
	case []map[string]any:
		n.Kind = generator.ListValue
		for i, c := range x {
			n.List = append(n.List, tomlNode(src, c, join(path, strconv.Itoa(i)), pos, p, depth+1, errs))
		}
	case map[string]any:
		n.Kind, n.Map = generator.MapValue, map[string]*generator.Node{}
		type keyAt struct {
			key string
			at  generator.Pos
		}
		keys := make([]keyAt, 0, len(x))
		for k := range x {
			keys = append(keys, keyAt{k, pos[join(path, k)]})
		}
		// Source order, so tables list criteria in the order written.
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i].at, keys[j].at
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			if a.Col != b.Col {
				return a.Col < b.Col
			}
			return keys[i].key < keys[j].key
		})
		for _, ka := range keys {
			k := ka.key
			n.Keys = append(n.Keys, k)
			n.Map[k] = tomlNode(src, x[k], join(path, k), pos, p, depth+1, errs)
		}
	default:
		n.Kind, n.Str = generator.StringValue, fmt.Sprint(x)
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
