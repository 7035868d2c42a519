// Package search writes a static full-text index of the built site that the
// theme's search box queries in the browser, with no server code.
//
// The index is a set of small files under search/ in the output:
//
//	search/index.json    the manifest: document count and the term shards
//	search/t/N.bin       a term shard: term → postings (doc, score, section)
//	search/f/N.bin       a bundle of DocsPerBundle documents (doc id / 8):
//	                     each a URL, title, subjects and tags line,
//	                     description, and its sections (anchor, heading, text)
//
// Shards and documents are gzip-compressed JSON (the browser inflates them
// with DecompressionStream, so no host setting is needed). A bundle is
// "VSB1", a little-endian uint32 count n, n+1 uint32 offsets into the rest,
// then the documents' gzip streams: a few documents to a file keeps a large
// site's output from being mostly tiny files, and a result list still
// fetches only the bundles it shows. Terms are split
// into shards by prefix, recursively, until each shard is small, so a query
// downloads the manifest, the one or few shards its words fall in, and the
// documents it shows. Scores are BM25 over weighted fields (title, headings,
// criteria, subjects and tags, description, body), computed at build time.
package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"

	"github.com/versus-ssg/versus/generator"
)

// Dir is the output folder of the index.
const Dir = "search"

// Field weights: a word in a title counts as much as ten in the body.
const (
	weightTitle       = 10
	weightHeading     = 6
	weightCriterion   = 6
	weightSubjectTag  = 4
	weightDescription = 3
	weightBody        = 1
	weightCell        = 1.5
)

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// DefaultShardSize is the raw size above which a term shard is split by
// the next letter of its terms.
const DefaultShardSize = 48 << 10

// Options tune an Index.
type Options struct {
	// ShardSize is the raw JSON size above which a term shard is split;
	// 0 means DefaultShardSize.
	ShardSize int
}

// Index collects the rendered pages of one build. It implements the build
// stage's Extension interface (Page, Finish); Page is safe for concurrent use.
type Index struct {
	cfg  *generator.Config
	opts Options
	mu   sync.Mutex
	// docs are keyed by the page's output file, so watch mode can forget a
	// page and index it again (build.Extension).
	docs map[string]*doc
	// dict interns terms: each distinct word is stored once for the site.
	dict  map[string]int32
	words []string
	// zipped are the compressed term shards of the last Files, by the
	// hash of their text: the next Files (a rebuild) compresses only the
	// shards whose text changed.
	zipped map[shardKey][]byte
}

// shardKey is the SHA-256 of a term shard's text, cut to 16 bytes.
type shardKey [16]byte

// New returns an empty Index for one build.
func New(cfg *generator.Config, opts Options) *Index {
	if opts.ShardSize <= 0 {
		opts.ShardSize = DefaultShardSize
	}
	return &Index{cfg: cfg, opts: opts, docs: map[string]*doc{}, dict: map[string]int32{}}
}

// doc is one indexed page.
type doc struct {
	URL      string
	Title    string
	Meta     string
	Desc     string
	Sections []*section
	// terms maps each term to its weighted frequency and best section while
	// the page is indexed; then it is packed into postings and the document
	// is encoded, so the index holds little per page until Finish.
	terms  map[string]*termStat
	packed []byte
	blob   []byte
	length float64
}

// posting is one term of a document; term indexes Index.words.
type posting struct {
	term int32
	tf   float64
	sec  int32
}

// pack encodes a document's postings as varints (term id delta, weight in
// hundredths, section), about five bytes a term, so that a 100,000-page
// site's index fits in a few hundred MB until Finish.
func pack(ps []posting) []byte {
	sort.Slice(ps, func(i, j int) bool { return ps[i].term < ps[j].term })
	b := make([]byte, 0, len(ps)*5)
	prev := int32(0)
	for _, p := range ps {
		b = binary.AppendUvarint(b, uint64(p.term-prev))
		b = binary.AppendUvarint(b, uint64(math.Round(p.tf*100)))
		b = binary.AppendUvarint(b, uint64(p.sec))
		prev = p.term
	}
	return b
}

