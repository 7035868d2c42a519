package samples

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
)

// declaredToken is a version as sites write it in subjects.ID.version: a
// word of numbers and dots, with an optional v before and a suffix after
// ("26", "3.15", "v26.12.1", "3.14+", "3.15.0rc1").
var declaredToken = regexp.MustCompile(`^[vV]?(\d+(?:\.\d+)*)(?:[-+~a-zA-Z][0-9A-Za-z.+~-]*)?$`)

// numbers are the leading numeric components of a version number.
var numbers = regexp.MustCompile(`\d+(?:\.\d+)*`)

// Declared returns the numeric components of the version a site declares
// for a subject: the first word of it that is a version ("26 LTS" → 26,
// "Python 3.15" → 3.15, "3.14+" → 3.14). It reports false when no word is
// one ("latest", "ES2024", ""): such a version is never checked.
func Declared(version string) ([]int, bool) {
	for _, word := range strings.Fields(version) {
		m := declaredToken.FindStringSubmatch(word)
		if m == nil {
			continue
		}
		return components(m[1])
	}
	return nil, false
}

// Ran returns the numeric components of the version of a runtime as a
// version command printed it or the page names it ("v26.12.1",
// "Python 3.11.7", "go version go1.24.1 linux/amd64"), after the subject's
// name when it starts with it. It reports false when there is no version
// number in it ("Python (version unknown)").
func Ran(runtime, name string) ([]int, bool) {
	if name != "" && len(runtime) >= len(name) && strings.EqualFold(runtime[:len(name)], name) {
		runtime = runtime[len(name):]
	}
	v := versionPattern.FindString(runtime)
	if v == "" {
		return nil, false
	}
	return components(numbers.FindString(v))
}

func components(s string) ([]int, bool) {
	if s == "" {
		return nil, false
	}
	var out []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// Older reports whether the runtime that produced a result (see Ran) is
// older than the version the site declares for its subject (see
// Declared). Only the components the declared version has are compared:
// declared 26 is met by v26.0.0 and v26.12.1, declared 3.15 is not met by
// 3.11.7 but is by 3.15.2 and 4.0. A version either side that cannot be
// read is never older.
func Older(runtime string, subj *generator.Subject) bool {
	want, ok := Declared(subj.Version)
	if !ok {
		return false
	}
	got, ok := Ran(runtime, subj.Name)
	if !ok {
		return false
	}
	for i, w := range want {
		g := 0
		if i < len(got) {
			g = got[i]
		}
		if g != w {
			return g < w
		}
	}
	return false
}

// Expired reports whether a result recorded at date (an RFC 3339 time, or
// a day, YYYY-MM-DD, which counts from its end: the result may be from its
// last minute) is older than maxAge at now. A maxAge of 0 means any age,
// and a date that cannot be read is not expired.
func Expired(date string, now time.Time, maxAge time.Duration) bool {
	if maxAge <= 0 {
		return false
	}
	t, err := time.Parse(time.RFC3339, date)
	if err != nil {
		day, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return false
		}
		t = day.Add(24 * time.Hour)
	}
	return now.Sub(t) > maxAge
}

// FormatAge writes an age as site settings take it: "90d", "12w".
func FormatAge(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	if days%7 == 0 {
		return strconv.Itoa(days/7) + "w"
	}
	return strconv.Itoa(days) + "d"
}

// Freshness gathers the results a build shows or a check verified, and
// says, once per subject, which of them came from a runtime older than the
// site describes or are older than samples.maxAge. It is not safe for
// concurrent use: a build's pages, rendered in parallel, share it behind
// a lock.
type Freshness struct {
	cfg *generator.Config
	now time.Time
	// older: subject id → runtime → sample names.
	older map[string]map[string]map[string]bool
	// aged: subject id → sample name → date, for sample outputs.
	aged map[string]map[string]string
	// benchOlder: subject id → runtime → benchmark names.
	benchOlder map[string]map[string]map[string]bool
	// benchAged: benchmark name → date measured.
	benchAged map[string]string
}

// NewFreshness returns an empty Freshness for a site, dating results at now.
func NewFreshness(cfg *generator.Config, now time.Time) *Freshness {
	return &Freshness{cfg: cfg, now: now,
		older: map[string]map[string]map[string]bool{}, aged: map[string]map[string]string{},
		benchOlder: map[string]map[string]map[string]bool{}, benchAged: map[string]string{}}
}

func add(m map[string]map[string]map[string]bool, a, b, c string) {
	if m[a] == nil {
		m[a] = map[string]map[string]bool{}
	}
	if m[a][b] == nil {
		m[a][b] = map[string]bool{}
	}
	m[a][b][c] = true
}

// Output notes one subject's output of a sample, as a page shows it.
func (fr *Freshness) Output(sample string, subj *generator.Subject, out *generator.Output) {
	if out == nil || !out.Verified {
		return
	}
	if Older(out.Runtime, subj) {
		add(fr.older, subj.ID, out.Runtime, sample)
	}
	if Expired(out.Date, fr.now, fr.cfg.Samples.MaxAge) {
		if fr.aged[subj.ID] == nil {
			fr.aged[subj.ID] = map[string]string{}
		}
		fr.aged[subj.ID][sample] = out.Date
	}
}

