package generator

import (
	"fmt"
	"time"
)

// ValueKind is the type of a Node's value.
type ValueKind int

// The kinds of value front matter and site settings can hold.
const (
	NullValue ValueKind = iota
	BoolValue
	IntValue
	FloatValue
	StringValue
	TimeValue
	ListValue
	MapValue
)

var kindNames = [...]string{"null", "boolean", "integer", "number", "string", "date", "list", "map"}

func (k ValueKind) String() string { return kindNames[k] }

// Node is a value decoded from YAML or TOML together with where it was
// written, so that later stages can report an error at the exact line of a
// bad value instead of at the top of the file.
type Node struct {
	Kind ValueKind
	// Pos is where the value starts; KeyPos is where its key is written when
	// the node is a map entry (otherwise equal to Pos).
	Pos    Pos
	KeyPos Pos

	Bool  bool
	Int   int64
	Float float64
	Str   string
	Time  time.Time
	List  []*Node
	// Keys keeps the map's keys in source order; Map indexes them.
	Keys []string
	Map  map[string]*Node
}

// Get returns the map entry named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MapValue {
		return nil
	}
	return n.Map[key]
}

// Value converts the node to plain Go values: map[string]any, []any, string,
// bool, int64, float64, time.Time or nil. Layouts see front matter this way.
func (n *Node) Value() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case BoolValue:
		return n.Bool
	case IntValue:
		return n.Int
	case FloatValue:
		return n.Float
	case StringValue:
		return n.Str
	case TimeValue:
		return n.Time
	case ListValue:
		out := make([]any, len(n.List))
		for i, c := range n.List {
			out[i] = c.Value()
		}
		return out
	case MapValue:
		out := make(map[string]any, len(n.Keys))
		for _, k := range n.Keys {
			out[k] = n.Map[k].Value()
		}
		return out
	}
	return nil
}

// Scalar returns the node's value as text when it is a string, number or
// boolean, and false otherwise.
func (n *Node) Scalar() (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case StringValue:
		return n.Str, true
	case IntValue:
		return fmt.Sprint(n.Int), true
	case FloatValue:
		return fmt.Sprint(n.Float), true
	case BoolValue:
		return fmt.Sprint(n.Bool), true
	}
	return "", false
}

// Strings decodes a string or a list of strings (a lone string is read as a
// list of one, as Hugo does for tags).
func (n *Node) Strings() ([]string, *Error) {
	if n == nil || n.Kind == NullValue {
		return nil, nil
	}
	if s, ok := n.Scalar(); ok && n.Kind == StringValue {
		return []string{s}, nil
	}
	if n.Kind != ListValue {
		return nil, Errorf(n.Pos, "expected a list of strings, found a %s", n.Kind)
	}
	out := make([]string, 0, len(n.List))
	for _, c := range n.List {
		s, ok := c.Scalar()
		if !ok || c.Kind == BoolValue {
			return nil, Errorf(c.Pos, "expected a string, found a %s", c.Kind)
		}
		out = append(out, s)
	}
	return out, nil
}

// Text decodes a string (or a number, read as text), recording an error at
// the node when it is anything else. Null gives "".
func (n *Node) Text(errs *ErrorList) string {
	if n == nil || n.Kind == NullValue {
		return ""
	}
	s, ok := n.Scalar()
	if !ok || n.Kind == BoolValue {
		errs.Add(n.Pos, "expected a string, found a %s", n.Kind)
		return ""
	}
	return s
}

// TextList decodes a string or a list of strings, recording an error at the
// offending node.
func (n *Node) TextList(errs *ErrorList) []string {
	out, err := n.Strings()
	if err != nil {
		*errs = append(*errs, err)
	}
	return out
}

// AssetRefs decodes css: or js: (one file name or a list of them) with the
// position of each name, so that a missing file is reported at its line.
func AssetRefs(n *Node, errs *ErrorList) []AssetRef {
	if n == nil || n.Kind == NullValue {
		return nil
	}
	items := []*Node{n}
	if n.Kind == ListValue {
		items = n.List
	}
	var out []AssetRef
	for _, c := range items {
		if c.Kind != StringValue || c.Str == "" {
			errs.Add(c.Pos, "expected the name of a file under assets/ (extra.css), found a %s", c.Kind)
			continue
		}
		out = append(out, AssetRef{Name: c.Str, Pos: c.Pos})
	}
	return out
}
