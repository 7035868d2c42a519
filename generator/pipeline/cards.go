package pipeline

// Social cards: the picture social sites show for a page (og:image), either
// the card the build draws (card.png beside the page) or the front matter's
// image:.

import (
	"bytes"
	"image"
	_ "image/gif" // image: may be a GIF
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"path"
	"strings"
	"sync"

	_ "golang.org/x/image/webp" // image: may be a WebP

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/sitefs"
	"github.com/versus-ssg/versus/generator/socialcard"
)

// CardName is the file name of a page's drawn card, beside its index.html.
const CardName = "card.png"

// cardFile is the output file of the card of the page written to outFile
// ("a/b/index.html" → "a/b/card.png"), or "" for a page that has none
// (404.html).
func cardFile(outFile string) string {
	if path.Base(outFile) != "index.html" {
		return ""
	}
	return path.Join(path.Dir(outFile), CardName)
}

// cardMemo remembers the key of every card a build wrote, by output file,
// so that watch mode's next rebuild reuses an unchanged card's bytes.
type cardMemo struct {
	mu   sync.Mutex
	keys map[string]string
}

func newCardMemo() *cardMemo { return &cardMemo{keys: map[string]string{}} }

func (m *cardMemo) note(file, key string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.keys[file] = key
	m.mu.Unlock()
}

// resolveImage turns the front matter's image: into the page's Image: a
// file beside the page (in its bundle or folder), a file under content/
// named from there (/img/x.png), or an absolute URL. A file that is not
// there, or not a picture social sites show, is an error at its line.
func (b *builder) resolveImage(p *generator.Page, urls map[string]string, errs *generator.ErrorList) {
	p.Image = nil
	f := p.ImageFile
	if f == "" {
		return
	}
	if strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://") {
		p.Image = &generator.Image{URL: f, Alt: p.Title}
		return
	}
	candidates := imageCandidates(p)
	var src, url string
	for _, c := range candidates {
		if u, ok := urls[c]; ok && !strings.HasSuffix(c, ".md") && !strings.HasSuffix(c, ".markdown") {
			src, url = c, u
			break
		}
	}
	if src == "" {
		errs.Add(p.ImagePos, "image %q is not a file: put the picture beside the page (%s) or under content/ and give its path from there (/img/card.png)", f, candidates[0])
		return
	}
	switch strings.ToLower(path.Ext(src)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp":
	default:
		errs.Add(p.ImagePos, "image %q: social sites show only PNG, JPEG, GIF or WebP pictures; convert it (1200×630 PNG is the usual size)", f)
		return
	}
	img := &generator.Image{URL: url, Alt: p.Title}
	data, err := sitefs.ReadFile(b.opts.Source, src, b.cfg.Limits.WithDefaults().File, "limits.file")
	if err != nil {
		errs.Add(p.ImagePos, "image %q: %v", f, sitefs.Reason(err))
		return
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		errs.Add(p.ImagePos, "image %q (%s) is not a picture versus can read (%v): save it again as PNG or JPEG", f, src, err)
		return
	}
	img.Width, img.Height = cfg.Width, cfg.Height
	p.Image = img
}

// imageCandidates are the files image: may name, in the order tried.
func imageCandidates(p *generator.Page) []string {
	f := p.ImageFile
	if strings.HasPrefix(f, "https://") || strings.HasPrefix(f, "http://") || f == "" {
		return nil
	}
	if strings.HasPrefix(f, "/") {
		return []string{path.Join(content.Dir, f)}
	}
	return []string{path.Join(path.Dir(p.File), f), path.Join(content.Dir, f)}
}

// checkCardText warns of characters of the page's title that the card's
// fonts lack: the card would show boxes in their place.
func (b *builder) checkCardText(p *generator.Page) {
	if !b.cfg.SocialCards || p.ImageFile != "" || p.Kind == generator.Kind404 {
		return
	}
	missing := b.cards.Missing(socialcard.Card{Title: p.Title})
	if len(missing) == 0 {
		return
	}
	pos := generator.Pos{File: p.File, Line: 1}
	if p.Meta != nil {
		if n := p.Meta.Get("title"); n != nil {
			pos = n.Pos
		}
	}
	b.warn(pos, "the social card's font has no %q, so the card would show boxes for them: give the page a picture of its own with image: (a PNG of 1200×630), or set socialCards: false in site settings", string(missing))
}