// Bench notes a benchmark's recorded result, as a page shows or cites it.
func (fr *Freshness) Bench(res *bench.Result) {
	for _, sub := range res.Subjects {
		subj := fr.cfg.Subject(sub.ID)
		if subj != nil && Older(sub.Runtime, subj) {
			add(fr.benchOlder, sub.ID, displayRuntime(sub.Runtime, subj), res.Sample)
		}
	}
	if Expired(res.Measured.Format(time.RFC3339), fr.now, fr.cfg.Samples.MaxAge) {
		fr.benchAged[res.Sample] = res.Measured.UTC().Format(time.DateOnly)
	}
}

// displayRuntime names a recorded runtime line as pages do: "Python 3.11.2"
// for "Python 3.11.2", "Node.js v26.12.1" for "v26.12.1".
func displayRuntime(raw string, subj *generator.Subject) string {
	num := versionPattern.FindString(raw)
	if num == "" {
		return raw
	}
	return subj.Name + " " + num
}

// Warnings returns the warnings, sorted: one per subject whose samples ran
// with an older runtime, one per subject whose benchmarks did, one per
// subject with outputs older than samples.maxAge and one per benchmark
// measured longer ago than that.
func (fr *Freshness) Warnings() generator.ErrorList {
	var out generator.ErrorList
	for _, subj := range fr.cfg.Subjects {
		pos := subj.VersionPos
		if pos.File == "" {
			pos = subj.Pos
		}
		if pos.File == "" {
			pos.File = fr.cfg.File
		}
		if rts := fr.older[subj.ID]; len(rts) > 0 {
			runtimes, names := summarize(rts)
			out.Add(pos, "%s verified with %s; the site describes %s %s: verify them again with %s %s or later first on PATH (versus check --samples), or change subjects.%s.version to the version they ran with",
				count(len(names), "sample", "samples", names), strings.Join(runtimes, " and "), subj.Name, subj.Version, subj.Name, bareVersion(subj.Version), subj.ID)
		}
		if rts := fr.benchOlder[subj.ID]; len(rts) > 0 {
			runtimes, names := summarize(rts)
			out.Add(pos, "%s measured with %s; the site describes %s %s: measure %s again with %s %s or later first on PATH (versus bench %s), or change subjects.%s.version to the version they ran with",
				count(len(names), "benchmark", "benchmarks", names), strings.Join(runtimes, " and "), subj.Name, subj.Version, plural(len(names), "it", "them"), subj.Name, bareVersion(subj.Version), strings.Join(names, " "), subj.ID)
		}
		if aged := fr.aged[subj.ID]; len(aged) > 0 {
			names := sortedKeys(aged)
			oldest := ""
			for _, d := range aged {
				if oldest == "" || d < oldest {
					oldest = d
				}
			}
			out.Add(fr.agePos(), "the %s output of %s was verified longer ago than samples.maxAge (%s), the oldest on %s: run them again with versus check --samples (or versus generate --verify)",
				subj.Name, count(len(names), "sample", "samples", names), FormatAge(fr.cfg.Samples.MaxAge), oldest)
		}
	}
	for _, name := range sortedKeys(fr.benchAged) {
		out.Add(fr.agePos(), "benchmark %q was measured on %s, longer ago than samples.maxAge (%s): measure it again with versus bench %s", name, fr.benchAged[name], FormatAge(fr.cfg.Samples.MaxAge), name)
	}
	out.Sort()
	return out
}

func (fr *Freshness) agePos() generator.Pos {
	pos := fr.cfg.Samples.MaxAgePos
	if pos.File == "" {
		pos.File = fr.cfg.File
	}
	return pos
}

// summarize lists the runtimes and the names of what ran with them, sorted.
func summarize(rts map[string]map[string]bool) (runtimes, names []string) {
	seen := map[string]bool{}
	for rt, ns := range rts {
		runtimes = append(runtimes, rt)
		for n := range ns {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(runtimes)
	sort.Strings(names)
	return runtimes, names
}

// count says "1 sample (a)" or "3 samples (a, b, c)", naming at most five.
func count(n int, one, many string, names []string) string {
	word := many
	if n == 1 {
		word = one
	}
	list := names
	more := ""
	if len(list) > 5 {
		list, more = list[:5], fmt.Sprintf(" and %d more", len(names)-5)
	}
	return fmt.Sprintf("%d %s (%s%s)", n, word, strings.Join(list, ", "), more)
}

// bareVersion is the declared version's number ("3.15" for "3.15+").
func bareVersion(declared string) string {
	for _, word := range strings.Fields(declared) {
		if m := declaredToken.FindStringSubmatch(word); m != nil {
			return m[1]
		}
	}
	return declared
}

// Freshness says which of the report's passing runs came from a runtime
// older than the site describes, and which of its benchmarks' recorded
// results did or are older than samples.maxAge: the warnings check
// --samples gives, once per subject (see Freshness.Warnings).
func (r *Report) Freshness(cfg *generator.Config, now time.Time) generator.ErrorList {
	fr := NewFreshness(cfg, now)
	benches := map[*Sample]bool{}
	for _, run := range r.Runs {
		if run.Err == nil && run.Output != nil {
			fr.Output(run.Sample.Name, run.File.Subject, run.Output)
		}
		if s := run.Sample; s.Bench != nil && !benches[s] {
			benches[s] = true
			// A result that cannot be read is the build's to report.
			if res, _, _, err := s.Recorded(cfg, s.Pos); err == nil {
				fr.Bench(res)
			}
		}
	}
	return fr.Warnings()
}
