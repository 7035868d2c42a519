package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"versus/generator"
	"versus/generator/build"
	"versus/generator/minify"
	"versus/generator/output"
)

// siteFlags are the flags every command that builds shares.
type siteFlags struct {
	source, destination, baseURL string
	drafts, future, verbose      bool
	minify                       bool
}

func runGenerate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "generate", "generate [flags]",
		`Builds the site in --source into --destination. The new output is written
beside the destination and swapped into place only when the build succeeds,
so a failed build leaves the previous output as it was.`)
	var f siteFlags
	fs.StringVar(&f.source, "source", ".", "the site root (holds site.yaml and content/)")
	fs.StringVar(&f.destination, "destination", "public", "the output folder, relative to the site root unless absolute")
	fs.StringVar(&f.baseURL, "base-url", "", "override site.yaml's baseURL (e.g. https://example.org/docs/)")
	fs.BoolVar(&f.drafts, "drafts", false, "include pages with draft: true")
	fs.BoolVar(&f.future, "future", false, "include pages dated in the future")
	fs.BoolVar(&f.verbose, "verbose", false, "print what was built, not only the summary")
	fs.BoolVar(&f.minify, "minify", false, "minify HTML, CSS, JavaScript, XML and JSON")
	if code := parse(fs, args); code >= 0 {
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
	stage, err := output.Stage(dest, source)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	start := time.Now()
	var sink build.Sink = stage
	if f.minify {
		sink = minify.New(stage)
	}
	res, err := build.Build(ctx, build.Options{
		Source:  os.DirFS(source),
		BaseURL: f.baseURL,
		Drafts:  f.drafts,
		Future:  f.future,
	}, sink)
	if err != nil {
		if aerr := stage.Abort(); aerr != nil {
			fmt.Fprintf(e.stderr, "versus: cleaning up %s: %v\n", stage.Tmp, aerr)
		}
		printErrors(e.stderr, err)
		n := len(generator.Errors(err))
		fmt.Fprintf(e.stderr, "versus: build failed with %d %s; %s was left as it was\n", n, plural(n, "error", "errors"), rel(e.dir, dest))
		return exitFail
	}
	if err := stage.Commit(); err != nil {
		_ = stage.Abort()
		fmt.Fprintf(e.stderr, "versus: replacing %s: %v\n", dest, err)
		return exitFail
	}
	if f.verbose {
		fmt.Fprintf(e.stdout, "source %s, base URL %s\n", source, res.Config.BaseURL)
		if res.Skipped > 0 {
			fmt.Fprintf(e.stdout, "left out %d draft or future %s (use --drafts, --future)\n", res.Skipped, plural(res.Skipped, "page", "pages"))
		}
	}
	fmt.Fprintf(e.stdout, "versus: %d %s, %d files, %d %s in %s → %s\n",
		res.Pages, plural(res.Pages, "page", "pages"), res.Files, res.Samples, plural(res.Samples, "sample", "samples"),
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
