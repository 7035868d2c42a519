package pipeline

import (
	"slices"
	"sort"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
)

// relKey is what an article's related pages depend on: its tags, its
// subjects and its place in the site's order (related() breaks ties by it).
type relKey struct {
	slugs    []string // one per tag, sorted
	subjects []string // sorted
	weight   int
	date     time.Time
	title    string
	path     string
}

func keyOf(p *generator.Page) relKey {
	k := relKey{weight: p.Weight, date: p.Date, title: p.Title, path: p.Path}
	for _, t := range p.TagNames {
		k.slugs = append(k.slugs, content.URLSegment(t))
	}
	sort.Strings(k.slugs)
	if p.Comparison != nil {
		for _, s := range p.Comparison.Subjects {
			k.subjects = append(k.subjects, s.ID)
		}
		sort.Strings(k.subjects)
		k.subjects = slices.Compact(k.subjects)
	}
	return k
}

// placedAs reports whether k sorts where o does among the site's articles.
func (k relKey) placedAs(o relKey) bool {
	return k.weight == o.weight && k.date.Equal(o.date) && k.title == o.title && k.path == o.path
}

// ranksAs reports whether k scores against every other article as o does:
// with the site's order unchanged, that is all related() reads.
func (k relKey) ranksAs(o relKey) bool {
	return slices.Equal(k.slugs, o.slugs) && slices.Equal(k.subjects, o.subjects)
}

// sameOrder reports whether pages hold the articles of the previous build
// in the same order.
func sameOrder(pages []*generator.Page, prev *snapshot) bool {
	if prev.site == nil || len(prev.site.Pages) != len(pages) {
		return false
	}
	for i, p := range pages {
		if prev.site.Pages[i].File != p.File {
			return false
		}
	}
	return true
}

// relatedResult is what relatedIncremental found, to keep for the next
// rebuild.
type relatedResult struct {
	keys map[string]relKey
	rel  map[string][]string
}

// recomputeAll is how many changed articles make it cheaper to work out
// every article's related pages than to patch them.
const recomputeAll = 64

// relatedIncremental sets the Related pages of pages (sorted as the site
// sorts them) exactly as related() would, working out afresh only the
// pages a change can affect: those that changed (tags, subjects or place in
// the order), those whose related pages changed or went away, and, for the
// others, whether a changed page now ranks among their five.
func relatedIncremental(pages []*generator.Page, prev *snapshot, dirty map[string]bool) relatedResult {
	res := relatedResult{keys: make(map[string]relKey, len(pages)), rel: make(map[string][]string, len(pages))}
	idx := make(map[string]int, len(pages))
	for i, p := range pages {
		idx[p.File] = i
		if k, ok := prev.keys[p.File]; ok && !dirty[p.File] {
			res.keys[p.File] = k
		} else {
			res.keys[p.File] = keyOf(p)
		}
	}
	// A new title or date that leaves every article where it was (the
	// common edit) changes no page's related pages: ties are broken by
	// place in the order, and the places stand.
	same := sameOrder(pages, prev)
	changed := map[string]bool{}
	var changedIdx []int
	for i, p := range pages {
		k, ok := prev.keys[p.File]
		if !ok || !k.ranksAs(res.keys[p.File]) || (!same && !k.placedAs(res.keys[p.File])) {
			changed[p.File] = true
			changedIdx = append(changedIdx, i)
		}
	}
	for f := range prev.keys {
		if _, ok := idx[f]; !ok {
			changed[f] = true
		}
	}
	r := newRanker(pages, res.keys)
	for i, p := range pages {
		var top []int
		old, had := prev.rel[p.File]
		switch {
		case len(changed) > recomputeAll || changed[p.File] || !had:
			top = r.full(i)
		case slices.ContainsFunc(old, func(f string) bool { return changed[f] }):
			top = r.full(i)
		default:
			var extra []int
			for _, j := range changedIdx {
				if j != i && r.score(i, j) > 0 {
					extra = append(extra, j)
				}
			}
			if len(extra) == 0 {
				// Nothing changed for this page: same related pages.
				p.Related = p.Related[:0]
				for _, f := range old {
					p.Related = append(p.Related, pages[idx[f]])
				}
				res.rel[p.File] = old
				continue
			}
			cands := make([]int, 0, len(old)+len(extra))
			for _, f := range old {
				cands = append(cands, idx[f])
			}
			top = r.best(i, append(cands, extra...))
		}
		p.Related = nil
		files := make([]string, 0, len(top))
		for _, j := range top {
			p.Related = append(p.Related, pages[j])
			files = append(files, pages[j].File)
		}
		res.rel[p.File] = files
	}
	return res
}

// ranker scores articles against each other as related() does: two points
// per shared tag, then one per shared subject.
type ranker struct {
	keys    []relKey
	bySlug  map[string][]int
	scratch []int
	touched []int
}

func newRanker(pages []*generator.Page, keys map[string]relKey) *ranker {
	r := &ranker{keys: make([]relKey, len(pages)), bySlug: map[string][]int{}, scratch: make([]int, len(pages))}
	for i, p := range pages {
		k := keys[p.File]
		r.keys[i] = k
		for _, s := range k.slugs {
			r.bySlug[s] = append(r.bySlug[s], i)
		}
	}
	return r
}

// score is the points j gets as a related page of i.
func (r *ranker) score(i, j int) int {
	a, b := r.keys[i], r.keys[j]
	n := 0
	for _, s := range a.slugs {
		for _, t := range b.slugs {
			if s == t {
				n += 2
			}
		}
	}
	if n == 0 {
		return 0
	}
	return n + r.shared(i, j)
}

func (r *ranker) shared(i, j int) int {
	n := 0
	for _, s := range r.keys[i].subjects {
		if slices.Contains(r.keys[j].subjects, s) {
			n++
		}
	}
	return n
}

// full ranks every article against i.
func (r *ranker) full(i int) []int {
	r.touched = r.touched[:0]
	for _, s := range r.keys[i].slugs {
		for _, j := range r.bySlug[s] {
			if j == i {
				continue
			}
			if r.scratch[j] == 0 {
				r.touched = append(r.touched, j)
			}
			r.scratch[j] += 2
		}
	}
	var top [5]int
	var score [5]int
	n := 0
	for _, j := range r.touched {
		sc := r.scratch[j] + r.shared(i, j)
		r.scratch[j] = 0
		n = insert(top[:], score[:], n, j, sc)
	}
	return append([]int(nil), top[:n]...)
}

// best ranks the given candidates against i.
func (r *ranker) best(i int, cands []int) []int {
	var top [5]int
	var score [5]int
	n := 0
	for k, j := range cands {
		if slices.Contains(cands[:k], j) {
			continue
		}
		if sc := r.score(i, j); sc > 0 {
			n = insert(top[:], score[:], n, j, sc)
		}
	}
	return append([]int(nil), top[:n]...)
}

// insert puts candidate j with score sc into the best-five list top (n
// long), ordered by score, then by place in the site's order.
func insert(top, score []int, n, j, sc int) int {
	pos := n
	for pos > 0 && (score[pos-1] < sc || score[pos-1] == sc && top[pos-1] > j) {
		pos--
	}
	if pos >= len(top) {
		return n
	}
	if n < len(top) {
		n++
	}
	copy(top[pos+1:n], top[pos:n-1])
	copy(score[pos+1:n], score[pos:n-1])
	top[pos], score[pos] = j, sc
	return n
}
