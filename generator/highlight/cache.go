package highlight

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// cacheFormat names the cache file's layout and the lexers that filled it;
// a cache written by other lexers is ignored, not trusted. Bump it whenever
// a lexer or formatLines changes what it produces.
const cacheFormat = "versus highlight cache 2 (fast lexers 1, chroma v2.27.0)\n"

// ErrStaleCache reports a cache file written by another version of versus.
var ErrStaleCache = errors.New("highlight cache is from another version; starting empty")

// diskCache is a cache file from an earlier build: an index of where each
// entry starts, and the open file to read entries from when asked. Only the
// index is held in memory, so a large site's cache costs a few bytes a block.
type diskCache struct {
	f     *os.File
	index map[[32]byte]int64
}

// journal is the cache file this build writes: every entry it used, new or
// reused, appended as it is first used.
type journal struct {
	f       *os.File
	w       *bufio.Writer
	path    string
	written map[[32]byte]bool
	err     error
}

// OpenCache makes the Highlighter read earlier results from the cache file
// at path and write this build's to a new file, which CloseCache puts in
// place. Results are then not kept in memory, so memory stays flat however
// large the site. A missing or outdated cache file is not an error.
func (h *Highlighter) OpenCache(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var warn error
	if f, err := os.Open(path); err == nil {
		index, err := readIndex(f)
		if err != nil {
			f.Close()
			warn = err
		} else {
			h.disk = &diskCache{f: f, index: index}
		}
	}
	out, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".new-*")
	if err != nil {
		h.closeDisk()
		return err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	if _, err := w.WriteString(cacheFormat); err != nil {
		out.Close()
		os.Remove(out.Name())
		h.closeDisk()
		return err
	}
	h.mu.Lock()
	h.journal = &journal{f: out, w: w, path: path, written: map[[32]byte]bool{}}
	h.retain = false
	h.mu.Unlock()
	return warn
}

// CloseCache finishes the new cache file and moves it over the old one, or
// removes it when keep is false (a failed build leaves the old cache).
func (h *Highlighter) CloseCache(keep bool) error {
	h.mu.Lock()
	j := h.journal
	h.journal = nil
	h.mu.Unlock()
	h.closeDisk()
	if j == nil {
		return nil
	}
	err := j.err
	if err == nil {
		err = j.w.Flush()
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil || !keep {
		os.Remove(j.f.Name())
		return err
	}
	return os.Rename(j.f.Name(), j.path)
}

func (h *Highlighter) closeDisk() {
	if h.disk != nil {
		h.disk.f.Close()
		h.disk = nil
	}
}

// readIndex checks the header and notes where every entry starts.
func readIndex(f *os.File) (map[[32]byte]int64, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	head := make([]byte, len(cacheFormat))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != cacheFormat {
		return nil, ErrStaleCache
	}
	index := map[[32]byte]int64{}
	off := int64(len(cacheFormat))
	for {
		var key [32]byte
		if _, err := io.ReadFull(br, key[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return index, nil
			}
			return nil, fmt.Errorf("reading highlight cache: %w", err)
		}
		start := off
		off += 32
		n, size, err := uvarint(br)
		if err != nil || n > 1<<24 {
			return nil, fmt.Errorf("reading highlight cache: bad entry")
		}
		off += size
		for i := uint64(0); i < n; i++ {
			l, size, err := uvarint(br)
			if err != nil || l > 1<<26 {
				return nil, fmt.Errorf("reading highlight cache: bad line")
			}
			if _, err := br.Discard(int(l)); err != nil {
				return nil, fmt.Errorf("reading highlight cache: %w", err)
			}
			off += size + int64(l)
		}
		index[key] = start
	}
}

func uvarint(br *bufio.Reader) (uint64, int64, error) {
	var x uint64
	var s uint
	for i := int64(1); ; i++ {
		b, err := br.ReadByte()
		if err != nil {
			return 0, i, err
		}
		if b < 0x80 {
			return x | uint64(b)<<s, i, nil
		}
		x |= uint64(b&0x7f) << s
		s += 7
		if s > 63 {
			return 0, i, errors.New("varint overflows")
		}
	}
}

// read loads one entry of the disk cache.
func (d *diskCache) read(key [32]byte) ([]string, bool) {
	off, ok := d.index[key]
	if !ok {
		return nil, false
	}
	br := bufio.NewReaderSize(io.NewSectionReader(d.f, off, 1<<40), 4096)
	var got [32]byte
	if _, err := io.ReadFull(br, got[:]); err != nil || got != key {
		return nil, false
	}
	n, _, err := uvarint(br)
	if err != nil {
		return nil, false
	}
	lines := make([]string, n)
	for i := range lines {
		l, _, err := uvarint(br)
		if err != nil {
			return nil, false
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, false
		}
		lines[i] = string(b)
	}
	return lines, true
}

// record appends an entry to the journal once; h.mu must be held.
func (j *journal) record(key [32]byte, lines []string) {
	if j.written[key] || j.err != nil {
		return
	}
	j.written[key] = true
	j.err = writeEntry(j.w, key, lines)
}

func writeEntry(w *bufio.Writer, key [32]byte, lines []string) error {
	var buf [binary.MaxVarintLen64]byte
	if _, err := w.Write(key[:]); err != nil {
		return err
	}
	if _, err := w.Write(buf[:binary.PutUvarint(buf[:], uint64(len(lines)))]); err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := w.Write(buf[:binary.PutUvarint(buf[:], uint64(len(l)))]); err != nil {
			return err
		}
		if _, err := w.WriteString(l); err != nil {
			return err
		}
	}
	return nil
}