// unpack calls fn for each posting of pack's output. It reports false for
// bytes that are not pack's output (a damaged saved index), stopping there.
func unpack(b []byte, fn func(posting)) bool {
	prev := int32(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return false
		}
		b = b[n:]
		tf, n2 := binary.Uvarint(b)
		if n2 <= 0 {
			return false
		}
		b = b[n2:]
		sec, n3 := binary.Uvarint(b)
		if n3 <= 0 {
			return false
		}
		b = b[n3:]
		prev += int32(d)
		fn(posting{term: prev, tf: float64(tf) / 100, sec: int32(sec)})
	}
	return true
}

type section struct {
	Anchor string
	Title  string
	Text   strings.Builder
}

type termStat struct {
	tf float64
	// bySec is the weight per section; a term is in few sections, so a
	// short list beats a map.
	bySec []secWeight
}

type secWeight struct {
	sec int
	w   float64
}

// Forget drops the page written to outFile, which watch mode is about to
// index again or has removed.
func (x *Index) Forget(outFile string) {
	x.mu.Lock()
	delete(x.docs, outFile)
	x.mu.Unlock()
}

// Indexed reports whether a page of this kind goes into the index: articles,
// the home page and sections that have their own text, and subject pages.
func Indexed(p *generator.Page) bool {
	switch p.Kind {
	case generator.KindPage, generator.KindSubject:
		return true
	case generator.KindHome, generator.KindSection:
		return p.File != ""
	}
	return false
}

