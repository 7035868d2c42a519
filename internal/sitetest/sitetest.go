// Package sitetest builds whole sites written as txtar archives inside tests
// and asserts on the files they produce, in the manner of Hugo's integration
// tests: a site in a string, built in memory, checked file by file.
package sitetest

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/pipeline"
)

// Today is the fixed "now" of site tests, so dates and future pages are
// deterministic.
var Today = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Site is a built test site.
type Site struct {
	T      testing.TB
	FS     fstest.MapFS
	Out    *pipeline.MemSink
	Result *pipeline.Result
	Err    error
}

// FS turns a txtar archive into a file system.
func FS(archive string) fstest.MapFS {
	a := txtar.Parse([]byte(archive))
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[strings.TrimSpace(f.Name)] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// Build builds the archive with opts (Source and Now are filled in) and
// fails the test on a build error.
func Build(t testing.TB, archive string, opts ...func(*pipeline.Options)) *Site {
	t.Helper()
	s := Try(t, archive, opts...)
	if s.Err != nil {
		t.Fatalf("build failed:\n%v", s.Err)
	}
	return s
}

// Try builds the archive and records the error instead of failing.
func Try(t testing.TB, archive string, opts ...func(*pipeline.Options)) *Site {
	t.Helper()
	s := &Site{T: t, FS: FS(archive), Out: pipeline.NewMemSink()}
	o := pipeline.Options{Source: s.FS, Now: Today}
	for _, f := range opts {
		f(&o)
	}
	s.Result, s.Err = pipeline.Build(context.Background(), o, s.Out)
	return s
}

// File returns an output file's text; it fails the test when it is missing.
func (s *Site) File(path string) string {
	s.T.Helper()
	b, ok := s.Out.Get(path)
	if !ok {
		s.T.Fatalf("no output file %s; the build wrote:\n  %s", path, strings.Join(s.Out.Paths(), "\n  "))
	}
	return string(b)
}

// Has reports whether an output file exists.
func (s *Site) Has(path string) bool {
	_, ok := s.Out.Get(path)
	return ok
}

// Assert checks that the output file contains each string; a string starting
// with "! " must not occur.
func (s *Site) Assert(path string, want ...string) {
	s.T.Helper()
	got := s.File(path)
	failed := false
	for _, w := range want {
		if neg, ok := strings.CutPrefix(w, "! "); ok {
			if strings.Contains(got, neg) {
				s.T.Errorf("%s contains %q but should not", path, neg)
				failed = true
			}
			continue
		}
		if !strings.Contains(got, w) {
			s.T.Errorf("%s does not contain %q", path, w)
			failed = true
		}
	}
	if failed {
		s.T.Logf("%s:\n%s", path, clip(got))
	}
}

// Errors returns the build's errors as "file:line:col: message" lines.
func (s *Site) Errors() []string {
	var out []string
	for _, e := range generator.Errors(s.Err) {
		out = append(out, e.Error())
	}
	return out
}

// AssertError checks that the build failed with an error line that starts
// with prefix (a position, usually) and contains each of the words.
func (s *Site) AssertError(prefix string, words ...string) {
	s.T.Helper()
	if s.Err == nil {
		s.T.Fatalf("the build succeeded; want an error at %s", prefix)
	}
	for _, e := range s.Errors() {
		if !strings.HasPrefix(e, prefix) {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(e, w) {
				ok = false
			}
		}
		if ok {
			return
		}
	}
	s.T.Errorf("no error at %s containing %q; the errors were:\n  %s", prefix, words, strings.Join(s.Errors(), "\n  "))
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n…"
	}
	return s
}
