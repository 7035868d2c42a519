package pipeline

// The property every rebuild must keep: after any sequence of edits, the
// State's output is byte for byte what a cold Build of the same sources
// writes. TestRebuildProperty checks it on a generated site under random
// edit sequences; each sequence it ever found wrong is kept below as a
// named regression test (TestRebuildRegressions).
//
//	go test ./generator/pipeline/ -run RebuildProperty                       # the CI seeds
//	VERSUS_PROPERTY_RUNS=200 go test ./generator/pipeline/ -run RebuildProperty  # more, random seeds
//	VERSUS_PROPERTY_SEED=12345 go test ./generator/pipeline/ -run RebuildProperty -v  # one seed again

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/samples"
)

// fakeOutputs stands for verified sample runs: every file's output follows
// from the sample's bytes, so a sample edit changes what pages show.
type fakeOutputs struct{}

func (fakeOutputs) Output(s *samples.Sample, f *samples.File) *generator.Output {
	sum := sha256.Sum256([]byte(samples.Key(s, f)))
	return &generator.Output{Text: "output of " + f.Name + " " + hex.EncodeToString(sum[:4]), Verified: true, Runtime: "Fake 1.0", Date: "2026-01-01"}
}

// propPage is one page of the model site.
type propPage struct {
	title, desc, body string
	date              time.Time
	tags              []string
	draft             bool
	weight            int
	layout            string
	sample            string
	criteria          [][3]string // name, node value, python value
	winner            []string
	links             []string // other page files, relative to content/
	section           bool     // an _index.md
	aliases           []string
	menu              string // the identifier of its entry in the main menu
	menuWeight        int
}

func (p *propPage) text() string {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", p.title)
	if p.desc != "" {
		fmt.Fprintf(&b, "description: %q\n", p.desc)
	}
	if !p.section {
		fmt.Fprintf(&b, "date: %s\n", p.date.Format("2006-01-02"))
	}
	if len(p.tags) > 0 {
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(p.tags, ", "))
	}
	if p.draft {
		b.WriteString("draft: true\n")
	}
	if p.weight != 0 {
		fmt.Fprintf(&b, "weight: %d\n", p.weight)
	}
	if p.layout != "" {
		fmt.Fprintf(&b, "layout: %s\n", p.layout)
	}
	if len(p.aliases) > 0 {
		fmt.Fprintf(&b, "aliases: [%s]\n", strings.Join(p.aliases, ", "))
	}
	if p.menu != "" {
		fmt.Fprintf(&b, "menu: {main: {identifier: %q, weight: %d}}\n", p.menu, p.menuWeight)
	}
	if len(p.criteria) > 0 {
		b.WriteString("criteria:\n")
		for i, c := range p.criteria {
			fmt.Fprintf(&b, "  - name: %q\n    node: %q\n    python: %q\n", c[0], c[1], c[2])
			if p.winner[i] != "" {
				fmt.Fprintf(&b, "    winner: %s\n", p.winner[i])
			}
		}
	}
	b.WriteString("---\n")
	b.WriteString(p.body)
	b.WriteString("\n")
	for _, l := range p.links {
		fmt.Fprintf(&b, "\nSee [%s](/%s).\n", strings.TrimSuffix(filepath.Base(l), ".md"), l)
	}
	if p.sample != "" {
		fmt.Fprintf(&b, "\n{{< sample %q >}}\n", p.sample)
	}
	return b.String()
}

// propSite is the model of a generated site: what the test writes to disk
// and edits.
type propSite struct {
	t      testing.TB
	rng    *rand.Rand
	dir    string
	pages  map[string]*propPage // by file relative to content/
	n      int                  // pages made so far, for new names
	title  string
	pager  int  // pagination.pagerSize: small, so that edits move pages between pagers
	own    bool // the site has a layout and partial of its own
	layout int  // version of the own layout
	sample map[string]int
	// wide makes pic.png large enough for copies.
	wide   bool
	copied map[string]bool
}

var (
	propTags     = []string{"web", "async", "io", "cli", "data", "types", "tests", "perf", "json", "http", "fs", "errors"}
	propSections = []string{"guides", "notes", "compare", "guides/deep", "notes/old"}
	propWords    = strings.Fields("the event loop runs callbacks while a worker pool reads files and a coroutine awaits sockets so both handle many requests")
)

