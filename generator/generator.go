// Package generator holds the domain types shared by every stage of the versus
// pipeline: positions and errors, the site configuration, subjects, pages and
// comparisons. It imports only the standard library, so every stage can depend
// on it without depending on each other.
package generator

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file. File is relative to the site root and
// uses forward slashes; Line and Col start at 1, and 0 means unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is a user-facing error at a position in the site's sources. Err,
// when set, is the error it reports (a file system error, say), kept so
// that errors.Is and errors.As see through it.
type Error struct {
	Pos Pos
	Msg string
	Err error
}

// Unwrap returns the error this one reports, if any.
func (e *Error) Unwrap() error { return e.Err }

// Error formats the error as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Errorf returns an *Error at pos. As with fmt.Errorf, an error formatted
// with %w stays reachable through errors.Is and errors.As.
func Errorf(pos Pos, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	e := &Error{Pos: pos, Msg: err.Error()}
	switch err.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }:
		e.Err = err
	}
	return e
}

// ErrorList collects every error a stage finds, so a writer sees all of them
// at once instead of fixing one per run.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	*l = append(*l, Errorf(pos, format, args...))
}

// Append adds err to the list: an *Error or an ErrorList is kept with its
// positions, any other error is recorded at pos.
func (l *ErrorList) Append(pos Pos, err error) {
	if err == nil {
		return
	}
	var list ErrorList
	if errors.As(err, &list) {
		*l = append(*l, list...)
		return
	}
	var e *Error
	if errors.As(err, &e) {
		*l = append(*l, e)
		return
	}
	*l = append(*l, &Error{Pos: pos, Msg: err.Error(), Err: err})
}

// Sort orders the errors by file, line and column, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e.Pos == s[i-1].Pos && e.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors of the list, so that errors.Is and errors.As
// look into each.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Error joins the errors, one per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the individual errors inside err: the elements of an
// ErrorList, a single *Error, or err itself wrapped without a position.
func Errors(err error) ErrorList {
	if err == nil {
		return nil
	}
	var list ErrorList
	if errors.As(err, &list) {
		return list
	}
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return ErrorList{{Msg: err.Error(), Err: err}}
}
