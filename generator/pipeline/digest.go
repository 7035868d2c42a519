package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/layouts"
)

// InputDigest is a hash of everything a build reads: the settings file,
// every file under content/ (samples included) and layouts/, the built-in
// theme, and the options that change the output. Two builds with the same
// digest write the same bytes, so the command can leave an output that a
// build with this digest wrote as it is. extra adds what the caller knows
// changes the output too (the day, for future-dated pages; the version of
// versus; which sample results are cached).
func InputDigest(opts Options, extra ...string) (string, error) {
	h := sha256.New()
	if err := digestHead(h, opts, extra); err != nil {
		return "", err
	}
	// A file larger than every limit fails any build that reads it, so no
	// output was ever built from its bytes: its size stands for them,
	// instead of reading a gigabyte to hash it.
	limits := generator.Limits{}.WithDefaults()
	if cfg, err := config.Load(opts.Source); err == nil {
		limits = cfg.Limits
	}
	max := max(limits.Page, limits.File, limits.Sample)
	for _, name := range config.Files {
		if err := hashFile(h, opts.Source, name, max); err != nil {
			return "", err
		}
	}
	for _, dir := range generator.SourceDirs() {
		if err := hashTree(h, "", opts.Source, dir, max); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// InputDigestOf is InputDigest of a site whose files (the same as
// InputDigest reads) were hashed already: sums maps each path to what
// stands for its bytes.
func InputDigestOf(opts Options, sums map[string]string, extra ...string) (string, error) {
	h := sha256.New()
	if err := digestHead(h, opts, extra); err != nil {
		return "", err
	}
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(h, "%s %s\n", n, sums[n])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// digestHead hashes the options, extra and the built-in theme.
func digestHead(h io.Writer, opts Options, extra []string) error {
	fmt.Fprintf(h, "base=%q drafts=%v future=%v search=%v extensions=%d\n", opts.BaseURL, opts.Drafts, opts.Future, !opts.NoSearch, len(opts.Extensions))
	for _, x := range extra {
		fmt.Fprintf(h, "extra=%q\n", x)
	}
	theme := opts.Theme
	if theme == nil {
		theme = layouts.FS
	}
	return hashTree(h, "theme:", theme, ".", 1<<40)
}

func hashTree(h io.Writer, prefix string, fsys fs.FS, root string, max int64) error {
	var files []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		fmt.Fprintf(h, "%s%s\n", prefix, f)
		if err := hashFile(h, fsys, f, max); err != nil {
			return err
		}
	}
	return nil
}

func hashFile(h io.Writer, fsys fs.FS, name string, max int64) error {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if !fi.Mode().IsRegular() || fi.Size() > max {
		// The build refuses it (a pipe would block this read forever).
		_, err := fmt.Fprintf(h, "%d:refused %v\n", fi.Size(), fi.Mode().Type())
		return err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(h, "%d:", fi.Size())
	_, err = io.Copy(h, io.LimitReader(f, max+1))
	return err
}
