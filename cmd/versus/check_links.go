package main

import (
	"context"
	"fmt"
	"os"

	"github.com/versus-ssg/versus/generator/linkcheck"
	"github.com/versus-ssg/versus/generator/pipeline"
)

// checkLinks builds the site in memory and resolves every internal link and
// anchor; broken ones are printed as file:line: link → target (reason).
func checkLinks(ctx context.Context, e *env, f siteFlags) int {
	source, _ := f.paths(e)
	if fi, err := os.Stat(source); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "versus: the source %s is not a folder\n", f.source)
		return exitUsage
	}
	src, code := openSource(e, source, f.source)
	if code != exitOK {
		return code
	}
	defer src.Close()
	sink := pipeline.NewMemSink()
	res, err := pipeline.Build(ctx, pipeline.Options{
		Source: src,
		Drafts: f.drafts,
		Future: f.future,
		Strict: f.strict,
		// The check reads the pages, not the card pictures or the
		// pictures' smaller copies.
		NoCardImages:  true,
		NoImageCopies: true,
	}, sink)
	if err != nil {
		printErrors(e.stderr, err)
		fmt.Fprintln(e.stderr, "versus: the site does not build, so its links were not checked")
		return exitFail
	}
	// The check reports broken links itself, with more detail than the
	// build's warnings.
	rep := linkcheck.Check(res.Site, sink.Files)
	for _, b := range rep.Broken {
		fmt.Fprintln(e.stderr, b.String())
	}
	skipped := ""
	if rep.External > 0 {
		skipped = fmt.Sprintf("; skipped %d %s outside the site, to %d %s (not checked: no network)",
			rep.External, plural(rep.External, "link", "links"), len(rep.ExternalHosts), plural(len(rep.ExternalHosts), "host", "hosts"))
	}
	if len(rep.Broken) > 0 {
		fmt.Fprintf(e.stderr, "versus: %d broken %s among %d internal links checked%s\n",
			len(rep.Broken), plural(len(rep.Broken), "link", "links"), rep.Checked, skipped)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "versus: %d internal links and anchors checked, none broken%s\n", rep.Checked, skipped)
	return exitOK
}
