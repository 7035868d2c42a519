package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/output"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/samples"
	"github.com/versus-ssg/versus/generator/serve"
	"github.com/versus-ssg/versus/generator/watch"
)

// watchFlags are watch's flags.
type watchFlags struct {
	siteFlags
	bind  string
	port  int
	hosts hostList
}

// hostList is --allow-host, which may be given more than once.
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

// Set refuses what the server could never match (a URL, a port, a
// wildcard), so that a typo is a usage error instead of a silent 403.
func (h *hostList) Set(v string) error {
	if err := serve.CheckHost(v); err != nil {
		return err
	}
	*h = append(*h, v)
	return nil
}

func runWatch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "watch", "watch [flags]",
		`Builds the site, serves it from memory and rebuilds it on every change to
content/ (samples included), layouts/ or site.yaml, re-rendering only the
pages a change affects. Open tabs reload by themselves (a stylesheet change
is swapped in without a reload, and a reload keeps the scroll position).
A build error keeps the last good site served, is printed here and shown
over the page in every open tab until the next good build. Ctrl-C stops.`)
	var f watchFlags
	fs.StringVar(&f.source, "source", ".", "the site root (holds site.yaml and content/)")
	fs.StringVar(&f.bind, "bind", "127.0.0.1", "the address to listen on; 0.0.0.0 shows the site and drafts to the network")
	fs.IntVar(&f.port, "port", 1313, "the port to listen on; if taken, the next free one")
	fs.Var(&f.hosts, "allow-host", "also answer requests for host `NAME` (.NAME: it and every name under it); repeatable")
	fs.StringVar(&f.destination, "destination", "", "also write the output to this folder (relative to the site root unless absolute)")
	fs.StringVar(&f.baseURL, "base-url", "", "override site.yaml's baseURL (e.g. https://example.org/docs/)")
	fs.BoolVar(&f.drafts, "drafts", false, "include pages with draft: true")
	fs.BoolVar(&f.future, "future", false, "include pages dated in the future")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "versus watch: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if f.port < 0 || f.port > 65535 {
		fmt.Fprintf(e.stderr, "versus watch: --port %d is not a port\n", f.port)
		return exitUsage
	}
	return watchSite(ctx, e, f)
}

// watcher is one watch session: the state, the server and what to print.
type watcher struct {
	e      *env
	f      watchFlags
	source string
	dest   string // "" unless --destination
	opts   pipeline.Options
	st     *pipeline.State
	srv    *serve.Server
	wrote  bool // dest holds a full write
	// failed counts the errors of the last build when it failed, so that
	// the build that fixes them says so.
	failed int
	// warned holds the warnings printed so far: a rebuild prints only the
	// ones that are new, so an edit does not repeat the whole list.
	warned map[string]bool

	refusedMu sync.Mutex
	refusedBy map[string]bool // hosts already reported
}

// maxRefusals is how many hosts' refused requests are reported; a page
// that keeps trying does not flood the terminal.
const maxRefusals = 20

// refused tells the writer, once per host, why a browser got 403.
func (w *watcher) refused(host, message string) {
	w.refusedMu.Lock()
	defer w.refusedMu.Unlock()
	if w.refusedBy == nil {
		w.refusedBy = map[string]bool{}
	}
	if w.refusedBy[host] || len(w.refusedBy) > maxRefusals {
		return
	}
	w.refusedBy[host] = true
	if len(w.refusedBy) > maxRefusals {
		fmt.Fprintln(w.e.stderr, "versus: more requests refused; not shown")
		return
	}
	fmt.Fprintf(w.e.stderr, "versus: refused a request: %s\n", message)
}

// exposure returns the warning to print when the server can be reached
// from other machines, or "" when it listens on loopback only.
func exposure(bind string, addr *net.TCPAddr, drafts bool) string {
	if addr.IP.IsLoopback() {
		return ""
	}
	where := fmt.Sprintf("--bind %s listens on %s, which other machines can reach", bind, addr.IP)
	if addr.IP.IsUnspecified() {
		where = fmt.Sprintf("--bind %s listens on every network interface", bind)
	}
	what := "drafts too with --drafts"
	if drafts {
		what = "drafts included"
	}
	return fmt.Sprintf("versus: warning: %s: anyone on your network can read the site as you write it (%s) and the source lines the error overlay shows. Leave --bind at 127.0.0.1 to keep it to yourself.", where, what)
}

