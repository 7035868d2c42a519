package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/publish"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// siteFlags are the flags every command that builds shares.
type siteFlags struct {
	source, destination, baseURL, cache string
	drafts, future, verbose, minify     bool
	// strict turns warnings into errors (also the site setting strict).
	strict bool
	// verify runs every sample before building (generate --verify).
	verify bool
	// update writes the samples' expected files from a run (check
	// --samples --update).
	update bool
	// full builds everything instead of resuming the build kept in the
	// cache folder (generate --full).
	full bool
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
	fs.BoolVar(&f.full, "full", false, "build everything, instead of only what changed since the build kept in --cache-dir")
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
	start := time.Now()
	var prog *progress
	opts := publish.Options{
		Source:   source,
		Dest:     dest,
		CacheDir: f.cacheDir(source),
		BaseURL:  f.baseURL,
		Drafts:   f.drafts,
		Future:   f.future,
		Strict:   f.strict,
		Minify:   f.minify,
		Verify:   f.verify,
		Full:     f.full,
		Version:  version,
		Note:     func(msg string) { fmt.Fprintf(e.stderr, "versus: %s\n", msg) },
	}
	if f.verify {
		prog = newProgress(e.stderr)
		opts.Progress = prog.report
	}
	if f.verbose {
		opts.Verbose = func(msg string) { fmt.Fprintln(e.stdout, msg) }
	}
	res, err := publish.Generate(ctx, opts)
	if prog != nil {
		prog.finish()
	}
	if res != nil && res.Report != nil {
		printSampleWarnings(e, res.Report.Warnings)
	}
	if f.verbose && res != nil && len(res.Cleaned) > 0 {
		fmt.Fprintf(e.stdout, "removed %d %s of killed runs: %s\n", len(res.Cleaned),
			plural(len(res.Cleaned), "leftover", "leftovers"), strings.Join(relAll(e.dir, res.Cleaned), ", "))
	}
	var failed *publish.SamplesFailed
	var list generator.ErrorList
	var one *generator.Error
	switch {
	case err == nil:
	case errors.As(err, &one) && !errors.As(err, &list):
		printErrors(e.stderr, err)
		fmt.Fprintf(e.stderr, "versus: build failed with 1 error; %s was left as it was\n", rel(e.dir, dest))
		return exitFail
	case errors.As(err, &failed):
		printErrors(e.stderr, failed.Report.Errors)
		fmt.Fprintf(e.stderr, "versus: %s; %s was left as it was\n", verifySummary(failed.Report), rel(e.dir, dest))
		return exitFail
	case errors.As(err, &list):
		printErrors(e.stderr, err)
		if res != nil && res.Report == nil && f.verify {
			// The samples could not even be listed.
			return exitFail
		}
		n := len(generator.Errors(err))
		fmt.Fprintf(e.stderr, "versus: build failed with %d %s; %s was left as it was\n", n, plural(n, "error", "errors"), rel(e.dir, dest))
		return exitFail
	case res != nil && res.Committed:
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	default:
		fmt.Fprintf(e.stderr, "versus: %v; %s was left as it was\n", err, rel(e.dir, dest))
		return exitFail
	}
	if res.InPlace {
		fmt.Fprintf(e.stderr, "versus: %s is a mount point, so it cannot be swapped atomically: updated it in place (%d %s written, %d removed)\n",
			rel(e.dir, dest), res.Synced.Written, plural(res.Synced.Written, "file", "files"), res.Synced.Removed)
	}
	verified := ""
	if res.Report != nil {
		verified = "; " + verifySummary(res.Report)
	}
	st := res.Stats
	if res.Unchanged {
		fmt.Fprintf(e.stdout, "versus: nothing changed; %d %s, %d files, %d %s%s in %s → %s\n",
			st.Pages, plural(st.Pages, "page", "pages"), st.Files, st.Samples, plural(st.Samples, "sample", "samples"), verified,
			time.Since(start).Round(time.Millisecond), rel(e.dir, dest))
		if src, err := sitefs.Open(source); err == nil {
			if cfg, err := config.Load(src); err == nil {
				if f.baseURL != "" {
					cfg.BaseURL = f.baseURL
				}
				robotsNote(e, cfg)
			}
			src.Close()
		}
		return exitOK
	}
	printWarnings(e.stderr, res.Build.Warnings)
	if f.verbose {
		how := "full build"
		if res.Incremental {
			how = fmt.Sprintf("incremental build: %d %s rendered again", len(res.Rendered), plural(len(res.Rendered), "page", "pages"))
		}
		fmt.Fprintf(e.stdout, "%s; source %s, base URL %s; %d unchanged files kept from the previous output", how, source, res.Build.Config.BaseURL, res.Linked)
		if res.Compared > 0 {
			fmt.Fprintf(e.stdout, " (%d of them compared byte by byte, the manifest could not vouch for them)", res.Compared)
		}
		fmt.Fprintln(e.stdout)
		if res.Build.Skipped > 0 {
			fmt.Fprintf(e.stdout, "left out %d draft or future %s (use --drafts, --future)\n", res.Build.Skipped, plural(res.Build.Skipped, "page", "pages"))
		}
	}
	fmt.Fprintf(e.stdout, "versus: %d %s, %d files, %d %s%s in %s → %s\n",
		st.Pages, plural(st.Pages, "page", "pages"), st.Files, st.Samples, plural(st.Samples, "sample", "samples"), verified,
		time.Since(start).Round(time.Millisecond), rel(e.dir, dest))
	robotsNote(e, res.Build.Config)
	return exitOK
}

// robotsNote says, for a site under a sub-path, that its robots.txt is not
// where crawlers look: they read only the host's /robots.txt.
func robotsNote(e *env, cfg *generator.Config) {
	if cfg == nil || cfg.BasePath() == "/" {
		return
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return
	}
	root := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
	fmt.Fprintf(e.stdout, "versus: note: robots.txt is written for %srobots.txt, but crawlers read only %s: add its Sitemap line to that file\n", cfg.BasePath(), root)
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

// relAll is rel for each path.
func relAll(base string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = rel(base, p)
	}
	return out
}
