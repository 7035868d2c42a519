// Package images reads the size of the pictures a site shows and makes
// the smaller copies of large ones that pages offer browsers in srcset, so
// that a phone does not download a picture made for a wide screen and no
// picture moves the text when it arrives.
package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // pages may show GIFs
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // pages may show WebP pictures
)

// Info is what a build knows of a picture file.
type Info struct {
	// Format is "png", "jpeg", "gif", "webp" or "svg".
	Format string
	// Width and Height are in pixels (CSS pixels for SVG); 0 when the file
	// does not say (an SVG without width, height or viewBox).
	Width, Height int
}

// Raster reports whether the picture is one social sites show (og:image):
// not SVG.
func (i Info) Raster() bool { return i.Format != "svg" && i.Format != "" }

// IsImage reports whether a file name is one of a picture Probe reads.
func IsImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg":
		return true
	}
	return false
}

// Probe reads a picture's format and size from its bytes; name (the file
// name) tells SVG apart, which has no magic number.
func Probe(name string, data []byte) (Info, error) {
	if strings.EqualFold(path.Ext(name), ".svg") {
		return probeSVG(data)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("not a picture versus can read (%v): save it again as PNG, JPEG, GIF, WebP or SVG", err)
	}
	return Info{Format: format, Width: cfg.Width, Height: cfg.Height}, nil
}

// probeSVG reads the root element's width and height, or its viewBox when
// they are missing or not in pixels.
func probeSVG(data []byte) (Info, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("no <svg> element")
			}
			return Info{}, fmt.Errorf("not an SVG picture versus can read (%v)", err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if el.Name.Local != "svg" {
			return Info{}, fmt.Errorf("not an SVG picture: its first element is <%s>, not <svg>", el.Name.Local)
		}
		info := Info{Format: "svg"}
		var w, h, vw, vh float64
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "width":
				w = svgLength(a.Value)
			case "height":
				h = svgLength(a.Value)
			case "viewBox":
				f := strings.FieldsFunc(a.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
				if len(f) == 4 {
					vw, _ = strconv.ParseFloat(f[2], 64)
					vh, _ = strconv.ParseFloat(f[3], 64)
					if vw <= 0 || vh <= 0 || math.IsInf(vw, 0) || math.IsInf(vh, 0) {
						vw, vh = 0, 0
					}
				}
			}
		}
		switch {
		case w > 0 && h > 0:
		case w > 0 && vw > 0:
			h = w * vh / vw
		case h > 0 && vh > 0:
			w = h * vw / vh
		case vw > 0:
			w, h = vw, vh
		default:
			w, h = 0, 0
		}
		if w > 0 && h > 0 && w < 1<<20 && h < 1<<20 {
			info.Width, info.Height = int(math.Round(w)), int(math.Round(h))
		}
		return info, nil
	}
}

// svgLength is a width or height in CSS pixels, or 0 for a length in
// other units (50%, 10em), which say nothing of the picture's size.
func svgLength(s string) float64 {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// MinWidth is the width above which a PNG or JPEG gets smaller copies.
const MinWidth = 800

// Widths are the widths of the smaller copies: those below the picture's
// own width are made. 480 fits a phone, 800 and 1200 the text column at
// one and two device pixels per CSS pixel, 1600 a wide screen.
var Widths = []int{480, 800, 1200, 1600}

// VariantWidths are the widths of the copies a build makes of a picture,
// narrowest first; none for pictures that are small, or not PNG or JPEG
// (a GIF may move, an SVG has no pixels).
func VariantWidths(info Info) []int {
	if info.Format != "png" && info.Format != "jpeg" || info.Width <= MinWidth || info.Height <= 0 {
		return nil
	}
	var out []int
	for _, w := range Widths {
		if w < info.Width {
			out = append(out, w)
		}
	}
	return out
}

// VariantName is the file of a picture's copy w pixels wide, beside the
// picture: shot.png → shot-480w.png.
func VariantName(file string, w int) string {
	ext := path.Ext(file)
	return strings.TrimSuffix(file, ext) + "-" + strconv.Itoa(w) + "w" + ext
}

// Key names a copy in a Cache: the picture's bytes and the width, so an
// edited picture never gets an old copy.
func Key(data []byte, w int) string {
	h := sha256.New()
	fmt.Fprintf(h, "versus-image-variant v1 w=%d\n", w)
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Cache keeps made copies between builds by Key. Implementations must be
// safe for concurrent use.
type Cache interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
}

// Variants returns the copies of a picture at each of widths (from
// VariantWidths), in the picture's own format, taking what it can from
// cache (nil for none) and putting there what it made. The picture is
// decoded only when a copy is missing.
func Variants(data []byte, info Info, widths []int, cache Cache) ([][]byte, error) {
	out := make([][]byte, len(widths))
	missing := false
	for i, w := range widths {
		if cache != nil {
			if b, ok := cache.Get(Key(data, w)); ok {
				out[i] = b
				continue
			}
		}
		missing = true
	}
	if !missing {
		return out, nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a picture versus can read (%v): save it again as PNG or JPEG", err)
	}
	src = scalable(src)
	for i, w := range widths {
		if out[i] != nil {
			continue
		}
		b, err := Resize(src, info.Format, w)
		if err != nil {
			return nil, err
		}
		out[i] = b
		if cache != nil {
			cache.Put(Key(data, w), b)
		}
	}
	return out, nil
}

// Resize scales src to w pixels wide, keeping its proportions, and
// encodes it as format ("png" or "jpeg").
func Resize(src image.Image, format string, w int) ([]byte, error) {
	b := src.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || w <= 0 {
		return nil, errors.New("a picture without pixels")
	}
	h := max(1, int(math.Round(float64(b.Dy())*float64(w)/float64(b.Dx()))))
	src = scalable(src)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85})
	case "png":
		err = png.Encode(&buf, dst)
	default:
		err = fmt.Errorf("no copies of %s pictures", format)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scalable returns the picture in a form scaling has a fast path for:
// RGBA, or YCbCr (JPEG). A 16-bit, grey or paletted PNG is turned into
// RGBA, once for all its copies.
func scalable(src image.Image) image.Image {
	switch src.(type) {
	case *image.RGBA, *image.YCbCr:
		return src
	}
	b := src.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, src, b.Min, draw.Src)
	return rgba
}
