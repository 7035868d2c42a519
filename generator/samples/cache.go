package samples

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// CacheDir is the cache folder's name at the site root. versus writes a
// .gitignore into it, so a site never commits its cache by accident.
const CacheDir = ".versus-cache"

// cacheFormat changes whenever what a key covers or an entry holds changes,
// so that old entries are never misread.
const cacheFormat = "versus-sample-cache-v3" // v3: outputs show the working directory as {cwd}

// Cache keeps the results of passing runs on disk, one file per subject's
// file of a sample, named by the hash of everything the run depends on
// except the runtime: the sample's files, the file run and the run argv.
// An entry records the runtime version it passed with, so a run is reused
// only when that version is the same too.
type Cache struct {
	// Dir holds the entries, e.g. SITE/.versus-cache/samples.
	Dir string
}

// NewCache returns the cache for a site root at the default cache folder
// (SITE/.versus-cache/samples). Commands that take --cache-dir use CacheIn.
func NewCache(siteRoot string) *Cache {
	return &Cache{Dir: filepath.Join(siteRoot, CacheDir, "samples")}
}

// CacheIn returns the sample cache inside the cache folder dir
// (dir/samples), or nil, which caches nothing, when dir is "": --cache-dir ""
// means no cache at all.
func CacheIn(dir string) *Cache {
	if dir == "" {
		return nil
	}
	return &Cache{Dir: filepath.Join(dir, "samples")}
}

// Entry is one cached passing run.
type Entry struct {
	Sample  string `json:"sample"`
	Subject string `json:"subject"`
	File    string `json:"file"`
	// Version is what the version command printed, as printed.
	Version string `json:"version"`
	// Runtime is how the page names it ("Node.js v20.20.2").
	Runtime string `json:"runtime"`
	// Date is the day the run passed (YYYY-MM-DD).
	Date string `json:"date"`
	// Text is the normalised stdout, or the response body for served samples.
	Text string `json:"text"`
	// Served is the requested path for served samples.
	Served string `json:"served,omitempty"`
	// Stderr is kept when the sample expects it; Exit is the exit status.
	Stderr string `json:"stderr,omitempty"`
	Exit   int    `json:"exit,omitempty"`
}

// Key is the hash of what a subject's run depends on, runtime aside: every
// file of the sample folder, the file that runs and the subject's argv.
// Editing any of them (expected.txt and sample.yaml included) changes it.
func Key(s *Sample, f *File) string {
	h := sha256.New()
	field := func(v string) {
		// Length-prefixed, so no two different inputs hash the same stream.
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{':'})
		h.Write([]byte(v))
	}
	field(cacheFormat)
	field(f.Subject.ID)
	field(f.Name)
	field(strconv.Itoa(len(f.Subject.Run)))
	for _, a := range f.Subject.Run {
		field(a)
	}
	names := make([]string, 0, len(s.All))
	for n := range s.All {
		names = append(names, n)
	}
	sort.Strings(names)
	field(strconv.Itoa(len(names)))
	for _, n := range names {
		field(n)
		field(string(s.All[n]))
		if s.Exec[n] {
			field("x")
		} else {
			field("-")
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) path(key string) string { return filepath.Join(c.Dir, key+".json") }

// Get returns the entry for key, or nil when there is none or it cannot be
// read (a damaged entry only costs a run).
func (c *Cache) Get(key string) *Entry {
	if c == nil {
		return nil
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil
	}
	return &e
}

// Put stores the entry for key. It writes a temporary file and renames it,
// so concurrent builds never read half an entry.
func (c *Cache) Put(key string, e *Entry) error {
	if c == nil {
		return nil
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("sample cache: %w", err)
	}
	if err := c.ignore(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("sample cache: %w", err)
	}
	tmp, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("sample cache: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("sample cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.path(key)); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("sample cache: %w", err)
	}
	return nil
}

// ignore writes a .gitignore that ignores everything into the cache's top
// folder (.versus-cache/), once.
func (c *Cache) ignore() error {
	top := c.Dir
	if filepath.Base(filepath.Dir(top)) == CacheDir {
		top = filepath.Dir(top)
	}
	p := filepath.Join(top, ".gitignore")
	if _, err := os.Stat(p); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sample cache: %w", err)
	}
	if err := os.WriteFile(p, []byte("# versus's cache of sample runs; safe to delete.\n*\n"), 0o644); err != nil {
		return fmt.Errorf("sample cache: %w", err)
	}
	return nil
}

// today formats a time as the date the page shows.
func today(t time.Time) string { return t.Format(time.DateOnly) }
