package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"versus/generator/diagram"
	"versus/generator/highlight"
)

// highlightCache is the highlighting cache file in the cache folder.
const highlightCache = "highlight.bin"

// diagramCache is the folder of drawn diagrams in the cache folder.
const diagramCache = "diagrams"

// diagrams returns the diagram renderer for a build, keeping its drawings
// in the cache folder when there is one.
func diagrams(cacheDir string) *diagram.Renderer {
	r := diagram.New()
	if cacheDir != "" {
		r.CacheDir = filepath.Join(cacheDir, diagramCache)
	}
	return r
}

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
