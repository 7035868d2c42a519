package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/output"
	"github.com/versus-ssg/versus/generator/publish"
	"github.com/versus-ssg/versus/generator/samples"
)

// checkSamples runs every sample folder of the site and compares what each
// subject's file prints with what the sample expects.
func checkSamples(ctx context.Context, e *env, f siteFlags) int {
	source, _ := f.paths(e)
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "versus: the source %s is not a folder\n", f.source)
		return exitUsage
	}
	start := time.Now()
	rep, code := verifySamples(ctx, e, source, f)
	if rep == nil {
		return code
	}
	if f.update {
		changes, err := rep.Update(source)
		for _, c := range changes {
			fmt.Fprintf(e.stdout, "versus: %s\n", c)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "versus: updating the expected files: %v\n", err)
			return exitFail
		}
		if len(changes) == 0 && code == exitOK {
			fmt.Fprintf(e.stdout, "versus: every expected file already matches\n")
		}
	}
	w := e.stdout
	if code != exitOK {
		w = e.stderr
	}
	fmt.Fprintf(w, "versus: %s in %s\n", verifySummary(rep), time.Since(start).Round(100*time.Millisecond))
	return code
}

// verifySamples verifies every sample of the site at source, printing
// progress and failures on stderr. It returns the report (nil when the
// samples could not even be listed) and the exit code. Passing runs are
// kept in the cache folder's samples/ (none with --cache-dir ""), which is
// locked meanwhile.
func verifySamples(ctx context.Context, e *env, source string, f siteFlags) (*samples.Report, int) {
	cacheDir := f.cacheDir(source)
	fsys, code := openSource(e, source, source)
	if code != exitOK {
		return nil, code
	}
	defer fsys.Close()
	cfg, err := config.Load(fsys)
	if err != nil {
		printErrors(e.stderr, err)
		return nil, exitFail
	}
	if cacheDir != "" {
		lock, err := output.LockFile(ctx, filepath.Join(cacheDir, publish.LockFile), func() {
			fmt.Fprintf(e.stderr, "versus: waiting for another versus run that uses %s to finish\n", cacheDir)
		})
		if err != nil {
			fmt.Fprintf(e.stderr, "versus: the cache folder: %v\n", err)
			return nil, exitFail
		}
		defer lock.Unlock()
	}
	prog := newProgress(e.stderr)
	runner := &samples.Runner{
		Cache:    samples.CacheIn(cacheDir),
		Path:     os.Getenv("PATH"),
		Progress: prog.report,
		Update:   f.update,
	}
	rep, err := runner.VerifyAll(ctx, fsys, cfg)
	prog.finish()
	if err != nil {
		printErrors(e.stderr, err)
		return nil, exitFail
	}
	for _, w := range rep.Freshness(cfg, time.Now()) {
		rep.Warnings = append(rep.Warnings, w)
	}
	strict := f.strict || cfg.Strict
	if strict {
		for _, w := range rep.Warnings {
			fmt.Fprintf(e.stderr, "versus: %v (an error with --strict)\n", w)
		}
	} else {
		printSampleWarnings(e, rep.Warnings)
	}
	if strict && len(rep.Warnings) > 0 && len(rep.Errors) == 0 {
		return rep, exitFail
	}
	if len(rep.Errors) > 0 {
		printErrors(e.stderr, rep.Errors)
		return rep, exitFail
	}
	return rep, exitOK
}

// verifySummary describes a verification in a few words:
// "10 samples verified (20 runs, 3 from cache)".
func verifySummary(rep *samples.Report) string {
	counts := fmt.Sprintf("%d %s, %d from cache", len(rep.Runs), plural(len(rep.Runs), "run", "runs"), rep.FromCache)
	if failed := rep.Samples - rep.Verified; failed > 0 {
		return fmt.Sprintf("%d of %d %s failed (%s)", failed, rep.Samples, plural(rep.Samples, "sample", "samples"), counts)
	}
	return fmt.Sprintf("%d %s verified (%s)", rep.Verified, plural(rep.Verified, "sample", "samples"), counts)
}

// progress shows a long verification advancing: a counter rewritten in
// place on a terminal, else one line per sample once the run has taken more
// than a moment. Fast runs (everything cached) print nothing.
type progress struct {
	w     io.Writer
	tty   bool
	start time.Time
	shown bool
}

// progressAfter is how long a verification runs before progress shows.
const progressAfter = time.Second

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) report(ev samples.Progress) {
	if time.Since(p.start) < progressAfter {
		return
	}
	status := "ok"
	switch {
	case ev.Failed:
		status = "FAILED"
	case ev.Ran == 0:
		status = "ok (cached)"
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[Kversus: verifying samples %d/%d: %s %s", ev.Done, ev.Total, ev.Sample, status)
		p.shown = true
		return
	}
	fmt.Fprintf(p.w, "versus: [%d/%d] %s %s\n", ev.Done, ev.Total, ev.Sample, status)
}

// finish clears the counter line, so errors and the summary start clean.
func (p *progress) finish() {
	if p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// printSampleWarnings prints a verification's warnings, at their file and
// line where they have one.
func printSampleWarnings(e *env, warnings []error) {
	for _, w := range warnings {
		var ge *generator.Error
		if errors.As(w, &ge) && ge.Pos.File != "" {
			printWarnings(e.stderr, generator.ErrorList{ge})
			continue
		}
		fmt.Fprintf(e.stderr, "versus: warning: %v\n", w)
	}
}
