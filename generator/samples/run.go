package samples

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// versionTimeout bounds a runtime's version command.
const versionTimeout = 10 * time.Second

// Runner runs samples and checks what they print. A sample's file runs with
// its subject's run argv in a temporary copy of the sample folder, with a
// timeout, a minimal environment (PATH, HOME, TMPDIR, LANG=C.UTF-8) and in
// its own process group, which is killed when the run ends, so nothing a
// sample starts outlives it.
type Runner struct {
	// Cache keeps passing runs; nil runs everything every time.
	Cache *Cache
	// Path is the PATH runs see and runtimes are looked up in; "" means
	// this process's PATH.
	Path string
	// Workers bounds concurrent runs; 0 means the number of CPUs.
	Workers int
	// Now gives the date recorded for a run; nil means time.Now.
	Now func() time.Time
	// TempDir is where the temporary copies go; "" means os.TempDir().
	TempDir string
	// Progress, when set, is called after each sample's runs have all
	// finished. Calls never overlap.
	Progress func(Progress)
	// Bwrap is the bubblewrap program that contains each run; "" looks
	// for it in the system folders, "-" runs samples uncontained (with a
	// warning).
	Bwrap string
	// LookupEnv reads the variables a sample's env: passes on; nil means
	// os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Update runs every sample without comparing its output with the
	// expected files, and caches nothing: Report.Update then writes them.
	Update bool
}

// Progress reports one finished sample.
type Progress struct {
	Sample string
	// Done samples of Total have finished, this one included.
	Done, Total int
	// Ran counts this sample's runs that were not taken from the cache.
	Ran    int
	Failed bool
}

// Run is the outcome of one subject's file of one sample.
type Run struct {
	Sample *Sample
	File   *File
	// Key is the cache key of the run (see Key).
	Key string
	// Output is set when the run passed.
	Output *generator.Output
	// Cached reports that the result came from the cache.
	Cached bool
	// Err is set when the run failed or could not start.
	Err *generator.Error
	// Stdout and Stderr are what a run that ended printed (normalised),
	// whether or not it passed, for Report.Update.
	Stdout, Stderr string
	Ran            bool
}

// Report is the outcome of verifying samples.
type Report struct {
	// Samples counts the sample folders; Verified those whose every run passed.
	Samples, Verified int
	Runs              []*Run
	// FromCache counts the runs taken from the cache.
	FromCache int
	// Errors holds every failure, sorted by file.
	Errors generator.ErrorList
	// Warnings are problems that did not fail a sample, such as a cache
	// entry that could not be written.
	Warnings []error

	outputs map[string]*generator.Output
}

// Err returns the failures as a generator.ErrorList, or nil.
func (r *Report) Err() error { return r.Errors.Err() }

// List returns the names of every sample folder under content/samples/: each
// folder that holds a file, sorted. Folders inside a sample folder belong to
// it and are not samples of their own.
func List(fsys fs.FS) ([]string, error) {
	if _, err := fs.Stat(fsys, Dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var names []string
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return generator.Errorf(generator.Pos{File: p}, "%v", unwrap(err))
		}
		if !d.IsDir() || p == Dir {
			return nil
		}
		if skipped(d.Name()) {
			return fs.SkipDir
		}
		entries, err := fs.ReadDir(fsys, p)
		if err != nil {
			return generator.Errorf(generator.Pos{File: p}, "%v", unwrap(err))
		}
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, strings.TrimPrefix(p, Dir+"/"))
				return fs.SkipDir
			}
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}

func skipped(name string) bool {
	return strings.HasPrefix(name, ".") || name == "__pycache__" || name == "node_modules"
}

