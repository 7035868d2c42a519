package shortcode

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
	"github.com/versus-ssg/versus/generator/samples"
)

// BenchView is what the benchmark shortcode's template shows of a recorded
// result: the chart, the verdict in words, and every figure as a table row.
type BenchView struct {
	ID     string // the figure's id, bench-NAME, which table cells link to
	Title  string
	Kind   string
	Metric string // what the figures are, in words
	Chart  template.HTML
	Phrase string
	Rows   []BenchRow
	// Measured says where and when the figures were taken.
	Measured string
	Machine  bench.Machine
	Runs     int
	Stale    bool
}

// BenchRow is one subject's figures.
type BenchRow struct {
	ID, Name, Runtime string
	Median, Lo, Hi    string
	P99               string // serve benchmarks: the median p99 latency
	N                 int
	Winner            bool

	// Declared is the version the site describes for the subject when
	// Runtime is older than it ("3.15"), else "".
	Declared string
}

func (r *Renderer) benchView(sc *generator.Shortcode) (*BenchView, error) {
	name := sc.Get("0")
	if name == "" {
		name = sc.Args["name"]
	}
	s, err := r.Sample(name, sc.Pos)
	if err != nil {
		return nil, err
	}
	res, labels, stale, err := s.Recorded(r.Config, sc.Pos)
	if err != nil {
		return nil, err
	}
	if r.Benchmark != nil {
		r.Benchmark(res)
	}
	v := res.Decide()
	title := sc.Args["title"]
	if title == "" {
		title = s.Title
	}
	view := &BenchView{ID: "bench-" + name, Title: title, Kind: res.Kind, Phrase: bench.Phrase(v, labels),
		Chart: template.HTML(bench.SVG(res, v, labels, title)), Machine: res.Machine, Runs: res.Settings.Runs, Stale: stale,
		Measured: res.Measured.Format("2 January 2006")}
	switch v.Metric {
	case bench.MetricRPS:
		view.Metric = "Requests per second (higher is better)"
	default:
		if res.Kind == bench.KindProcess {
			view.Metric = "Time per run, start to exit (lower is better)"
		} else {
			view.Metric = "Time per iteration (lower is better)"
		}
	}
	for i, sub := range res.Subjects {
		sum := v.Summaries[i]
		row := BenchRow{ID: sub.ID, Name: labels[i].Name, Runtime: sub.Runtime, N: sum.N, Winner: i == v.Winner,
			Median: bench.Format(v.Metric, sum.Median), Lo: bench.Format(v.Metric, sum.Lo), Hi: bench.Format(v.Metric, sum.Hi)}
		if subj := r.Config.Subject(sub.ID); subj != nil && samples.Older(sub.Runtime, subj) {
			row.Declared = subj.Version
		}
		if p99 := sub.Series[bench.MetricP99]; len(p99) > 0 {
			row.P99 = bench.Format(bench.MetricTime, bench.Summarize(p99).Median)
		}
		view.Rows = append(view.Rows, row)
	}
	return view, nil
}

// Older lists the rows whose runtime is older than the version the site
// describes for their subject, for the note under the figures.
func (v *BenchView) Older() []BenchRow {
	var out []BenchRow
	for _, r := range v.Rows {
		if r.Declared != "" {
			r.Runtime = r.named()
			out = append(out, r)
		}
	}
	return out
}

// runtimes lists the rows' runtimes: "Node.js v26.12.1, Python 3.11.2".
func (v *BenchView) Runtimes() string {
	var parts []string
	for _, r := range v.Rows {
		parts = append(parts, r.named())
	}
	return strings.Join(parts, ", ")
}

// named is the row's runtime with the subject's name before it, as the
// version line may not have it ("Node.js v26.12.1" for "v26.12.1").
func (r BenchRow) named() string {
	if !strings.HasPrefix(strings.ToLower(r.Runtime), strings.ToLower(r.Name)) {
		return r.Name + " " + r.Runtime
	}
	return r.Runtime
}

// Where describes the machine: "AMD EPYC, 2 cores, Debian GNU/Linux 12".
func (v *BenchView) Where() string {
	return fmt.Sprintf("%s, %d cores, %s", v.Machine.CPU, v.Machine.Cores, v.Machine.OS)
}
