package pipeline

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// FeedSize is how many of the newest pages the Atom feed carries.
const FeedSize = 50

// writeSiteFiles writes sitemap.xml, feed.xml and robots.txt.
func (b *builder) writeSiteFiles() error {
	site := b.site
	var sm bytes.Buffer
	sm.WriteString(xml.Header)
	sm.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range allPages(site) {
		if p.Kind == generator.Kind404 || p.PagerOf != nil {
			// Pagers 2..N are reached through their list, as in Hugo.
			continue
		}
		sm.WriteString("  <url><loc>")
		xml.EscapeText(&sm, []byte(p.Permalink))
		sm.WriteString("</loc>")
		if !p.Lastmod.IsZero() {
			fmt.Fprintf(&sm, "<lastmod>%s</lastmod>", p.Lastmod.Format("2006-01-02"))
		}
		sm.WriteString("</url>\n")
	}
	sm.WriteString("</urlset>\n")
	if err := b.write("sitemap.xml", sm.Bytes()); err != nil {
		return err
	}

	robots := fmt.Sprintf("User-agent: *\nAllow: /\n\nSitemap: %s\n", b.cfg.AbsURL("/sitemap.xml"))
	if err := b.write("robots.txt", []byte(robots)); err != nil {
		return err
	}
	return b.write("feed.xml", b.feed())
}

// feed writes an Atom feed of the newest articles.
func (b *builder) feed() []byte {
	site := b.site
	pages := append([]*generator.Page(nil), site.Pages...)
	sortByDate(pages)
	if len(pages) > FeedSize {
		pages = pages[:FeedSize]
	}
	var f bytes.Buffer
	esc := func(s string) {
		xml.EscapeText(&f, []byte(s))
	}
	f.WriteString(xml.Header)
	f.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"`)
	if b.cfg.Language != "" {
		fmt.Fprintf(&f, ` xml:lang="%s"`, xmlAttr(b.cfg.Language))
	}
	f.WriteString(">\n  <title>")
	esc(site.Title)
	f.WriteString("</title>\n")
	if site.Description != "" {
		f.WriteString("  <subtitle>")
		esc(site.Description)
		f.WriteString("</subtitle>\n")
	}
	fmt.Fprintf(&f, "  <link rel=\"self\" href=\"%s\"/>\n", xmlAttr(b.cfg.AbsURL("/feed.xml")))
	fmt.Fprintf(&f, "  <link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>\n", xmlAttr(b.cfg.AbsURL("/")))
	fmt.Fprintf(&f, "  <id>%s</id>\n", xmlAttr(b.cfg.AbsURL("/")))
	fmt.Fprintf(&f, "  <updated>%s</updated>\n", site.BuildDate.UTC().Format(time.RFC3339))
	f.WriteString("  <generator>versus</generator>\n")
	for _, p := range pages {
		f.WriteString("  <entry>\n    <title>")
		esc(p.Title)
		f.WriteString("</title>\n")
		fmt.Fprintf(&f, "    <link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>\n", xmlAttr(p.Permalink))
		fmt.Fprintf(&f, "    <id>%s</id>\n", xmlAttr(p.Permalink))
		updated := p.Lastmod
		if updated.IsZero() {
			updated = site.BuildDate
		}
		if !p.Date.IsZero() {
			fmt.Fprintf(&f, "    <published>%s</published>\n", p.Date.UTC().Format(time.RFC3339))
		}
		fmt.Fprintf(&f, "    <updated>%s</updated>\n", updated.UTC().Format(time.RFC3339))
		for _, a := range p.Authors {
			f.WriteString("    <author><name>")
			esc(a)
			f.WriteString("</name></author>\n")
		}
		for _, t := range p.Tags {
			fmt.Fprintf(&f, "    <category term=\"%s\"/>\n", xmlAttr(t.Name))
		}
		if p.Description != "" {
			f.WriteString("    <summary>")
			esc(p.Description)
			f.WriteString("</summary>\n")
		}
		f.WriteString("  </entry>\n")
	}
	f.WriteString("</feed>\n")
	return f.Bytes()
}

func xmlAttr(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func sortByDate(pages []*generator.Page) {
	sort.SliceStable(pages, func(i, j int) bool { return newer(pages[i], pages[j]) })
}

func newer(a, b *generator.Page) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.Path < b.Path
}
