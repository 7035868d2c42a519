package highlight

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// cacheFormat names the cache file's layout and the lexers that filled it;
// a cache written by other lexers is ignored, not trusted. Bump it whenever
// a lexer or formatLines changes what it produces.
const cacheFormat = "versus highlight cache 1 (fast lexers 1, chroma v2.27.0)\n"

// ErrStaleCache reports a cache file written by another version of versus.
var ErrStaleCache = errors.New("highlight cache is from another version; starting empty")

// Load adds the entries of a cache written by Save. Entries already present
// are kept. On ErrStaleCache nothing is added and the caller goes on with an
// empty cache.
func (h *Highlighter) Load(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	head := make([]byte, len(cacheFormat))
	if _, err := io.ReadFull(br, head); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return ErrStaleCache
		}
		return err
	}
	if string(head) != cacheFormat {
		return ErrStaleCache
	}
	entries := map[[32]byte][]string{}
	for {
		var key [32]byte
		if _, err := io.ReadFull(br, key[:]); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("reading highlight cache: %w", err)
		}
		n, err := binary.ReadUvarint(br)
		if err != nil || n > 1<<24 {
			return fmt.Errorf("reading highlight cache: bad entry")
		}
		lines := make([]string, n)
		for i := range lines {
			l, err := binary.ReadUvarint(br)
			if err != nil || l > 1<<26 {
				return fmt.Errorf("reading highlight cache: bad line")
			}
			b := make([]byte, l)
			if _, err := io.ReadFull(br, b); err != nil {
				return fmt.Errorf("reading highlight cache: %w", err)
			}
			lines[i] = string(b)
		}
		entries[key] = lines
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stored == nil {
		h.stored = map[[32]byte][]string{}
	}
	for k, v := range entries {
		if _, ok := h.cache[k]; !ok {
			h.stored[k] = v
		}
	}
	return nil
}

// Save writes the entries used since the Highlighter was made or last saved
// (so code that no page shows any more drops out of the cache).
func (h *Highlighter) Save(w io.Writer) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(cacheFormat); err != nil {
		return err
	}
	var buf [binary.MaxVarintLen64]byte
	for key, lines := range h.cache {
		if _, err := bw.Write(key[:]); err != nil {
			return err
		}
		if _, err := bw.Write(buf[:binary.PutUvarint(buf[:], uint64(len(lines)))]); err != nil {
			return err
		}
		for _, l := range lines {
			if _, err := bw.Write(buf[:binary.PutUvarint(buf[:], uint64(len(l)))]); err != nil {
				return err
			}
			if _, err := bw.WriteString(l); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
