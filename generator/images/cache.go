package images

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// DirCache is a Cache in a folder (.versus-cache/images/): one file per
// copy, named by its Key. Making copies never depends on it: a copy missing
// from the folder, or one that cannot be written there, is simply made.
type DirCache struct {
	dir  string
	mu   sync.Mutex
	used map[string]bool
	err  error
}

// NewDirCache returns a cache in dir, which it creates when the first copy
// is put.
func NewDirCache(dir string) *DirCache { return &DirCache{dir: dir, used: map[string]bool{}} }

func validKey(key string) bool { return len(key) == 64 && strings.Trim(key, "0123456789abcdef") == "" }

// Get implements Cache.
func (c *DirCache) Get(key string) ([]byte, bool) {
	if !validKey(key) {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(c.dir, key))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			c.fail(err)
		}
		return nil, false
	}
	// Only whole PNG and JPEG files were put; anything else was cut short
	// (a full disk) and is made again.
	if !(len(data) > 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n" && string(data[len(data)-8:len(data)-4]) == "IEND") &&
		!(len(data) > 4 && data[0] == 0xff && data[1] == 0xd8 && data[len(data)-2] == 0xff && data[len(data)-1] == 0xd9) {
		return nil, false
	}
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
	return data, true
}

// Put implements Cache. The copy is written beside its place and renamed
// into it, so a reader never sees half a file.
func (c *DirCache) Put(key string, data []byte) {
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
		err = os.Rename(f.Name(), filepath.Join(c.dir, key))
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

// Prune removes the copies this cache did not serve or store since it was
// made: after a good build, those of pictures that changed or went away.
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
		key, tmp, _ := strings.Cut(name, ".new-")
		switch {
		case e.IsDir(), !validKey(key):
			continue // not ours
		case tmp == "" && c.used[key]:
			continue
		}
		if err := os.Remove(filepath.Join(c.dir, name)); err != nil && first == nil {
			first = err
		}
	}
	return first
}
