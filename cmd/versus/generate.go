package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"versus/generator"
	"versus/generator/build"
	"versus/generator/highlight"
	"versus/generator/minify"
	"versus/generator/output"
	"versus/generator/samples"
)

// siteFlags are the flags every command that builds shares.
type siteFlags struct {
	source, destination, baseURL, cache string
	drafts, future, verbose, minify     bool
	// strict turns warnings into errors (also the site setting strict).
	strict bool
	// verify runs every sample before building (generate --verify).
	verify bool
}

func runGenerate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "generate", "generate [flags]",
		`Builds the site in --source into --destination. The new output is written
beside the destination and swapped into place only when the build succeeds,
so a failed build leaves the previous output as it was.`)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "build the site rooted at `DIR` (it holds site.yaml and content/)")
	fs.StringVar(&f.destination, "destination", "public", "write the site to `DIR`, relative to the site root unless absolute")
	fs.StringVar(&f.baseURL, "base-url", "", "use `URL` instead of site.yaml's baseURL (e.g. https://example.org/docs/)")
	fs.BoolVar(&f.drafts, "drafts", false, "include pages with draft: true")
	fs.BoolVar(&f.future, "future", false, "include pages dated in the future")
	fs.BoolVar(&f.verbose, "verbose", false, "print what was built, not only the summary")
	fs.StringVar(&f.cache, "cache-dir", ".versus-cache", "keep caches in `DIR`, relative to the site root unless absolute (\"\" for none)")
	fs.BoolVar(&f.verify, "verify", false, "run every sample first and show its verified output; a failing sample fails the build")
	fs.BoolVar(&f.minify, "minify", false, "minify HTML, CSS, JavaScript, XML and JSON")
	fs.BoolVar(&f.strict, "strict", false, "treat every warning as an error (the site setting strict: true does the same)")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "versus generate: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	return generate(ctx, e, f)
}

func (f siteFlags) paths(e *env) (source, dest string) {
	source = f.source
	if !filepath.IsAbs(source) {
		source = filepath.Join(e.dir, source)
	}
	dest = f.destination
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(source, dest)
	}
	return filepath.Clean(source), filepath.Clean(dest)
}

