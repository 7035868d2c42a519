package samples

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
)

// once runs one subject's file of a sample a single time, contained and
// bounded as every sample run is, and returns what it printed and the wall
// time from start to exit. Benchmarks measure through it.
func (r *Runner) once(ctx context.Context, iso *isolation, s *Sample, f *File) (stdout string, elapsed time.Duration, err error) {
	j, err := r.prepare(s, f)
	if err != nil {
		return "", 0, err
	}
	defer j.cleanup()
	sp := &spec{exe: j.exe, argv: j.argv, dir: j.work, box: j.box, out: j.scratch, env: r.env(j.box, s, nil),
		bounds: s.Bounds, network: s.Network, readOnly: s.ReadOnly}
	start := time.Now()
	p, err := r.start(ctx, iso, sp)
	if err != nil {
		return "", 0, fmt.Errorf("cannot run %s: %v", j.command, err)
	}
	p.wait(ctx, start.Add(s.Timeout))
	elapsed = time.Since(start)
	if ctx.Err() != nil {
		return "", 0, ctx.Err()
	}
	if code, exited := p.exitCode(); p.truncated != "" || !exited || code != s.Exit {
		return "", 0, fmt.Errorf("%s %s%s", j.command, p.describe(s.Timeout), tail("stderr", p.stderr()))
	}
	return p.stdout(), elapsed, nil
}

// server starts a serve sample's subject and waits until it listens. It
// returns the URL to load (the bench path, or the sample's serve path) and
// a function that stops the server, kills everything it started and
// removes its folder. A benchmark's server shares the machine's loopback,
// so that the load generator, outside the run, can reach it.
func (r *Runner) server(ctx context.Context, iso *isolation, s *Sample, f *File) (url string, stop func(), err error) {
	if s.Serve == nil {
		return "", nil, errors.New("a serve benchmark needs a serve: section in sample.yaml (env, path)")
	}
	j, err := r.prepare(s, f)
	if err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		j.cleanup()
		return "", nil, fmt.Errorf("finding a free port: %v", err)
	}
	sp := &spec{exe: j.exe, argv: j.argv, dir: j.work, box: j.box, out: j.scratch,
		env: r.env(j.box, s, []string{s.Serve.Env + "=" + strconv.Itoa(port)}), bounds: s.Bounds, network: true, readOnly: s.ReadOnly}
	p, err := r.start(ctx, iso, sp)
	if err != nil {
		j.cleanup()
		return "", nil, fmt.Errorf("cannot run %s: %v", j.command, err)
	}
	stop = func() { p.stop(); j.cleanup() }
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(s.Timeout)
	for {
		d := net.Dialer{Timeout: 250 * time.Millisecond}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			break
		}
		select {
		case <-p.done:
			stop()
			return "", nil, fmt.Errorf("%s %s before it listened on %s (the port is in $%s)%s", j.command, p.describe(s.Timeout), addr, s.Serve.Env, tail("stderr", p.stderr()))
		case <-ctx.Done():
			stop()
			return "", nil, ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s did not listen on %s within %s (the port is in $%s)", j.command, addr, s.Timeout, s.Serve.Env)
		}
	}
	path := s.Serve.Path
	if s.Bench != nil && s.Bench.Path != "" {
		path = s.Bench.Path
	}
	return "http://" + addr + path, stop, nil
}

// shown is what a run printed for readers: for an inner benchmark, its
// own output without the protocol's "bench:" lines.
func (s *Sample) shown(stdout string) string {
	if s.Bench != nil && s.Bench.Kind == bench.KindInner {
		return bench.StripInner(stdout)
	}
	return stdout
}

// RuntimeVersion runs a subject's version command and returns the line it
// printed, as a benchmark records it.
func (r *Runner) RuntimeVersion(ctx context.Context, subj *generator.Subject) (string, error) {
	raw, _, err := r.version(ctx, probe(r.Bwrap), subj)
	if err != nil {
		return "", err
	}
	return raw, nil
}

// Bench measures a benchmark sample: every subject's file, interleaved, as
// its bench: section says. The result is ready to be recorded beside the
// sample.
func (r *Runner) Bench(ctx context.Context, s *Sample, machine bench.Machine) (*bench.Result, error) {
	if s.Bench == nil {
		return nil, fmt.Errorf("sample %q has no bench: section in its sample.yaml", s.Name)
	}
	if len(s.Files) < 2 {
		return nil, fmt.Errorf("sample %q: a benchmark needs files of at least two subjects, it has %d", s.Name, len(s.Files))
	}
	spec := s.Bench
	iso := probe(r.Bwrap)
	plan := bench.Plan{Sample: s.Name, Kind: spec.Kind, Warmup: spec.Warmup, MinRuns: spec.Runs, MaxRuns: spec.MaxRuns,
		Budget: spec.Budget, Hash: bench.Hash(s.All), Machine: machine, Now: r.Now}
	for _, f := range s.Files {
		v, _, err := r.version(ctx, iso, f.Subject)
		if err != nil {
			return nil, err
		}
		plan.Subjects = append(plan.Subjects, bench.Subject{ID: f.Subject.ID, Runtime: v})
	}
	if spec.Kind != bench.KindServe {
		return bench.Measure(ctx, plan, func(ctx context.Context, i int) (string, time.Duration, error) {
			return r.once(ctx, iso, s, s.Files[i])
		})
	}
	var targets []string
	for _, f := range s.Files {
		url, stop, err := r.server(ctx, iso, s, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Subject.ID, err)
		}
		defer stop()
		targets = append(targets, url)
	}
	return bench.MeasureServe(ctx, plan, targets, spec.Connections, spec.Duration)
}

// Recorded parses a benchmark sample's bench.json and names its subjects
// as the site does; the flag reports a stale result (the sample's files
// changed since it was measured). pos is where the result is asked for.
func (s *Sample) Recorded(cfg *generator.Config, pos generator.Pos) (*bench.Result, []bench.Label, bool, error) {
	where := generator.Pos{File: Dir + "/" + s.Name + "/" + bench.FileName}
	if s.Bench == nil {
		return nil, nil, false, generator.Errorf(pos, "sample %q is not a benchmark: add a bench: section to %s/%s/sample.yaml", s.Name, Dir, s.Name)
	}
	data, ok := s.All[bench.FileName]
	if !ok {
		return nil, nil, false, generator.Errorf(pos, "benchmark %q has no recorded result: run versus bench %s and commit %s", s.Name, s.Name, where.File)
	}
	res, err := bench.Parse(data)
	if err != nil {
		var pe *bench.ParseError
		if errors.As(err, &pe) {
			where.Line, where.Col = pe.Line, pe.Col
			return nil, nil, false, generator.Errorf(where, "%s", pe.Msg)
		}
		return nil, nil, false, generator.Errorf(where, "%v", err)
	}
	if res.Sample != s.Name {
		return nil, nil, false, generator.Errorf(where, "this result is of sample %q, not %q: re-record it with versus bench %s", res.Sample, s.Name, s.Name)
	}
	var labels []bench.Label
	for _, sub := range res.Subjects {
		name := sub.ID
		if subj := cfg.Subject(sub.ID); subj != nil {
			name = subj.Name
		}
		labels = append(labels, bench.Label{ID: sub.ID, Name: name})
	}
	return res, labels, res.Stale(s.All), nil
}
