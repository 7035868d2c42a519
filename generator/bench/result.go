package bench

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// FileName is where a sample's recorded result lives, beside its files.
const FileName = "bench.json"

// FormatVersion is the version of the bench.json layout this package
// writes and reads.
const FormatVersion = 1

// Kinds of benchmark.
const (
	KindProcess = "process" // versus times each run from start to exit
	KindInner   = "inner"   // the program times itself (see ParseInner)
	KindServe   = "serve"   // versus loads the program's server
)

// Metrics: what the figures of a series are.
const (
	MetricTime = "time" // nanoseconds per run or iteration; lower is better
	MetricRPS  = "rps"  // requests per second; higher is better
	MetricP99  = "p99"  // 99th-percentile latency in nanoseconds; lower is better
)

// Result is one benchmark's recorded measurement: everything needed to
// show it, to check a table's claim against it and to tell whether it still
// describes the sample's files.
type Result struct {
	Format int    `json:"format"`
	Sample string `json:"sample"`
	Kind   string `json:"kind"`
	// Hash is Hash of the sample's files when it was measured.
	Hash     string    `json:"hash"`
	Measured time.Time `json:"measured"`
	Machine  Machine   `json:"machine"`
	// Settings are the run counts and durations used, for the record.
	Settings Settings  `json:"settings"`
	Subjects []Subject `json:"subjects"`
}

// Machine is what the measurement depends on besides the code.
type Machine struct {
	CPU   string `json:"cpu"`
	Cores int    `json:"cores"`
	OS    string `json:"os"`
	Arch  string `json:"arch"`
}

// Settings are how the benchmark was run.
type Settings struct {
	Warmup  int           `json:"warmup"`
	Runs    int           `json:"runs"`
	Budget  time.Duration `json:"budget,omitempty"`
	Conns   int           `json:"connections,omitempty"`
	Seconds float64       `json:"seconds,omitempty"`
}

// Subject is one subject's series of one benchmark.
type Subject struct {
	ID      string `json:"id"`
	Runtime string `json:"runtime"` // the runtime's own version line
	// Series maps a metric to its figures, one per measured run in the
	// order they were taken.
	Series map[string][]float64 `json:"series"`
}

// Primary is the metric a result's winner is decided on.
func (r *Result) Primary() string {
	if r.Kind == KindServe {
		return MetricRPS
	}
	return MetricTime
}

// HigherIsBetter tells the direction of a metric.
func HigherIsBetter(metric string) bool { return metric == MetricRPS }

// Hash fingerprints a sample's files: their names and bytes, in name order.
// The recorded result is left out, so recording does not make it stale.
func Hash(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		if n != FileName {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Stale reports whether the sample's files changed since r was measured.
func (r *Result) Stale(files map[string][]byte) bool { return r.Hash != Hash(files) }

// Marshal encodes r as bench.json: indented, with a final newline, so it
// diffs well in review.
func (r *Result) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Parse decodes a bench.json. Errors carry the line and column of the
// problem in the form "LINE:COL: message".
func Parse(data []byte) (*Result, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = max(se.Offset-1, 0)
		case errors.As(err, &te):
			off = te.Offset
		default:
			// encoding/json names an unknown field but not where it is.
			if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				if i := bytes.Index(data, []byte(name+":")); i >= 0 {
					off = int64(i)
				} else if i := bytes.Index(data, []byte(name)); i >= 0 {
					off = int64(i)
				}
			}
		}
		line, col := lineCol(data, off)
		return nil, &ParseError{Line: line, Col: col, Msg: fmt.Sprintf("%v (re-record it with versus bench)", err)}
	}
	if r.Format != FormatVersion {
		return nil, &ParseError{Line: 1, Col: 1, Msg: fmt.Sprintf("format %d, this versus reads format %d: re-record it with versus bench", r.Format, FormatVersion)}
	}
	if len(r.Subjects) < 2 {
		return nil, &ParseError{Line: 1, Col: 1, Msg: fmt.Sprintf("a result needs at least two subjects' series, it has %d", len(r.Subjects))}
	}
	for _, s := range r.Subjects {
		if len(s.Series[r.Primary()]) == 0 {
			return nil, &ParseError{Line: 1, Col: 1, Msg: fmt.Sprintf("subject %q has no %s figures", s.ID, r.Primary())}
		}
	}
	return &r, nil
}

// ParseError is a problem in a bench.json, at its line and column.
type ParseError struct {
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// Verdict is what a result says about its subjects.
type Verdict struct {
	Metric string
	// Summaries are per subject, in the result's order.
	Summaries []Summary
	// Winner is the index of the subject that beats every other one
	// significantly, or -1.
	Winner int
	// Best and Next are the indexes of the best and second-best median;
	// Ratio says how many times better Best is than Next (always ≥ 1),
	// with its interval.
	Best, Next int
	Ratio      Ratio
}

// Decide summarizes each subject's primary series and names a winner only
// when the best subject's advantage over every other one is significant.
func (r *Result) Decide() Verdict {
	m := r.Primary()
	hib := HigherIsBetter(m)
	v := Verdict{Metric: m, Winner: -1}
	order := make([]int, len(r.Subjects))
	for i, s := range r.Subjects {
		v.Summaries = append(v.Summaries, Summarize(s.Series[m]))
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ma, mb := v.Summaries[a].Median, v.Summaries[b].Median
		if hib {
			ma, mb = -ma, -mb
		}
		switch {
		case ma < mb:
			return -1
		case ma > mb:
			return 1
		}
		return 0
	})
	v.Best, v.Next = order[0], order[1]
	better := func(i, j int) Ratio {
		// how many times better i is than j
		if hib {
			return Compare(r.Subjects[j].Series[m], r.Subjects[i].Series[m])
		}
		return Compare(r.Subjects[i].Series[m], r.Subjects[j].Series[m])
	}
	v.Ratio = better(v.Best, v.Next)
	win := true
	for _, j := range order[1:] {
		if rr := better(v.Best, j); !(rr.Lo > 1) {
			win = false
		}
	}
	if win {
		v.Winner = v.Best
	}
	return v
}

// Agree checks a new measurement against a recorded one: it fails when
// they name different winners, or when their ratios' intervals do not
// overlap (the difference between the subjects moved beyond the noise).
// names label subjects in the message.
func Agree(recorded, now Verdict, names []Label) error {
	if recorded.Winner >= 0 && now.Winner >= 0 && recorded.Winner != now.Winner {
		return fmt.Errorf("recorded: %s; measured now: %s", Phrase(recorded, names), Phrase(now, names))
	}
	r := now.Ratio
	switch {
	case now.Best == recorded.Best && now.Next == recorded.Next:
	case now.Best == recorded.Next && now.Next == recorded.Best:
		r = Ratio{Value: 1 / r.Value, Lo: 1 / r.Hi, Hi: 1 / r.Lo}
	default:
		// Three or more subjects reordered: the winner check above is
		// what can be compared.
		return nil
	}
	if r.Hi < recorded.Ratio.Lo || r.Lo > recorded.Ratio.Hi {
		return fmt.Errorf("recorded: %s; measured now: %s", Phrase(recorded, names), Phrase(now, names))
	}
	return nil
}