func generate(ctx context.Context, e *env, f siteFlags) int {
	source, dest := f.paths(e)
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "versus: the source %s is not a folder\n", f.source)
		return exitUsage
	}
	src, code := openSource(e, source, f.source)
	if code != exitOK {
		return code
	}
	defer src.Close()
	stage, err := output.Stage(dest, source)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	start := time.Now()
	cacheDir := f.cacheDir(source)
	hl := highlight.New()
	// Pages show the output of a fresh verification, or else the last
	// passing run of a sample that has not changed since.
	var report *samples.Report
	if f.verify {
		rep, code := verifySamples(ctx, e, source)
		if code != exitOK {
			if aerr := stage.Abort(); aerr != nil {
				fmt.Fprintf(e.stderr, "versus: cleaning up %s: %v\n", stage.Tmp, aerr)
			}
			if rep != nil {
				fmt.Fprintf(e.stderr, "versus: %s; %s was left as it was\n", verifySummary(rep), rel(e.dir, dest))
			}
			return code
		}
		report = rep
	}
	openHighlights(e, f, cacheDir, hl)
	if cacheDir != "" {
		// Files whose bytes did not change are linked from the previous
		// output, keeping their modification times.
		if err := stage.KeepUnchanged(filepath.Join(cacheDir, "output.manifest")); err != nil && f.verbose {
			fmt.Fprintf(e.stdout, "%v\n", err)
		}
	}
	opts := build.Options{
		Source:      src,
		BaseURL:     f.baseURL,
		Drafts:      f.drafts,
		Future:      f.future,
		Strict:      f.strict,
		Highlighter: hl,
		Diagrams:    diagrams(cacheDir),
		Outputs:     samples.NewOutputs(report, samples.NewCache(source)),
	}
	// With nothing changed since the build that wrote the output, leave it
	// as it is: a new build would write the same bytes.
	digest := ""
	if cacheDir != "" {
		var err error
		digest, err = build.InputDigest(opts, version, executableID(), time.Now().Format("2006-01-02"),
			fmt.Sprintf("minify=%v strict=%v", f.minify, f.strict), sampleCacheListing(source))
		if err != nil {
			// Without a digest the build simply runs in full.
			digest = ""
			if f.verbose {
				fmt.Fprintf(e.stdout, "not checking for changes: %v\n", err)
			}
		}
		if st, ok := stage.Unchanged(digest); ok && digest != "" {
			if err := hl.CloseCache(false); err != nil {
				fmt.Fprintf(e.stderr, "versus: closing the highlight cache: %v\n", err)
			}
			if err := stage.Abort(); err != nil {
				fmt.Fprintf(e.stderr, "versus: cleaning up %s: %v\n", stage.Tmp, err)
			}
			verified := ""
			if report != nil {
				verified = "; " + verifySummary(report)
			}
			fmt.Fprintf(e.stdout, "versus: nothing changed; %d %s, %d files, %d %s%s in %s → %s\n",
				st.Pages, plural(st.Pages, "page", "pages"), st.Files, st.Samples, plural(st.Samples, "sample", "samples"), verified,
				time.Since(start).Round(time.Millisecond), rel(e.dir, dest))
			return exitOK
		}
	}
	var sink build.Sink = stage
	if f.minify {
		sink = minify.New(stage)
	}
	res, err := build.Build(ctx, opts, sink)
	// The new highlight cache replaces the old one only after a good build.
	if cerr := hl.CloseCache(err == nil); cerr != nil {
		fmt.Fprintf(e.stderr, "versus: saving the highlight cache: %v\n", cerr)
	}
	if err != nil {
		if aerr := stage.Abort(); aerr != nil {
			fmt.Fprintf(e.stderr, "versus: cleaning up %s: %v\n", stage.Tmp, aerr)
		}
		printErrors(e.stderr, err)
		n := len(generator.Errors(err))
		fmt.Fprintf(e.stderr, "versus: build failed with %d %s; %s was left as it was\n", n, plural(n, "error", "errors"), rel(e.dir, dest))
		return exitFail
	}
	printWarnings(e.stderr, res.Warnings)
	if err := stage.Commit(); err != nil {
		fmt.Fprintf(e.stderr, "versus: replacing %s: %v\n", dest, err)
		if aerr := stage.Abort(); aerr != nil {
			fmt.Fprintf(e.stderr, "versus: cleaning up %s: %v\n", stage.Tmp, aerr)
		}
		return exitFail
	}
	if err := stage.SaveManifest(digest, output.Stats{Pages: res.Pages, Files: res.Files, Samples: res.Samples}); err != nil {
		// The site is in place; the next build will only write more.
		fmt.Fprintf(e.stderr, "versus: saving the output manifest: %v\n", err)
	}
	if f.verbose {
		fmt.Fprintf(e.stdout, "source %s, base URL %s; %d unchanged files kept from the previous output\n", source, res.Config.BaseURL, stage.Linked())
		if res.Skipped > 0 {
			fmt.Fprintf(e.stdout, "left out %d draft or future %s (use --drafts, --future)\n", res.Skipped, plural(res.Skipped, "page", "pages"))
		}
	}
	verified := ""
	if report != nil {
		verified = "; " + verifySummary(report)
	}
	fmt.Fprintf(e.stdout, "versus: %d %s, %d files, %d %s%s in %s → %s\n",
		res.Pages, plural(res.Pages, "page", "pages"), res.Files, res.Samples, plural(res.Samples, "sample", "samples"), verified,
		time.Since(start).Round(time.Millisecond), rel(e.dir, dest))
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func rel(base, p string) string {
	if r, err := filepath.Rel(base, p); err == nil && !filepath.IsAbs(r) && len(r) < len(p) {
		return r
	}
	return p
}

// sampleCacheListing names the cached sample results a build can show, so
// that a new verification changes the input digest.
func sampleCacheListing(source string) string {
	entries, err := os.ReadDir(samples.NewCache(source).Dir)
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
