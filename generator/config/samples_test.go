package config

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestMaxAge(t *testing.T) {
	day := 24 * time.Hour
	for _, c := range []struct {
		value string
		want  time.Duration
		err   string
	}{
		{"90d", 90 * day, ""},
		{"12w", 84 * day, ""},
		{"1d", day, ""},
		{`"30 d"`, 30 * day, ""},
		{"6m", 0, `site.yaml:3:11: samples.maxAge: expected an age in days or weeks like 90d or 12w, not "6m" (months and years vary in length: write 180d, or 26w)`},
		{"1y", 0, "months and years vary in length"},
		{"90", 0, `not "90" (say the unit: 90d for days)`},
		{"2160h", 0, `not "2160h"`},
		{"0d", 0, `site.yaml:3:11: samples.maxAge: an age of "0d" lets no result pass: give at least 1d`},
		{"-5d", 0, `not "-5d"`},
		{"[90d]", 0, "samples.maxAge"},
	} {
		fsys := fstest.MapFS{"site.yaml": {Data: []byte("title: T\nsamples:\n  maxAge: " + c.value + "\n")}}
		cfg, err := Load(fsys)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("maxAge: %s: error %v, want one containing %q", c.value, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("maxAge: %s: %v", c.value, err)
			continue
		}
		if cfg.Samples.MaxAge != c.want || cfg.Samples.MaxAgePos.Line != 3 {
			t.Errorf("maxAge: %s = %v at %v, want %v at line 3", c.value, cfg.Samples.MaxAge, cfg.Samples.MaxAgePos, c.want)
		}
	}
}

// A subject's version is read with its position, where the warnings about
// older runtimes point.
func TestVersionPos(t *testing.T) {
	fsys := fstest.MapFS{"site.yaml": {Data: []byte("subjects:\n  py:\n    name: Python\n    version: \"3.15\"\n")}}
	cfg, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Subject("py")
	if s.Version != "3.15" || s.VersionPos.Line != 4 || s.VersionPos.Col != 14 || s.VersionPos.File != "site.yaml" {
		t.Errorf("version %q at %+v", s.Version, s.VersionPos)
	}
}