// Page indexes one rendered page. html is the whole page, used to tell which
// criterion rows have an anchor; the body comes from p.Content.
func (x *Index) Page(p *generator.Page, html []byte) error {
	if !Indexed(p) {
		return nil
	}
	d := &doc{URL: p.RelPermalink, Title: p.Title, Desc: p.Description, terms: map[string]*termStat{}}
	if d.URL == "" {
		d.URL = x.cfg.RelURL(p.Path)
	}
	top := &section{}
	d.Sections = []*section{top}
	d.add(0, p.Title, weightTitle, true)
	d.add(0, p.Description, weightDescription, false)

	var metaParts []string
	if c := p.Comparison; c != nil && len(c.Subjects) > 0 {
		var names []string
		for _, s := range c.Subjects {
			names = append(names, s.Name)
		}
		metaParts = append(metaParts, strings.Join(names, " vs "))
		for _, n := range names {
			d.add(0, n, weightSubjectTag, true)
		}
	}
	if len(p.TagNames) > 0 {
		metaParts = append(metaParts, strings.Join(p.TagNames, ", "))
		for _, t := range p.TagNames {
			d.add(0, t, weightSubjectTag, true)
		}
	}
	if p.Subject != nil {
		d.add(0, p.Subject.Name, weightSubjectTag, true)
		metaParts = append(metaParts, "Subject")
	}
	d.Meta = strings.Join(metaParts, " · ")

	// The body, cut into sections at its headings.
	for _, s := range bodySections(string(p.Content)) {
		i := 0
		if s.anchor != "" || s.title != "" {
			d.Sections = append(d.Sections, &section{Anchor: s.anchor, Title: s.title})
			i = len(d.Sections) - 1
			d.add(i, s.title, weightHeading, true)
		}
		d.add(i, s.text, weightBody, false)
		appendText(&d.Sections[i].Text, s.text)
	}

	// Criteria: each row is a section of its own, linked to its table row.
	if c := p.Comparison; c != nil {
		for _, cr := range c.Criteria {
			anchor := "criterion-" + slug(cr.Name)
			if !bytes.Contains(html, []byte(`id="`+anchor+`"`)) {
				anchor = ""
			}
			s := &section{Anchor: anchor, Title: cr.Name}
			d.Sections = append(d.Sections, s)
			i := len(d.Sections) - 1
			d.add(i, cr.Name, weightCriterion, true)
			for _, cell := range cr.Cells {
				var v string
				switch cell.Kind {
				case generator.CellBool:
					v = "No"
					if cell.Bool {
						v = "Yes"
					}
				case generator.CellEmpty:
					v = "—"
				default:
					v = plain(cell.HTML)
				}
				if cell.Winner {
					v += " (winner)"
				}
				d.add(i, v, weightCell, false)
				appendText(&s.Text, cell.Subject.Name+": "+v+".")
			}
			if cr.Note != "" {
				n := plain(cr.Note)
				d.add(i, n, weightCell, false)
				appendText(&s.Text, n)
			}
		}
	}
	if top.Text.Len() == 0 && d.Desc == "" && p.Subject != nil {
		appendText(&top.Text, p.Description)
	}
	postings := make([]posting, 0, len(d.terms))
	x.mu.Lock()
	for t, st := range d.terms {
		best, bw := 0, -1.0
		for _, sw := range st.bySec {
			if sw.w > bw || (sw.w == bw && sw.sec < best) {
				best, bw = sw.sec, sw.w
			}
		}
		id, ok := x.dict[t]
		if !ok {
			id = int32(len(x.words))
			x.dict[t] = id
			x.words = append(x.words, t)
		}
		postings = append(postings, posting{term: id, tf: st.tf, sec: int32(best)})
	}
	x.mu.Unlock()
	d.packed = pack(postings)
	d.terms = nil
	// Encode the document now, on the build's worker, rather than all of
	// them one after another in Finish.
	out := Document{URL: d.URL, Title: d.Title, Meta: d.Meta, Desc: d.Desc}
	for _, s := range d.Sections {
		out.Sections = append(out.Sections, [3]string{s.Anchor, s.Title, s.Text.String()})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if d.blob, err = gz(b, gzip.BestSpeed); err != nil {
		return err
	}
	d.Sections = nil
	x.mu.Lock()
	key := p.OutFile
	if key == "" {
		key = d.URL
	}
	x.docs[key] = d
	x.mu.Unlock()
	return nil
}

func appendText(b *strings.Builder, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}

// add counts the terms of text in section sec with weight w. Single letters
// count only in short fields (a title, a subject called "R").
func (d *doc) add(sec int, text string, w float64, short bool) {
	Tokens(text, func(t string) {
		if !short && utf8.RuneCountInString(t) < 2 {
			return
		}
		st := d.terms[t]
		if st == nil {
			st = &termStat{}
			d.terms[t] = st
		}
		st.tf += w
		found := false
		for i := range st.bySec {
			if st.bySec[i].sec == sec {
				st.bySec[i].w += w
				found = true
				break
			}
		}
		if !found {
			st.bySec = append(st.bySec, secWeight{sec, w})
		}
		d.length += w
	})
}

// Tokens calls fn with each lowercased word of s: runs of letters, marks
// and digits. search.js splits queries the same way.
func Tokens(s string, fn func(string)) {
	start := -1
	for i, r := range s {
		var word bool
		if r < utf8.RuneSelf {
			c := byte(r)
			word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			word = unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			fn(strings.ToLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		fn(strings.ToLower(s[start:]))
	}
}

func plain(h template.HTML) string { return textOf(string(h)) }

// slug matches the theme's anchor ids for criterion rows.
func slug(s string) string { return generator.AnchorID(s) }

// Manifest is search/index.json.
type Manifest struct {
	// Version is a hash of the whole index; the browser adds it to the
	// shard and document URLs so a new build is never mixed with a cached
	// old one.
	Version string `json:"v"`
	Docs    int    `json:"docs"`
	// Bundle is how many documents each search/f/N.bin holds.
	Bundle int `json:"b"`
	// Shards are [key, file number, raw size, leaf (1) or not (0)]. A leaf
	// holds every term starting with its key (except those under a longer
	// key); a split node holds only the term equal to its key.
	Shards [][4]any `json:"shards"`
}

// DocsPerBundle is how many documents one search/f/N.bin holds.
const DocsPerBundle = 8

// Document is one document of a search/f/N.bin bundle: what a result shows.
type Document struct {
	URL   string `json:"u"`
	Title string `json:"t"`
	Meta  string `json:"m,omitempty"`
	Desc  string `json:"d,omitempty"`
	// Sections are [anchor, heading, text]; the first is the page's top.
	Sections [][3]string `json:"s"`
}

// Stats describe a finished index.
type Stats struct {
	Docs, Terms, Shards int
	// Bytes is the size of every index file; Manifest that of index.json.
	Bytes, Manifest int
}

// Finish writes the index files.
func (x *Index) Finish(site *generator.Site) (map[string][]byte, error) {
	files, _, err := x.Files()
	return files, err
}

// Files builds the index files and reports their sizes.
func (x *Index) Files() (map[string][]byte, Stats, error) {
	x.mu.Lock()
	docs := make([]*doc, 0, len(x.docs))
	for _, d := range x.docs {
		docs = append(docs, d)
	}
	x.mu.Unlock()
	sort.Slice(docs, func(i, j int) bool { return docs[i].URL < docs[j].URL })

	files := map[string][]byte{}
	var st Stats
	st.Docs = len(docs)

	// Documents, encoded when their page was indexed, in bundles.
	for start := 0; start < len(docs); start += DocsPerBundle {
		files[fmt.Sprintf("%s/f/%d.bin", Dir, start/DocsPerBundle)] = bundle(docs[start:min(start+DocsPerBundle, len(docs))])
	}

	// Postings, with BM25 scores.
	var avg float64
	for _, d := range docs {
		avg += d.length
	}
	if len(docs) > 0 {
		avg /= float64(len(docs))
	}
	if avg == 0 {
		avg = 1
	}
	x.mu.Lock()
	words := x.words
	x.mu.Unlock()
	df := make([]int32, len(words))
	for _, d := range docs {
		// Postings resumed from a saved index are checked here, where
		// they are read anyway, rather than when the index is resumed.
		bad := false
		if !unpack(d.packed, func(p posting) {
			if p.term < 0 || int(p.term) >= len(df) {
				bad = true
				return
			}
			df[p.term]++
		}) || bad {
			return nil, st, fmt.Errorf("search: the postings of %s are damaged", d.URL)
		}
	}
	// Encoded postings, written straight as JSON text in doc order: doc ids
	// as deltas, then score and section. Going straight to text keeps a
	// large site's index to one copy of its postings in memory.
	postings := make([][]byte, len(words))
	last := make([]int32, len(words))
	n := float64(len(docs))
	// A term's idf, once per term rather than once per posting.
	idfs := make([]float64, len(words))
	for t, f := range df {
		if f > 0 {
			idfs[t] = math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
		}
	}
	// Each core writes the postings of a range of terms holding about the
	// same number of postings (terms are numbered as first met, so the
	// frequent ones come first); every core reads every document.
	workers := max(1, runtime.GOMAXPROCS(0))
	total := 0
	for _, f := range df {
		total += int(f)
	}
	bounds := []int32{0}
	acc := 0
	for t, f := range df {
		acc += int(f)
		if len(bounds) < workers && acc*workers >= total*len(bounds) {
			bounds = append(bounds, int32(t+1))
		}
	}
	bounds = append(bounds, int32(len(words)))
	var pw sync.WaitGroup
	for w := 0; w+1 < len(bounds); w++ {
		lo, hi := bounds[w], bounds[w+1]
		if lo >= hi {
			continue
		}
		pw.Add(1)
		go func() {
			defer pw.Done()
			for i, d := range docs {
				norm := bm25K1 * (1 - bm25B + bm25B*d.length/avg)
				unpack(d.packed, func(ts posting) {
					t := ts.term
					if t < lo || t >= hi {
						return
					}
					score := idfs[t] * ts.tf * (bm25K1 + 1) / (ts.tf + norm)
					q := max(1, int(math.Round(score*100)))
					b := postings[t]
					if b == nil {
						b = append(b, '[')
					} else {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(int32(i)-last[t]), 10)
					b = append(b, ',')
					b = strconv.AppendInt(b, int64(q), 10)
					b = append(b, ',')
					b = strconv.AppendInt(b, int64(ts.sec), 10)
					postings[t] = b
					last[t] = int32(i)
				})
			}
		}()
	}
	pw.Wait()
	// Only the words some indexed page still has (watch mode forgets pages).
	terms := make([]string, 0, len(words))
	enc := make(map[string][]byte, len(words))
	for id, w := range words {
		if df[id] > 0 {
			terms = append(terms, w)
			enc[w] = append(postings[id], ']')
			postings[id] = nil
		}
	}
	sort.Strings(terms)
	st.Terms = len(terms)

	var shards []shard
	split("", terms, enc, x.opts.ShardSize, &shards)
	man := Manifest{Docs: len(docs), Bundle: DocsPerBundle, Shards: [][4]any{}}
	raw := make([][]byte, len(shards))
	for i, s := range shards {
		var b bytes.Buffer
		b.WriteByte('{')
		for j, t := range s.terms {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(t)
			b.Write(k)
			b.WriteByte(':')
			b.Write(enc[t])
			delete(enc, t) // one copy at a time
		}
		b.WriteByte('}')
		raw[i] = b.Bytes()
		leaf := 0
		if s.leaf {
			leaf = 1
		}
		man.Shards = append(man.Shards, [4]any{s.key, i, b.Len(), leaf})
	}
	// Shards are compressed on every core, but a shard whose text an
	// earlier build compressed (most of them, after an edit) is taken
	// from then.
	zipped := make([][]byte, len(raw))
	keys := make([]shardKey, len(raw))
	errs := make([]error, len(raw))
	x.mu.Lock()
	known := x.zipped
	x.mu.Unlock()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				sum := sha256.Sum256(raw[i])
				copy(keys[i][:], sum[:])
				if z, ok := known[keys[i]]; ok {
					zipped[i] = z
					continue
				}
				zipped[i], errs[i] = gz(raw[i], gzip.BestSpeed)
			}
		}()
	}
	for i := range raw {
		next <- i
	}
	close(next)
	wg.Wait()
	now := make(map[shardKey][]byte, len(zipped))
	for i, z := range zipped {
		if errs[i] != nil {
			return nil, st, errs[i]
		}
		files[fmt.Sprintf("%s/t/%d.bin", Dir, i)] = z
		now[keys[i]] = z
	}
	x.mu.Lock()
	x.zipped = now
	x.mu.Unlock()
	st.Shards = len(shards)

	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		h.Write([]byte(name))
		h.Write(files[name])
	}
	man.Version = hex.EncodeToString(h.Sum(nil))[:12]
	mb, err := json.Marshal(man)
	if err != nil {
		return nil, st, err
	}
	files[Dir+"/index.json"] = mb
	for _, b := range files {
		st.Bytes += len(b)
	}
	st.Manifest = len(mb)
	return files, st, nil
}