// VerifyAll loads every sample folder of the site (not only those a page
// shows) and verifies them. Problems with the samples are in the report;
// the error is for a cancelled context or an unreadable samples folder.
func (r *Runner) VerifyAll(ctx context.Context, fsys fs.FS, cfg *generator.Config) (*Report, error) {
	names, err := List(fsys)
	if err != nil {
		return nil, err
	}
	var loaded []*Sample
	var loadErrs generator.ErrorList
	for _, name := range names {
		s, err := Load(fsys, cfg, name, generator.Pos{File: Dir + "/" + name})
		if err != nil {
			loadErrs.Append(generator.Pos{File: Dir + "/" + name}, err)
			continue
		}
		loaded = append(loaded, s)
	}
	// Progress counts every folder, as the summary does: one that cannot
	// be loaded has failed before it ran.
	failed := len(names) - len(loaded)
	vr := r
	if r.Progress != nil && failed > 0 {
		done := 0
		for _, name := range names {
			if !slices.ContainsFunc(loaded, func(s *Sample) bool { return s.Name == name }) {
				done++
				r.Progress(Progress{Sample: name, Done: done, Total: len(names), Failed: true})
			}
		}
		cp := *r
		cp.Progress = func(p Progress) {
			p.Done += failed
			p.Total += failed
			r.Progress(p)
		}
		vr = &cp
	}
	rep, err := vr.Verify(ctx, loaded)
	if err != nil {
		return nil, err
	}
	rep.Samples += len(names) - len(loaded)
	rep.Errors = append(rep.Errors, loadErrs...)
	rep.Errors.Sort()
	return rep, nil
}

// runtimeInfo is a subject's runtime version, found once per Verify.
type runtimeInfo struct {
	once    sync.Once
	raw     string // as the version command printed it
	display string // "Node.js v20.20.2"
	err     *generator.Error
	// warn says why the version is unknown, if it is.
	warn *generator.Error
}

