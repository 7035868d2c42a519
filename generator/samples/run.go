package samples

import (
	"context"
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
	"time"

	"versus/generator"
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
					info.raw, info.display, info.err = r.version(ctx, run.File.Subject)
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
				if warn := r.do(ctx, run, info); warn != nil {
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
	return rep, nil
}

// do fills in one run: from the cache when the sample, argv and runtime
// version are unchanged, else by running it. It returns a warning when a
// passing result could not be cached.
func (r *Runner) do(ctx context.Context, run *Run, info *runtimeInfo) error {
	if info.err != nil {
		run.Err = info.err
		return nil
	}
	if e := r.Cache.Get(run.Key); e != nil && e.Version == info.raw {
		run.Output = e.output()
		run.Cached = true
		return nil
	}
	out, err := r.execute(ctx, run.Sample, run.File)
	if err != nil {
		run.Err = err
		return nil
	}
	out.Verified = true
	out.Runtime = info.display
	out.Date = today(r.now())
	run.Output = out
	e := &Entry{Sample: run.Sample.Name, Subject: run.File.Subject.ID, File: run.File.Name, Version: info.raw, Runtime: out.Runtime, Date: out.Date, Text: out.Text, Served: out.Served}
	return r.Cache.Put(run.Key, e)
}

func (e *Entry) output() *generator.Output {
	return &generator.Output{Text: e.Text, Verified: true, Runtime: e.Runtime, Date: e.Date, Served: e.Served}
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
func (r *Runner) version(ctx context.Context, subj *generator.Subject) (raw, display string, _ *generator.Error) {
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
	res, err := r.start(ctx, exe, argv, tmp, tmp, nil)
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
}

var errTimeout = errors.New("timed out")

// start runs argv (argv[0] resolved to exe) in dir, with the minimal
// environment plus extra, in its own process group. Its stdout and stderr
// go to files in scratch.
func (r *Runner) start(ctx context.Context, exe string, argv []string, dir, scratch string, extra []string) (*process, error) {
	home := filepath.Join(scratch, "home")
	tmp := filepath.Join(scratch, "tmp")
	for _, d := range []string{home, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	p := &process{dir: dir, done: make(chan struct{}), outPath: filepath.Join(scratch, "stdout"), ePath: filepath.Join(scratch, "stderr")}
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
	cmd := exec.Command(exe, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + r.path(), "HOME=" + home, "TMPDIR=" + tmp, "LANG=C.UTF-8"}, extra...)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := ownGroup(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.cmd = cmd
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// wait waits for the process to exit, killing its whole group at the
// deadline or when ctx ends, and in any case once it has exited, so that
// no child survives the run.
func (p *process) wait(ctx context.Context, deadline time.Time) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		p.timedOut = true
		_ = killGroup(p.cmd.Process.Pid)
		<-p.done
		p.err = errTimeout
	case <-ctx.Done():
		_ = killGroup(p.cmd.Process.Pid)
		<-p.done
		p.err = ctx.Err()
	}
	_ = killGroup(p.cmd.Process.Pid)
}

// stop kills a process that is still meant to be running (a server) and
// waits for it.
func (p *process) stop() {
	_ = killGroup(p.cmd.Process.Pid)
	<-p.done
}

func (p *process) stdout() string { return readSmall(p.outPath) }
func (p *process) stderr() string { return readSmall(p.ePath) }

// maxOutput bounds how much of a run's output is read back.
const maxOutput = 1 << 20

func readSmall(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, maxOutput))
	return string(data)
}

// describe says how a failed process ended.
func (p *process) describe(timeout time.Duration) string {
	var exit *exec.ExitError
	switch {
	case p.timedOut:
		return fmt.Sprintf("did not finish within %s; it was killed with everything it started", timeout)
	case errors.As(p.err, &exit):
		if exit.ExitCode() >= 0 {
			return fmt.Sprintf("exited with status %d", exit.ExitCode())
		}
		return "was killed (" + exit.String() + ")"
	case p.err != nil:
		return p.err.Error()
	}
	return "ran"
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
	scratch, work string
	argv          []string
	command       string // as shown to the writer, with file names relative
	exe           string
}

func (j *job) cleanup() { os.RemoveAll(j.scratch) }