// bundle packs documents' gzip streams with an offset table in front.
func bundle(docs []*doc) []byte {
	size := 8 + 4*(len(docs)+1)
	for _, d := range docs {
		size += len(d.blob)
	}
	b := make([]byte, 0, size)
	b = append(b, "VSB1"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(docs)))
	off := uint32(0)
	for _, d := range docs {
		b = binary.LittleEndian.AppendUint32(b, off)
		off += uint32(len(d.blob))
	}
	b = binary.LittleEndian.AppendUint32(b, off)
	for _, d := range docs {
		b = append(b, d.blob...)
	}
	return b
}

// Unbundle returns document i of a bundle file (i counted within the
// bundle), still gzip-compressed.
func Unbundle(b []byte, i int) ([]byte, error) {
	if len(b) < 8 || string(b[:4]) != "VSB1" {
		return nil, fmt.Errorf("not a search bundle")
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	head := 8 + 4*(n+1)
	if i < 0 || i >= n || len(b) < head {
		return nil, fmt.Errorf("no document %d in a bundle of %d", i, n)
	}
	lo := binary.LittleEndian.Uint32(b[8+4*i:])
	hi := binary.LittleEndian.Uint32(b[8+4*(i+1):])
	if int(hi) > len(b)-head || lo > hi {
		return nil, fmt.Errorf("corrupt search bundle")
	}
	return b[head+int(lo) : head+int(hi)], nil
}

type shard struct {
	key   string
	terms []string
	leaf  bool
}

// split cuts the sorted terms that start with key into shards of at most
// limit bytes, by their next letter.
func split(key string, terms []string, enc map[string][]byte, limit int, out *[]shard) {
	size := 0
	for _, t := range terms {
		size += len(t) + 4 + len(enc[t])
	}
	if size <= limit || len(terms) == 1 {
		*out = append(*out, shard{key: key, terms: terms, leaf: true})
		return
	}
	rest := terms
	if len(rest) > 0 && rest[0] == key {
		*out = append(*out, shard{key: key, terms: rest[:1]})
		rest = rest[1:]
	}
	for len(rest) > 0 {
		_, size := utf8.DecodeRuneInString(rest[0][len(key):])
		next := key + rest[0][len(key):len(key)+size]
		j := sort.Search(len(rest), func(i int) bool { return !strings.HasPrefix(rest[i], next) })
		split(next, rest[:j], enc, limit, out)
		rest = rest[j:]
	}
}

// gzWriters are reused, one pool per level: a new gzip.Writer allocates and
// clears about a megabyte of tables, far more than compressing one small
// document costs.
var gzWriters = map[int]*sync.Pool{
	gzip.BestSpeed: {New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }},
}

func gz(b []byte, level int) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(b)/3 + 64)
	pool := gzWriters[level]
	w := pool.Get().(*gzip.Writer)
	defer pool.Put(w)
	w.Reset(&out)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
