package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/scaffold"
	"github.com/versus-ssg/versus/schema"
)

// schemaDir is where "versus new" keeps the site's copy of the JSON Schemas
// that scaffolded files name in their modeline, so editors find them
// offline and they match the versus that reads the files.
const schemaDir = ".versus/schema"

func runNew(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "new", `new [flags] "TITLE" | SECTION/TITLE | PATH.md`,
		`Creates a page in content/ and never overwrites one:
  versus new "Go vs Rust"          content/go-vs-rust.md, title "Go vs Rust"
  versus new "basics/Loops"        content/basics/loops.md, title "Loops"
  versus new basics/loops.md       content/basics/loops.md, title "Loops"
  versus new basics/_index.md      the section's own page
The page starts from archetypes/SECTION.md, else archetypes/default.md
(templates with .Title, .Name, .Section, .Date, .Subjects), else from a
comparison outline: front matter with the site's subjects, a criteria
skeleton, today's date and draft: true.`)
	var source, subjects string
	fs.StringVar(&source, "source", ".", "the site root (holds site.yaml and content/)")
	fs.StringVar(&subjects, "subjects", "", "comma-separated subject ids to compare, in order (default: every subject in site.yaml)")
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	arg := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if arg == "" {
		fmt.Fprintln(e.stderr, `versus new: give the article's title, e.g. versus new "Go vs Rust", or its path, e.g. versus new basics/loops.md`)
		return exitUsage
	}
	target, err := scaffold.Resolve(arg)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus new: %v\n", err)
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
	site := src
	cfg, err := config.Load(site)
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
	rel := target.Path
	dest := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Lstat(dest); err == nil {
		fmt.Fprintf(e.stderr, "versus new: %s already exists; nothing was written (pick another name or edit that file)\n", rel)
		return exitFail
	}
	schemaRef := relPath(path.Dir(rel), path.Join(schemaDir, schema.FrontMatter))
	archetype, tmpl, err := scaffold.FindArchetype(site, target.Section)
	if err != nil {
		printErrors(e.stderr, err)
		return exitFail
	}
	var text []byte
	if archetype != "" {
		text, err = scaffold.Render(archetype, tmpl, scaffold.NewData(target, picked, time.Now(), schemaRef))
		if err != nil {
			printErrors(e.stderr, err)
			fmt.Fprintf(e.stderr, "versus new: %s was not created\n", rel)
			return exitFail
		}
	} else {
		text = scaffold.Text(scaffold.Article{Title: target.Title, Subjects: picked, Date: time.Now(), Index: target.Index, Schema: schemaRef})
	}
	for _, dir := range []string{filepath.Dir(dest), filepath.Join(root, filepath.FromSlash(schemaDir))} {
		if err := insideSite(root, dir); err != nil {
			fmt.Fprintf(e.stderr, "versus new: %v; nothing was written\n", err)
			return exitFail
		}
	}
	wroteSchemas, err := writeSchemas(root)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		fmt.Fprintf(e.stderr, "versus: %v\n", err)
		return exitFail
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		fmt.Fprintf(e.stderr, "versus new: %s already exists; nothing was written (pick another name or edit that file)\n", rel)
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
	from := ""
	if archetype != "" {
		from = " from " + archetype
	}
	note := ""
	if p, errs := content.Parse(rel, text); len(errs) == 0 && p.Draft {
		note = " (a draft: preview it with generate --drafts)"
	}
	fmt.Fprintf(e.stdout, "versus: created %s%s%s\n", rel, from, note)
	if wroteSchemas {
		fmt.Fprintf(e.stdout, "versus: wrote the JSON Schemas editors check front matter, site.yaml and sample.yaml with to %s/\n", schemaDir)
	}
	return exitOK
}

// relPath is the slash path from folder dir to file target, both relative
// to the site root.
func relPath(dir, target string) string {
	r, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(target))
	if err != nil {
		return "/" + target
	}
	return filepath.ToSlash(r)
}

// writeSchemas brings the site's copy of the schemas up to this versus's,
// and reports whether it had to write any.
func writeSchemas(root string) (bool, error) {
	dir := filepath.Join(root, filepath.FromSlash(schemaDir))
	wrote := false
	for _, name := range []string{schema.Site, schema.FrontMatter, schema.Sample} {
		want, err := schema.FS.ReadFile(name)
		if err != nil {
			return wrote, err
		}
		file := filepath.Join(dir, name)
		if have, err := os.ReadFile(file); err == nil && bytes.Equal(have, want) {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return wrote, err
		}
		// Written beside and renamed, so an editor never reads half a schema.
		tmp, err := os.CreateTemp(dir, "."+name+".*")
		if err != nil {
			return wrote, err
		}
		_, werr := tmp.Write(want)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), file)
		}
		if werr != nil {
			if rerr := os.Remove(tmp.Name()); rerr != nil && !errors.Is(rerr, iofs.ErrNotExist) {
				return wrote, fmt.Errorf("writing %s: %v (and removing %s: %v)", file, werr, tmp.Name(), rerr)
			}
			return wrote, fmt.Errorf("writing %s: %v", file, werr)
		}
		wrote = true
	}
	return wrote, nil
}

// insideSite refuses a folder to write in that is, or would be created
// under, a symbolic link leading out of the site: new never writes
// outside it.
func insideSite(root, dir string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	// The nearest folder that exists decides where the rest is created.
	existing := dir
	for {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			break
		}
		existing = parent
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return err
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		shown, _ := filepath.Rel(root, existing)
		return fmt.Errorf("%s leads outside the site (to %s)", filepath.ToSlash(shown), real)
	}
	return nil
}