const propSettings = `title: %s
description: A generated site for the property test.
baseURL: https://example.org/prop/
subjects:
  node:
    name: Node.js
    language: javascript
    extensions: [.js]
  python:
    name: Python
    language: python
    extensions: [.py]
pagination:
  pagerSize: %d
`

// propLayout is a layout of the site's own: it shows other pages' fields
// the theme does not (the weights and dates of the section's pages),
// through a partial of its own. (What rendering a body gives, such as a
// word count, an article cannot show of another: a cold build renders
// articles in parallel.)
func propLayout(v int) string {
	return fmt.Sprintf(`{{ define "main" }}<article class="special v%d"><h1>{{ .Title }}</h1>{{ .Content }}{{ partial "extra.html" . }}</article>{{ end }}`, v)
}

// propSection is a section layout of the site's own that shows what
// rendering their bodies gave the pages it lists, which the theme's lists do
// not show.
//
// Odd versions show .Paginator, so that a layout edit turns pagination on
// and off, and they show every pager's first title, which a card edit on
// one pager changes on the others.
func propSection(v int) string {
	if v%2 == 1 {
		return fmt.Sprintf(`{{ define "main" }}<section class="v%d"><h1>{{ .Title }}</h1><p>{{ .Paginator.PageNumber }}/{{ .Paginator.TotalPages }}</p><ul>{{ range .Paginator.Pages }}<li>{{ .Title }}: {{ .WordCount }} words, {{ .Summary }}</li>{{ end }}</ul><ol>{{ range .Paginator.Pagers }}<li><a href="{{ .URL }}">{{ (index .Pages 0).Title }}</a></li>{{ end }}</ol></section>{{ end }}`, v)
	}
	return fmt.Sprintf(`{{ define "main" }}<section class="v%d"><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li>{{ .Title }}: {{ .WordCount }} words, {{ .ReadingTime }} min, {{ .Summary }}</li>{{ end }}</ul></section>{{ end }}`, v)
}

func propPartial(v int) string {
	return fmt.Sprintf(`<aside class="extra v%d">{{ with .Parent }}<ul>{{ range .Pages }}<li>{{ .Title }}, weight {{ .Weight }}, {{ .Date.Format "2006-01-02" }}{{ with .Params.tags }} {{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}</aside>`, v)
}

func newPropSite(t testing.TB, seed int64, size int) *propSite {
	s := &propSite{t: t, rng: rand.New(rand.NewSource(seed)), dir: t.TempDir(), pages: map[string]*propPage{},
		title: "Prop", pager: []int{5, 9, 30}[int(seed%3)], sample: map[string]int{"hello": 0, "world": 0}, copied: map[string]bool{}}
	s.own = s.rng.Intn(2) == 0
	for range size {
		s.newPage(propSections[s.rng.Intn(len(propSections))])
	}
	for _, sec := range []string{"guides", "notes/old"} {
		s.pages[sec+"/_index.md"] = &propPage{section: true, title: "Section " + sec, body: "About " + sec + "."}
	}
	// The home page shows the picture, which edits make wide (with
	// srcset copies) and narrow again.
	s.pages["_index.md"] = &propPage{section: true, title: "Home", body: "Welcome.\n\n![A picture](pic.png)"}
	s.copied["pic.png"] = true
	s.writeAll()
	return s
}

func (s *propSite) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = propWords[s.rng.Intn(len(propWords))]
	}
	return strings.Join(w, " ")
}

func (s *propSite) randomPage() *propPage {
	p := &propPage{
		title: fmt.Sprintf("Page %d %s", s.n, propWords[s.rng.Intn(len(propWords))]),
		date:  time.Date(2025, time.Month(1+s.rng.Intn(12)), 1+s.rng.Intn(28), 0, 0, 0, 0, time.UTC),
		body:  s.words(5+s.rng.Intn(40)) + ".\n\n## Part " + strconv.Itoa(s.rng.Intn(3)) + "\n\n" + s.words(10),
	}
	s.n++
	for _, i := range s.rng.Perm(len(propTags))[:s.rng.Intn(4)] {
		p.tags = append(p.tags, propTags[i])
	}
	if s.rng.Intn(4) == 0 {
		p.desc = "About " + s.words(4)
	}
	if s.rng.Intn(10) == 0 {
		p.weight = 1 + s.rng.Intn(5)
	}
	if s.rng.Intn(15) == 0 {
		p.draft = true
	}
	if s.rng.Intn(5) == 0 {
		s.setCriteria(p)
	}
	if s.rng.Intn(8) == 0 {
		p.sample = []string{"hello", "world"}[s.rng.Intn(2)]
	}
	if s.own && s.rng.Intn(6) == 0 {
		p.layout = "special"
	}
	return p
}

