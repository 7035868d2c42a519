package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"versus/generator/highlight"
)

// highlightCache is the highlighting cache file in the cache folder.
const highlightCache = "highlight.bin"

// cacheDir resolves --cache-dir against the site root.
func (f siteFlags) cacheDir(source string) string {
	if f.cache == "" {
		return ""
	}
	if filepath.IsAbs(f.cache) {
		return f.cache
	}
	return filepath.Join(source, f.cache)
}

// loadHighlights fills h from the cache folder. A missing or outdated cache
// is normal; anything else is worth a word with --verbose.
func loadHighlights(e *env, f siteFlags, dir string, h *highlight.Highlighter) {
	if dir == "" {
		return
	}
	file, err := os.Open(filepath.Join(dir, highlightCache))
	if err != nil {
		return
	}
	defer file.Close()
	if err := h.Load(file); err != nil && !errors.Is(err, highlight.ErrStaleCache) && f.verbose {
		fmt.Fprintf(e.stdout, "ignoring the highlight cache: %v\n", err)
	}
}

// saveHighlights writes the cache atomically, so a crash never leaves half
// a file behind for the next build to trip on.
func saveHighlights(dir string, h *highlight.Highlighter) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, highlightCache+".*")
	if err != nil {
		return err
	}
	if err := h.Save(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, highlightCache))
}
