package search

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
)

// The saved form of an Index, between two runs of versus. Most of a large
// site's saved build is its search documents (already gzip streams), so
// the form is written and read without an encoder: a few tables of
// lengths, then the bytes they measure, in one piece each, so that a
// resumed Index points into the saved bytes instead of copying them.
//
//	"VSX1"
//	uvarint words, uvarint docs
//	words × uvarint length of the word
//	docs × (uvarint length of key, URL, Title, Meta, Desc, packed, blob;
//	        8 bytes: the length, a float64, little-endian)
//	uvarint n, n bytes: every word, then every document's strings
//	uvarint n, n bytes: every document's packed postings, then its blob
//	uvarint shards, shards × (16 bytes: the hash of a term shard's text,
//	        uvarint length of its compressed bytes)
//	uvarint n, n bytes: the compressed shards
//
// Documents are in the order of their keys, so the same index saves the
// same bytes.
const savedMagic = "VSX2"

// errSaved is returned for saved bytes that are not a whole saved index.
var errSaved = errors.New("search: the saved index is damaged")

// MarshalBinary saves what the index holds, so that a later run can
// resume it (UnmarshalBinary) and index only the pages it renders again.
func (x *Index) MarshalBinary() ([]byte, error) {
	parts, err := x.MarshalParts()
	if err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}

