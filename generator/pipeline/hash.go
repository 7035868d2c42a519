package pipeline

import "crypto/sha256"

// hash64 is the 64-bit FNV-1a hash of what was written to it. State's
// hashes (of sources, of what pages show) are kept in the cache folder from
// one run of versus to the next, so they must not depend on a per-process
// seed as hash/maphash's do.
type hash64 struct{ h uint64 }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (h *hash64) Reset() { h.h = 0 }

func (h *hash64) Write(b []byte) (int, error) {
	x := h.start()
	for _, c := range b {
		x ^= uint64(c)
		x *= fnvPrime
	}
	h.h = x
	return len(b), nil
}

func (h *hash64) WriteString(s string) (int, error) {
	x := h.start()
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= fnvPrime
	}
	h.h = x
	return len(s), nil
}

func (h *hash64) WriteByte(c byte) error {
	x := h.start()
	x ^= uint64(c)
	h.h = x * fnvPrime
	return nil
}

func (h *hash64) start() uint64 {
	if h.h == 0 {
		return fnvOffset
	}
	return h.h
}

func (h *hash64) Sum64() uint64 { return h.start() }

// sumBytes hashes a whole file: SHA-256, which is fast on large inputs,
// cut to 64 bits.
func sumBytes(b []byte) uint64 {
	s := sha256.Sum256(b)
	var x uint64
	for _, c := range s[:8] {
		x = x<<8 | uint64(c)
	}
	return x
}