// browserURLs returns the addresses a browser can open the site at: for a
// server listening on every interface, one per address of this machine
// (loopback first, link-local ones left out since a URL needs their zone);
// otherwise the one it listens on.
func browserURLs(addr *net.TCPAddr, ifaces []net.Addr, base string) []string {
	port := strconv.Itoa(addr.Port)
	url := func(ip net.IP) string { return "http://" + net.JoinHostPort(ip.String(), port) + base }
	if !addr.IP.IsUnspecified() {
		return []string{url(addr.IP)}
	}
	var loop, other []string
	seen := map[string]bool{}
	for _, a := range ifaces {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLinkLocalUnicast() || n.IP.IsUnspecified() || n.IP.IsMulticast() {
			continue
		}
		u := url(n.IP)
		if seen[u] {
			continue
		}
		seen[u] = true
		if n.IP.IsLoopback() {
			loop = append(loop, u)
		} else {
			other = append(other, u)
		}
	}
	urls := append(loop, other...)
	if len(urls) == 0 {
		// No interface listed: loopback is always there.
		urls = []string{url(net.IPv4(127, 0, 0, 1))}
	}
	return urls
}

func watchSite(ctx context.Context, e *env, f watchFlags) int {
	source := f.source
	if !filepath.IsAbs(source) {
		source = filepath.Join(e.dir, source)
	}
	source = filepath.Clean(source)
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "versus: the source %s is not a folder\n", f.source)
		return exitUsage
	}
	w := &watcher{e: e, f: f, source: source}
	hosts := slices.Clone([]string(f.hosts))
	if ip := net.ParseIP(f.bind); ip == nil && f.bind != "" && !serve.IsLoopbackName(f.bind) && serve.CheckHost(f.bind) == nil {
		// --bind mybox.lan: the writer will open http://mybox.lan:PORT/.
		hosts = append(hosts, f.bind)
	}
	w.srv = serve.New(serve.Options{Hosts: hosts, Refused: w.refused})
	var ignore []string
	if f.destination != "" {
		_, w.dest = f.paths(e)
		if err := output.Check(w.dest, source); err != nil {
			fmt.Fprintf(e.stderr, "versus: %v\n", err)
			return exitUsage
		}
		ignore = append(ignore, w.dest)
	}
	src, code := openSource(e, source, f.source)
	if code != exitOK {
		return code
	}
	defer src.Close()
	// Pages show the last passing run of each unchanged sample, as
	// generate does, so that watch serves what generate writes.
	w.opts = pipeline.Options{Source: src, BaseURL: f.baseURL, Drafts: f.drafts, Future: f.future, Preview: true,
		Outputs: samples.NewOutputs(nil, samples.NewCache(source))}
	w.st = w.newState()

	ln, err := serve.Listen(f.bind, f.port, 100)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: cannot listen on %s: %v\n", net.JoinHostPort(f.bind, fmt.Sprint(f.port)), err)
		return exitFail
	}
	addr := ln.Addr().(*net.TCPAddr)
	if msg := exposure(f.bind, addr, f.drafts); msg != "" {
		fmt.Fprintln(e.stderr, msg)
	}
	hs := &http.Server{Handler: w.srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	defer func() {
		w.srv.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			_ = hs.Close()
		}
	}()

	// Watch before the first build, so that nothing saved during it is lost.
	fw, err := watch.New(source, watch.Options{Ignore: ignore})
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: cannot watch %s: %v\n", source, err)
		return exitFail
	}
	defer fw.Close()

	w.rebuild(ctx, nil)
	if ctx.Err() != nil {
		return exitOK
	}
	port := addr.Port
	name := filepath.Base(source)
	if res := w.st.Result(); res != nil && res.Config.Title != "" {
		name = res.Config.Title
	}
	ifaces, ifErr := net.InterfaceAddrs()
	urls := browserURLs(addr, ifaces, w.srv.Base())
	fmt.Fprintf(e.stdout, "versus: serving %s at %s (Ctrl-C to stop)\n", name, urls[0])
	if len(urls) > 1 {
		fmt.Fprintf(e.stdout, "versus: also at %s\n", strings.Join(urls[1:], ", "))
	}
	if ifErr != nil && addr.IP.IsUnspecified() {
		fmt.Fprintf(e.stderr, "versus: cannot list this machine's addresses (%v); the server listens on all of them\n", ifErr)
	}
	if port != f.port && f.port != 0 {
		fmt.Fprintf(e.stdout, "versus: port %d was taken, so %d it is\n", f.port, port)
	}
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(e.stdout, "versus: stopped")
			return exitOK
		case err := <-served:
			if errors.Is(err, http.ErrServerClosed) {
				return exitOK
			}
			fmt.Fprintf(e.stderr, "versus: the server stopped: %v\n", err)
			return exitFail
		case err := <-fw.Errors():
			fmt.Fprintf(e.stderr, "versus: watching: %v\n", err)
		case batch, ok := <-fw.Batches():
			if !ok {
				return exitOK
			}
			w.rebuild(ctx, batch)
		}
	}
}

// newState starts a build state whose rebuilds serve edited pages as soon
// as they are rendered, before the lists that show them.
func (w *watcher) newState() *pipeline.State {
	st := pipeline.NewState(w.opts)
	st.Early = func(files map[string][]byte, changed []string) {
		w.srv.Publish(files, w.srv.Base(), changed, false)
	}
	return st
}

