package main

import "path/filepath"

// cacheDir resolves --cache-dir against the site root; "" means no cache.
func (f siteFlags) cacheDir(source string) string {
	if f.cache == "" {
		return ""
	}
	if filepath.IsAbs(f.cache) {
		return f.cache
	}
	return filepath.Join(source, f.cache)
}
