package socialcard

import "github.com/versus-ssg/versus/generator/dircache"

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
type DirCache = dircache.Cache

// NewDirCache returns a cache in dir, which it creates when the first card
// is put.
func NewDirCache(dir string) *DirCache { return dircache.New(dir, ".png", wholePNG) }

// wholePNG tells a card from a file a full disk cut short (a build killed
// while writing is ruled out by the rename in Put), which is drawn again.
func wholePNG(data []byte) bool { return len(data) >= 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n" }
