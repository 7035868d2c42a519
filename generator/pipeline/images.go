package pipeline

// Pictures written in Markdown: their size (so none moves the text when it
// arrives), the smaller copies of large ones for srcset, and the first one
// as the page's picture for social sites.

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/images"
	"github.com/versus-ssg/versus/generator/markdown"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// picMemo keeps what one rebuild learnt of each picture, by source file,
// so a picture shown on many pages is read once.
type picMemo struct {
	mu   sync.Mutex
	info map[string]picInfo
}

type picInfo struct {
	info images.Info
	err  error
}

// probe returns the format and size of a file under content/ (src is the
// path from the site root).
func (b *builder) probe(src string) (images.Info, error) {
	m := b.pics
	if m != nil {
		m.mu.Lock()
		pi, ok := m.info[src]
		m.mu.Unlock()
		if ok {
			return pi.info, pi.err
		}
	}
	info, err := b.probeFile(src)
	if m != nil {
		m.mu.Lock()
		m.info[src] = picInfo{info, err}
		m.mu.Unlock()
	}
	return info, err
}

func (b *builder) probeFile(src string) (images.Info, error) {
	data, err := sitefs.ReadFile(b.opts.Source, src, b.cfg.Limits.WithDefaults().File, "limits.file")
	if err != nil {
		return images.Info{}, sitefs.Reason(err)
	}
	return images.Probe(src, data)
}

// imageInfo is markdown's Options.Image: what the page written in file
// can say of the picture at dest. A picture of another site is left as
// written; a local one that is not a file of the site is an error.
func (b *builder) imageInfo(file, dest string) (markdown.ImageInfo, bool, error) {
	p, _, _, ok := linkTarget(file, dest)
	if !ok {
		return markdown.ImageInfo{}, false, nil
	}
	rel, under := strings.CutPrefix(p, content.Dir+"/")
	if _, copied := b.urls[p]; !copied || !under || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown") {
		from := "its page's folder"
		if strings.HasPrefix(dest, "/") {
			from = content.Dir + "/"
		}
		return markdown.ImageInfo{}, false, fmt.Errorf("image %s: there is no file %s (a picture's path is relative to %s); put the picture there or correct the path", dest, p, from)
	}
	if !images.IsImage(p) {
		return markdown.ImageInfo{}, false, fmt.Errorf("image %s: %s is not a picture a browser shows (PNG, JPEG, GIF, WebP or SVG)", dest, p)
	}
	info, err := b.probe(p)
	if err != nil {
		return markdown.ImageInfo{}, false, fmt.Errorf("image %s (%s): %v", dest, p, err)
	}
	out := markdown.ImageInfo{Width: info.Width, Height: info.Height, Raster: info.Raster()}
	for _, w := range b.variantWidths(rel, info) {
		out.Srcset = append(out.Srcset, markdown.ImageVariant{URL: b.cfg.RelURL("/" + images.VariantName(rel, w)), Width: w})
	}
	return out, true, nil
}

// variantWidths are the widths of the copies made of the picture rel
// (relative to content/): a copy whose name a file of the site already
// has is not made.
func (b *builder) variantWidths(rel string, info images.Info) []int {
	var out []int
	for _, w := range images.VariantWidths(info) {
		if _, taken := b.urls[content.Dir+"/"+images.VariantName(rel, w)]; !taken {
			out = append(out, w)
		}
	}
	return out
}

// writeVariants writes the smaller copies of a copied file (relative to
// content/) that is a large PNG or JPEG, from the cache when it has them.
// A file that is not a picture versus reads is only copied: a page that
// shows it reports the problem at its line.
func (b *builder) writeVariants(rel string, data []byte) error {
	if b.opts.NoImageCopies || !images.IsImage(rel) {
		return nil
	}
	info, err := images.Probe(rel, data)
	if err != nil {
		return nil
	}
	widths := b.variantWidths(rel, info)
	if len(widths) == 0 {
		return nil
	}
	var cache images.Cache
	if b.opts.Images != nil {
		cache = b.opts.Images
	}
	copies, err := images.Variants(data, info, widths, cache)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := b.write(images.VariantName(rel, w), copies[i]); err != nil {
			return err
		}
	}
	return nil
}

// variantFiles are every name a copy of the copied file rel may have, so
// that a rebuild removes the copies of a picture that went away or shrank.
func variantFiles(rel string) []string {
	if !images.IsImage(rel) {
		return nil
	}
	ext := strings.ToLower(path.Ext(rel))
	if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
		return nil
	}
	out := make([]string, len(images.Widths))
	for i, w := range images.Widths {
		out[i] = images.VariantName(rel, w)
	}
	return out
}

// bodyImage is the page's picture for social sites when its front matter
// names none: the first raster picture of its body, at its own size.
func bodyImage(p *generator.Page, pics []markdown.Picture) *generator.Image {
	for _, pic := range pics {
		if !pic.Info.Raster || pic.Info.Width <= 0 {
			continue
		}
		alt := pic.Alt
		if alt == "" {
			alt = p.Title
		}
		return &generator.Image{URL: pic.URL, Width: pic.Info.Width, Height: pic.Info.Height, Alt: alt}
	}
	return nil
}
