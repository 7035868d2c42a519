package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"versus/generator/config"
	"versus/generator/content"
	"versus/generator/scaffold"
)

func runNew(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "new", `new [flags] "TITLE"`,
		`Creates content/<slug>.md for a new comparison: front matter with the site's
subjects, a criteria skeleton, today's date and draft: true, and an outline
of the body. It never overwrites a file.`)
	var source, subjects string
	fs.StringVar(&source, "source", ".", "the site root (holds site.yaml and content/)")
	fs.StringVar(&subjects, "subjects", "", "comma-separated subject ids to compare, in order (default: every subject in site.yaml)")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	title := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if title == "" {
		fmt.Fprintln(e.stderr, `versus new: give the article's title, e.g. versus new "Go vs Rust"`)
		fs.Usage()
		return exitUsage
	}
	if content.Slugify(title) == "" {
		fmt.Fprintf(e.stderr, "versus new: %q has no letters or digits to make a file name from\n", title)
		return exitUsage
	}
	root := source
	if !filepath.IsAbs(root) {
		root = filepath.Join(e.dir, root)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		fmt.Fprintf(e.stderr, "versus: the source %s is not a folder\n", source)
		return exitUsage
	}
	src, code := openSource(e, root, source)
	if code != exitOK {
		return code
	}
	defer src.Close()
	cfg, err := config.Load(src)
	if err != nil {
		printErrors(e.stderr, err)
		return exitFail
	}
	var ids []string
	if subjects != "" {
		ids = strings.Split(subjects, ",")
	}
	picked, err := scaffold.Pick(cfg, ids)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus new: %v\n", err)
		return exitUsage
	}
	rel := scaffold.Path(title)
	text := scaffold.Text(scaffold.Article{Title: title, Subjects: picked, Date: time.Now()})
	dest := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		fmt.Fprintf(e.stderr, "versus new: %s already exists; nothing was written (pick another title or edit that file)\n", rel)
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		fmt.Fprintf(e.stderr, "versus: writing %s: %v\n", rel, err)
		return exitFail
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.stderr, "versus: writing %s: %v\n", rel, err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "versus: created %s (a draft: preview it with generate --drafts)\n", rel)
	return exitOK
}
