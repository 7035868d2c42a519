package pipeline

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

// countingCache is a socialcard.Cache in memory that counts the cards
// drawn (Put) and served (Get).
type countingCache struct {
	mu         sync.Mutex
	cards      map[string][]byte
	puts, hits int
}

func (c *countingCache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.cards[key]
	if ok {
		c.hits++
	}
	return d, ok
}

func (c *countingCache) Put(key string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cards == nil {
		c.cards = map[string][]byte{}
	}
	c.cards[key] = data
	c.puts++
}

func (c *countingCache) drawn() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.puts
	c.puts, c.hits = 0, 0
	return n
}

func pngFile(t *testing.T, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestEveryPageHasACard(t *testing.T) {
	dir := writeSite(t, incSite)
	cache := &countingCache{}
	opts := incOptions(dir)
	opts.Cards = cache
	sink := NewMemSink()
	res, err := Build(context.Background(), opts, sink)
	if err != nil {
		t.Fatal(err)
	}
	cards := 0
	for _, p := range sink.Paths() {
		html := string(sink.Files[p])
		switch {
		case p == "404.html":
			if strings.Contains(html, "og:image") {
				t.Error("the 404 page names a social card")
			}
		case strings.Contains(html, `http-equiv="refresh"`):
			// A list's page/1/ redirect, which crawlers do not index.
			if strings.Contains(html, "og:image") {
				t.Errorf("the redirect %s names a social card", p)
			}
		case strings.HasSuffix(p, "index.html"):
			card := strings.TrimSuffix(p, "index.html") + "card.png"
			data, ok := sink.Files[card]
			if !ok {
				t.Errorf("%s has no %s", p, card)
				continue
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
				t.Errorf("%s: %v, %d×%d", card, err, cfg.Width, cfg.Height)
			}
			if want := `<meta property="og:image" content="https://example.org/inc/` + card + `">`; !strings.Contains(html, want) {
				t.Errorf("%s lacks %s", p, want)
			}
			cards++
		}
	}
	if cards != res.Pages-1 || cache.drawn() != cards {
		t.Errorf("%d cards for %d pages", cards, res.Pages)
	}
	// Alpha compares both subjects: its card says so.
	alpha := string(sink.Files["guides/alpha/index.html"])
	if !strings.Contains(alpha, `<meta property="og:image:alt" content="Alpha — Inc — Node.js vs Python">`) {
		t.Errorf("alpha's card alt: %s", between(alpha, "og:image:alt", ">"))
	}
	// A second build with the same cache draws nothing, and writes the
	// same bytes.
	again := NewMemSink()
	if _, err := Build(context.Background(), opts, again); err != nil {
		t.Fatal(err)
	}
	if n := cache.drawn(); n != 0 {
		t.Errorf("the second build drew %d cards", n)
	}
	if !maps.EqualFunc(sink.Files, again.Files, bytes.Equal) {
		t.Error("a build from the cache differs")
	}
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	before, _, _ := strings.Cut(after, to)
	return before
}

func TestRebuildCards(t *testing.T) {
	dir := writeSite(t, incSite)
	cache := &countingCache{}
	opts := incOptions(dir)
	opts.Cards = cache
	st := NewState(opts)
	rebuild(t, st)
	cache.drawn()

	// A body edit keeps the card as it was, without drawing it.
	write(t, dir, "content/notes/two.md", strings.Replace(incSite["content/notes/two.md"], "Two body.", "Two body, edited.", 1))
	u := rebuild(t, st, "content/notes/two.md")
	if n := cache.drawn(); n != 0 || slices.Contains(u.Changed, "notes/two/card.png") {
		t.Errorf("a body edit drew %d cards; changed %v", n, u.Changed)
	}
	if _, ok := st.Files()["notes/two/card.png"]; !ok {
		t.Fatal("the card went away")
	}

	// A title edit draws that page's card again, and only it.
	write(t, dir, "content/notes/two.md", strings.Replace(incSite["content/notes/two.md"], "title: Two", "title: Two renamed", 1))
	u = rebuild(t, st, "content/notes/two.md")
	if n := cache.drawn(); n != 1 || !slices.Contains(u.Changed, "notes/two/card.png") {
		t.Errorf("a title edit drew %d cards; changed %v", n, u.Changed)
	}
	sameAsBuild(t, st, dir)

	// image: replaces the card, which goes away.
	write(t, dir, "content/notes/cover.png", pngFile(t, 3, 2))
	write(t, dir, "content/notes/two.md", "---\ntitle: Two\nimage: cover.png\n---\nTwo body.\n")
	u = rebuild(t, st, "content/notes/two.md", "content/notes/cover.png")
	if !slices.Contains(u.Removed, "notes/two/card.png") {
		t.Errorf("the replaced card is not removed: %v", u.Removed)
	}
	html := string(st.Files()["notes/two/index.html"])
	for _, want := range []string{`content="https://example.org/inc/notes/cover.png"`, `og:image:width" content="3"`, `og:image:height" content="2"`} {
		if !strings.Contains(html, want) {
			t.Errorf("notes/two lacks %s", want)
		}
	}
	sameAsBuild(t, st, dir)

	// The picture is saved again at another size: the head follows.
	write(t, dir, "content/notes/cover.png", pngFile(t, 1200, 630))
	rebuild(t, st, "content/notes/cover.png")
	if html := string(st.Files()["notes/two/index.html"]); !strings.Contains(html, `og:image:width" content="1200"`) {
		t.Errorf("the head keeps the old size: %s", between(html, "og:image:width", ">"))
	}
	sameAsBuild(t, st, dir)

	// The picture goes away: an error at the line of image:, and the last
	// good output stays.
	if err := os.Remove(filepath.Join(dir, "content/notes/cover.png")); err != nil {
		t.Fatal(err)
	}
	_, err := st.Rebuild(context.Background(), []string{"content/notes/cover.png"})
	errs := generator.Errors(err)
	if len(errs) != 1 || errs[0].Pos.File != "content/notes/two.md" || errs[0].Pos.Line != 3 || !strings.Contains(errs[0].Msg, `image "cover.png" is not a file`) {
		t.Errorf("removing the picture gave %v", err)
	}
	write(t, dir, "content/notes/cover.png", pngFile(t, 3, 2))
	rebuild(t, st, "content/notes/cover.png")
	sameAsBuild(t, st, dir)

	// A page that goes takes its card along.
	if err := os.Remove(filepath.Join(dir, "content/notes/one.md")); err != nil {
		t.Fatal(err)
	}
	u = rebuild(t, st, "content/notes/one.md")
	if !slices.Contains(u.Removed, "notes/one/card.png") {
		t.Errorf("the gone page's card stays: removed %v", u.Removed)
	}
	sameAsBuild(t, st, dir)

	// Turning cards off (site settings) removes them all.
	write(t, dir, "site.yaml", incSite["site.yaml"]+"socialCards: false\n")
	u = rebuild(t, st, "site.yaml")
	for f := range st.Files() {
		if strings.HasSuffix(f, "card.png") {
			t.Errorf("%s stays with socialCards: false", f)
		}
	}
	sameAsBuild(t, st, dir)
}