// MarshalParts is MarshalBinary in parts, to be written one after another:
// the documents' postings and encoded text as the index holds them, not
// copied into one piece. The parts are never changed afterwards.
func (x *Index) MarshalParts() ([][]byte, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	keys := make([]string, 0, len(x.docs))
	for k, d := range x.docs {
		if d.terms != nil {
			return nil, fmt.Errorf("search: page %s is being indexed", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	text, blobs := 0, 0
	for _, w := range x.words {
		text += len(w)
	}
	for _, k := range keys {
		d := x.docs[k]
		text += len(k) + len(d.URL) + len(d.Title) + len(d.Meta) + len(d.Desc)
		blobs += len(d.packed) + len(d.blob)
	}
	b := make([]byte, 0, 64+3*len(x.words)+24*len(keys)+text)
	b = append(b, savedMagic...)
	b = binary.AppendUvarint(b, uint64(len(x.words)))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, w := range x.words {
		b = binary.AppendUvarint(b, uint64(len(w)))
	}
	for _, k := range keys {
		d := x.docs[k]
		for _, n := range [...]int{len(k), len(d.URL), len(d.Title), len(d.Meta), len(d.Desc), len(d.packed), len(d.blob)} {
			b = binary.AppendUvarint(b, uint64(n))
		}
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(d.length))
	}
	b = binary.AppendUvarint(b, uint64(text))
	for _, w := range x.words {
		b = append(b, w...)
	}
	for _, k := range keys {
		d := x.docs[k]
		b = append(b, k...)
		b = append(b, d.URL...)
		b = append(b, d.Title...)
		b = append(b, d.Meta...)
		b = append(b, d.Desc...)
	}
	b = binary.AppendUvarint(b, uint64(blobs))
	parts := make([][]byte, 0, 2+2*len(keys)+len(x.zipped))
	parts = append(parts, b)
	for _, k := range keys {
		d := x.docs[k]
		parts = append(parts, d.packed, d.blob)
	}
	shards := make([]shardKey, 0, len(x.zipped))
	zipped := 0
	for k, z := range x.zipped {
		shards = append(shards, k)
		zipped += len(z)
	}
	sort.Slice(shards, func(i, j int) bool { return bytes.Compare(shards[i][:], shards[j][:]) < 0 })
	t := make([]byte, 0, 16+20*len(shards))
	t = binary.AppendUvarint(t, uint64(len(shards)))
	for _, k := range shards {
		t = append(t, k[:]...)
		t = binary.AppendUvarint(t, uint64(len(x.zipped[k])))
	}
	t = binary.AppendUvarint(t, uint64(zipped))
	parts = append(parts, t)
	for _, k := range shards {
		parts = append(parts, x.zipped[k])
	}
	return parts, nil
}

// UnmarshalBinary replaces what the index holds with what MarshalBinary
// saved. It copies data; see UnmarshalShared.
func (x *Index) UnmarshalBinary(data []byte) error {
	return x.UnmarshalShared(bytes.Clone(data))
}

// UnmarshalShared is UnmarshalBinary without the copy: the index keeps
// slices of data (the documents' postings and encoded text), which the
// caller must not change afterwards. Data whose tables do not add up is
// refused with an error, and the index is left as it was; postings are
// checked by Files, which reads them all anyway (the saved build state
// has a checksum besides).
func (x *Index) UnmarshalShared(data []byte) error {
	r := savedReader{b: data}
	if len(data) < len(savedMagic) || string(data[:len(savedMagic)]) != savedMagic {
		return fmt.Errorf("search: not a saved index")
	}
	r.b = r.b[len(savedMagic):]
	nw, nd := r.count(1), r.count(9)
	wlen := make([]int, nw)
	for i := range wlen {
		wlen[i] = r.size()
	}
	type lens struct {
		s      [5]int
		packed int
		blob   int
		length float64
	}
	dl := make([]lens, nd)
	for i := range dl {
		l := &dl[i]
		for j := range l.s {
			l.s[j] = r.size()
		}
		l.packed, l.blob = r.size(), r.size()
		l.length = math.Float64frombits(r.uint64())
	}
	text := string(r.bytes(r.size()))
	blobs := r.bytes(r.size())
	ns := r.count(17)
	shardKeys := make([]shardKey, ns)
	shardLens := make([]int, ns)
	for i := range shardKeys {
		copy(shardKeys[i][:], r.bytes(16))
		shardLens[i] = r.size()
	}
	shardBytes := r.bytes(r.size())
	if r.err != nil || len(r.b) != 0 {
		return errSaved
	}
	zipped := make(map[shardKey][]byte, ns)
	for i, k := range shardKeys {
		if shardLens[i] > len(shardBytes) {
			return errSaved
		}
		zipped[k] = shardBytes[:shardLens[i]:shardLens[i]]
		shardBytes = shardBytes[shardLens[i]:]
	}
	if len(shardBytes) != 0 {
		return errSaved
	}
	// Every length is checked against what follows before slicing.
	ts, bs := 0, 0
	take := func(s string, n int) (string, bool) {
		if n > len(s)-ts {
			return "", false
		}
		ts += n
		return s[ts-n : ts], true
	}
	takeBytes := func(n int) ([]byte, bool) {
		if n > len(blobs)-bs {
			return nil, false
		}
		bs += n
		return blobs[bs-n : bs : bs], true
	}
	words := make([]string, nw)
	dict := make(map[string]int32, nw)
	for i, n := range wlen {
		w, ok := take(text, n)
		if !ok {
			return errSaved
		}
		words[i] = w
		dict[w] = int32(i)
	}
	docs := make(map[string]*doc, nd)
	all := make([]doc, nd)
	for i := range dl {
		l := &dl[i]
		var s [5]string
		for j, n := range l.s {
			v, ok := take(text, n)
			if !ok {
				return errSaved
			}
			s[j] = v
		}
		packed, ok1 := takeBytes(l.packed)
		blob, ok2 := takeBytes(l.blob)
		if !ok1 || !ok2 {
			return errSaved
		}
		d := &all[i]
		*d = doc{URL: s[1], Title: s[2], Meta: s[3], Desc: s[4], packed: packed, blob: blob, length: l.length}
		docs[s[0]] = d
	}
	if ts != len(text) || bs != len(blobs) {
		return errSaved
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.docs, x.words, x.dict, x.zipped = docs, words, dict, zipped
	return nil
}

// savedReader reads the tables of a saved index; the first error sticks
// and every later read returns zeros.
type savedReader struct {
	b   []byte
	err error
}

func (r *savedReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errSaved
		return 0
	}
	r.b = r.b[n:]
	return v
}

// size reads a length, which cannot exceed what is left.
func (r *savedReader) size() int {
	v := r.uvarint()
	if v > uint64(len(r.b)) {
		r.err = errSaved
		return 0
	}
	return int(v)
}

// count reads a number of entries each taking at least min bytes of what
// is left, so that a damaged count cannot ask for a huge allocation.
func (r *savedReader) count(min int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)/min) {
		r.err = errSaved
		return 0
	}
	return int(v)
}

func (r *savedReader) uint64() uint64 {
	if r.err != nil || len(r.b) < 8 {
		r.err = errSaved
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *savedReader) bytes(n int) []byte {
	if r.err != nil || n > len(r.b) {
		r.err = errSaved
		return nil
	}
	b := r.b[:n:n]
	r.b = r.b[n:]
	return b
}
