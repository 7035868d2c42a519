package socialcard

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Cache keeps drawn cards between builds, by Card.Key, so that an
// unchanged page's card is not drawn again. Implementations must be safe
// for concurrent use.
type Cache interface {
	// Get returns the PNG cached under key.
	Get(key string) ([]byte, bool)
	// Put caches a card's PNG under key.
	Put(key string, png []byte)
}

// DirCache is a Cache in a folder (.versus-cache/cards/): one KEY.png per
// card. Drawing never depends on it: a card missing from the folder, or
// one that cannot be written there, is simply drawn. Err reports the first
// problem so that the caller can mention it.
type DirCache struct {
	dir  string
	mu   sync.Mutex
	used map[string]bool
	err  error
}

// NewDirCache returns a cache in dir, which it creates when the first card
// is put.
func NewDirCache(dir string) *DirCache {
	return &DirCache{dir: dir, used: map[string]bool{}}
}

func (c *DirCache) file(key string) string { return filepath.Join(c.dir, key+".png") }

// validKey keeps names from elsewhere out of the folder's paths.
func validKey(key string) bool {
	return key != "" && strings.Trim(key, "0123456789abcdef") == ""
}

// Get implements Cache.
func (c *DirCache) Get(key string) ([]byte, bool) {
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
	// A file cut short (a build killed while writing is ruled out by the
	// rename in Put, but a full disk is not) is drawn again.
	if len(data) < 8 || string(data[:8]) != "\x89PNG\r\n\x1a\n" {
		return nil, false
	}
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	return data, true
}

// Put implements Cache. The card is written beside its place and renamed
// into it, so a reader never sees half a file.
func (c *DirCache) Put(key string, png []byte) {
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
	_, err = f.Write(png)
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

func (c *DirCache) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
}

// Err returns the first problem reading or writing the folder, if any.
func (c *DirCache) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Prune removes the cards this cache did not serve or store since it was
// made: after a good build, those of pages that changed or went away.
func (c *DirCache) Prune() error {
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
		case strings.HasSuffix(name, ".png") && validKey(strings.TrimSuffix(name, ".png")):
			if c.used[strings.TrimSuffix(name, ".png")] {
				continue
			}
		default:
			// Not a card: leave what someone else put here.
			continue
		}
		if err := os.Remove(filepath.Join(c.dir, name)); err != nil && first == nil {
			first = err
		}
	}
	return first
}
