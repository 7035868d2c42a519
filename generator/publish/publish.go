// Package publish is versus generate as a library: it verifies the samples
// when asked, opens the caches, leaves the output alone when nothing
// changed, builds into a staging folder created only after the samples
// ran, swaps it into place and records the output manifest. The command
// line and the end-to-end tests both call Generate.
//
// What a finished Generate guarantees, whatever happened to earlier runs
// (killed, out of disk space, a sample that planted files or links): the
// destination holds exactly the bytes a clean build of the same sources
// writes, or, when Generate returns an error before the swap, the
// previous output as it was.
package publish

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/diagram"
	"github.com/versus-ssg/versus/generator/highlight"
	"github.com/versus-ssg/versus/generator/images"
	"github.com/versus-ssg/versus/generator/minify"
	"github.com/versus-ssg/versus/generator/output"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/samples"
	"github.com/versus-ssg/versus/generator/sitefs"
	"github.com/versus-ssg/versus/generator/socialcard"
)

// Options say what to build, where, and with which caches.
type Options struct {
	// Source is the site root; Dest the output folder.
	Source, Dest string
	// CacheDir holds the caches (highlight.bin, output.manifest and
	// samples/); "" means no cache at all.
	CacheDir string
	BaseURL  string
	Drafts   bool
	Future   bool
	Strict   bool
	Minify   bool
	// Full builds everything, without resuming the build the cache folder
	// keeps.
	Full bool
	// Verify runs every sample first; a failing sample fails the build
	// and leaves the output as it was.
	Verify bool
	// Path is the PATH samples run with; TempDir where their copies go
	// ("" for os.TempDir()).
	Path, TempDir string
	// Version names this versus; with its binary's identity it is part of
	// the input digest, so a different versus never reuses an output.
	Version string
	// Now is today for the digest's date and future pages; zero: time.Now.
	Now time.Time
	// Progress is told about each verified sample.
	Progress func(samples.Progress)
	// Note is told what a writer should always see: that it waits for
	// another run.
	Note func(string)
	// Verbose is told the details --verbose prints: leftovers removed,
	// caches not used and why.
	Verbose func(string)
}

// Result is what Generate did.
type Result struct {
	// Build is the build's result; nil when nothing changed.
	Build *pipeline.Result
	// Unchanged says the output was left as it was: nothing changed
	// since the build that wrote it.
	Unchanged bool
	// Stats are the pages, files and samples the output holds.
	Stats output.Stats
	// Report is the verification's, when Verify was set.
	Report *samples.Report
	// Linked counts files kept (hard-linked) from the previous output,
	// Compared those whose bytes were read because the manifest could not
	// vouch for them.
	Linked, Compared int
	// Incremental says the build resumed the one the cache folder kept
	// and rebuilt only what the changed sources reach.
	Incremental bool
	// Rendered lists the pages an incremental build rendered (output
	// files).
	Rendered []string
	// Recycled says the new output was made from the one before the
	// previous output, kept in the cache folder, rather than staged anew.
	Recycled bool
	// InPlace says the destination (a mount point) was updated in place
	// instead of swapped; Synced counts what that wrote and removed.
	InPlace bool
	Synced  output.SyncStats
	// Cleaned lists what killed runs had left and this run removed.
	Cleaned []string
	// Committed says the new output is in place (even when an error
	// followed, such as a manifest that could not be saved).
	Committed bool
}

// SamplesFailed is the error of a verification with failing samples; its
// Report says which, and errors.Unwrap gives their errors.
type SamplesFailed struct {
	Report *samples.Report
}

func (e *SamplesFailed) Error() string {
	n := e.Report.Samples - e.Report.Verified
	return fmt.Sprintf("%d of %d samples failed", n, e.Report.Samples)
}

func (e *SamplesFailed) Unwrap() error { return e.Report.Errors }

// The cache folder's files.
const (
	highlightCache = "highlight.bin"
	cardCache      = "cards"
	imageCache     = "images"
	manifestFile   = "output.manifest"
	// previousOutput is the output before the current one, kept for the
	// next incremental build to start from (output.Staging.Recycle).
	previousOutput = "previous-output"
)

// LockFile is the file in the cache folder that every run using the folder
// locks (flock) while it runs.
const LockFile = "lock"

