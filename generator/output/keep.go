package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// manifestHeader starts a manifest file; the destination follows it, so a
// manifest is only trusted for the folder it describes. Version 2 records
// each file's identity on disk (inode, size, modification and change times)
// and ends with a line that counts the entries, so a partial manifest is
// never mistaken for a whole one. Version 3 also names the previous output
// kept for recycling (or "-") and the files of it that the output no
// longer has (see recycle.go).
const manifestHeader = "versus output manifest 3 "

// keeper remembers what the previous build wrote, so that a file whose
// bytes did not change is hard-linked from the previous output into the new
// one instead of written again. The swap stays atomic, and the file keeps
// its inode and modification time, which rsync, CDN uploaders and browsers'
// caches all notice.
//
// The manifest is a hint, never the truth: an entry is trusted only when
// the file on disk is still the very file it describes (same inode, size,
// modification and change time, so an edit in place of the same size is
// seen); any doubt (no manifest, a partial or foreign one, a file that
// changed since) makes the keeper compare the bytes themselves.
type keeper struct {
	path string // the manifest file
	// digest is the previous build's input digest, and stats what it
	// reported; see Unchanged. Only a whole manifest (trusted) sets them.
	digest  string
	stats   Stats
	trusted bool
	prev    map[string]entry
	// destFd is the previous output's folder, -1 when there is none.
	destFd int
	mu     sync.Mutex
	next   map[string]entry
	// linked counts files kept from the previous output; compared counts
	// those whose bytes had to be read to know.
	linked, compared int
	// prevTree is where the manifest says the output before the previous
	// one is kept ("" for nowhere), and gone the files it holds that the
	// previous output does not.
	prevTree string
	gone     []string
}

// Stats are what a build reported, kept with the manifest so that a build
// found to be unchanged can report the same.
type Stats struct {
	Pages, Files, Samples int
}

// entry is one output file: its hash and size, and (in a manifest) which
// file on disk holds them.
type entry struct {
	hash string
	size int64
	id   fileID
	// current says id is still the file's on disk: a recycled staging
	// folder kept it as it was, with no link made or removed since the
	// manifest that gave id, so SaveManifest need not look again.
	current bool
}

// fileID tells whether a file is still the one a manifest describes.
type fileID struct {
	ino, mtime, ctime int64
}

func idOf(st *unix.Stat_t) fileID {
	return fileID{ino: int64(st.Ino), mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}
}

// KeepUnchanged makes the staging folder reuse unchanged files of the
// current output, using the manifest file at path (written by
// SaveManifest). A missing, partial or foreign manifest only means the
// bytes of the previous output are compared instead of trusted; the error
// returned says why the manifest was not used, for --verbose.
func (s *Staging) KeepUnchanged(path string) error {
	k := &keeper{path: path, prev: map[string]entry{}, next: map[string]entry{}, destFd: -1}
	s.keep = k
	fd, err := unix.Open(s.Dest, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		// No previous output (or not a folder): nothing to keep.
		return nil
	}
	k.destFd = fd
	m, err := readManifest(path, s.Dest)
	if err != nil {
		return err
	}
	k.prev, k.digest, k.stats, k.trusted = m.entries, m.digest, m.stats, true
	k.prevTree, k.gone = m.prevTree, m.gone
	return nil
}

// manifest is what a manifest file says.
type manifest struct {
	entries  map[string]entry
	digest   string
	stats    Stats
	prevTree string
	gone     []string
}

// readManifest reads a whole manifest for dest.
func readManifest(file, dest string) (*manifest, error) {
	var stats Stats
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no output manifest (%s): comparing the previous output's bytes", file)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the output manifest: %w; comparing the previous output's bytes", err)
	}
	defer f.Close()
	bad := func(why string) error {
		return fmt.Errorf("%s: %s; comparing the previous output's bytes", file, why)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	if !sc.Scan() || sc.Text() != manifestHeader+dest {
		return nil, bad("not a manifest of this versus for " + dest)
	}
	m := &manifest{entries: map[string]entry{}}
	if !sc.Scan() {
		return nil, bad("cut short")
	}
	if _, err := fmt.Sscanf(sc.Text(), "digest %s pages %d files %d samples %d", &m.digest, &stats.Pages, &stats.Files, &stats.Samples); err != nil {
		return nil, bad("not a manifest")
	}
	m.stats = stats
	if !sc.Scan() {
		return nil, bad("cut short")
	}
	prevTree, ok := strings.CutPrefix(sc.Text(), "previous ")
	if !ok {
		return nil, bad("not a manifest")
	}
	if prevTree != "-" {
		m.prevTree = prevTree
	}
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "gone "); ok {
			m.gone = append(m.gone, n)
			continue
		}
		if n, ok := strings.CutPrefix(line, "end "); ok {
			if n != strconv.Itoa(len(m.entries)) || sc.Scan() {
				return nil, bad("damaged")
			}
			if m.digest == "-" {
				m.digest = ""
			}
			return m, nil
		}
		f := strings.SplitN(line, " ", 6)
		if len(f) != 6 {
			return nil, bad("damaged")
		}
		var nums [4]int64
		for i := range nums {
			if nums[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
				return nil, bad("damaged")
			}
		}
		m.entries[f[5]] = entry{hash: f[0], size: nums[0], id: fileID{ino: nums[1], mtime: nums[2], ctime: nums[3]}}
	}
	if err := sc.Err(); err != nil {
		return nil, bad(err.Error())
	}
	return nil, bad("cut short (a build was interrupted while writing it)")
}

