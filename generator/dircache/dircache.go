// Package dircache keeps files a build made, by a content key, in a folder
// of the cache directory (.versus-cache/cards/, .versus-cache/images/), so
// that the next build reuses them instead of making them again. A build
// never depends on it: a file missing from the folder, cut short, or one
// that cannot be written there is simply made again; Err reports the first
// problem so that the caller can mention it.
package dircache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Cache is one folder of kept files, named KEY+ext. It is safe for
// concurrent use.
type Cache struct {
	dir   string
	ext   string
	whole func([]byte) bool
	mu    sync.Mutex
	used  map[string]bool
	err   error
}

// New returns a cache in dir, which it creates when the first file is put.
// Files are named KEY+ext; whole tells a complete file from one a full disk
// cut short, which Get then does not return.
func New(dir, ext string, whole func([]byte) bool) *Cache {
	return &Cache{dir: dir, ext: ext, whole: whole, used: map[string]bool{}}
}

// validKey keeps names from elsewhere out of the folder's paths: keys are
// hexadecimal digests.
func validKey(key string) bool {
	return key != "" && len(key) <= 128 && strings.Trim(key, "0123456789abcdef") == ""
}

func (c *Cache) file(key string) string { return filepath.Join(c.dir, key+c.ext) }

// Get returns the file kept under key.
func (c *Cache) Get(key string) ([]byte, bool) {
	if !validKey(key) {
		return nil, false
	}
	data, err := os.ReadFile(c.file(key))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.fail(err)
		}
		return nil, false
	}
	if !c.whole(data) {
		return nil, false
	}
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	return data, true
}

// Put keeps data under key. The file is written beside its place and
// renamed into it, so a reader never sees half a file.
func (c *Cache) Put(key string, data []byte) {
	if !validKey(key) {
		return
	}
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		c.fail(err)
		return
	}
	f, err := os.CreateTemp(c.dir, key+".new-*")
	if err != nil {
		c.fail(err)
		return
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.file(key))
	}
	if err != nil {
		os.Remove(f.Name())
		c.fail(err)
	}
}

func (c *Cache) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
}

// Err returns the first problem reading or writing the folder, if any.
func (c *Cache) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Prune removes the files this cache did not serve or keep since it was
// made (after a good build: those of things that changed or went away) and
// the half-written files of builds that were stopped. Anything else in the
// folder is someone else's and stays.
func (c *Cache) Prune() error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		key, tmp, _ := strings.Cut(name, ".new-")
		switch {
		case tmp != "" && validKey(key):
			// Left over by a build that was stopped while writing.
		case strings.HasSuffix(name, c.ext) && validKey(strings.TrimSuffix(name, c.ext)):
			if c.used[strings.TrimSuffix(name, c.ext)] {
				continue
			}
		default:
			continue
		}
		if err := os.Remove(filepath.Join(c.dir, name)); err != nil && first == nil {
			first = err
		}
	}
	return first
}
