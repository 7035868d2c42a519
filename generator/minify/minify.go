// Package minify shrinks a build's HTML, CSS, JavaScript, XML and JSON as
// they are written, with github.com/tdewolff/minify. It wraps any sink that
// has the build stage's Write method, so generate --minify can put it in
// front of the output staging and everything else stays as it is.
package minify

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	tdm "github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/xml"
)

// Writer receives output files; build.Sink is one.
type Writer interface {
	Write(path string, data []byte) error
}

// Sink minifies what it can and passes every file on to the next Writer.
// It is safe for concurrent use when the next Writer is.
type Sink struct {
	next Writer
	m    *tdm.M
}

// media maps file extensions to the media types the minifier knows.
var media = map[string]string{
	".html": "text/html",
	".css":  "text/css",
	".js":   "application/javascript",
	".mjs":  "application/javascript",
	".xml":  "text/xml",
	".json": "application/json",
	".svg":  "image/svg+xml",
}

// New returns a Sink that writes minified files to next.
func New(next Writer) *Sink {
	m := tdm.New()
	// Document tags stay (they carry lang), and so do end tags and default
	// attribute values: the theme's CSS and scripts select on some of them.
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true, KeepSpecialComments: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return &Sink{next: next, m: m}
}

// Write minifies data when its extension is one the minifier knows.
func (s *Sink) Write(p string, data []byte) error {
	mt, ok := media[strings.ToLower(path.Ext(p))]
	if !ok {
		return s.next.Write(p, data)
	}
	out, err := s.m.Bytes(mt, data)
	if err != nil {
		return fmt.Errorf("minifying %s: %w", p, err)
	}
	return s.next.Write(p, out)
}
