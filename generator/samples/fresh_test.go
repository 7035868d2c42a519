package samples

import (
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
)

func TestOlder(t *testing.T) {
	for _, c := range []struct {
		declared, ran string
		older         bool
	}{
		{"3.15", "Python 3.11.7", true},
		{"3.15", "Python 3.15.0", false},
		{"3.15", "Python 3.15.2", false},
		{"3.15", "Python 4.0.1", false},        // newer than declared
		{"3.15", "Python 3.16.0", false},       // newer
		{"26", "Node.js v26.12.1", false},      // only the declared components count
		{"26 LTS", "Node.js v26.0.0", false},   // words after the number are ignored
		{"26 LTS", "Node.js v24.11.1", true},   // an older major version
		{"v26.12.1", "Node.js v26.12.0", true}, // every declared component counts
		{"v26.12.1", "Node.js v26.12.1", false},
		{"3.14+", "Python 3.13.1", true},
		{"3.14+", "Python 3.14.0", false},
		{"Python 3.15", "Python 3.11.2", true}, // the first word that is a version
		{"3.15.0rc1", "Python 3.15.0", false},
		{"3.15", "Python 3.15", false},
		{"3.15.1", "Python 3.15", true}, // a missing component is 0
		{"latest", "Python 3.11.7", false},
		{"ES2024", "Node.js v20.1.0", false},
		{"", "Python 3.11.7", false},
		{"3.15", "Python (version unknown)", false},
		{"3.15", "version unknown", false},
	} {
		subj := &generator.Subject{ID: "x", Name: strings.Fields(c.ran)[0], Version: c.declared}
		if got := Older(c.ran, subj); got != c.older {
			t.Errorf("Older(%q) with version %q = %v, want %v", c.ran, c.declared, got, c.older)
		}
	}
	// A version line without the name, as bench.json records it.
	py := &generator.Subject{ID: "python", Name: "Python", Version: "3.15"}
	if !Older("Python 3.11.2", py) || Older("3.15.1", py) || !Older("3.9.1", py) {
		t.Error("raw version lines are not compared by their number")
	}
	// A subject whose name has a digit is not read as its version.
	if Older("Py3.11 3.15.0", &generator.Subject{Name: "Py3.11", Version: "3.15"}) {
		t.Error("the name's digit was taken for the version")
	}
}

func TestExpired(t *testing.T) {
	now := time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		date string
		age  time.Duration
		want bool
	}{
		{"2026-12-01", 0, false}, // no maxAge: any age
		{"2020-01-01", 0, false},
		{"2026-09-04", 90 * day, false},
		{"2026-09-02", 90 * day, true},
		{"2026-11-30", day, true},
		{"2026-12-01", day, false}, // its end is less than a day ago
		{"2026-12-01T10:00:00Z", day, true},
		{"2026-12-02", day, false},
		{"2026-11-20T10:00:00Z", 7 * day, true},
		{"yesterday", day, false}, // unreadable: never expired
	} {
		if got := Expired(c.date, now, c.age); got != c.want {
			t.Errorf("Expired(%q, %v) = %v, want %v", c.date, c.age, got, c.want)
		}
	}
	if FormatAge(90*day) != "90d" || FormatAge(84*day) != "12w" {
		t.Errorf("FormatAge: %s %s", FormatAge(90*day), FormatAge(84*day))
	}
}

// Freshness warns once per subject, whatever the number of samples and
// runtimes, at the subject's version in the settings.
func TestFreshnessOncePerSubject(t *testing.T) {
	py := &generator.Subject{ID: "python", Name: "Python", Version: "3.15", VersionPos: generator.Pos{File: "site.yaml", Line: 9, Col: 14}}
	node := &generator.Subject{ID: "node", Name: "Node.js", Version: "26 LTS"}
	cfg := &generator.Config{File: "site.yaml", Subjects: []*generator.Subject{node, py}}
	cfg.Samples.MaxAge = 30 * 24 * time.Hour
	cfg.Samples.MaxAgePos = generator.Pos{File: "site.yaml", Line: 20, Col: 11}
	fr := NewFreshness(cfg, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	for _, s := range []string{"b", "a", "c", "a"} {
		fr.Output(s, py, &generator.Output{Verified: true, Runtime: "Python 3.11.7", Date: "2026-12-01"})
	}
	fr.Output("d", py, &generator.Output{Verified: true, Runtime: "Python 3.11.2", Date: "2026-12-01"})
	fr.Output("a", node, &generator.Output{Verified: true, Runtime: "Node.js v26.12.1", Date: "2026-10-01"})
	fr.Output("x", py, &generator.Output{Verified: false, Runtime: "Python 3.1.0", Date: "2000-01-01"})
	fr.Bench(&bench.Result{Sample: "loop", Measured: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		Subjects: []bench.Subject{{ID: "node", Runtime: "v26.12.1"}, {ID: "python", Runtime: "Python 3.11.2"}}})
	fr.Bench(&bench.Result{Sample: "old", Measured: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
		Subjects: []bench.Subject{{ID: "node", Runtime: "v26.12.1"}}})
	var got []string
	for _, w := range fr.Warnings() {
		got = append(got, w.Error())
	}
	want := []string{
		"site.yaml:9:14: 4 samples (a, b, c, d) verified with Python 3.11.2 and Python 3.11.7; the site describes Python 3.15: verify them again with Python 3.15 or later first on PATH (versus check --samples), or change subjects.python.version to the version they ran with",
		"site.yaml:9:14: 1 benchmark (loop) measured with Python 3.11.2; the site describes Python 3.15: measure it again with Python 3.15 or later first on PATH (versus bench loop), or change subjects.python.version to the version they ran with",
		"site.yaml:20:11: the Node.js output of 1 sample (a) was verified longer ago than samples.maxAge (30d), the oldest on 2026-10-01: run them again with versus check --samples (or versus generate --verify)",
		"site.yaml:20:11: benchmark \"old\" was measured on 2026-10-01, longer ago than samples.maxAge (30d): measure it again with versus bench old",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
