package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/versus-ssg/versus/layouts"
)

func TestEnglishAndFrench(t *testing.T) {
	en, warns, err := Load(layouts.FS, fstest.MapFS{}, "en")
	if err != nil || len(warns) > 0 {
		t.Fatal(err, warns)
	}
	fr, warns, err := Load(layouts.FS, fstest.MapFS{}, "fr")
	if err != nil || len(warns) > 0 {
		t.Fatal(err, warns)
	}
	check := func(s *Strings, want string, key string, args ...any) {
		t.Helper()
		got, err := s.T(key, args...)
		if err != nil || got != want {
			t.Errorf("%s T %q %v = %q, %v; want %q", s.Lang, key, args, got, err, want)
		}
	}
	check(en, "On this page", "onThisPage")
	check(fr, "Sur cette page", "onThisPage")
	check(en, "1 point", "points", 1)
	check(en, "0 points", "points", 0)
	check(fr, "0 point", "points", 0) // French counts 0 as one
	check(fr, "2 points", "points", 2)
	check(en, "Choose Go when", "chooseWhen", "name", "Go")
	check(fr, "Choisir Go si", "chooseWhen", "name", "Go")
	d := time.Date(2026, 8, 3, 0, 0, 0, 0, time.UTC)
	if got, _ := en.Date("long", d); got != "3 August 2026" {
		t.Errorf("en long date %q", got)
	}
	if got, _ := fr.Date("short", d); got != "3 août 2026" {
		t.Errorf("fr short date %q", got)
	}
}

func TestEveryEnglishKeyIsInFrench(t *testing.T) {
	en, _, _ := Load(layouts.FS, fstest.MapFS{}, "en")
	fr, _, _ := Load(fstest.MapFS{"i18n/fr.yaml": &fstest.MapFile{Data: mustRead(t, "i18n/fr.yaml")}}, fstest.MapFS{}, "fr")
	for _, k := range en.keys() {
		if _, ok := fr.msgs[k]; !ok {
			t.Errorf("fr.yaml lacks %q", k)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	b, err := layouts.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMistakes(t *testing.T) {
	en, _, _ := Load(layouts.FS, fstest.MapFS{}, "en")
	if _, err := en.T("onThisPag"); err == nil || !strings.Contains(err.Error(), `no theme string "onThisPag" (did you mean "onThisPage"?)`) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := en.T("points"); err == nil || !strings.Contains(err.Error(), "give a count") {
		t.Errorf("plural without a count: %v", err)
	}
	if _, err := en.T("chooseWhen"); err == nil || !strings.Contains(err.Error(), "uses {name}") {
		t.Errorf("missing argument: %v", err)
	}
	site := fstest.MapFS{"i18n/de.yaml": &fstest.MapFile{Data: []byte("onThisPage: Auf dieser Seite\npoints: {one: x}\n")}}
	if _, _, err := Load(layouts.FS, site, "de"); err == nil || !strings.Contains(err.Error(), "i18n/de.yaml:2:9: points: plural forms need other:") {
		t.Errorf("bad plural: %v", err)
	}
	site = fstest.MapFS{"i18n/de.yaml": &fstest.MapFile{Data: []byte("onThisPage: Auf dieser Seite\n")}}
	de, warns, err := Load(layouts.FS, site, "de-AT")
	if err != nil || len(warns) != 1 || !strings.Contains(warns[0].Error(), `no de-AT text for`) {
		t.Fatalf("partial German: %v %v", err, warns)
	}
	if got, _ := de.T("onThisPage"); got != "Auf dieser Seite" {
		t.Errorf("de-AT uses de: %q", got)
	}
	if got, _ := de.T("next"); got != "Next" {
		t.Errorf("missing German falls back to English: %q", got)
	}
	_, warns, _ = Load(layouts.FS, fstest.MapFS{}, "es")
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), `the theme has no strings in language "es"`) {
		t.Errorf("unknown language: %v", warns)
	}
}