func (s *propSite) setCriteria(p *propPage) {
	p.criteria, p.winner = nil, nil
	for i := range 1 + s.rng.Intn(3) {
		p.criteria = append(p.criteria, [3]string{fmt.Sprintf("Criterion %d", i), s.words(2), s.words(2)})
		p.winner = append(p.winner, []string{"", "node", "python"}[s.rng.Intn(3)])
	}
}

func (s *propSite) newPage(section string) string {
	p := s.randomPage()
	name := fmt.Sprintf("%s/p%04d.md", section, s.n)
	if files := s.files(); len(files) > 0 && s.rng.Intn(3) == 0 {
		p.links = []string{files[s.rng.Intn(len(files))]}
	}
	s.pages[name] = p
	return name
}

// files lists the model's page files, sorted, so that a seed always picks
// the same ones.
func (s *propSite) files() []string {
	out := make([]string, 0, len(s.pages))
	for f := range s.pages {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func (s *propSite) articles() []string {
	var out []string
	for _, f := range s.files() {
		if !s.pages[f].section {
			out = append(out, f)
		}
	}
	return out
}

func (s *propSite) write(name, data string) {
	write(s.t, s.dir, name, data)
}

func (s *propSite) remove(name string) {
	if err := os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(name))); err != nil {
		s.t.Fatal(err)
	}
}

// copiedBytes is what the copied file f holds: pic.png is a picture,
// wider than images.MinWidth when s.wide.
func (s *propSite) copiedBytes(f string) string {
	if f != "pic.png" {
		return "bytes of " + f
	}
	if s.wide {
		return tinyPNG(900, 2)
	}
	return tinyPNG(2, 1)
}

func (s *propSite) writeAll() {
	s.write("site.yaml", fmt.Sprintf(propSettings, s.title, s.pager))
	for f, p := range s.pages {
		s.write("content/"+f, p.text())
	}
	for name, v := range s.sample {
		s.write("content/samples/"+name+"/main.js", fmt.Sprintf("console.log(%q, %d)\n", name, v))
		s.write("content/samples/"+name+"/main.py", fmt.Sprintf("print(%q, %d)\n", name, v))
	}
	for f := range s.copied {
		s.write("content/"+f, s.copiedBytes(f))
	}
	if s.own {
		s.write("layouts/special.html", propLayout(s.layout))
		s.write("layouts/partials/extra.html", propPartial(s.layout))
		s.write("layouts/section.html", propSection(s.layout))
	}
}

