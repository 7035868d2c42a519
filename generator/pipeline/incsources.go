package pipeline

// The sources a State keeps: every Markdown file as parsed, read again
// only when a change names it.

import (
	"bytes"
	"io/fs"
	"maps"
	"sort"
	"strings"
	"sync"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
)

// source is one Markdown file as parsed, before any build changed it.
type source struct {
	page *generator.Page // nil when it failed to parse
	errs generator.ErrorList
	sum  uint64 // hash of the whole file
	fm   uint64 // hash of the front matter part
}

// parseAll reads and parses Markdown files in parallel.
func (s *State) parseAll(fsys fs.FS, files []string, max int64) []*source {
	parsed := make([]*source, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			parsed[i] = s.parse(fsys, f, max)
		}()
	}
	wg.Wait()
	return parsed
}

// selectPages chooses the pages to build from the sources in walk order,
// as content.Load does, and copies them: the sources stay as parsed.
func (b *builder) selectPages(src map[string]*source, order []string) (*content.Result, generator.ErrorList) {
	parsed := make([]*generator.Page, 0, len(order))
	var errs generator.ErrorList
	for _, f := range order {
		sr := src[f]
		if sr.page == nil {
			errs = append(errs, sr.errs...)
			continue
		}
		parsed = append(parsed, sr.page)
	}
	res, serrs := content.Select(parsed, b.contentOptions(false))
	for i, p := range res.Pages {
		cp := *p
		res.Pages[i] = &cp
	}
	return res, append(errs, serrs...)
}

// parse reads and parses one Markdown file of at most max bytes.
func (s *State) parse(fsys fs.FS, file string, max int64) *source {
	data, err := content.ReadPage(fsys, file, max)
	if err != nil {
		var errs generator.ErrorList
		errs.Append(generator.Pos{File: file}, err)
		return &source{errs: errs}
	}
	p, errs := content.ParseData(file, data, s.b.data)
	src := &source{sum: sumBytes(data), errs: errs}
	if len(errs) == 0 {
		src.page = p
		fm := data
		if n := len(p.Body); n <= len(data) && bytes.Equal(data[len(data)-n:], p.Body) {
			fm = data[:len(data)-n]
		}
		src.fm = sumBytes(fm)
		if s.stream != nil {
			// A build that runs once need not hold every body: rendering
			// reads each again (content.Body).
			p.Body = nil
		}
	}
	return src
}

// classify says what a file (a path from the site root) is to a build.
func classify(p string) int {
	rel, ok := strings.CutPrefix(p, content.Dir+"/")
	if !ok {
		return content.Ignored
	}
	return content.Classify(rel)
}

// walkLess orders paths as fs.WalkDir visits them: folder by folder.
func walkLess(a, b string) bool {
	for {
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		as, bs := a, b
		if ai >= 0 {
			as = a[:ai]
		}
		if bi >= 0 {
			bs = b[:bi]
		}
		if as != bs {
			return as < bs
		}
		if ai < 0 || bi < 0 {
			return ai < 0 && bi >= 0
		}
		a, b = a[ai+1:], b[bi+1:]
	}
}

// changes is what the pending paths changed in the sources, applied to
// copies of the state's (so that a failed rebuild leaves it as it was).
type changes struct {
	src   map[string]*source
	files map[string]bool
	order []string
	// dirty are the page files to parse, compare and render again.
	dirty map[string]bool
	// copyNow are the files (relative to content/) to copy again; samples
	// the sample folders that changed ("*" for all).
	copyNow, samples map[string]bool
	// structural is set when pages or copied files appeared or went away.
	structural bool
	errs       generator.ErrorList
}

// apply reads what changed at the pending paths.
func (s *State) apply() *changes {
	fsys := s.b.opts.Source
	ch := &changes{src: maps.Clone(s.src), files: maps.Clone(s.files), dirty: map[string]bool{}, copyNow: map[string]bool{}, samples: map[string]bool{}}
	src, files, dirty, copyNow, samplesChanged := ch.src, ch.files, ch.dirty, ch.copyNow, ch.samples
	orderChanged := false
	filesChanged := false // copied files added or removed
	addPage := func(p string, n *source) {
		old := s.src[p]
		if old != nil && old.sum == n.sum && len(old.errs) == 0 {
			src[p] = old
			return
		}
		if _, ok := src[p]; !ok {
			orderChanged = true
		}
		src[p] = n
		dirty[p] = true
	}
	addFile := func(p string) {
		switch classify(p) {
		case content.PageFile:
			addPage(p, s.parse(fsys, p, s.b.cfg.Limits.Page))
		case content.CopiedFile:
			rel := strings.TrimPrefix(p, content.Dir+"/")
			if !files[rel] {
				filesChanged = true
			}
			files[rel] = true
			copyNow[rel] = true
		}
	}
	dropUnder := func(prefix string) {
		for f := range src {
			if strings.HasPrefix(f, prefix) {
				delete(src, f)
				orderChanged = true
			}
		}
		rel := strings.TrimPrefix(prefix, content.Dir+"/")
		for f := range files {
			if strings.HasPrefix(f, rel) {
				delete(files, f)
				filesChanged = true
			}
		}
	}
	pending := make([]string, 0, len(s.pending))
	for c := range s.pending {
		pending = append(pending, c)
	}
	sort.Strings(pending)
	for _, c := range pending {
		if c != content.Dir && !strings.HasPrefix(c, content.Dir+"/") {
			continue // not something a content rebuild reads
		}
		if c == content.Dir {
			samplesChanged["*"] = true
		}
		switch classify(c) {
		case content.SampleFile:
			rest := strings.TrimPrefix(strings.TrimPrefix(c, content.Dir+"/"+content.SamplesDir), "/")
			name, _, _ := strings.Cut(rest, "/")
			if name == "" {
				name = "*"
			}
			samplesChanged[name] = true
			continue
		case content.Ignored:
			if c != content.Dir {
				continue
			}
		}
		fi, err := fs.Stat(fsys, c)
		if err == nil && !fi.IsDir() {
			addFile(c)
			continue
		}
		// Gone, or a folder: forget c and all below it, then read what the
		// folder holds now.
		if _, ok := src[c]; ok {
			delete(src, c)
			orderChanged = true
		}
		if rel := strings.TrimPrefix(c, content.Dir+"/"); files[rel] {
			delete(files, rel)
			filesChanged = true
		}
		if c == content.Dir {
			dropUnder(content.Dir + "/")
		} else {
			dropUnder(c + "/")
		}
		if err != nil {
			continue
		}
		list, err := content.WalkFrom(fsys, c, s.b.cfg.Limits.WithDefaults())
		ch.errs.Append(generator.Pos{File: c}, err)
		if list != nil {
			for i, n := range s.parseAll(fsys, list.Pages, s.b.cfg.Limits.Page) {
				addPage(list.Pages[i], n)
			}
			for _, f := range list.Files {
				addFile(content.Dir + "/" + f)
			}
		}
	}
	ch.order = s.order
	if orderChanged {
		ch.order = make([]string, 0, len(src))
		for f := range src {
			ch.order = append(ch.order, f)
		}
		sort.Slice(ch.order, func(i, j int) bool { return walkLess(ch.order[i], ch.order[j]) })
	}
	ch.structural = orderChanged || filesChanged
	return ch
}