// Generate builds the site at opts.Source into opts.Dest. It returns a
// generator.ErrorList for a failed build, *SamplesFailed for failed
// samples, and an error naming the step for anything else; with any error
// but one after Result.Committed, the previous output is left as it was.
func Generate(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	now := opts.Now
	if now.IsZero() {
		now = start
	}
	note := func(f func(string), format string, args ...any) {
		if f != nil {
			f(fmt.Sprintf(format, args...))
		}
	}
	source, err := filepath.Abs(opts.Source)
	if err != nil {
		return nil, err
	}
	dest, err := filepath.Abs(opts.Dest)
	if err != nil {
		return nil, err
	}
	if err := output.Check(dest, source); err != nil {
		return nil, err
	}
	src, err := sitefs.Open(source)
	if err != nil {
		return nil, fmt.Errorf("the source %s cannot be opened: %w", opts.Source, err)
	}
	defer src.Close()
	res := &Result{}

	cacheDir := opts.CacheDir
	if cacheDir != "" {
		cacheDir, err = filepath.Abs(cacheDir)
		if err != nil {
			return nil, err
		}
		// One run at a time uses a cache folder; what killed runs left
		// in it (half-written caches) goes.
		lock, err := output.LockFile(ctx, filepath.Join(cacheDir, LockFile), func() {
			note(opts.Note, "waiting for another versus run that uses %s to finish", cacheDir)
		})
		if err != nil {
			return nil, fmt.Errorf("the cache folder: %w", err)
		}
		defer lock.Unlock()
		cleaned, err := removeCacheLeftovers(cacheDir)
		res.Cleaned = append(res.Cleaned, cleaned...)
		if err != nil {
			return res, err
		}
	}
	sampleCache := samples.CacheIn(cacheDir)

	// Pages show the output of a fresh verification, or else the last
	// passing run of a sample that has not changed since.
	if opts.Verify {
		cfg, err := config.Load(src)
		if err != nil {
			return res, err
		}
		runner := &samples.Runner{Cache: sampleCache, Path: opts.Path, TempDir: opts.TempDir, Progress: opts.Progress}
		if runner.Path == "" {
			runner.Path = os.Getenv("PATH")
		}
		rep, err := runner.VerifyAll(ctx, src, cfg)
		if err != nil {
			return res, err
		}
		res.Report = rep
		if len(rep.Errors) > 0 {
			return res, &SamplesFailed{Report: rep}
		}
	}

	hl := highlight.New()
	if cacheDir == "" {
		hl.Forget()
	} else if err := hl.OpenCache(filepath.Join(cacheDir, highlightCache)); err != nil && !errors.Is(err, highlight.ErrStaleCache) {
		note(opts.Verbose, "not using the highlight cache: %v", err)
	}
	// The staging folder exists only from here on, after every sample
	// ran: no sample can find it, or plant anything in it.
	stage, err := output.StageContext(ctx, dest, source, func() {
		note(opts.Note, "waiting for another versus run that writes %s to finish", dest)
	})
	if err != nil {
		_ = hl.CloseCache(false)
		return res, err
	}
	defer func() { stage.Close() }()
	res.Cleaned = append(res.Cleaned, stage.Cleaned...)
	fail := func(err error) (*Result, error) {
		_ = hl.CloseCache(false)
		if aerr := stage.Abort(); aerr != nil {
			err = errors.Join(err, fmt.Errorf("cleaning up %s: %w", stage.Tmp, aerr))
		}
		return res, err
	}
	keepUnchanged := func() {
		if cacheDir != "" {
			// Files whose bytes did not change are linked from the previous
			// output, keeping their modification times.
			if err := stage.KeepUnchanged(filepath.Join(cacheDir, manifestFile)); err != nil {
				note(opts.Verbose, "%v", err)
			}
			// The output the swap takes out of service is kept, for the
			// next incremental build to bring up to date (Recycle).
			stage.KeepPrevious(filepath.Join(cacheDir, previousOutput))
		}
	}
	keepUnchanged()
	bopts := pipeline.Options{
		Source:      src,
		BaseURL:     opts.BaseURL,
		Drafts:      opts.Drafts,
		Future:      opts.Future,
		Strict:      opts.Strict,
		Now:         opts.Now,
		Highlighter: hl,
		Outputs:     samples.NewOutputs(res.Report, sampleCache),
	}
	// Diagrams drawn by earlier builds are kept in the cache folder.
	bopts.Diagrams = diagram.New()
	if cacheDir != "" {
		bopts.Diagrams.CacheDir = filepath.Join(cacheDir, "diagrams")
	}
	// Social cards drawn by earlier builds are reused by their key.
	var cards *socialcard.DirCache
	if cacheDir != "" {
		cards = socialcard.NewDirCache(filepath.Join(cacheDir, cardCache))
		bopts.Cards = cards
	}
	// Smaller copies of large pictures made by earlier builds are reused
	// by their key.
	var pics *images.DirCache
	if cacheDir != "" {
		pics = images.NewDirCache(filepath.Join(cacheDir, imageCache))
		bopts.Images = pics
	}
	// The build the cache folder keeps: its header says what the sources
	// were, so that only the files that changed since are read.
	var saved *savedState
	var stamps map[string]stamp
	statePath, key, listing := "", "", cacheListing(sampleCache)
	scanned := time.Now()
	if cacheDir != "" {
		statePath = filepath.Join(cacheDir, stateFile)
		key = stateKey(opts, source, dest, executableID(), now)
		if opts.Full {
			note(opts.Verbose, "building in full (--full)")
		} else if saved, err = openState(statePath, key); err != nil {
			note(opts.Verbose, "building in full: %v", err)
		}
		defer func() { saved.close() }()
		var prev *stateHeader
		if saved != nil {
			prev = saved.header
		}
		limits := generator.Limits{}.WithDefaults()
		if cfg, err := config.Load(src); err == nil {
			limits = cfg.Limits
		}
		if stamps, err = scanSources(src, prev, max(limits.Page, limits.File, limits.Sample)); err != nil {
			note(opts.Verbose, "building in full, and keeping no state for the next build: %v", err)
			saved.close()
			saved, stamps = nil, nil
		}
	}
	// With nothing changed since the build that wrote the output, leave it
	// as it is: a new build would write the same bytes.
	digest := ""
	if cacheDir != "" {
		extra := []string{opts.Version, executableID(), now.Format("2006-01-02"),
			fmt.Sprintf("minify=%v strict=%v", opts.Minify, opts.Strict), listing}
		if stamps != nil {
			digest, err = pipeline.InputDigestOf(bopts, sums(stamps), extra...)
		} else {
			digest, err = pipeline.InputDigest(bopts, extra...)
		}
		if err != nil {
			// Without a digest the build simply runs in full.
			digest = ""
			note(opts.Verbose, "not checking for changes: %v", err)
		}
		if st, ok := stage.Unchanged(digest); ok && digest != "" {
			res.Unchanged, res.Stats = true, st
			if err := hl.CloseCache(false); err != nil {
				return res, fmt.Errorf("closing the highlight cache: %w", err)
			}
			return res, stage.Abort()
		}
	}
	// The output before the previous one, kept in the cache folder, is
	// brought up to date instead of a new tree being staged, while the
	// kept build is read.
	if cacheDir != "" {
		stage.Recycle()
	}
	newSink := func() pipeline.Sink {
		if opts.Minify {
			return minify.New(stage)
		}
		return stage
	}
	sink := newSink()

	// The kept build, resumed: only what changed since is built again.
	var st *pipeline.State
	var changed []string
	if saved != nil {
		if st, err = saved.resume(bopts, sink); err != nil {
			note(opts.Verbose, "building in full: %v", err)
			st = nil
		} else {
			changed = changedSources(saved.header.Sources, stamps)
			if opts.Verify || listing != saved.header.Samples {
				// Pages may show other sample output now.
				changed = append(changed, content.Dir+"/"+content.SamplesDir)
			}
		}
	}

	var br *pipeline.Result
	if st != nil {
		u, err := st.Rebuild(ctx, changed)
		if err != nil {
			return fail(err)
		}
		if !u.Full {
			if err := keepOthers(stage, sink, st, u); err != nil {
				// The previous output is not what the kept build wrote.
				note(opts.Verbose, "building in full: %v", err)
				if aerr := stage.Abort(); aerr != nil {
					return res, fmt.Errorf("cleaning up %s: %w", stage.Tmp, aerr)
				}
				if stage, err = output.StageContext(ctx, dest, source, func() {
					note(opts.Note, "waiting for another versus run that writes %s to finish", dest)
				}); err != nil {
					_ = hl.CloseCache(false)
					return res, err
				}
				keepUnchanged()
				stage.Recycle()
				sink = newSink()
				st = nil
			} else {
				res.Incremental, res.Rendered = true, u.Rendered
				r := *u.Result
				r.Pages, r.Files = st.Totals()
				br = &r
			}
		} else {
			br = u.Result
		}
	}
	if st == nil {
		st = pipeline.NewStreamState(bopts, sink)
		u, err := st.Rebuild(ctx, nil)
		if err != nil {
			return fail(err)
		}
		br = u.Result
	}
	if cacheDir != "" {
		var rerr error
		if res.Recycled, rerr = stage.Recycled(); rerr != nil {
			note(opts.Verbose, "staged a new output folder: %v", rerr)
		}
	}
	res.Build = br
	res.Stats = output.Stats{Pages: br.Pages, Files: br.Files, Samples: br.Samples}
	// Cards no page of this good build used are dropped from the cache; a
	// cache that did not serve only costs drawing time. An incremental
	// build used only the cards of the pages it rendered.
	if cards != nil {
		cerr := cards.Err()
		if cerr == nil && !res.Incremental {
			cerr = cards.Prune()
		}
		if cerr != nil {
			note(opts.Verbose, "social card cache: %v", cerr)
		}
	}
	if pics != nil {
		perr := pics.Err()
		if perr == nil && !res.Incremental {
			perr = pics.Prune()
		}
		if perr != nil {
			note(opts.Verbose, "picture cache: %v", perr)
		}
	}
	// The new highlight cache replaces the old one only after a good
	// build; a cache that cannot be saved fails the build before the swap.
	// An incremental build's holds only what its pages used: the old one
	// stays, for the next full build.
	if err := hl.CloseCache(!res.Incremental); err != nil {
		_ = stage.Abort()
		return res, fmt.Errorf("saving the highlight cache in %s: %w (free some space, or build with --cache-dir \"\")", cacheDir, err)
	}
	if statePath != "" {
		// The kept build describes the output about to be replaced.
		if err := os.Remove(statePath); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = stage.Abort()
			return res, fmt.Errorf("removing %s: %w", statePath, err)
		}
	}
	if err := stage.Commit(); err != nil {
		if aerr := stage.Abort(); aerr != nil {
			err = errors.Join(err, fmt.Errorf("cleaning up %s: %w", stage.Tmp, aerr))
		}
		return res, fmt.Errorf("replacing %s: %w", dest, err)
	}
	res.Committed = true
	res.Linked, res.Compared = stage.Linked(), stage.Compared()
	res.InPlace, res.Synced = stage.InPlace, stage.Synced
	// The kept build is saved while the previous output is removed. Before
	// the manifest: without one (a run killed in between), the next build
	// cannot keep files, and builds in full.
	if statePath != "" && stamps != nil && !res.InPlace {
		h := &stateHeader{Format: stateFormat, Key: key, Scanned: scanned, Sources: stamps, Samples: listing}
		if err := saveState(statePath, h, st); err != nil {
			// The next build is a full one.
			note(opts.Verbose, "not keeping this build for the next one: %v", err)
		}
	}
	if len(br.Warnings) > 0 {
		// "Nothing changed" would not print the warnings again: the next
		// build runs (keeping unchanged files) until they are fixed.
		digest = ""
	}
	if err := stage.SaveManifest(digest, res.Stats); err != nil {
		return res, fmt.Errorf("the new site is in %s, but saving the output manifest failed: %w (free some space; the next build compares every file instead of trusting the manifest)", dest, err)
	}
	return res, nil
}

