package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

// A positioned error keeps its cause, alone or in a list, so callers can
// tell a missing file from a bad one.
func TestErrorsKeepTheirCause(t *testing.T) {
	cause := fmt.Errorf("open content/a.md: %w", fs.ErrNotExist)
	var list ErrorList
	list.Append(Pos{File: "content/a.md"}, cause)
	list.Add(Pos{File: "site.yaml", Line: 3}, "not a cause")
	if !errors.Is(list.Err(), fs.ErrNotExist) {
		t.Error("errors.Is does not see fs.ErrNotExist through an ErrorList")
	}
	e := Errorf(Pos{File: "content/b.md", Line: 2}, "reading it: %w", fs.ErrPermission)
	if !errors.Is(e, fs.ErrPermission) || e.Error() != "content/b.md:2: reading it: permission denied" {
		t.Errorf("Errorf with %%w: %q, Is(ErrPermission) = %v", e, errors.Is(e, fs.ErrPermission))
	}
	if plain := Errorf(Pos{}, "no cause %d", 1); plain.Err != nil || plain.Error() != "no cause 1" {
		t.Errorf("Errorf without %%w: %q with cause %v", plain, plain.Err)
	}
	if !errors.Is(Errors(cause)[0], fs.ErrNotExist) {
		t.Error("Errors drops the cause of a plain error")
	}
	// Sorting drops duplicates by position and message, even when the
	// causes are of types that cannot be compared.
	type uncomparable struct {
		error
		parts []string
	}
	l := ErrorList{
		{Pos: Pos{File: "a", Line: 1}, Msg: "m", Err: uncomparable{error: errors.New("x")}},
		{Pos: Pos{File: "a", Line: 1}, Msg: "m", Err: uncomparable{error: errors.New("y")}},
	}
	l.Sort()
	if len(l) != 1 {
		t.Errorf("Sort kept %d copies of one error", len(l))
	}
}
