package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"

	"versus/generator/config"
	"versus/generator/content"
	"versus/generator/layout"
	"versus/layouts"
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
	fmt.Fprintf(h, "base=%q drafts=%v future=%v search=%v extensions=%d\n", opts.BaseURL, opts.Drafts, opts.Future, !opts.NoSearch, len(opts.Extensions))
	for _, x := range extra {
		fmt.Fprintf(h, "extra=%q\n", x)
	}
	theme := opts.Theme
	if theme == nil {
		theme = layouts.FS
	}
	if err := hashTree(h, "theme:", theme, "."); err != nil {
		return "", err
	}
	for _, name := range config.Files {
		if err := hashFile(h, opts.Source, name); err != nil {
			return "", err
		}
	}
	for _, dir := range []string{content.Dir, layout.Dir} {
		if err := hashTree(h, "", opts.Source, dir); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashTree(h io.Writer, prefix string, fsys fs.FS, root string) error {
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
		if err := hashFile(h, fsys, f); err != nil {
			return err
		}
	}
	return nil
}

func hashFile(h io.Writer, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	fmt.Fprintf(h, "%d:", len(b))
	_, err = h.Write(b)
	return err
}