// Verify runs every subject's file of the given samples, concurrently, and
// compares the results with what the samples expect.
func (r *Runner) Verify(ctx context.Context, list []*Sample) (*Report, error) {
	rep := &Report{Samples: len(list), outputs: map[string]*generator.Output{}}
	var iso *isolation
	if len(list) > 0 {
		iso = probe(r.Bwrap)
		if iso.warning != "" {
			rep.Warnings = append(rep.Warnings, errors.New(iso.warning))
		}
	}
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	runtimes := map[string]*runtimeInfo{}
	var jobs []*Run
	left := map[*Sample]int{}
	for _, s := range list {
		for _, f := range s.Files {
			if runtimes[f.Subject.ID] == nil {
				runtimes[f.Subject.ID] = &runtimeInfo{}
			}
			jobs = append(jobs, &Run{Sample: s, File: f, Key: Key(s, f)})
			left[s]++
		}
	}
	var (
		mu      sync.Mutex
		done    int
		failed  = map[*Sample]bool{}
		ran     = map[*Sample]int{}
		next    = make(chan *Run)
		wg      sync.WaitGroup
		warnMu  sync.Mutex
		collect = func(run *Run) {
			mu.Lock()
			defer mu.Unlock()
			s := run.Sample
			if run.Err != nil {
				failed[s] = true
			}
			if !run.Cached {
				ran[s]++
			}
			left[s]--
			if left[s] > 0 {
				return
			}
			done++
			if !failed[s] {
				rep.Verified++
			}
			if r.Progress != nil {
				r.Progress(Progress{Sample: s.Name, Done: done, Total: len(list), Ran: ran[s], Failed: failed[s]})
			}
		}
	)
	for range min(workers, max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for run := range next {
				info := runtimes[run.File.Subject.ID]
				info.once.Do(func() {
					info.raw, info.display, info.err = r.version(ctx, iso, run.File.Subject)
					if info.err != nil && errors.Is(info.err, errNoVersion) {
						// A runtime that cannot say its version still runs
						// the samples: the output is labelled without one.
						info.warn, info.err = info.err, nil
						info.raw, info.display = "version unknown", run.File.Subject.Name+" (version unknown)"
						warnMu.Lock()
						rep.Warnings = append(rep.Warnings, info.warn)
						warnMu.Unlock()
					}
				})
				if warn := r.do(ctx, iso, run, info); warn != nil {
					warnMu.Lock()
					rep.Warnings = append(rep.Warnings, warn)
					warnMu.Unlock()
				}
				collect(run)
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, run := range jobs {
		rep.Runs = append(rep.Runs, run)
		if run.Cached {
			rep.FromCache++
		}
		if run.Err != nil {
			rep.Errors = append(rep.Errors, run.Err)
		} else if run.Output != nil {
			rep.outputs[run.Key] = run.Output
		}
	}
	// Every sample of a subject whose runtime is missing fails the same
	// way; Sort keeps that error once.
	rep.Errors.Sort()
	if !r.Update {
		rep.Warnings = append(rep.Warnings, unchecked(list, rep)...)
	}
	return rep, nil
}

// unchecked warns once per sample of the subjects whose runs passed with
// nothing to compare them with: they ran, but nothing was verified.
func unchecked(list []*Sample, rep *Report) []error {
	passed := map[*File]*Run{}
	for _, run := range rep.Runs {
		if run.Err == nil && run.Output != nil {
			passed[run.File] = run
		}
	}
	var out []error
	for _, s := range list {
		var names []string
		for _, f := range s.Files {
			if passed[f] != nil && !s.Checked(f.Subject.ID) {
				names = append(names, f.Subject.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		out = append(out, generator.Errorf(generator.Pos{File: Dir + "/" + s.Name}, "sample %q ran (%s, exit 0) but nothing checks what it prints: add expected.txt, or let versus check --samples --update write it", s.Name, strings.Join(names, ", ")))
	}
	return out
}

// do fills in one run: from the cache when the sample, argv and runtime
// version are unchanged and the result is not older than samples.maxAge, else by running it. It returns a warning when a
// passing result could not be cached.
func (r *Runner) do(ctx context.Context, iso *isolation, run *Run, info *runtimeInfo) error {
	if info.err != nil {
		run.Err = info.err
		return nil
	}
	// A result older than samples.maxAge is not reused: running it again
	// is what renews it.
	if e := r.Cache.Get(run.Key); e != nil && e.Version == info.raw && !r.Update && !Expired(e.Date, r.now(), run.Sample.MaxAge) {
		run.Output = e.output()
		run.Sample.decorate(run.File.Subject.ID, run.Output)
		run.Cached = true
		return nil
	}
	out, err := r.execute(ctx, iso, run)
	if err != nil {
		run.Err = err
		return nil
	}
	out.Verified = true
	out.Runtime = info.display
	out.Date = today(r.now())
	run.Sample.decorate(run.File.Subject.ID, out)
	run.Output = out
	if r.Update {
		return nil
	}
	e := &Entry{Sample: run.Sample.Name, Subject: run.File.Subject.ID, File: run.File.Name, Version: info.raw, Runtime: out.Runtime, Date: out.Date, Text: out.Text, Served: out.Served, Stderr: out.Stderr, Exit: out.Exit}
	return r.Cache.Put(run.Key, e)
}

func (e *Entry) output() *generator.Output {
	return &generator.Output{Text: e.Text, Verified: true, Runtime: e.Runtime, Date: e.Date, Served: e.Served, Stderr: e.Stderr, Exit: e.Exit}
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) path() string {
	if r.Path != "" {
		return r.Path
	}
	return os.Getenv("PATH")
}

// lookPath finds a program the way a shell would, in the runner's PATH
// rather than this process's. A name with a slash is used as it is.
func (r *Runner) lookPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		if isExecutable(name) {
			return name, nil
		}
		return "", fmt.Errorf("%s is not an executable file", name)
	}
	for _, dir := range filepath.SplitList(r.path()) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s is not installed (not found on PATH)", name)
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// versionPattern finds the version number in what a version command prints:
// "v20.20.2", "Python 3.11.7", "deno 2.1.4 (stable, …)", "go1.24.1".
var versionPattern = regexp.MustCompile(`v?\d+(?:\.\d+)+[0-9A-Za-z.+-]*`)

// version runs the subject's version command once and names the runtime
// the way the page shows it: the subject's name and the version number.
func (r *Runner) version(ctx context.Context, iso *isolation, subj *generator.Subject) (raw, display string, _ *generator.Error) {
	argv := subj.VersionCommand
	if len(argv) == 0 {
		if len(subj.Run) == 0 {
			return "", "", generator.Errorf(subj.Pos, "subject %q has no run command, so its samples cannot be verified: add run: [PROGRAM, \"{file}\"] to it in site.yaml", subj.ID)
		}
		argv = defaultVersionCommand(subj.Run[0])
		if argv == nil {
			return "", "", generator.Errorf(subj.Pos, "%s cannot print its version, so the %s samples' output is shown as from an unknown version: set subjects.%s.versionCommand in site.yaml%w", subj.Run[0], subj.Name, subj.ID, errNoVersion)
		}
	}
	exe, err := r.lookPath(argv[0])
	if err != nil {
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: %v; install it, or change subjects.%s.run (or versionCommand) in site.yaml", subj.Name, err, subj.ID)
	}
	tmp, err := os.MkdirTemp(r.TempDir, "versus-version-*")
	if err != nil {
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: %v", subj.Name, err)
	}
	defer os.RemoveAll(tmp)
	box := filepath.Join(tmp, "box")
	if err := os.Mkdir(box, 0o755); err != nil {
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: %v", subj.Name, err)
	}
	res, err := r.start(ctx, iso, &spec{exe: exe, argv: argv, dir: box, box: box, out: tmp, env: r.env(box, nil, nil), bounds: DefaultBounds})
	if err != nil {
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: running %s: %v", subj.Name, strings.Join(argv, " "), err)
	}
	res.wait(ctx, time.Now().Add(versionTimeout))
	if res.err != nil {
		if len(subj.VersionCommand) == 0 && ctx.Err() == nil {
			return "", "", generator.Errorf(subj.Pos, "%s %s, so the %s samples' output is shown as from an unknown version: set subjects.%s.versionCommand in site.yaml to a command that prints it%w", strings.Join(argv, " "), res.describe(versionTimeout), subj.Name, subj.ID, errNoVersion)
		}
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: %s %s%s", subj.Name, strings.Join(argv, " "), res.describe(versionTimeout), tail("output", res.stdout()+res.stderr()))
	}
	// Older Pythons print their version on stderr.
	text := strings.TrimSpace(res.stdout())
	if text == "" {
		text = strings.TrimSpace(res.stderr())
	}
	raw, _, _ = strings.Cut(text, "\n")
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", generator.Errorf(subj.Pos, "cannot verify the %s samples: %s printed nothing", subj.Name, strings.Join(argv, " "))
	}
	num := versionPattern.FindString(raw)
	if num == "" {
		num = raw
	}
	return raw, subj.Name + " " + num, nil
}

// process is a started command whose output goes to files, so that waiting
// for it never depends on what its children do with the pipes.
type process struct {
	cmd            *exec.Cmd
	dir            string
	done           chan struct{}
	err            error // from Wait, or errTimeout
	timedOut       bool
	outPath, ePath string
	// limit bounds each of stdout and stderr; truncated names the stream
	// that went over it.
	limit     int64
	truncated string
	bounds    generator.SampleBounds
	// child is the run's first process inside its namespaces (bubblewrap's
	// init), 0 when the run is not contained or it is not known yet.
	child     int
	childSeen chan struct{}
}

var errTimeout = errors.New("timed out")

// start runs sp as iso contains it, in its own process group. Its stdout and
// stderr go to files in sp.out.
func (r *Runner) start(ctx context.Context, iso *isolation, sp *spec) (*process, error) {
	for _, d := range []string{filepath.Join(sp.box, "home"), filepath.Join(sp.box, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if iso.bwrap != "" && iso.root {
		sp.uid = iso.nextUID()
		if err := chownAll(sp.box, sp.uid); err != nil {
			return nil, err
		}
	}
	if iso.bwrap != "" {
		sp.readOnly = visible(r.path(), sp.exe, sp.readOnly)
	}
	p := &process{dir: sp.dir, done: make(chan struct{}), childSeen: make(chan struct{}),
		outPath: filepath.Join(sp.out, "stdout"), ePath: filepath.Join(sp.out, "stderr"), limit: sp.bounds.Output, bounds: sp.bounds}
	stdout, err := os.Create(p.outPath)
	if err != nil {
		return nil, err
	}
	defer stdout.Close()
	stderr, err := os.Create(p.ePath)
	if err != nil {
		return nil, err
	}
	defer stderr.Close()
	argv := iso.command(sp)
	exe := sp.exe
	if len(argv) != len(sp.argv) {
		exe = argv[0]
	} else {
		argv = append([]string{}, sp.argv...)
	}
	cmd := exec.Command(exe, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Dir = sp.dir
	cmd.Env = sp.env
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if sp.stdin != "" {
		in, err := os.Open(sp.stdin)
		if err != nil {
			return nil, err
		}
		defer in.Close()
		cmd.Stdin = in
	}
	var info *os.File
	if iso.bwrap != "" {
		rd, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		defer w.Close()
		info = rd
		cmd.ExtraFiles = []*os.File{w}
	} else {
		close(p.childSeen)
	}
	if err := ownGroup(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		if info != nil {
			info.Close()
		}
		return nil, err
	}
	p.cmd = cmd
	if info != nil {
		go func() {
			defer info.Close()
			defer close(p.childSeen)
			var msg struct {
				Child int `json:"child-pid"`
			}
			if json.NewDecoder(info).Decode(&msg) == nil {
				p.child = msg.Child
			}
		}()
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// kill ends the run and everything it started: its namespace's init (which
// takes every process of the namespace with it) and its process group.
func (p *process) kill() {
	select {
	case <-p.childSeen:
	case <-p.done:
	}
	if p.child > 0 {
		_ = syscall.Kill(p.child, syscall.SIGKILL)
	}
	_ = killGroup(p.cmd.Process.Pid)
}

// wait waits for the process to exit, killing it with everything it started
// at the deadline, when ctx ends or when its output goes over its limit, and
// in any case once it has exited, so that no child survives the run.
func (p *process) wait(ctx context.Context, deadline time.Time) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
loop:
	for {
		select {
		case <-p.done:
			break loop
		case <-tick.C:
			if p.over() {
				p.kill()
				<-p.done
				break loop
			}
		case <-timer.C:
			p.timedOut = true
			p.kill()
			<-p.done
			p.err = errTimeout
			break loop
		case <-ctx.Done():
			p.kill()
			<-p.done
			p.err = ctx.Err()
			break loop
		}
	}
	p.over()
	p.finish()
}

// finish kills whatever of the run is left and waits until its namespace
// is empty.
func (p *process) finish() {
	p.kill()
	if p.child > 0 {
		gone(p.child, 2*time.Second)
	}
}

// over reports whether stdout or stderr has gone over the limit, and
// remembers which.
func (p *process) over() bool {
	if p.truncated != "" {
		return true
	}
	for _, f := range []struct{ name, path string }{{"stdout", p.outPath}, {"stderr", p.ePath}} {
		if fi, err := os.Stat(f.path); err == nil && fi.Size() > p.limit {
			p.truncated = f.name
			return true
		}
	}
	return false
}

// stop kills a process that is still meant to be running (a server) and
// waits for it.
func (p *process) stop() {
	p.kill()
	<-p.done
	p.finish()
}

func (p *process) stdout() string { return readSmall(p.outPath, p.limit) }
func (p *process) stderr() string { return readSmall(p.ePath, p.limit) }

func readSmall(name string, limit int64) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, limit))
	return string(data)
}

// describe says how a failed process ended.
func (p *process) describe(timeout time.Duration) string {
	var exit *exec.ExitError
	switch {
	case p.truncated != "":
		return fmt.Sprintf("printed more than %s on %s: output truncated after %s; print less, or raise limits.output in sample.yaml (samples.output in site.yaml)", sitefs.FormatSize(p.limit), p.truncated, sitefs.FormatSize(p.limit))
	case p.timedOut:
		return fmt.Sprintf("did not finish within %s; it was killed with everything it started", timeout)
	case errors.As(p.err, &exit):
		// A signal shows as itself, or as 128+signal when a shell or
		// bubblewrap passed it on.
		sig := syscall.Signal(0)
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig = ws.Signal()
		} else if c := exit.ExitCode(); c > 128 && c < 128+65 {
			sig = syscall.Signal(c - 128)
		}
		switch sig {
		case syscall.SIGXCPU:
			return fmt.Sprintf("used more than %s of CPU time and was killed; raise limits.cpu in sample.yaml (samples.cpu in site.yaml) if it needs more", p.bounds.CPU)
		case syscall.SIGXFSZ:
			return fmt.Sprintf("wrote a file larger than %s and was killed; raise limits.fileSize in sample.yaml (samples.fileSize in site.yaml) if it needs more", sitefs.FormatSize(p.bounds.FileSize))
		}
		if exit.ExitCode() >= 0 {
			return fmt.Sprintf("exited with status %d", exit.ExitCode()) + p.hint()
		}
		return "was killed (" + exit.String() + ")" + p.hint()
	case p.err != nil:
		return p.err.Error()
	}
	return "ran"
}

// hint names the bound a failed run probably reached, from what its
// runtime printed on stderr.
func (p *process) hint() string {
	text := p.stderr()
	switch {
	case strings.Contains(text, "MemoryError") || strings.Contains(text, "out of memory") || strings.Contains(text, "Cannot allocate memory") || strings.Contains(text, "Failed to reserve"):
		return fmt.Sprintf(" (it reached the memory limit of %s; raise limits.memory in sample.yaml if it needs more)", sitefs.FormatSize(p.bounds.Memory))
	case strings.Contains(text, "Resource temporarily unavailable") || strings.Contains(text, "Cannot fork") || strings.Contains(text, "fork: retry"):
		return fmt.Sprintf(" (it reached the limit of %d processes; raise limits.processes in sample.yaml if it needs more)", p.bounds.Processes)
	case strings.Contains(text, "File too large"):
		return fmt.Sprintf(" (it reached the file size limit of %s; raise limits.fileSize in sample.yaml if it needs more)", sitefs.FormatSize(p.bounds.FileSize))
	case strings.Contains(text, "Too many open files"):
		return fmt.Sprintf(" (it reached the limit of %d open files; raise limits.openFiles in sample.yaml if it needs more)", p.bounds.OpenFiles)
	}
	return ""
}

// tail formats the last lines of a stream for an error message.
func tail(label, text string) string {
	text = Normalize(text)
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	const keep = 20
	if len(lines) > keep {
		lines = append([]string{fmt.Sprintf("… (%d lines before)", len(lines)-keep)}, lines[len(lines)-keep:]...)
	}
	return "\n" + label + ":\n  " + strings.Join(lines, "\n  ")
}

// job is one run's prepared folder and command line.
type job struct {
	scratch, box, work string
	argv               []string
	command            string // as shown to the writer, with file names relative
	exe                string
	// stable replaces the run's working directory in what it printed
	// with CwdPlaceholder.
	stable func(string) string
}

// CwdPlaceholder stands for a run's working directory, the temporary copy
// of the sample folder: in run argv and args it is replaced with that
// folder, and in what a run prints that folder is replaced with it, so
// output that names its working directory is the same on every run.
const CwdPlaceholder = "{cwd}"

func (j *job) cleanup() { os.RemoveAll(j.scratch) }

// prepare copies a sample's folder into a fresh temporary folder (its box,
// the only place a run may write) and works out the subject's command
// line for it.
func (r *Runner) prepare(s *Sample, f *File) (*job, error) {
	if len(f.Subject.Run) == 0 {
		return nil, errors.New("the subject has no run command in site.yaml")
	}
	scratch, err := os.MkdirTemp(r.TempDir, "versus-sample-*")
	if err != nil {
		return nil, err
	}
	j := &job{scratch: scratch, box: filepath.Join(scratch, "box")}
	j.work = filepath.Join(j.box, "sample")
	if err := os.MkdirAll(j.work, 0o755); err != nil {
		j.cleanup()
		return nil, err
	}
	for name, data := range s.All {
		mode := os.FileMode(0o644)
		if s.Exec[name] {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(j.work, name), data, mode); err != nil {
			j.cleanup()
			return nil, fmt.Errorf("copying the sample: %v", err)
		}
	}
	// The run's argv has the real paths; the command shown to the writer
	// has them as the sample folder knows them.
	real := strings.NewReplacer("{file}", filepath.Join(j.work, f.Name), "{dir}", j.work, "{cwd}", j.work)
	rel := strings.NewReplacer("{file}", f.Name, "{dir}", ".", "{cwd}", "{cwd}")
	var shown []string
	for _, a := range append(slices.Clip(f.Subject.Run), s.Args...) {
		j.argv = append(j.argv, real.Replace(a))
		shown = append(shown, rel.Replace(a))
	}
	j.command = strings.Join(shown, " ")
	// What a run prints of its working directory is shown as {cwd}: the
	// temporary folder's name changes from run to run, the text must not.
	olds := []string{j.work}
	if resolved, err := filepath.EvalSymlinks(j.work); err == nil && resolved != j.work {
		olds = append(olds, resolved)
	}
	sort.Slice(olds, func(a, b int) bool { return len(olds[a]) > len(olds[b]) })
	var pairs []string
	for _, o := range olds {
		pairs = append(pairs, o, CwdPlaceholder)
	}
	j.stable = strings.NewReplacer(pairs...).Replace
	if j.exe, err = r.lookPath(j.argv[0]); err != nil {
		j.cleanup()
		return nil, fmt.Errorf("cannot run %s: %v", j.command, err)
	}
	return j, nil
}

// execute runs one subject's file of a sample in a temporary copy of its
// folder and checks the result.
func (r *Runner) execute(ctx context.Context, iso *isolation, run *Run) (*generator.Output, *generator.Error) {
	s, f := run.Sample, run.File
	pos := generator.Pos{File: Dir + "/" + s.Name + "/" + f.Name}
	fail := func(format string, args ...any) (*generator.Output, *generator.Error) {
		return nil, generator.Errorf(pos, "sample %q, %s: %s", s.Name, f.Subject.Name, fmt.Sprintf(format, args...))
	}
	j, err := r.prepare(s, f)
	if err != nil {
		return fail("%v", err)
	}
	defer j.cleanup()
	scratch, box, work, argv, command, exe := j.scratch, j.box, j.work, j.argv, j.command, j.exe
	var extra []string
	var port int
	if s.Serve != nil {
		if port, err = freePort(); err != nil {
			return fail("finding a free port: %v", err)
		}
		extra = append(extra, s.Serve.Env+"="+strconv.Itoa(port))
	}
	stdin := ""
	if s.Stdin != nil {
		stdin = filepath.Join(scratch, "stdin")
		if err := os.WriteFile(stdin, s.Stdin, 0o644); err != nil {
			return fail("%v", err)
		}
	}
	deadline := time.Now().Add(s.Timeout)
	sp := &spec{exe: exe, argv: argv, dir: work, box: box, out: scratch, env: r.env(box, s, extra),
		bounds: s.Bounds, network: s.Network, readOnly: s.ReadOnly, stdin: stdin}
	if s.Serve != nil && iso.bwrap != "" && !iso.root {
		// Only root can enter the run's network namespace to request
		// the page; an ordinary user's serve samples share the network.
		sp.network = true
	}
	p, err := r.start(ctx, iso, sp)
	if err != nil {
		return fail("cannot run %s: %v", command, err)
	}
	if s.Serve != nil {
		return r.serve(ctx, s, p, port, deadline, command, sp.network, j.stable, fail)
	}
	p.wait(ctx, deadline)
	if ctx.Err() != nil {
		return fail("cancelled")
	}
	stdout, stderr := Normalize(j.stable(s.shown(p.stdout()))), Normalize(j.stable(p.stderr()))
	code, exited := p.exitCode()
	if p.truncated != "" || !exited || (code != s.Exit && !r.Update) {
		expect := ""
		if s.ExitSet && exited {
			expect = fmt.Sprintf("; sample.yaml expects exit: %d", s.Exit)
		}
		return fail("%s %s%s%s%s", command, p.describe(s.Timeout), expect, tail("stdout", stdout), tail("stderr", stderr))
	}
	run.Stdout, run.Stderr, run.Ran = stdout, stderr, true
	if r.Update {
		if code != s.Exit {
			return fail("%s %s; sample.yaml expects exit: %d (--update writes output files, not exit:)%s", command, p.describe(s.Timeout), s.Exit, tail("stderr", stderr))
		}
		return &generator.Output{Text: stdout, Stderr: stderr, Exit: code}, nil
	}
	if want, ok := s.Expected[f.Subject.ID]; ok {
		want = Normalize(want)
		if want != stdout {
			name := s.expectedFile(f.Subject.ID, "")
			d := Diff(path.Join(Dir, s.Name, name), "stdout of "+command, want, stdout)
			return fail("the output differs from %s:\n%s%s", name, strings.TrimRight(d, "\n"), tail("stderr", stderr))
		}
	}
	out := &generator.Output{Text: stdout, Exit: code}
	if want, ok := s.ExpectedErr[f.Subject.ID]; ok {
		want = Normalize(want)
		if want != stderr {
			name := s.expectedFile(f.Subject.ID, ".stderr")
			d := Diff(path.Join(Dir, s.Name, name), "stderr of "+command, want, stderr)
			return fail("the error output differs from %s:\n%s", name, strings.TrimRight(d, "\n"))
		}
		out.Stderr = stderr
	}
	return out, nil
}

// expectedFile names the file that holds a subject's expected output
// (stream "") or error output (".stderr").
func (s *Sample) expectedFile(id, stream string) string {
	if _, ok := s.All["expected."+id+stream+".txt"]; ok {
		return "expected." + id + stream + ".txt"
	}
	return "expected" + stream + ".txt"
}

// exitCode is the run's exit status, and false when it did not exit by
// itself (killed, timed out, truncated).
func (p *process) exitCode() (int, bool) {
	if p.timedOut || p.truncated != "" {
		return 0, false
	}
	if p.err == nil {
		return 0, true
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) && exit.ExitCode() >= 0 {
		if c := exit.ExitCode(); c > 128 && c < 128+65 {
			return 0, false // a signal passed on by bubblewrap or a shell
		}
		return exit.ExitCode(), true
	}
	return 0, false
}

// env is the whole environment of a run: PATH, a fresh HOME and TMPDIR in
// box, LANG, TZ=UTC, the variables the sample's env: names (when versus has
// them) and extra (the serve port). Nothing else of versus's environment,
// so no token or key, reaches a sample unasked.
func (r *Runner) env(box string, s *Sample, extra []string) []string {
	env := []string{"PATH=" + r.path(), "HOME=" + filepath.Join(box, "home"), "TMPDIR=" + filepath.Join(box, "tmp"), "LANG=C.UTF-8", "TZ=UTC"}
	lookup := r.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if s != nil {
		for _, name := range s.Env {
			if v, ok := lookup(name); ok {
				env = append(env, name+"="+v)
			}
		}
	}
	return append(env, extra...)
}

// freePort asks the system for a free port on 127.0.0.1. Another process
// could take it before the sample listens; then the sample fails to bind
// and says so.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}

// serve waits for a server sample to listen, requests its path and checks
// the body, then kills the server and everything it started.
func (r *Runner) serve(ctx context.Context, s *Sample, p *process, port int, deadline time.Time, command string, shared bool, stable func(string) string,
	fail func(string, ...any) (*generator.Output, *generator.Error)) (*generator.Output, *generator.Error) {
	defer p.stop()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ticker := time.NewTicker(25 * time.Millisecond)
	defer ticker.Stop()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	<-p.childSeen
	dial := func(ctx context.Context, network, address string) (net.Conn, error) {
		if p.child > 0 && !shared {
			return dialIn(p.child, address, 250*time.Millisecond)
		}
		d := net.Dialer{Timeout: 250 * time.Millisecond}
		return d.DialContext(ctx, network, address)
	}
	for {
		conn, err := dial(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			break
		}
		select {
		case <-p.done:
			return fail("%s %s before it listened on %s (the port is in $%s)%s%s", command, p.describe(s.Timeout), addr, s.Serve.Env, tail("stdout", p.stdout()), tail("stderr", p.stderr()))
		case <-timer.C:
			return fail("%s did not listen on %s within %s (the port is in $%s); it was killed with everything it started%s%s", command, addr, s.Timeout, s.Serve.Env, tail("stdout", p.stdout()), tail("stderr", p.stderr()))
		case <-ctx.Done():
			return fail("cancelled")
		case <-ticker.C:
		}
	}
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	url := "http://" + addr + s.Serve.Path
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return fail("%v", err)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true, DialContext: dial}}
	resp, err := client.Do(req)
	if err != nil {
		return fail("GET %s failed: %v%s", s.Serve.Path, err, tail("stderr", p.stderr()))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.Bounds.Output))
	resp.Body.Close()
	if err != nil {
		return fail("reading the response to GET %s: %v", s.Serve.Path, err)
	}
	text := Normalize(stable(string(body)))
	if !strings.Contains(text, s.Serve.Expect) {
		return fail("the response to GET %s (%s) does not contain %q; it was:%s%s", s.Serve.Path, resp.Status, s.Serve.Expect, tail("body", text), tail("stderr", p.stderr()))
	}
	return &generator.Output{Text: text, Served: s.Serve.Path}, nil
}