// rebuild runs one rebuild, publishes it or shows its errors, and prints
// one line. A panic in a stage is reported like an error: the watcher keeps
// going and the next change rebuilds everything.
func (w *watcher) rebuild(ctx context.Context, changed []string) {
	start := time.Now()
	u, err := w.safeRebuild(ctx, changed)
	if ctx.Err() != nil {
		return
	}
	what := describe(changed)
	if err != nil {
		printErrors(w.e.stderr, err)
		n := len(generator.Errors(err))
		fmt.Fprintf(w.e.stderr, "versus: %s → build failed with %d %s; still serving the last good build\n", what, n, plural(n, "error", "errors"))
		w.srv.Fail(w.problems(err))
		w.failed = n
		return
	}
	if w.failed > 0 {
		what += fmt.Sprintf(" → fixed: the %s of the last build %s cleared", plural(w.failed, "error", fmt.Sprintf("%d errors", w.failed)), plural(w.failed, "is", "are"))
		w.failed = 0
	}
	cssOnly := len(changed) > 0
	for _, c := range changed {
		if !strings.HasSuffix(c, ".css") {
			cssOnly = false
		}
	}
	if w.dest != "" {
		if err := w.write(u); err != nil {
			fmt.Fprintf(w.e.stderr, "versus: writing %s: %v\n", rel(w.e.dir, w.dest), err)
		}
	}
	w.srv.Publish(w.st.Files(), u.Result.Config.BasePath(), append(slices.Clip(u.Changed), u.Removed...), cssOnly)
	n := len(u.Rendered)
	kind := "re-rendered"
	if u.Full {
		kind = "rendered (full build)"
	}
	fmt.Fprintf(w.e.stdout, "versus: %s → %d %s %s, %d %s changed in %d ms\n",
		what, n, plural(n, "page", "pages"), kind, len(u.Changed)+len(u.Removed), plural(len(u.Changed)+len(u.Removed), "file", "files"),
		time.Since(start).Milliseconds())
	w.printNewWarnings(u.Result.Warnings)
}

// printNewWarnings prints the build's warnings that the terminal has not
// shown yet (all of them after the first build), as generate prints them.
func (w *watcher) printNewWarnings(list generator.ErrorList) {
	now := make(map[string]bool, len(list))
	var fresh generator.ErrorList
	for _, e := range list {
		k := e.Error()
		now[k] = true
		if !w.warned[k] {
			fresh = append(fresh, e)
		}
	}
	printWarnings(w.e.stderr, fresh)
	w.warned = now
}

func (w *watcher) safeRebuild(ctx context.Context, changed []string) (u *pipeline.Update, err error) {
	defer func() {
		if r := recover(); r != nil {
			// Start afresh: the state may be half updated.
			w.st = w.newState()
			err = fmt.Errorf("internal error while building (please report it): %v", r)
		}
	}()
	return w.st.Rebuild(ctx, changed)
}

// write mirrors the output to --destination: in full the first time,
// then file by file.
func (w *watcher) write(u *pipeline.Update) error {
	files := w.st.Files()
	if w.wrote {
		return output.Update(w.dest, files, u.Changed, u.Removed)
	}
	stage, err := output.Stage(w.dest, w.source)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := stage.Write(n, files[n]); err != nil {
			_ = stage.Abort()
			return err
		}
	}
	if err := stage.Commit(); err != nil {
		_ = stage.Abort()
		return err
	}
	w.wrote = true
	return nil
}

// describe names what changed in a few words.
func describe(changed []string) string {
	switch len(changed) {
	case 0:
		return "first build"
	case 1:
		return changed[0]
	}
	return fmt.Sprintf("%s and %d more", changed[0], len(changed)-1)
}

// problems turns build errors into what the overlay shows, with the source
// lines around each.
func (w *watcher) problems(err error) []serve.Problem {
	var out []serve.Problem
	for _, e := range generator.Errors(err) {
		p := serve.Problem{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col, Message: e.Msg}
		if e.Pos.File != "" {
			p.Pos = e.Pos.String()
		}
		if e.Pos.File != "" && e.Pos.Line > 0 {
			p.Lines = sourceLines(filepath.Join(w.source, filepath.FromSlash(e.Pos.File)), e.Pos.Line, 2)
		}
		out = append(out, p)
	}
	return out
}

// sourceLines reads the lines around line n of a file.
func sourceLines(file string, n, around int) []serve.Line {
	fh, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer fh.Close()
	var out []serve.Line
	sc := bufio.NewScanner(fh)
	for i := 1; sc.Scan() && i <= n+around; i++ {
		if i >= n-around {
			out = append(out, serve.Line{N: i, Text: sc.Text()})
		}
	}
	return out
}