// Linked reports how many files the build kept from the previous output.
func (s *Staging) Linked() int {
	if s.keep == nil {
		return 0
	}
	return s.keep.linked
}

// Compared reports how many previous output files had to be read to know
// they were unchanged, because the manifest could not vouch for them.
func (s *Staging) Compared() int {
	if s.keep == nil {
		return 0
	}
	return s.keep.compared
}

func (k *keeper) closeDest() {
	if k.destFd >= 0 {
		unix.Close(k.destFd)
		k.destFd = -1
	}
}

// record notes that name was written with entry e.
func (k *keeper) record(name string, e entry) {
	k.mu.Lock()
	k.next[name] = e
	k.mu.Unlock()
}

// entryOf is the manifest entry of a file holding data.
func entryOf(data []byte) entry {
	sum := sha256.Sum256(data)
	return entry{hash: hex.EncodeToString(sum[:16]), size: int64(len(data))}
}

// current reports whether, in a recycled staging folder, name already is
// the previous output's file, and that file holds e's bytes by the
// manifest, which vouches for it as it is on disk; then it records it.
func (k *keeper) current(s *Staging, name string, e entry) bool {
	k.mu.Lock()
	old, ok := k.prev[name]
	k.mu.Unlock()
	if !ok || !k.trusted || k.destFd < 0 || s.tmpFd < 0 || old.hash != e.hash || old.size != e.size {
		return false
	}
	dir, base := path.Split(name)
	from, to := k.destFd, s.tmpFd
	if dir != "" {
		d := strings.TrimSuffix(dir, "/")
		fd, err := openDir(k.destFd, d)
		if err != nil {
			return false
		}
		defer unix.Close(fd)
		td, err := openDir(s.tmpFd, d)
		if err != nil {
			return false
		}
		defer unix.Close(td)
		from, to = fd, td
	}
	var st, cur unix.Stat_t
	if unix.Fstatat(from, base, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG ||
		st.Size != e.size || idOf(&st) != old.id {
		return false
	}
	if unix.Fstatat(to, base, &cur, unix.AT_SYMLINK_NOFOLLOW) != nil || cur.Mode&unix.S_IFMT != unix.S_IFREG ||
		cur.Ino != st.Ino || cur.Dev != st.Dev {
		return false
	}
	old.current = true
	k.mu.Lock()
	k.linked++
	k.next[name] = old
	k.mu.Unlock()
	return true
}

func (k *keeper) link(s *Staging, name string, data []byte, e entry) bool {
	k.mu.Lock()
	old, inManifest := k.prev[name]
	k.mu.Unlock()
	if k.destFd < 0 || s.tmpFd < 0 {
		return false
	}
	if inManifest && (old.hash != e.hash || old.size != e.size) {
		// The manifest says the file changed. Were it wrong (the file was
		// edited since), writing anew is still right.
		return false
	}
	dir, base := path.Split(name)
	from := k.destFd
	if dir != "" {
		fd, err := openDir(k.destFd, strings.TrimSuffix(dir, "/"))
		if err != nil {
			return false
		}
		defer unix.Close(fd)
		from = fd
	}
	var st unix.Stat_t
	if unix.Fstatat(from, base, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != e.size {
		return false
	}
	if !inManifest || !k.trusted || old.id != idOf(&st) {
		// In doubt: compare the bytes.
		if !sameBytes(from, base, data) {
			return false
		}
		k.mu.Lock()
		k.compared++
		k.mu.Unlock()
	}
	to := s.tmpFd
	if dir != "" {
		fd, err := openDir(s.tmpFd, strings.TrimSuffix(dir, "/"))
		if err != nil {
			return false
		}
		defer unix.Close(fd)
		to = fd
	}
	// linkat follows no link at the old name.
	if unix.Linkat(from, base, to, base, 0) != nil {
		return false
	}
	k.mu.Lock()
	k.linked++
	k.mu.Unlock()
	return true
}

// sameBytes reports whether the regular file base under dirfd holds data.
func sameBytes(dirfd int, base string, data []byte) bool {
	fd, err := unix.Openat(dirfd, base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	f := os.NewFile(uintptr(fd), base)
	defer f.Close()
	buf := make([]byte, min(len(data)+1, 1<<16))
	rest := data
	for {
		n, err := f.Read(buf)
		if n > len(rest) || !bytes.Equal(buf[:n], rest[:n]) {
			return false
		}
		rest = rest[n:]
		if err == io.EOF {
			return len(rest) == 0
		}
		if err != nil {
			return false
		}
	}
}

// Unchanged reports whether the current output was written by a build with
// this input digest and is still exactly what that build wrote: a whole
// manifest, every file it lists the very file it describes, and nothing
// else in the folder. Then a new build would write the same bytes and the
// output can stay as it is.
func (s *Staging) Unchanged(digest string) (Stats, bool) {
	k := s.keep
	if k == nil || !k.trusted || k.digest == "" || k.digest != digest || len(k.prev) == 0 {
		return Stats{}, false
	}
	dirs := map[string]bool{}
	for name := range k.prev {
		for d := path.Dir(name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	files := 0
	ok := true
	err := filepath.WalkDir(s.Dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == s.Dest {
			if !d.IsDir() {
				ok = false
				return fs.SkipAll
			}
			return nil
		}
		name := filepath.ToSlash(p[len(s.Dest)+1:])
		if d.IsDir() {
			if !dirs[name] {
				ok = false
				return fs.SkipAll
			}
			return nil
		}
		e, listed := k.prev[name]
		var st unix.Stat_t
		if !listed || !d.Type().IsRegular() || unix.Lstat(p, &st) != nil || st.Size != e.size || idOf(&st) != e.id {
			ok = false
			return fs.SkipAll
		}
		files++
		return nil
	})
	if err != nil || !ok || files != len(k.prev) {
		return Stats{}, false
	}
	return k.stats, true
}

// SaveManifest records what the committed output holds and the digest and
// stats of the build that wrote it, for the next build's KeepUnchanged and
// Unchanged. It writes a new file and renames it over the old one, so a
// manifest is whole or absent. An error means the next build compares the
// previous output's bytes instead; callers report it as a failure. It
// releases the lock Stage took.
func (s *Staging) SaveManifest(digest string, stats Stats) error {
	defer s.lock.Unlock()
	// Removing the previous output unlinks the second name of every file
	// kept from it, which changes the file's change time: the manifest
	// records the times after that.
	s.waitRemoved()
	if s.keep == nil {
		return nil
	}
	if s.InPlace {
		// The in-place update rewrote files without recording their
		// identities; the next build compares bytes.
		return nil
	}
	s.keep.digest, s.keep.stats = digest, stats
	if s.saveErr != nil {
		return s.saveErr
	}
	prevTree := ""
	if s.keptPrev {
		prevTree = s.prevDir
	}
	return s.keep.save(s.Dest, prevTree)
}

// save writes the manifest of dest; prevTree is where the output before
// it is kept ("" for nowhere).
func (k *keeper) save(dest, prevTree string) error {
	names := make([]string, 0, len(k.next))
	for n := range k.next {
		names = append(names, n)
	}
	sort.Strings(names)
	dfd, err := unix.Open(dest, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: dest, Err: err}
	}
	defer unix.Close(dfd)
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
	if prevTree == "" || strings.ContainsAny(prevTree, "\n\r") {
		fmt.Fprintf(w, "previous -\n")
	} else {
		// The kept tree holds the previous output's files: those that
		// this output no longer has are named, for the next Recycle.
		fmt.Fprintf(w, "previous %s\n", prevTree)
		var gone []string
		for n := range k.prev {
			if _, ok := k.next[n]; !ok {
				gone = append(gone, n)
			}
		}
		sort.Strings(gone)
		for _, n := range gone {
			fmt.Fprintf(w, "gone %s\n", n)
		}
	}
	// Names are sorted: a folder's files come one after another, and its
	// folder is opened once for them.
	lastDir, lastFd := "", dfd
	defer func() {
		if lastFd != dfd {
			unix.Close(lastFd)
		}
	}()
	for _, n := range names {
		e := k.next[n]
		if e.current {
			fmt.Fprintf(w, "%s %d %d %d %d %s\n", e.hash, e.size, e.id.ino, e.id.mtime, e.id.ctime, n)
			continue
		}
		var st unix.Stat_t
		dir, base := path.Split(n)
		if dir != lastDir {
			if lastFd != dfd {
				unix.Close(lastFd)
			}
			lastDir, lastFd = dir, dfd
			if dir != "" {
				fd, err := openDir(dfd, strings.TrimSuffix(dir, "/"))
				if err != nil {
					tmp.Close()
					os.Remove(tmp.Name())
					return pathErr("stat", n, err)
				}
				lastFd = fd
			}
		}
		if err := unix.Fstatat(lastFd, base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return pathErr("stat", n, err)
		}
		id := idOf(&st)
		fmt.Fprintf(w, "%s %d %d %d %d %s\n", e.hash, e.size, id.ino, id.mtime, id.ctime, n)
	}
	fmt.Fprintf(w, "end %d\n", len(names))
	err = w.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), k.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// KeepAll puts the previous output's files names into the new output as
// they are, without their bytes, for a build that knows they did not
// change (an incremental one). The whole manifest must vouch for each file
// as it is on disk; otherwise KeepAll fails and the caller must write the
// files itself (or build in full). Files are linked folder by folder, each
// folder opened once, several folders at a time.
func (s *Staging) KeepAll(names []string) error {
	s.awaitRecycle()
	k := s.keep
	if k == nil || !k.trusted || k.destFd < 0 || s.tmpFd < 0 {
		return errors.New("no trusted manifest of the previous output")
	}
	byDir := map[string][]string{}
	for _, name := range names {
		if !fs.ValidPath(name) || name == "." {
			return fmt.Errorf("invalid output path %q", name)
		}
		dir, base := path.Split(name)
		byDir[dir] = append(byDir[dir], base)
	}
	dirs := make(chan string, 64)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range dirs {
				if err := s.keepDir(dir, byDir[dir]); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for dir := range byDir {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		dirs <- dir
	}
	close(dirs)
	wg.Wait()
	return first
}

// keepDir links the files bases of the folder dir ("" or "a/b/"). In a
// recycled staging folder a file that already is the previous output's
// file (the same inode) stays as it is.
func (s *Staging) keepDir(dir string, bases []string) error {
	k := s.keep
	from, to := k.destFd, s.tmpFd
	if dir != "" {
		d := strings.TrimSuffix(dir, "/")
		fd, err := openDir(k.destFd, d)
		if err != nil {
			return fmt.Errorf("keeping %s: %w", dir, err)
		}
		defer unix.Close(fd)
		from = fd
		td := -1
		if s.recycled {
			// The folder is most likely there already.
			td, err = openDir(s.tmpFd, d)
		}
		if td < 0 {
			if err := s.mkdir(d); err != nil {
				return err
			}
			if td, err = openDir(s.tmpFd, d); err != nil {
				return fmt.Errorf("keeping %s: %w", dir, err)
			}
		}
		defer unix.Close(td)
		to = td
	}
	for _, base := range bases {
		name := dir + base
		k.mu.Lock()
		e, ok := k.prev[name]
		k.mu.Unlock()
		if !ok {
			return fmt.Errorf("keeping %s: the manifest does not list it", name)
		}
		var st unix.Stat_t
		if err := unix.Fstatat(from, base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("keeping %s: %w", name, err)
		}
		if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != e.size || idOf(&st) != e.id {
			return fmt.Errorf("keeping %s: it changed since the manifest was written", name)
		}
		link := true
		if s.recycled {
			var cur unix.Stat_t
			switch err := unix.Fstatat(to, base, &cur, unix.AT_SYMLINK_NOFOLLOW); {
			case err == unix.ENOENT:
			case err != nil:
				return fmt.Errorf("keeping %s: %w", name, err)
			case cur.Mode&unix.S_IFMT == unix.S_IFREG && cur.Ino == st.Ino && cur.Dev == st.Dev:
				link = false
			default:
				if err := unix.Unlinkat(to, base, 0); err != nil {
					return fmt.Errorf("keeping %s: %w", name, err)
				}
			}
		}
		if link {
			if err := unix.Linkat(from, base, to, base, 0); err != nil {
				return fmt.Errorf("keeping %s: %w", name, err)
			}
		}
		e.current = !link
		k.mu.Lock()
		k.linked++
		k.next[name] = e
		k.mu.Unlock()
	}
	return nil
}
