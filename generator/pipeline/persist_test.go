package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// The property of a saved State: after any sequence of edits, saving the
// state, resuming it in a fresh State (as the next run of versus generate
// does) and rebuilding gives, with the files it did not write kept from the
// previous output, byte for byte what a cold Build writes.

// resumeRun is one simulated run of versus generate after another: the
// saved state, the output on disk, and the changes since the saved build.
type resumeRun struct {
	saved   []byte
	disk    map[string][]byte
	changed []string
	// resumed counts the runs that resumed the saved state.
	resumed int
	// warnings are the last run's.
	warnings []string
}

// next runs generate once: resume (or build in full when nothing was
// saved), rebuild, publish, save.
func (r *resumeRun) next(opts Options) (map[string][]byte, error) {
	stream := NewMemSink()
	var st *State
	if r.saved != nil {
		var err error
		if st, err = Resume(opts, stream, r.saved, "k"); err != nil {
			// As generate does: build in full (the layouts changed, say).
			st = nil
		}
	}
	full := st == nil
	if full {
		st = NewStreamState(opts, stream)
	}
	changed := r.changed
	if full {
		changed = nil
	}
	u, err := st.Rebuild(context.Background(), changed)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	if u.Full {
		out = stream.Files
	} else {
		r.resumed++
		files := st.Files()
		for n, data := range files {
			if data == nil {
				old, ok := r.disk[n]
				if !ok {
					return nil, fmt.Errorf("the rebuild keeps %s, which the previous output lacks", n)
				}
				data = old
			}
			out[n] = data
		}
		if len(stream.Files) > 0 {
			return nil, fmt.Errorf("an incremental rebuild streamed %v", stream.Paths())
		}
	}
	r.disk, r.changed = out, nil
	r.warnings = nil
	for _, w := range u.Result.Warnings {
		r.warnings = append(r.warnings, w.Error())
	}
	var buf bytes.Buffer
	switch err := st.Save(&buf, "k"); {
	case errors.Is(err, ErrNotResumable):
		r.saved = nil
	case err != nil:
		return nil, fmt.Errorf("save: %w", err)
	default:
		r.saved = buf.Bytes()
	}
	return out, nil
}

// sameAsCold compares files with a cold build of dir, as checkSame does.
func sameAsCold(files map[string][]byte, dir string, rebuildErr error) string {
	st := &State{out: files}
	return checkSame(st, dir, rebuildErr)
}

func runResumeProperty(t testing.TB, seed int64, size, steps int) (edits []string, problem string, resumed int) {
	s := newPropSite(t, seed, size)
	r := &resumeRun{}
	files, err := r.next(propOptions(s.dir))
	if msg := sameAsCold(files, s.dir, err); msg != "" {
		return nil, "first build: " + msg, 0
	}
	for range steps {
		name, changed := s.edit()
		edits = append(edits, name)
		r.changed = append(r.changed, changed...)
		files, err := r.next(propOptions(s.dir))
		if err != nil {
			if msg := sameAsCold(nil, s.dir, err); msg != "" {
				return edits, msg, r.resumed
			}
			continue
		}
		if msg := sameAsCold(files, s.dir, nil); msg != "" {
			return edits, msg, r.resumed
		}
		// The warnings a cold build gives, even for pages not rendered again.
		cold, err := Build(context.Background(), propOptions(s.dir), NewMemSink())
		if err != nil {
			return edits, err.Error(), r.resumed
		}
		var want []string
		for _, w := range cold.Warnings {
			want = append(want, w.Error())
		}
		if !slices.Equal(r.warnings, want) {
			return edits, fmt.Sprintf("warnings:\n%s\nwant:\n%s", strings.Join(r.warnings, "\n"), strings.Join(want, "\n")), r.resumed
		}
	}
	return edits, "", r.resumed
}

func TestResumeProperty(t *testing.T) {
	seeds := slices.Clone(propSeeds)
	steps := 25
	if testing.Short() {
		seeds, steps = seeds[:1], 10
	}
	if v := os.Getenv("VERSUS_PROPERTY_RUNS"); v != "" {
		// As TestRebuildProperty: more runs, random seeds.
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("VERSUS_PROPERTY_RUNS=%q: %v", v, err)
		}
		seeds = nil
		base := time.Now().UnixNano()
		for i := range n {
			seeds = append(seeds, base+int64(i))
		}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			edits, problem, resumed := runResumeProperty(t, seed, 120, steps)
			if problem != "" {
				t.Fatalf("seed %d: after %d edits (%s):\n%s\nKeep it: add {%d, %d} to resumeRegressions.",
					seed, len(edits), strings.Join(edits, "; "), problem, seed, len(edits))
			}
			if resumed == 0 {
				t.Fatalf("no run resumed the saved state: the test checks nothing")
			}
			t.Logf("%d of %d runs resumed", resumed, steps)
		})
	}
}

// resumeRegressions are sequences TestResumeProperty found wrong once.
var resumeRegressions = []struct {
	name        string
	seed        int64
	size, steps int
}{
	// A page whose link target moved is prepared again; the resumed state
	// had no front matter to prepare it from, and its comparison vanished.
	{"relinked page keeps its comparison", 2, 120, 13},
	// The site's layouts changed: the state cannot resume, the build is
	// full.
	{"own layouts", 1, 120, 20},
}

