package build

// The sources a State keeps: every Markdown file as parsed, read again
// only when a change names it.

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"
	"sync"

	"versus/generator"
	"versus/generator/config"
	"versus/generator/content"
)

// source is one Markdown file as parsed, before any build changed it.
type source struct {
	page *generator.Page // nil when it failed to parse
	errs generator.ErrorList
	sum  uint64 // hash of the whole file
	fm   uint64 // hash of the front matter part
}

// scan reads every Markdown file under content/ as content.Load does.
func (s *State) scan(fsys fs.FS) (map[string]*source, []string, map[string]bool, error) {
	src := map[string]*source{}
	files := map[string]bool{}
	var mdFiles []string
	// The build that follows reports a broken settings file; here it only
	// decides how large a page may be.
	limits := generator.Limits{}.WithDefaults()
	if cfg, err := config.Load(fsys); err == nil {
		limits = cfg.Limits
	}
	err := fs.WalkDir(fsys, content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == content.Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if p != content.Dir && skipDir(p) {
				return fs.SkipDir
			}
			return nil
		}
		switch classify(p) {
		case kindPage:
			mdFiles = append(mdFiles, p)
		case kindFile:
			files[strings.TrimPrefix(p, content.Dir+"/")] = true
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, generator.Errorf(generator.Pos{File: content.Dir}, "%v", err)
	}
	parsed := make([]*source, len(mdFiles))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range mdFiles {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			parsed[i] = s.parse(fsys, f, limits.Page)
		}()
	}
	wg.Wait()
	for i, f := range mdFiles {
		src[f] = parsed[i]
	}
	return src, mdFiles, files, nil
}

// parse reads and parses one Markdown file of at most max bytes.
func (s *State) parse(fsys fs.FS, file string, max int64) *source {
	data, err := content.ReadPage(fsys, file, max)
	if err != nil {
		var errs generator.ErrorList
		errs.Append(generator.Pos{File: file}, err)
		return &source{errs: errs}
	}
	p, errs := content.Parse(file, data)
	src := &source{sum: maphash.Bytes(s.seed, data), errs: errs}
	if len(errs) == 0 {
		src.page = p
		fm := data
		if n := len(p.Body); n <= len(data) && bytes.Equal(data[len(data)-n:], p.Body) {
			fm = data[:len(data)-n]
		}
		src.fm = maphash.Bytes(s.seed, fm)
	}
	return src
}

const (
	kindIgnore = iota
	kindPage
	kindFile
	kindSample
)

// classify says what a file under content/ is to a build, with the rules
// content.Load walks by.
func classify(p string) int {
	rel, ok := strings.CutPrefix(p, content.Dir+"/")
	if !ok {
		return kindIgnore
	}
	if rel == content.SamplesDir || strings.HasPrefix(rel, content.SamplesDir+"/") {
		return kindSample
	}
	dir, name := path.Split(rel)
	for _, seg := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		if strings.HasPrefix(seg, ".") {
			return kindIgnore
		}
	}
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return kindIgnore
	}
	if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".markdown") {
		return kindPage
	}
	return kindFile
}

// skipDir reports whether content.Load skips a folder under content/.
func skipDir(p string) bool {
	rel := strings.TrimPrefix(p, content.Dir+"/")
	return rel == content.SamplesDir || strings.HasPrefix(path.Base(p), ".")
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
	addFile := func(p string) {
		switch classify(p) {
		case kindPage:
			old := s.src[p]
			n := s.parse(fsys, p, s.b.cfg.Limits.Page)
			if old != nil && old.sum == n.sum && len(old.errs) == 0 {
				src[p] = old
				return
			}
			if _, ok := src[p]; !ok {
				orderChanged = true
			}
			src[p] = n
			dirty[p] = true
		case kindFile:
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
		case kindSample:
			rest := strings.TrimPrefix(strings.TrimPrefix(c, content.Dir+"/"+content.SamplesDir), "/")
			name, _, _ := strings.Cut(rest, "/")
			if name == "" {
				name = "*"
			}
			samplesChanged[name] = true
			continue
		case kindIgnore:
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
		err = fs.WalkDir(fsys, c, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != content.Dir && skipDir(p) {
					return fs.SkipDir
				}
				return nil
			}
			addFile(p)
			return nil
		})
		if err != nil {
			ch.errs.Add(generator.Pos{File: c}, "%v", err)
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
