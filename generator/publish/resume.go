package publish

// Incremental generate: the build's State is kept in the cache folder
// (stateFile) with what each source file was when it was built, so that
// the next generate reads it back, finds the files that changed since and
// rebuilds only what they reach, keeping every other output file as it is
// (hard-linked from the previous output, which the output manifest vouches
// for).

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/pipeline"
)

// stateFile is the saved build state in the cache folder.
const stateFile = "state.bin"

// stateFormat starts the state file and names its layout; change it with
// the layout (of stateHeader too). A uvarint length and the header (gob)
// follow, then pipeline.State's saved form to the end of the file.
const stateFormat = "versus generate state 2\n"

// maxHeader bounds the header's length, against a damaged file.
const maxHeader = 1 << 30

// stateHeader starts the state file; pipeline.State's own data follows.
type stateHeader struct {
	Format, Key string
	// Scanned is when the sources were read: a file changed since may
	// still show the same size and times, so it is read again.
	Scanned time.Time
	Sources map[string]stamp
	// Samples lists the cached sample results the build showed.
	Samples string
}

// stamp is what a source file was: its identity on disk, to skip reading
// it when that did not change, and the hash of its bytes.
type stamp struct {
	Size, Mtime, Ctime, Ino int64
	Sum                     [32]byte
}

// stateKey is what else than the sources the output depends on: this
// versus (its version and binary), the options, the folders and the day
// (future pages, the build date).
func stateKey(opts Options, source, dest, exe string, now time.Time) string {
	return fmt.Sprintf("version=%q exe=%q source=%q dest=%q base=%q drafts=%v future=%v strict=%v minify=%v day=%s",
		opts.Version, exe, source, dest, opts.BaseURL, opts.Drafts, opts.Future, opts.Strict, opts.Minify, now.Format("2006-01-02"))
}

// scanSources reads what every file a build reads is now: the settings
// and everything under content/, layouts/ and i18n/. A file whose size,
// times and inode are those of prev, and that was not changed close to
// or after prev's scan, keeps its hash without being read.
func scanSources(fsys fs.FS, prev *stateHeader, max int64) (map[string]stamp, error) {
	var trustBefore time.Time
	if prev != nil {
		// Times on disk are coarser than a nanosecond: a file written
		// just before the scan could change again with the same times.
		trustBefore = prev.Scanned.Add(-2 * time.Second)
	}
	// stampOf reports what name is now; ok is false for a file that is
	// not there.
	stampOf := func(name string) (st stamp, ok bool, err error) {
		fi, err := fs.Stat(fsys, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return st, false, nil
			}
			return st, false, err
		}
		if !fi.Mode().IsRegular() || fi.Size() > max {
			// The build refuses it; its kind and size stand for it.
			return stamp{Size: -1, Mtime: int64(fi.Mode().Type()), Ctime: fi.Size()}, true, nil
		}
		st = stamp{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
		if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
			st.Ctime = sys.Ctim.Nano()
			st.Ino = int64(sys.Ino)
		}
		if prev != nil {
			if old, ok := prev.Sources[name]; ok && old.Size == st.Size && old.Mtime == st.Mtime && old.Ctime == st.Ctime && old.Ino == st.Ino &&
				st.Ctime != 0 && time.Unix(0, st.Mtime).Before(trustBefore) && time.Unix(0, st.Ctime).Before(trustBefore) {
				st.Sum = old.Sum
				return st, true, nil
			}
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return st, false, err
		}
		st.Sum = sha256.Sum256(data)
		return st, true, nil
	}
	names := slices.Clone(config.Files)
	for _, dir := range generator.SourceDirs() {
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dir && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return err
			}
			if !d.IsDir() {
				names = append(names, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Looked at on every core: tens of thousands of stats.
	stamps := make([]stamp, len(names))
	found := make([]bool, len(names))
	errs := make([]error, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(names) {
					return
				}
				stamps[i], found[i], errs[i] = stampOf(names[i])
			}
		}()
	}
	wg.Wait()
	out := make(map[string]stamp, len(names))
	for i, name := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if found[i] {
			out[name] = stamps[i]
		}
	}
	return out, nil
}