// removeCacheLeftovers removes the temporary files killed runs left in
// the cache folder: half-written caches and manifests (NAME.new-*) and
// sample results (samples/.tmp-*). The caller holds the folder's lock.
func removeCacheLeftovers(dir string) ([]string, error) {
	var removed []string
	for _, pattern := range []string{"*.new-*", filepath.Join("samples", ".tmp-*")} {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return removed, err
		}
		for _, m := range matches {
			if fi, err := os.Lstat(m); err != nil || fi.IsDir() {
				continue
			}
			if err := os.Remove(m); err != nil {
				return removed, fmt.Errorf("removing %s, left by an earlier run: %w", m, err)
			}
			removed = append(removed, m)
		}
	}
	return removed, nil
}

// cacheListing names the cached sample results a build can show, so that
// a new verification changes the input digest.
func cacheListing(c *samples.Cache) string {
	if c == nil {
		return ""
	}
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", e.Name(), info.Size(), info.ModTime().UnixNano())
		}
	}
	return b.String()
}

// executableID names this build of versus (path, size and time of its
// binary), so that a rebuilt versus never reuses an output the old one wrote.
func executableID() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	info, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return fmt.Sprintf("%s:%d:%d", exe, info.Size(), info.ModTime().UnixNano())
}

// keepOthers writes the files an incremental rebuild changed and keeps
// every other file of the output as the previous output holds it.
func keepOthers(stage *output.Staging, sink pipeline.Sink, st *pipeline.State, u *pipeline.Update) error {
	files := st.Files()
	written := make(map[string]bool, len(u.Changed))
	for _, n := range u.Changed {
		if data := files[n]; data != nil {
			if err := sink.Write(n, data); err != nil {
				return err
			}
			written[n] = true
		}
	}
	var keep []string
	for n := range files {
		if !written[n] {
			keep = append(keep, n)
		}
	}
	return stage.KeepAll(keep)
}