// checkSiteCardText warns of characters of the site's title, which every
// card shows, that the card's fonts lack.
func (b *builder) checkSiteCardText() {
	if !b.cfg.SocialCards {
		return
	}
	missing := b.cards.Missing(socialcard.Card{Site: b.cfg.Title})
	if len(missing) == 0 {
		return
	}
	pos := b.cfg.TitlePos
	if pos.File == "" {
		pos = generator.Pos{File: b.cfg.File}
	}
	b.warn(pos, "the social cards' font has no %q, so every card would show boxes for them: set socialCards: false in site settings, or give pages pictures of their own with image:", string(missing))
}

// card is what the page's card shows.
func (b *builder) card(p *generator.Page) socialcard.Card {
	c := socialcard.Card{Title: p.Title, Site: b.cfg.Title}
	if p.Kind == generator.KindHome {
		c.Title, c.Site, c.Description = b.cfg.Title, "", b.cfg.Description
		if u, err := url.Parse(b.cfg.BaseURL); err == nil && u.Host != "" {
			c.Site = u.Host
		}
	}
	var subjects []*generator.Subject
	switch {
	case p.Subject != nil:
		subjects = []*generator.Subject{p.Subject}
	case p.Comparison != nil && len(p.Comparison.Subjects) > 0:
		subjects = p.Comparison.Subjects
	case p.Kind != generator.KindPage:
		subjects = b.cfg.Subjects
	}
	for _, s := range subjects {
		c.Subjects = append(c.Subjects, socialcard.Subject{Name: s.Name, Color: s.Color})
	}
	c.Versus = len(c.Subjects) >= 2
	return c
}

// cardAlt describes a card for og:image:alt: its title and site, and its
// subjects unless those words already said them.
func cardAlt(c socialcard.Card) string {
	alt := c.Title
	if c.Description != "" {
		alt += ": " + c.Description
	}
	if c.Site != "" {
		alt += " — " + c.Site
	}
	if len(c.Subjects) > 0 {
		names := make([]string, len(c.Subjects))
		for i, s := range c.Subjects {
			names[i] = s.Name
		}
		sep := ", "
		if c.Versus {
			sep = " vs "
		}
		if list := strings.Join(names, sep); !strings.Contains(alt, list) {
			alt += " — " + list
		}
	}
	return alt
}

// prepareCard gives a page without an image: of its own the card the build
// draws, before its layout runs (the head names it).
func (b *builder) prepareCard(p *generator.Page) (socialcard.Card, bool) {
	// Watch mode resolves image: again when one of its files comes or goes.
	for _, c := range imageCandidates(p) {
		b.opts.track.link(p.File, c)
	}
	cards := b.cfg.SocialCards && cardFile(p.OutFile) != ""
	if p.Image != nil && !p.Image.Card {
		// The page shows a picture of its own. A list with pagers still
		// draws its card: the pagers, which have none of its body, show it.
		if cards && p.ImageFile == "" && p.PagerOf == nil && p.Paginator != nil && len(p.Paginator.Pagers) > 1 {
			return b.card(p), true
		}
		return socialcard.Card{}, false
	}
	p.Image = nil
	if !cards || p.ImageFile != "" {
		return socialcard.Card{}, false
	}
	c := b.card(p)
	if l := p.PagerOf; l != nil {
		// A list's pagers show the card the list draws.
		p.Image = &generator.Image{URL: l.Path + CardName, Width: socialcard.Width, Height: socialcard.Height, Alt: cardAlt(c), Card: true}
		return c, false
	}
	p.Image = &generator.Image{URL: p.Path + CardName, Width: socialcard.Width, Height: socialcard.Height, Alt: cardAlt(c), Card: true}
	return c, true
}

// writeCard draws the page's card, or takes it from the previous rebuild
// or the cache, and writes it beside the page.
func (b *builder) writeCard(p *generator.Page, c socialcard.Card) error {
	if b.opts.NoCardImages {
		return nil
	}
	out := cardFile(p.OutFile)
	key := c.Key()
	data, ok := b.opts.prevCard.get(out, key)
	if !ok && b.opts.Cards != nil {
		data, ok = b.opts.Cards.Get(key)
	}
	if !ok {
		var err error
		if data, err = b.cards.Draw(c); err != nil {
			return generator.Errorf(generator.Pos{File: p.File}, "%v", err)
		}
		if b.opts.Cards != nil {
			b.opts.Cards.Put(key, data)
		}
	}
	b.cardKeys.note(out, key)
	return b.write(out, data)
}

// prevCards looks up the cards of the previous build by output file.
type prevCards func(file, key string) ([]byte, bool)

func (f prevCards) get(file, key string) ([]byte, bool) {
	if f == nil {
		return nil, false
	}
	return f(file, key)
}