// changedSources lists the files that are new, gone or changed.
func changedSources(prev, now map[string]stamp) []string {
	var changed []string
	for name, st := range now {
		if old, ok := prev[name]; !ok || old.Sum != st.Sum || old.Size != st.Size || (st.Size < 0 && (old.Mtime != st.Mtime || old.Ctime != st.Ctime)) {
			changed = append(changed, name)
		}
	}
	for name := range prev {
		if _, ok := now[name]; !ok {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

// savedState is the state file, open, its header read.
type savedState struct {
	file   string
	f      *os.File
	header *stateHeader
	// rest is where pipeline.State's saved form starts in the file.
	rest int64
}

// openState reads the state file's header, written with key; resume
// reads the rest.
func openState(file, key string) (*savedState, error) {
	s, err := readHeader(file)
	if err != nil {
		return nil, err
	}
	if s.header.Key != key {
		s.close()
		return nil, fmt.Errorf("%s was written by another build of versus, with other options, or another day", file)
	}
	return s, nil
}

// readHeader opens the state file and reads its header.
func readHeader(file string) (*savedState, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no saved build (%s)", file)
	}
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*savedState, error) {
		f.Close()
		return nil, err
	}
	unreadable := func(err error) (*savedState, error) {
		return fail(fmt.Errorf("%s is unreadable: %w", file, err))
	}
	// The header only: the rest is read when the build resumes, which it
	// does not when nothing changed.
	r := bufio.NewReaderSize(f, 64<<10)
	magic := make([]byte, len(stateFormat))
	if _, err := io.ReadFull(r, magic); err != nil {
		return unreadable(err)
	}
	if string(magic) != stateFormat {
		return fail(fmt.Errorf("%s was written by another version of versus", file))
	}
	n, err := binary.ReadUvarint(r)
	if err == nil && n > maxHeader {
		err = fmt.Errorf("a header of %d bytes", n)
	}
	if err != nil {
		return unreadable(err)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return unreadable(err)
	}
	var h stateHeader
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&h); err != nil {
		return unreadable(err)
	}
	if h.Format != stateFormat {
		return fail(fmt.Errorf("%s was written by another version of versus", file))
	}
	rest := int64(len(stateFormat)+binary.PutUvarint(make([]byte, binary.MaxVarintLen64), n)) + int64(n)
	return &savedState{file: file, f: f, header: &h, rest: rest}, nil
}

// resume reads the build state after the header and closes the file. The state keeps slices of what it read (see pipeline.Resume).
func (s *savedState) resume(bopts pipeline.Options, sink pipeline.Sink) (*pipeline.State, error) {
	defer s.f.Close()
	fi, err := s.f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() < s.rest {
		return nil, fmt.Errorf("%s is unreadable: cut short", s.file)
	}
	var data []byte
	// Mapped rather than read: most of the file is the search index's
	// documents, which the resumed state points into without copying (and
	// the pages it faults in come from the page cache). The mapping stays
	// for the life of the process; versus replaces the file by renaming a
	// new one over it, which leaves the mapped one as it is.
	if m, err := syscall.Mmap(int(s.f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE); err == nil {
		data = m[s.rest:]
	} else {
		data = make([]byte, fi.Size()-s.rest)
		if _, err := s.f.ReadAt(data, s.rest); err != nil {
			return nil, fmt.Errorf("%s is unreadable: %w", s.file, err)
		}
	}
	st, err := pipeline.Resume(bopts, sink, data, s.header.Key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.file, err)
	}
	return st, nil
}

func (s *savedState) close() {
	if s != nil {
		s.f.Close()
	}
}

// saveState writes the state file atomically: a new file renamed over the
// old one.
func saveState(file string, h *stateHeader, st *pipeline.State) error {
	var head bytes.Buffer
	if err := gob.NewEncoder(&head).Encode(h); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".new-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	// A bufio.Writer keeps its first error: the last write's is enough.
	w.WriteString(stateFormat)
	w.Write(binary.AppendUvarint(nil, uint64(head.Len())))
	_, err = w.Write(head.Bytes())
	if err == nil {
		err = st.Save(w, h.Key)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// sums is what InputDigestOf takes: what stands for each file's bytes.
func sums(stamps map[string]stamp) map[string]string {
	out := make(map[string]string, len(stamps))
	for n, st := range stamps {
		if st.Size < 0 {
			out[n] = fmt.Sprintf("refused %d %d", st.Mtime, st.Ctime)
		} else {
			out[n] = fmt.Sprintf("%d:%x", st.Size, st.Sum)
		}
	}
	return out
}
