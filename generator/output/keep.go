package output

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// manifestHeader starts a manifest file; the destination follows it, so a
// manifest is only trusted for the folder it describes.
const manifestHeader = "versus output manifest 1 "

// keeper remembers what the previous build wrote (path → hash and size), so
// that a file whose bytes did not change is hard-linked from the previous
// output into the new one instead of written again. The swap stays atomic,
// and the file keeps its inode and modification time, which rsync, CDN
// uploaders and browsers' caches all notice.
type keeper struct {
	path string // the manifest file
	// digest is the previous build's input digest, and stats what it
	// reported; see Unchanged.
	digest string
	stats  Stats
	prev   map[string]entry
	mu     sync.Mutex
	next   map[string]entry
	// Linked counts files kept from the previous output.
	linked int
}

// Stats are what a build reported, kept with the manifest so that a build
// found to be unchanged can report the same.
type Stats struct {
	Pages, Files, Samples int
}

type entry struct {
	hash string
	size int64
}

// KeepUnchanged makes the staging folder reuse unchanged files of the
// current output, using the manifest file at path (written by Commit). A
// missing or foreign manifest only means every file is written.
func (s *Staging) KeepUnchanged(path string) error {
	k := &keeper{path: path, prev: map[string]entry{}, next: map[string]entry{}}
	s.keep = k
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	if !sc.Scan() || sc.Text() != manifestHeader+s.Dest {
		return nil
	}
	if !sc.Scan() {
		return nil
	}
	if _, err := fmt.Sscanf(sc.Text(), "digest %s pages %d files %d samples %d", &k.digest, &k.stats.Pages, &k.stats.Files, &k.stats.Samples); err != nil {
		return fmt.Errorf("%s: not a manifest; writing every file", path)
	}
	for sc.Scan() {
		hash, rest, ok1 := strings.Cut(sc.Text(), " ")
		size, name, ok2 := strings.Cut(rest, " ")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok1 || !ok2 || err != nil {
			k.prev = map[string]entry{}
			return fmt.Errorf("%s: not a manifest; writing every file", path)
		}
		k.prev[name] = entry{hash, n}
	}
	return sc.Err()
}

// Linked reports how many files the last Commit kept from the previous
// output.
func (s *Staging) Linked() int {
	if s.keep == nil {
		return 0
	}
	return s.keep.linked
}

// reuse links name from the previous output when its bytes are the same;
// it records the new file's entry either way.
func (k *keeper) reuse(s *Staging, name string, data []byte) bool {
	sum := sha256.Sum256(data)
	e := entry{hex.EncodeToString(sum[:16]), int64(len(data))}
	k.mu.Lock()
	k.next[name] = e
	old, ok := k.prev[name]
	k.mu.Unlock()
	if !ok || old != e {
		return false
	}
	from := filepath.Join(s.Dest, filepath.FromSlash(name))
	var st unix.Stat_t
	if unix.Lstat(from, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != e.size {
		return false
	}
	if unix.Link(from, filepath.Join(s.Tmp, filepath.FromSlash(name))) != nil {
		return false
	}
	k.mu.Lock()
	k.linked++
	k.mu.Unlock()
	return true
}

// Unchanged reports whether the current output was written by a build with
// this input digest and still holds every file it wrote, at its size; then
// a new build would write the same bytes and the output can stay as it is.
func (s *Staging) Unchanged(digest string) (Stats, bool) {
	k := s.keep
	if k == nil || k.digest == "" || k.digest != digest || len(k.prev) == 0 {
		return Stats{}, false
	}
	var st unix.Stat_t
	for name, e := range k.prev {
		if unix.Lstat(filepath.Join(s.Dest, filepath.FromSlash(name)), &st) != nil || st.Size != e.size {
			return Stats{}, false
		}
	}
	return k.stats, true
}

// SaveManifest records what the committed output holds and the digest and
// stats of the build that wrote it, for the next build's KeepUnchanged and
// Unchanged. Without it the next build writes every file again.
func (s *Staging) SaveManifest(digest string, stats Stats) error {
	if s.keep == nil {
		return nil
	}
	s.keep.digest, s.keep.stats = digest, stats
	return s.keep.save(s.Dest)
}

func (k *keeper) save(dest string) error {
	names := make([]string, 0, len(k.next))
	for n := range k.next {
		names = append(names, n)
	}
	sort.Strings(names)
	if err := os.MkdirAll(filepath.Dir(k.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(k.path), filepath.Base(k.path)+".new-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	fmt.Fprintf(w, "%s%s\n", manifestHeader, dest)
	digest := k.digest
	if digest == "" {
		digest = "-"
	}
	fmt.Fprintf(w, "digest %s pages %d files %d samples %d\n", digest, k.stats.Pages, k.stats.Files, k.stats.Samples)
	for _, n := range names {
		e := k.next[n]
		fmt.Fprintf(w, "%s %d %s\n", e.hash, e.size, n)
	}
	err = w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), k.path)
}
