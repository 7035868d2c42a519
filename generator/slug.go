package generator

import (
	"strings"
	"unicode"
)

// AnchorID makes an anchor id from a heading or criterion name: lowercase
// letters and digits of any script, spaces, dashes and slashes become single
// dashes, other punctuation is dropped ("Café crème" → "café-crème"). The
// Markdown stage, the theme's anchors and the search index all use it, so
// their ids agree. URLs have their own rule, content.URLSegment.
func AnchorID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '/':
			dash = true
		}
	}
	return b.String()
}
