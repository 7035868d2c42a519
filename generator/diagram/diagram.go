// Package diagram renders D2 diagrams (fenced ```d2 blocks) to inline SVG
// at build time with the D2 library and its bundled dagre layout, so pages
// show diagrams without JavaScript in the browser.
package diagram

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"oss.terrastruct.com/d2/d2graph"
	"oss.terrastruct.com/d2/d2layouts/d2dagrelayout"
	"oss.terrastruct.com/d2/d2lib"
	"oss.terrastruct.com/d2/d2parser"
	"oss.terrastruct.com/d2/d2renderers/d2svg"
	"oss.terrastruct.com/d2/d2themes/d2themescatalog"
	"oss.terrastruct.com/d2/lib/log"
	"oss.terrastruct.com/d2/lib/textmeasure"
)

// Error is a D2 syntax or compile error at a 1-based Line and Col of the
// diagram's source.
type Error struct {
	Line, Col int
	Message   string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Message) }

// Errors are all the mistakes D2 found in one diagram.
type Errors []*Error

func (e Errors) Error() string {
	var b strings.Builder
	for i, x := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(x.Error())
	}
	return b.String()
}

// Renderer renders diagrams. It is safe for concurrent use; diagrams are
// laid out one at a time (D2's text ruler is not shareable) and cached by
// source, so an unchanged diagram is laid out once per Renderer.
type Renderer struct {
	// CacheDir, when set, keeps each drawn diagram in a file named by a
	// hash of its source and the D2 version, so the next build reads it
	// instead of laying the diagram out again.
	CacheDir string

	mu    sync.Mutex
	ruler *textmeasure.Ruler
	cache map[string]result
}

type result struct {
	d   *Diagram
	err error
}

// Diagram is a rendered diagram.
type Diagram struct {
	// SVG is the drawing, an <svg> element to put in HTML as it is.
	SVG string
	// Width and Height are its natural size in CSS pixels.
	Width, Height int
	// Text says in words what the diagram shows, shape by shape and
	// connection by connection, for readers who cannot see it.
	Text string
}

// New returns a Renderer.
func New() *Renderer { return &Renderer{cache: map[string]result{}} }

// Themes: D2's neutral default for light mode, its "Dark Mauve" for dark.
var (
	lightTheme = d2themescatalog.NeutralDefault.ID
	darkTheme  = d2themescatalog.DarkMauve.ID
)

// Render lays out and draws src. The SVG follows the page's light or dark
// mode: the reader's system setting, or the theme switch's choice.
func (r *Renderer) Render(src string) (*Diagram, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if res, ok := r.cache[src]; ok {
		return res.d, res.err
	}
	d, err := r.fromDisk(src)
	if d == nil && err == nil {
		d, err = r.render(src)
		if err == nil {
			r.toDisk(src, d)
		}
	}
	r.cache[src] = result{d, err}
	return d, err
}

// d2Version is part of every cache key: another D2 draws differently.
const d2Version = "v0.7.2"

func (r *Renderer) cacheFile(src string) string {
	sum := sha256.Sum256([]byte(d2Version + "\x00" + src))
	return filepath.Join(r.CacheDir, hex.EncodeToString(sum[:16])+".json")
}

// fromDisk returns the cached drawing of src, or nil. A cache file that
// cannot be read is ignored: the diagram is drawn again.
func (r *Renderer) fromDisk(src string) (*Diagram, error) {
	if r.CacheDir == "" {
		return nil, nil
	}
	data, err := os.ReadFile(r.cacheFile(src))
	if err != nil {
		return nil, nil
	}
	var d Diagram
	if json.Unmarshal(data, &d) != nil || !strings.HasPrefix(d.SVG, "<svg") {
		return nil, nil
	}
	return &d, nil
}