// edit applies one random edit and returns its name and the changed paths.
func (s *propSite) edit() (string, []string) {
	arts := s.articles()
	pick := func() (string, *propPage) {
		f := arts[s.rng.Intn(len(arts))]
		return f, s.pages[f]
	}
	save := func(f string) []string {
		s.write("content/"+f, s.pages[f].text())
		return []string{"content/" + f}
	}
	switch k := s.rng.Intn(19); k {
	case 0, 1:
		f, p := pick()
		p.body = s.words(5+s.rng.Intn(40)) + "."
		return "body " + f, save(f)
	case 2:
		f, p := pick()
		p.title = fmt.Sprintf("Retitled %d %s", s.rng.Intn(1000), propWords[s.rng.Intn(len(propWords))])
		return "title " + f, save(f)
	case 3:
		f, p := pick()
		p.tags = nil
		for _, i := range s.rng.Perm(len(propTags))[:s.rng.Intn(4)] {
			p.tags = append(p.tags, propTags[i])
		}
		return "tags " + f, save(f)
	case 4:
		f, p := pick()
		// Now is mid-2026: some dates are in the future.
		p.date = time.Date(2025+s.rng.Intn(2), time.Month(1+s.rng.Intn(12)), 1+s.rng.Intn(28), 0, 0, 0, 0, time.UTC)
		return "date " + f, save(f)
	case 5:
		f, p := pick()
		p.draft = !p.draft
		return "draft " + f, save(f)
	case 6:
		f, p := pick()
		if len(p.criteria) > 0 && s.rng.Intn(3) == 0 {
			p.criteria, p.winner = nil, nil
		} else {
			s.setCriteria(p)
		}
		return "criteria " + f, save(f)
	case 7:
		f := s.newPage(propSections[s.rng.Intn(len(propSections))])
		return "new page " + f, save(f)
	case 8:
		f, _ := pick()
		delete(s.pages, f)
		s.remove("content/" + f)
		return "delete " + f, []string{"content/" + f}
	case 9:
		f, p := pick()
		to := fmt.Sprintf("%s/r%04d.md", propSections[s.rng.Intn(len(propSections))], s.n)
		s.n++
		delete(s.pages, f)
		s.pages[to] = p
		s.remove("content/" + f)
		return "rename " + f + " → " + to, append([]string{"content/" + f}, save(to)...)
	case 10:
		sec := fmt.Sprintf("new%d", s.n)
		changed := []string{"content/" + sec}
		if s.rng.Intn(2) == 0 {
			s.pages[sec+"/_index.md"] = &propPage{section: true, title: "New section " + sec, body: "New."}
			s.write("content/"+sec+"/_index.md", s.pages[sec+"/_index.md"].text())
		}
		for range 1 + s.rng.Intn(3) {
			f := s.newPage(sec)
			s.write("content/"+f, s.pages[f].text())
		}
		return "new section " + sec, changed
	case 11:
		if !s.own {
			// The site takes layouts of its own.
			s.own = true
			s.writeAll()
			return "own layouts", []string{"layouts/special.html", "layouts/partials/extra.html", "layouts/section.html"}
		}
		s.layout++
		switch s.rng.Intn(3) {
		case 0:
			s.write("layouts/partials/extra.html", propPartial(s.layout))
			return "partial edit", []string{"layouts/partials/extra.html"}
		case 1:
			s.write("layouts/section.html", propSection(s.layout))
			return "section layout edit", []string{"layouts/section.html"}
		}
		s.write("layouts/special.html", propLayout(s.layout))
		return "layout edit", []string{"layouts/special.html"}
	case 12:
		s.title = fmt.Sprintf("Prop %d", s.rng.Intn(1000))
		if s.rng.Intn(2) == 0 {
			s.pager = 3 + s.rng.Intn(12)
		}
		s.write("site.yaml", fmt.Sprintf(propSettings, s.title, s.pager))
		return "settings", []string{"site.yaml"}
	case 13:
		name := []string{"hello", "world"}[s.rng.Intn(2)]
		s.sample[name]++
		s.write("content/samples/"+name+"/main.js", fmt.Sprintf("console.log(%q, %d)\n", name, s.sample[name]))
		return "sample " + name, []string{"content/samples/" + name + "/main.js"}
	case 14:
		f, p := pick()
		if p.desc == "" {
			p.desc = "Now described: " + s.words(3)
		} else {
			p.desc = ""
		}
		return "description " + f, save(f)
	case 15:
		f, p := pick()
		files := s.files()
		p.links = []string{files[s.rng.Intn(len(files))]}
		if s.rng.Intn(4) == 0 {
			p.links = []string{"missing.md"}
		}
		return "link " + f, save(f)
	case 17:
		// An alias added, moved to another old URL, or dropped: the
		// redirect pages (and the old ones' removal) follow.
		f, p := pick()
		switch {
		case len(p.aliases) > 0 && s.rng.Intn(3) == 0:
			p.aliases = nil
		default:
			p.aliases = []string{fmt.Sprintf("/was/a%d/", s.n)}
			s.n++
		}
		return "alias " + f, save(f)
	case 18:
		// A page joins the main menu or leaves it: every page's header
		// changes.
		f, p := pick()
		if p.menu != "" && s.rng.Intn(2) == 0 {
			p.menu = ""
		} else {
			p.menu, p.menuWeight = f, s.rng.Intn(4)
		}
		return "menu " + f, save(f)
	default:
		name := fmt.Sprintf("file%d.txt", s.rng.Intn(3))
		if s.copied[name] {
			delete(s.copied, name)
			s.remove("content/" + name)
			return "remove file " + name, []string{"content/" + name}
		}
		s.copied[name] = true
		s.write("content/"+name, "bytes of "+name)
		if name == "file2.txt" {
			// The same draw of the generator, so the CI seeds' other
			// edits stay as they were, also resizes the picture.
			s.wide = !s.wide
			s.write("content/pic.png", s.copiedBytes("pic.png"))
			return "add file " + name + " and resize pic.png", []string{"content/" + name, "content/pic.png"}
		}
		return "add file " + name, []string{"content/" + name}
	}
}