func TestResumeRegressions(t *testing.T) {
	for _, r := range resumeRegressions {
		t.Run(r.name, func(t *testing.T) {
			edits, problem, _ := runResumeProperty(t, r.seed, r.size, r.steps)
			if problem != "" {
				t.Fatalf("after %s:\n%s", strings.Join(edits, "; "), problem)
			}
		})
	}
}

func TestResumeRejects(t *testing.T) {
	s := newPropSite(t, 7, 20)
	r := &resumeRun{}
	if _, err := r.next(propOptions(s.dir)); err != nil {
		t.Fatal(err)
	}
	if r.saved == nil {
		t.Fatal("nothing saved")
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"truncated": r.saved[:len(r.saved)/2],
		"garbage":   []byte("not a state at all"),
	} {
		if _, err := Resume(propOptions(s.dir), NewMemSink(), data, "k"); err == nil {
			t.Errorf("%s: resumed", name)
		}
	}
	if _, err := Resume(propOptions(s.dir), NewMemSink(), r.saved, "other key"); err == nil {
		t.Error("resumed a state saved with another key")
	}
}

// A saved state cut short or damaged anywhere is refused with an error.
func TestResumeRejectsDamage(t *testing.T) {
	s := newPropSite(t, 7, 20)
	r := &resumeRun{}
	if _, err := r.next(propOptions(s.dir)); err != nil {
		t.Fatal(err)
	}
	if r.saved == nil {
		t.Fatal("nothing saved")
	}
	if _, err := Resume(propOptions(s.dir), NewMemSink(), slices.Clone(r.saved), "k"); err != nil {
		t.Fatalf("the state as saved: %v", err)
	}
	// Offsets across the whole state, the start and the end densely.
	var at []int
	for i := 0; i < len(r.saved); i += 1 + i/8 {
		at = append(at, i, len(r.saved)-1-i)
	}
	for _, i := range at {
		if _, err := Resume(propOptions(s.dir), NewMemSink(), slices.Clone(r.saved[:i]), "k"); err == nil {
			t.Fatalf("resumed from the first %d of %d bytes", i, len(r.saved))
		}
		d := slices.Clone(r.saved)
		d[i] ^= 0x20
		if _, err := Resume(propOptions(s.dir), NewMemSink(), d, "k"); err == nil {
			t.Fatalf("resumed with byte %d of %d changed", i, len(r.saved))
		}
	}
}

func TestSavedValues(t *testing.T) {
	when := time.Date(2026, 12, 3, 10, 4, 5, 6, time.FixedZone("", 3600))
	m := map[string]any{
		"nil": nil, "t": true, "f": false, "i": int64(-42), "x": 2.5, "s": "été", "when": when, "utc": when.UTC(),
		"list": []any{"a", int64(1), []any{}, map[string]any{"k": "v"}}, "empty": map[string]any{},
		// Not a type front matter gives, kept as gob kept it.
		"int": 7, "strings": []string{"a", "b"},
	}
	b, err := appendValue(nil, m)
	if err != nil {
		t.Fatal(err)
	}
	v, rest, err := readValue(b, 0)
	if err != nil || len(rest) > 0 {
		t.Fatalf("read: %v, %d bytes left", err, len(rest))
	}
	if !reflect.DeepEqual(v, m) {
		t.Errorf("read %#v\nwant %#v", v, m)
	}
	again, err := appendValue(nil, v)
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("saved again: other bytes (%v)", err)
	}
	for n := range len(b) {
		if _, rest, err := readValue(b[:n], 0); err == nil && len(rest) == 0 {
			t.Fatalf("read a whole value from the first %d of %d bytes", n, len(b))
		}
	}
	if _, err := appendValue(nil, map[string]any{"f": func() {}}); err == nil {
		t.Error("saved a func")
	}
}

func TestSavedLinks(t *testing.T) {
	links := []generator.Link{
		{Dest: "/a/", URL: "/a/", Pos: generator.Pos{File: "content/p.md", Line: 3, Col: 9}},
		{Dest: "b.md", URL: "/b/", Image: true, Pos: generator.Pos{File: "content/p.md", Line: 4}},
		{Dest: "https://x.org/", URL: "https://x.org/", Pos: generator.Pos{File: "content/_index.md", Line: -1, Col: 1}},
	}
	b := appendLinks(nil, links, "content/p.md")
	got, err := readLinks(b, "content/p.md")
	if err != nil || !reflect.DeepEqual(got, links) {
		t.Fatalf("read %+v, %v\nwant %+v", got, err, links)
	}
	for n := range len(b) {
		if _, err := readLinks(b[:n], "content/p.md"); err == nil {
			t.Fatalf("read links from the first %d of %d bytes", n, len(b))
		}
	}
}

// appendLinks writes each field of generator.Link and generator.Pos by
// hand: a new field must be added there (and stateMagic changed).
func TestSavedLinkFields(t *testing.T) {
	for typ, want := range map[reflect.Type][]string{
		reflect.TypeFor[generator.Link](): {"Dest", "URL", "Image", "Pos"},
		reflect.TypeFor[generator.Pos]():  {"File", "Line", "Col"},
	} {
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; appendLinks and readLinks save %v", typ, got, want)
		}
	}
}