// prepare copies a sample's folder into a fresh temporary folder and works
// out the subject's command line for it.
func (r *Runner) prepare(s *Sample, f *File) (*job, error) {
	if len(f.Subject.Run) == 0 {
		return nil, errors.New("the subject has no run command in site.yaml")
	}
	scratch, err := os.MkdirTemp(r.TempDir, "versus-sample-*")
	if err != nil {
		return nil, err
	}
	j := &job{scratch: scratch, work: filepath.Join(scratch, "sample")}
	if err := os.Mkdir(j.work, 0o755); err != nil {
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
	j.argv = make([]string, len(f.Subject.Run))
	shown := make([]string, len(f.Subject.Run))
	for i, a := range f.Subject.Run {
		j.argv[i] = strings.NewReplacer("{file}", filepath.Join(j.work, f.Name), "{dir}", j.work).Replace(a)
		shown[i] = strings.NewReplacer("{file}", f.Name, "{dir}", ".").Replace(a)
	}
	j.command = strings.Join(shown, " ")
	if j.exe, err = r.lookPath(j.argv[0]); err != nil {
		j.cleanup()
		return nil, fmt.Errorf("cannot run %s: %v", j.command, err)
	}
	return j, nil
}

// execute runs one subject's file of a sample in a temporary copy of its
// folder and checks the result.
func (r *Runner) execute(ctx context.Context, s *Sample, f *File) (*generator.Output, *generator.Error) {
	pos := generator.Pos{File: Dir + "/" + s.Name + "/" + f.Name}
	fail := func(format string, args ...any) (*generator.Output, *generator.Error) {
		return nil, generator.Errorf(pos, "sample %q, %s: %s", s.Name, f.Subject.Name, fmt.Sprintf(format, args...))
	}
	job, err := r.prepare(s, f)
	if err != nil {
		return fail("%v", err)
	}
	defer job.cleanup()
	scratch, work, argv, command, exe := job.scratch, job.work, job.argv, job.command, job.exe
	var extra []string
	var port int
	if s.Serve != nil {
		if port, err = freePort(); err != nil {
			return fail("finding a free port: %v", err)
		}
		extra = append(extra, s.Serve.Env+"="+strconv.Itoa(port))
	}
	deadline := time.Now().Add(s.Timeout)
	p, err := r.start(ctx, exe, argv, work, scratch, extra)
	if err != nil {
		return fail("cannot run %s: %v", command, err)
	}
	if s.Serve != nil {
		return r.serve(ctx, s, p, port, deadline, command, fail)
	}
	p.wait(ctx, deadline)
	if ctx.Err() != nil {
		return fail("cancelled")
	}
	stdout := Normalize(s.shown(p.stdout()))
	if p.err != nil {
		return fail("%s %s%s%s", command, p.describe(s.Timeout), tail("stdout", stdout), tail("stderr", p.stderr()))
	}
	want, ok := s.Expected[f.Subject.ID]
	if ok {
		want = Normalize(want)
		if want != stdout {
			name := s.expectedFile(f.Subject.ID)
			d := Diff(path.Join(Dir, s.Name, name), "stdout of "+command, want, stdout)
			return fail("the output differs from %s:\n%s%s", name, strings.TrimRight(d, "\n"), tail("stderr", p.stderr()))
		}
	}
	return &generator.Output{Text: stdout}, nil
}

// expectedFile names the file that holds a subject's expected output.
func (s *Sample) expectedFile(id string) string {
	if _, ok := s.All["expected."+id+".txt"]; ok {
		return "expected." + id + ".txt"
	}
	return "expected.txt"
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

// listening waits until the process accepts connections on addr, and
// fails when it exits first, the deadline passes or ctx ends.
func (p *process) listening(ctx context.Context, addr string, deadline time.Time, timeout time.Duration, env, command string) error {
	ticker := time.NewTicker(25 * time.Millisecond)
	defer ticker.Stop()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		d := net.Dialer{Timeout: 250 * time.Millisecond}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s %s before it listened on %s (the port is in $%s)%s%s", command, p.describe(timeout), addr, env, tail("stdout", p.stdout()), tail("stderr", p.stderr()))
		case <-timer.C:
			return fmt.Errorf("%s did not listen on %s within %s (the port is in $%s); it was killed with everything it started%s%s", command, addr, timeout, env, tail("stdout", p.stdout()), tail("stderr", p.stderr()))
		case <-ctx.Done():
			return errors.New("cancelled")
		case <-ticker.C:
		}
	}
}

// serve waits for a server sample to listen, requests its path and checks
// the body, then kills the server and everything it started.
func (r *Runner) serve(ctx context.Context, s *Sample, p *process, port int, deadline time.Time, command string,
	fail func(string, ...any) (*generator.Output, *generator.Error)) (*generator.Output, *generator.Error) {
	defer p.stop()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := p.listening(ctx, addr, deadline, s.Timeout, s.Serve.Env, command); err != nil {
		return fail("%v", err)
	}
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	url := "http://" + addr + s.Serve.Path
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return fail("%v", err)
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fail("GET %s failed: %v%s", s.Serve.Path, err, tail("stderr", p.stderr()))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxOutput))
	resp.Body.Close()
	if err != nil {
		return fail("reading the response to GET %s: %v", s.Serve.Path, err)
	}
	text := Normalize(string(body))
	if !strings.Contains(text, s.Serve.Expect) {
		return fail("the response to GET %s (%s) does not contain %q; it was:%s%s", s.Serve.Path, resp.Status, s.Serve.Expect, tail("body", text), tail("stderr", p.stderr()))
	}
	return &generator.Output{Text: text, Served: s.Serve.Path}, nil
}
