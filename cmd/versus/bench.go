package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/samples"
)

func runBench(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "bench", "bench [flags] [NAME...]",
		`Measures the benchmark samples (sample folders whose sample.yaml has a
bench: section), or only those named, on this machine, and records each
result as bench.json beside the sample's files. generate shows recorded
results and never measures; check --bench measures again and fails when a
result is stale or no longer agrees. Run it on a quiet machine.`)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "measure the site rooted at `DIR`")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	return measureBenchmarks(ctx, e, f, fs.Args(), true)
}

// measureBenchmarks measures the named benchmarks (all when none are
// named). With record it writes each result beside its sample; without, it
// compares each with the recorded one and fails on a stale or disagreeing
// result (check --bench).
func measureBenchmarks(ctx context.Context, e *env, f siteFlags, names []string, record bool) int {
	source, _ := f.paths(e)
	fsys, code := openSource(e, source, f.source)
	if code != exitOK {
		return code
	}
	defer fsys.Close()
	cfg, err := config.Load(fsys)
	if err != nil {
		printErrors(e.stderr, err)
		return exitFail
	}
	all, err := samples.List(fsys)
	if err != nil {
		printErrors(e.stderr, err)
		return exitFail
	}
	var list []*samples.Sample
	var errs generator.ErrorList
	for _, name := range all {
		if len(names) > 0 && !slices.Contains(names, name) {
			continue
		}
		s, err := samples.Load(fsys, cfg, name, generator.Pos{File: samples.Dir + "/" + name})
		if err != nil {
			errs.Append(generator.Pos{}, err)
			continue
		}
		if s.Bench == nil {
			if len(names) > 0 {
				errs.Add(generator.Pos{File: samples.Dir + "/" + name}, "sample %q is not a benchmark: add a bench: section to its sample.yaml (see docs/benchmarks.md)", name)
			}
			continue
		}
		list = append(list, s)
	}
	for _, name := range names {
		if !slices.Contains(all, name) {
			msg := fmt.Sprintf("no sample %q in %s/", name, samples.Dir)
			if m := generator.Suggest(name, all); m != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", m)
			}
			errs.Add(generator.Pos{}, "%s", msg)
		}
	}
	if len(errs) > 0 {
		printErrors(e.stderr, errs)
		return exitFail
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stderr, "versus: no benchmarks in %s/ (a benchmark is a sample whose sample.yaml has a bench: section)\n", samples.Dir)
		return exitOK
	}
	runner := &samples.Runner{Path: os.Getenv("PATH")}
	machine := bench.ThisMachine()
	fmt.Fprintf(e.stderr, "versus: measuring %d %s on %s (%d cores, %s)\n", len(list), plural(len(list), "benchmark", "benchmarks"), machine.CPU, machine.Cores, machine.OS)
	failed := 0
	for _, s := range list {
		where := filepath.ToSlash(filepath.Join(samples.Dir, s.Name, bench.FileName))
		res, err := runner.Bench(ctx, s, machine)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", samples.Dir+"/"+s.Name, err)
			failed++
			continue
		}
		labels := benchLabels(cfg, res)
		now := res.Decide()
		if !record {
			if err := checkRecorded(s, res, now, labels); err != nil {
				fmt.Fprintf(e.stderr, "%s: %v\n", where, err)
				failed++
				continue
			}
			fmt.Fprintf(e.stdout, "versus: %s agrees with its record: %s\n", s.Name, bench.Phrase(now, labels))
			continue
		}
		data, err := res.Marshal()
		if err == nil {
			err = writeAtomic(filepath.Join(source, filepath.FromSlash(where)), data)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "versus: recording %s: %v\n", where, err)
			failed++
			continue
		}
		fmt.Fprintf(e.stdout, "versus: %s (%s, %d runs): %s → %s\n", s.Name, res.Kind, res.Settings.Runs, bench.Phrase(now, labels), where)
	}
	if failed > 0 {
		fmt.Fprintf(e.stderr, "versus: %d of %d %s failed\n", failed, len(list), plural(len(list), "benchmark", "benchmarks"))
		return exitFail
	}
	return exitOK
}

// checkRecorded compares a new measurement with the sample's recorded one.
func checkRecorded(s *samples.Sample, res *bench.Result, now bench.Verdict, labels []bench.Label) error {
	data, ok := s.All[bench.FileName]
	if !ok {
		return fmt.Errorf("no recorded result: run versus bench %s and commit %s", s.Name, bench.FileName)
	}
	old, err := bench.Parse(data)
	if err != nil {
		return err
	}
	if old.Stale(s.All) {
		return fmt.Errorf("stale: the sample's files changed since it was measured on %s; run versus bench %s", old.Measured.Format("2006-01-02"), s.Name)
	}
	if err := bench.Agree(old.Decide(), now, labels); err != nil {
		return fmt.Errorf("the new measurement disagrees with the recorded one beyond the noise: %v (re-record with versus bench %s on the machine the site's figures should describe)", err, s.Name)
	}
	return nil
}

// benchLabels names a result's subjects as the site does.
func benchLabels(cfg *generator.Config, r *bench.Result) []bench.Label {
	var out []bench.Label
	for _, s := range r.Subjects {
		name := s.ID
		if subj := cfg.Subject(s.ID); subj != nil {
			name = subj.Name
		}
		out = append(out, bench.Label{ID: s.ID, Name: name})
	}
	return out
}

// writeAtomic replaces file with data: a reader sees the old bytes or the
// new ones, never a part.
func writeAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
