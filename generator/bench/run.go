package bench

import (
	"context"
	"fmt"
	"time"
)

// Plan says how to measure one benchmark.
type Plan struct {
	Sample string
	Kind   string
	// Subjects are the subjects' ids and the runtime version lines that
	// will be recorded with their series.
	Subjects []Subject
	Warmup   int
	// MinRuns runs are always measured; after them, measuring stops once
	// Budget has passed or MaxRuns are done.
	MinRuns, MaxRuns int
	Budget           time.Duration
	Hash             string
	Machine          Machine
	Now              func() time.Time
}

// Exec runs subject i once and reports what the run measured: its
// standard output (for inner benchmarks) and the wall time from start to
// exit (for process benchmarks). The caller owns containment, timeouts and
// cleanup; an error fails the benchmark.
type Exec func(ctx context.Context, i int) (stdout string, elapsed time.Duration, err error)

// Measure runs a process or inner benchmark: warm-up runs first, then runs
// interleaved across subjects, the starting subject rotating each round so
// drift in the machine (thermal, other load) hits every subject alike.
func Measure(ctx context.Context, p Plan, exec Exec) (*Result, error) {
	if p.Kind != KindProcess && p.Kind != KindInner {
		return nil, fmt.Errorf("bench kind %q: Measure runs process and inner benchmarks", p.Kind)
	}
	if len(p.Subjects) < 2 {
		return nil, fmt.Errorf("a benchmark needs at least two subjects' files, found %d", len(p.Subjects))
	}
	if p.MinRuns < 1 {
		p.MinRuns = 1
	}
	if p.MaxRuns < p.MinRuns {
		p.MaxRuns = p.MinRuns
	}
	now := p.Now
	if now == nil {
		now = time.Now
	}
	r := &Result{Format: FormatVersion, Sample: p.Sample, Kind: p.Kind, Hash: p.Hash, Machine: p.Machine,
		Settings: Settings{Warmup: p.Warmup, Budget: p.Budget}}
	for _, s := range p.Subjects {
		r.Subjects = append(r.Subjects, Subject{ID: s.ID, Runtime: s.Runtime, Series: map[string][]float64{MetricTime: nil}})
	}
	one := func(i int, keep bool) error {
		out, elapsed, err := exec(ctx, i)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Subjects[i].ID, err)
		}
		if !keep {
			return nil
		}
		if p.Kind == KindProcess {
			r.Subjects[i].Series[MetricTime] = append(r.Subjects[i].Series[MetricTime], float64(elapsed.Nanoseconds()))
			return nil
		}
		figs, err := ParseInner(out)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Subjects[i].ID, err)
		}
		r.Subjects[i].Series[MetricTime] = append(r.Subjects[i].Series[MetricTime], figs...)
		return nil
	}
	n := len(p.Subjects)
	for round := range p.Warmup {
		for k := range n {
			if err := one((round+k)%n, false); err != nil {
				return nil, err
			}
		}
	}
	start := now()
	runs := 0
	for runs < p.MaxRuns && (runs < p.MinRuns || now().Sub(start) < p.Budget) {
		for k := range n {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := one((runs+k)%n, true); err != nil {
				return nil, err
			}
		}
		runs++
	}
	r.Settings.Runs = runs
	r.Measured = now().UTC().Truncate(time.Second)
	return r, nil
}
