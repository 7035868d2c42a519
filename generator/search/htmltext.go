package search

import (
	stdhtml "html"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
)

// rawSection is a run of body text under one heading.
type rawSection struct {
	anchor, title, text string
}

// inline elements join their text to the words around them; any other tag
// separates words.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "del": true, "dfn": true, "em": true, "i": true, "ins": true, "kbd": true,
	"mark": true, "q": true, "s": true, "samp": true, "small": true, "span": true,
	"strong": true, "sub": true, "sup": true, "time": true, "u": true, "var": true,
}

// skipped elements hold no prose worth indexing: code listings are large and
// made of identifiers, and comparison tables are indexed from front matter.
func skipped(tag string, class string) bool {
	switch tag {
	case "pre", "script", "style", "template", "noscript", "button":
		return true
	case "table":
		return strings.Contains(" "+class+" ", " cmp-table ")
	case "a":
		// A heading's permalink only repeats the heading.
		return strings.Contains(" "+class+" ", " heading-anchor ")
	}
	return false
}

func isHeading(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

// bodySections splits body HTML at its headings (those with an id).
func bodySections(body string) []rawSection {
	if body == "" {
		return nil
	}
	// Code listings are most of a technical page's markup (a span per
	// token) and none of its prose: cut them out before walking.
	body = withoutPre(body)
	var out []rawSection
	cur := rawSection{}
	var text, head strings.Builder
	inHeading := "" // tag of the heading being read
	headingID := ""
	skipTag, skipDepth := "", 0
	flush := func() {
		cur.text = strings.Join(strings.Fields(text.String()), " ")
		if cur.text != "" || cur.anchor != "" || cur.title != "" {
			out = append(out, cur)
		}
		text.Reset()
	}
	walk(body, func(ev event) {
		switch ev.kind {
		case evStart:
			if skipDepth > 0 {
				if ev.tag == skipTag {
					skipDepth++
				}
				return
			}
			if skipped(ev.tag, ev.attrs["class"]) {
				skipTag, skipDepth = ev.tag, 1
				return
			}
			if isHeading(ev.tag) && inHeading == "" && ev.attrs["id"] != "" {
				inHeading, headingID = ev.tag, ev.attrs["id"]
				head.Reset()
				return
			}
			if !inline[ev.tag] {
				if inHeading != "" {
					head.WriteByte(' ')
				} else {
					text.WriteByte(' ')
				}
			}
		case evEnd:
			if skipDepth > 0 {
				if ev.tag == skipTag {
					skipDepth--
				}
				return
			}
			if ev.tag == inHeading {
				flush()
				cur = rawSection{anchor: headingID, title: strings.Join(strings.Fields(head.String()), " ")}
				inHeading = ""
				return
			}
			if !inline[ev.tag] {
				text.WriteByte(' ')
			}
		case evText:
			if skipDepth > 0 {
				return
			}
			if inHeading != "" {
				head.WriteString(ev.text)
			} else {
				text.WriteString(ev.text)
			}
		}
	})
	flush()
	return out
}

// withoutPre replaces every <pre>…</pre> element with a space.
func withoutPre(h string) string {
	i := strings.Index(h, "<pre")
	if i < 0 {
		return h
	}
	var b strings.Builder
	b.Grow(len(h) / 2)
	for i >= 0 {
		end := strings.Index(h[i:], "</pre>")
		if end < 0 {
			break
		}
		b.WriteString(h[:i])
		b.WriteByte(' ')
		h = h[i+end+len("</pre>"):]
		i = strings.Index(h, "<pre")
	}
	b.WriteString(h)
	return b.String()
}

// textOf is the text of an HTML fragment, whitespace collapsed.
func textOf(h string) string {
	if !strings.ContainsAny(h, "<&") {
		return strings.Join(strings.Fields(h), " ")
	}
	var b strings.Builder
	walk(h, func(ev event) {
		switch ev.kind {
		case evText:
			b.WriteString(ev.text)
		case evStart, evEnd:
			if !inline[ev.tag] {
				b.WriteByte(' ')
			}
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

type eventKind int

const (
	evStart eventKind = iota
	evEnd
	evText
)

type event struct {
	kind  eventKind
	tag   string
	attrs map[string]string
	text  string
}

// walk reports the start tags (with their attributes), end tags and
// unescaped text of h, in order.
func walk(h string, fn func(event)) {
	l := html.NewLexer(parse.NewInputString(h))
	var start *event
	emitStart := func() {
		if start != nil {
			fn(*start)
			start = nil
		}
	}
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			emitStart()
			return
		case html.StartTagToken:
			emitStart()
			start = &event{kind: evStart, tag: string(l.Text())}
		case html.AttributeToken:
			if start != nil {
				if start.attrs == nil {
					start.attrs = map[string]string{}
				}
				start.attrs[strings.ToLower(string(l.AttrKey()))] = attrValue(l.AttrVal())
			}
		case html.StartTagCloseToken:
			emitStart()
		case html.StartTagVoidToken:
			s := start
			emitStart()
			if s != nil {
				fn(event{kind: evEnd, tag: s.tag})
			}
		case html.EndTagToken:
			emitStart()
			fn(event{kind: evEnd, tag: strings.ToLower(string(l.Text()))})
		case html.TextToken:
			emitStart()
			fn(event{kind: evText, text: stdhtml.UnescapeString(string(data))})
		default:
			emitStart()
		}
	}
}

// attrValue strips an attribute value's quotes and decodes its entities.
func attrValue(v []byte) string {
	s := string(v)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return stdhtml.UnescapeString(s)
}
