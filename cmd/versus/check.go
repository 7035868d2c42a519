package main

import (
	"context"
	"fmt"
)

func runCheck(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "check", "check [--samples] [--links] [flags]",
		`Checks the site without writing public/: --samples runs every code sample
and compares its output with what the page promises; --links builds the site
in memory and resolves every internal link and #anchor; --bench measures
every benchmark again and fails when its recorded result is stale or no
longer agrees. With no flag, the samples and links checks run.`)
	var f siteFlags
	var samples, links, benchmarks bool
	fs.StringVar(&f.source, "source", ".", "check the site rooted at `DIR`")
	fs.BoolVar(&samples, "samples", false, "run and verify every sample")
	fs.BoolVar(&links, "links", false, "check every internal link and anchor")
	fs.BoolVar(&benchmarks, "bench", false, "measure every benchmark again and fail when a recorded result is stale or disagrees beyond the noise")
	fs.BoolVar(&f.update, "update", false, "with --samples: write each sample's expected files from what it prints, and say what changed")
	fs.BoolVar(&f.drafts, "drafts", false, "include pages with draft: true")
	fs.BoolVar(&f.strict, "strict", false, "treat every warning as an error")
	fs.BoolVar(&f.future, "future", false, "include pages dated in the future")
	fs.StringVar(&f.cache, "cache-dir", ".versus-cache", "keep passing sample runs in `DIR`/samples, relative to the site root unless absolute (\"\" for none)")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "versus check: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if f.update && !samples {
		fmt.Fprintf(e.stderr, "versus check: --update writes the samples' expected files, so it needs --samples\n")
		return exitUsage
	}
	if !samples && !links && !benchmarks {
		samples, links = true, true
	}
	code := exitOK
	if samples {
		if c := checkSamples(ctx, e, f); c != exitOK {
			code = c
		}
	}
	if links {
		if c := checkLinks(ctx, e, f); c != exitOK {
			code = c
		}
	}
	if benchmarks {
		if c := measureBenchmarks(ctx, e, f, nil, false); c != exitOK {
			code = c
		}
	}
	return code
}
