package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"versus/generator/build"
	"versus/generator/highlight"
	"versus/generator/socialcard"
)

// highlightCache is the highlighting cache file in the cache folder, and
// cardCache the folder of drawn social cards.
const (
	highlightCache = "highlight.bin"
	cardCache      = "cards"
)

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

// openHighlights points h at the cache folder: earlier results are read
// from it and this build's are written to it. A missing or outdated cache is
// normal; anything else is worth a word with --verbose, and the build goes
// on without the old cache.
func openHighlights(e *env, f siteFlags, dir string, h *highlight.Highlighter) {
	if dir == "" {
		h.Forget()
		return
	}
	err := h.OpenCache(filepath.Join(dir, highlightCache))
	if err != nil && !errors.Is(err, highlight.ErrStaleCache) && f.verbose {
		fmt.Fprintf(e.stdout, "not using the highlight cache: %v\n", err)
	}
}

// openCards points the build at the social cards drawn by earlier builds,
// so that only new and changed pages' cards are drawn; nil without a cache
// folder.
func openCards(opts *build.Options, dir string) *socialcard.DirCache {
	if dir == "" {
		return nil
	}
	c := socialcard.NewDirCache(filepath.Join(dir, cardCache))
	opts.Cards = c
	return c
}

// closeCards drops the cards no page of a good build used, and mentions
// with --verbose why the cache did not serve.
func closeCards(e *env, f siteFlags, c *socialcard.DirCache, good bool) {
	if c == nil {
		return
	}
	err := c.Err()
	if good && err == nil {
		err = c.Prune()
	}
	if err != nil && f.verbose {
		fmt.Fprintf(e.stdout, "social card cache: %v\n", err)
	}
}
