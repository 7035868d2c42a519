package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
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

func TestPagerNearby(t *testing.T) {
	mk := func(n int) []*Pager {
		ps := make([]*Pager, n)
		for i := range ps {
			ps[i] = &Pager{PageNumber: i + 1, Pagers: ps}
		}
		return ps
	}
	show := func(ps []*Pager) string {
		var b strings.Builder
		for _, p := range ps {
			if p == nil {
				b.WriteString("… ")
				continue
			}
			fmt.Fprintf(&b, "%d ", p.PageNumber)
		}
		return strings.TrimSpace(b.String())
	}
	for _, c := range []struct {
		total, at, k int
		want         string
	}{
		{1, 1, 1, "1"},
		{3, 2, 1, "1 2 3"},
		{10, 1, 1, "1 2 … 10"},
		{10, 5, 1, "1 … 4 5 6 … 10"},
		{10, 3, 1, "1 2 3 4 … 10"},
		{10, 10, 2, "1 … 8 9 10"},
		{500, 250, 1, "1 … 249 250 251 … 500"},
	} {
		p := mk(c.total)[c.at-1]
		if got := show(p.Nearby(c.k)); got != c.want {
			t.Errorf("%d pagers, at %d, Nearby(%d) = %q, want %q", c.total, c.at, c.k, got, c.want)
		}
		if p.HasPrev() != (c.at > 1) || p.HasNext() != (c.at < c.total) || p.First().PageNumber != 1 || p.Last().PageNumber != c.total {
			t.Errorf("%d pagers, at %d: HasPrev %v, HasNext %v, First %d, Last %d", c.total, c.at, p.HasPrev(), p.HasNext(), p.First().PageNumber, p.Last().PageNumber)
		}
		if (p.Prev() == nil) == p.HasPrev() || (p.Next() == nil) == p.HasNext() {
			t.Errorf("%d pagers, at %d: Prev %v, Next %v", c.total, c.at, p.Prev(), p.Next())
		}
	}
}