// toDisk saves a drawing, atomically; failing to is not an error, only a
// cache miss next time.
func (r *Renderer) toDisk(src string, d *Diagram) {
	if r.CacheDir == "" {
		return
	}
	data, err := json.Marshal(d)
	if err != nil || os.MkdirAll(r.CacheDir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(r.CacheDir, ".new-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), r.cacheFile(src)) != nil {
		_ = os.Remove(tmp.Name())
	}
}

func (r *Renderer) render(src string) (*Diagram, error) {
	if r.ruler == nil {
		ruler, err := textmeasure.NewRuler()
		if err != nil {
			return nil, fmt.Errorf("starting D2: %v", err)
		}
		r.ruler = ruler
	}
	pad, noXML, omit := int64(8), true, true
	light, dark := lightTheme, darkTheme
	renderOpts := &d2svg.RenderOpts{Pad: &pad, ThemeID: &light, DarkThemeID: &dark, NoXMLTag: &noXML, OmitVersion: &omit}
	compileOpts := &d2lib.CompileOptions{
		Ruler: r.ruler,
		LayoutResolver: func(engine string) (d2graph.LayoutGraph, error) {
			if engine != "" && engine != "dagre" {
				return nil, fmt.Errorf("layout engine %q is not available (versus bundles dagre)", engine)
			}
			return d2dagrelayout.DefaultLayout, nil
		},
		// Imports would read the disk; a diagram stands alone.
		FS: fstest.MapFS{},
	}
	// D2 logs through the context; versus prints nothing from a library.
	ctx := log.With(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	diagram, g, err := d2lib.Compile(ctx, src, compileOpts, renderOpts)
	if err != nil {
		return nil, convert(err)
	}
	out, err := d2svg.Render(diagram, renderOpts)
	if err != nil {
		return nil, fmt.Errorf("drawing the diagram: %v", err)
	}
	d := &Diagram{SVG: followTheme(string(out)), Text: describe(g)}
	if m := viewBox.FindStringSubmatch(d.SVG); m != nil {
		d.Width, _ = strconv.Atoi(m[1])
		d.Height, _ = strconv.Atoi(m[2])
	}
	return d, nil
}

// viewBox is the outer <svg>'s, as d2svg writes it.
var viewBox = regexp.MustCompile(`^<svg [^>]*viewBox="0 0 (\d+) (\d+)"`)

// describe lists the shapes and connections of g in source order:
// "client, server, db; client → server: request, server → db".
func describe(g *d2graph.Graph) string {
	var shapes, edges []string
	for _, o := range g.Objects {
		shapes = append(shapes, o.Label.Value)
	}
	for _, e := range g.Edges {
		arrow := " – "
		switch {
		case e.SrcArrow && e.DstArrow:
			arrow = " ↔ "
		case e.DstArrow:
			arrow = " → "
		case e.SrcArrow:
			arrow = " ← "
		}
		s := e.Src.Label.Value + arrow + e.Dst.Label.Value
		if e.Label.Value != "" {
			s += ": " + e.Label.Value
		}
		edges = append(edges, s)
	}
	text := strings.Join(shapes, ", ")
	if len(edges) > 0 {
		text += "; " + strings.Join(edges, ", ")
	}
	return text
}

// convert turns D2's errors into positioned ones. D2 puts the position
// in front of each message as well; that copy is dropped.
func convert(err error) error {
	var pe *d2parser.ParseError
	if !errors.As(err, &pe) || len(pe.Errors) == 0 {
		return err
	}
	var out Errors
	for _, e := range pe.Errors {
		msg := strings.TrimPrefix(e.Message, e.Range.String()+": ")
		out = append(out, &Error{Line: e.Range.Start.Line + 1, Col: e.Range.Start.Column + 1, Message: msg})
	}
	return out
}

// darkBlock is how D2 writes its dark theme: rules for the system's dark
// mode.
var darkBlock = regexp.MustCompile(`@media screen and \(prefers-color-scheme:dark\)\{`)

// followTheme makes D2's dark rules follow the theme switch as the rest of
// the theme does: in system dark mode unless the reader chose light, and
// whenever the reader chose dark. The rules are nested under those
// selectors (CSS nesting), so their own selectors stay as D2 wrote them.
func followTheme(svg string) string {
	loc := darkBlock.FindStringIndex(svg)
	if loc == nil {
		return svg
	}
	// The block ends at the brace that closes the @media rule.
	depth, end := 1, -1
	for i := loc[1]; i < len(svg) && end < 0; i++ {
		switch svg[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				end = i
			}
		}
	}
	if end < 0 {
		return svg
	}
	rules := svg[loc[1]:end]
	return svg[:loc[0]] +
		`@media (prefers-color-scheme:dark){:root:not([data-theme="light"]){` + rules + `}}` +
		`:root[data-theme="dark"]{` + rules + `}` +
		svg[end+1:]
}