func propOptions(dir string) Options {
	return Options{Source: os.DirFS(dir), Now: incNow, Workers: 2, Outputs: fakeOutputs{}}
}

// checkSame compares the state's output with a cold build of dir; it
// returns a description of the first differences, or "".
func checkSame(st *State, dir string, rebuildErr error) string {
	sink := NewMemSink()
	_, coldErr := Build(context.Background(), propOptions(dir), sink)
	switch {
	case coldErr != nil && rebuildErr != nil:
		return ""
	case coldErr != nil:
		return fmt.Sprintf("the rebuild passed, a cold build fails: %v", coldErr)
	case rebuildErr != nil:
		return fmt.Sprintf("the rebuild fails, a cold build passes: %v", rebuildErr)
	}
	var problems []string
	got := st.Files()
	for _, p := range sink.Paths() {
		g, ok := got[p]
		switch {
		case !ok:
			problems = append(problems, "rebuild lacks "+p)
		case string(g) != string(sink.Files[p]):
			problems = append(problems, fmt.Sprintf("%s differs:\n%s", p, firstDiff(string(g), string(sink.Files[p]))))
		}
	}
	for p := range got {
		if _, ok := sink.Files[p]; !ok {
			problems = append(problems, "rebuild still has "+p)
		}
	}
	sort.Strings(problems)
	if len(problems) > 5 {
		problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
	}
	return strings.Join(problems, "\n")
}

// runProperty builds a site from seed, applies steps random edits, and
// compares after each. It returns the edits up to the first difference.
func runProperty(t testing.TB, seed int64, size, steps int) (edits []string, problem string) {
	s := newPropSite(t, seed, size)
	st := NewState(propOptions(s.dir))
	_, err := st.Rebuild(context.Background(), nil)
	if msg := checkSame(st, s.dir, err); msg != "" {
		return nil, "first build: " + msg
	}
	for range steps {
		name, changed := s.edit()
		edits = append(edits, name)
		_, err := st.Rebuild(context.Background(), changed)
		if err != nil {
			// The state keeps its last good output; the comparison is with
			// the failure of a cold build, and the next edit goes on from
			// there.
			if msg := checkSame(st, s.dir, err); msg != "" {
				return edits, msg
			}
			continue
		}
		if msg := checkSame(st, s.dir, nil); msg != "" {
			return edits, msg
		}
	}
	return edits, ""
}

// propSeeds are the seeds CI runs: fixed, so a failure is reproducible.
var propSeeds = []int64{1, 2, 3}

func TestRebuildProperty(t *testing.T) {
	seeds := slices.Clone(propSeeds)
	steps := 25
	if testing.Short() {
		seeds, steps = seeds[:1], 10
	}
	if v := os.Getenv("VERSUS_PROPERTY_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("VERSUS_PROPERTY_SEED=%q: %v", v, err)
		}
		seeds = []int64{n}
	}
	if v := os.Getenv("VERSUS_PROPERTY_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("VERSUS_PROPERTY_RUNS=%q: %v", v, err)
		}
		seeds = nil
		base := time.Now().UnixNano()
		for i := range n {
			seeds = append(seeds, base+int64(i))
		}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			edits, problem := runProperty(t, seed, 200, steps)
			if problem != "" {
				t.Fatalf("seed %d: after %d edits (%s):\n%s\nKeep it: add {%d, %d} to propRegressions.",
					seed, len(edits), strings.Join(edits, "; "), problem, seed, len(edits))
			}
		})
	}
}

// propRegressions are sequences the property test found wrong once: the
// seed and how many edits it takes.
var propRegressions = []struct {
	name        string
	seed        int64
	size, steps int
}{}

func TestRebuildRegressions(t *testing.T) {
	for _, r := range propRegressions {
		t.Run(r.name, func(t *testing.T) {
			edits, problem := runProperty(t, r.seed, r.size, r.steps)
			if problem != "" {
				t.Fatalf("after %s:\n%s", strings.Join(edits, "; "), problem)
			}
		})
	}
}
