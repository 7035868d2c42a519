// Package serve is the watch-mode web server: it serves the latest good
// build from memory (under the site's base path, with 404.html for misses),
// injects a live-reload script into the HTML it serves (and only there: the
// built files never contain it), and tells open tabs over Server-Sent Events
// when to reload, when only the stylesheets changed, and which build errors
// to show in an overlay.
package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EventsPath is where tabs listen for builds; it is outside any site path
// a build writes (no output file starts with "__versus").
const EventsPath = "/__versus/events"

//go:embed reload.js
var reloadJS string

// maxChanged is how many changed files an event names; past it tabs
// simply reload.
const maxChanged = 500

// Problem is one build error as the overlay shows it.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
	// Pos is "file:line:col" (what is known of it).
	Pos string `json:"pos,omitempty"`
	// Lines are the source lines around the error, if known.
	Lines []Line `json:"lines,omitempty"`
}

// Line is one numbered source line.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Server serves one site. Its zero value is not usable: call New.
type Server struct {
	mu         sync.RWMutex
	files      map[string][]byte
	base       string
	generation int
	problems   []Problem
	// changedAt is the generation at which each file last changed, so a
	// tab that connects late still learns that its page changed.
	changedAt map[string]int

	clientsMu sync.Mutex
	clients   map[chan event]bool
	done      chan struct{}
	closeOnce sync.Once
}

type event struct {
	Generation int       `json:"generation"`
	Changed    []string  `json:"changed,omitempty"`
	All        bool      `json:"all,omitempty"`
	CSS        bool      `json:"css,omitempty"`
	Errors     []Problem `json:"errors,omitempty"`
}

// New returns a Server with nothing built yet: it answers every page with
// a placeholder that reloads once the first build is published.
func New() *Server {
	return &Server{base: "/", changedAt: map[string]int{}, clients: map[chan event]bool{}, done: make(chan struct{})}
}

// Publish makes files (output path → bytes) the site served under base
// (the base URL's path, "/" or "/docs/"), clears any errors, and tells the
// open tabs: those whose page is among changed (and differs from what was
// served) reload; with cssOnly they swap their stylesheets instead. A nil
// changed means everything changed.
// The server keeps files as given: the caller must not change the map.
func (s *Server) Publish(files map[string][]byte, base string, changed []string, cssOnly bool) {
	s.mu.Lock()
	s.generation++
	first := s.files == nil
	if changed != nil && !first {
		// Name only what differs from what is served now: a file already
		// published early by the same rebuild does not reload tabs again.
		var differ []string
		for _, f := range changed {
			old, had := s.files[f]
			now, has := files[f]
			if had != has || !bytes.Equal(old, now) {
				differ = append(differ, f)
			}
		}
		changed = differ
		if changed == nil {
			changed = []string{}
		}
	}
	s.files = files
	s.base = normBase(base)
	s.problems = nil
	ev := event{Generation: s.generation, CSS: cssOnly}
	if changed == nil || first {
		ev.All = true
		clear(s.changedAt)
		for f := range files {
			s.changedAt[f] = s.generation
		}
	} else {
		for _, f := range changed {
			s.changedAt[f] = s.generation
		}
		if len(changed) > maxChanged {
			ev.All = true
		} else {
			ev.Changed = changed
		}
	}
	s.mu.Unlock()
	s.broadcast(ev)
}

// Fail shows problems in every open tab; the site served stays the last
// good one. The next Publish clears them.
func (s *Server) Fail(problems []Problem) {
	if len(problems) == 0 {
		problems = []Problem{{Message: "the build failed"}}
	}
	s.mu.Lock()
	s.problems = problems
	gen := s.generation
	s.mu.Unlock()
	s.broadcast(event{Generation: gen, Errors: problems})
}

// Base returns the base path the site is served under.
func (s *Server) Base() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.base
}

// Close ends every event stream, so that an http.Server's Shutdown does not
// wait for tabs that never hang up.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

func normBase(b string) string {
	if b == "" {
		return "/"
	}
	if !strings.HasPrefix(b, "/") {
		b = "/" + b
	}
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return b
}

func (s *Server) broadcast(ev event) {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	for c := range s.clients {
		select {
		case c <- ev:
		default:
			// A tab that does not keep up is dropped; it reconnects and
			// reloads.
			delete(s.clients, c)
			close(c)
		}
	}
}

// ServeHTTP serves the site and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == EventsPath {
		s.events(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.RLock()
	files, base, gen := s.files, s.base, s.generation
	s.mu.RUnlock()
	if files == nil {
		w.Header().Set("Retry-After", "1")
		s.write(w, r, http.StatusServiceUnavailable, "*", gen, "text/html; charset=utf-8", []byte(placeholder))
		return
	}
	p := r.URL.Path
	if base != "/" {
		if p == "/" || p == strings.TrimSuffix(base, "/") {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		rest, ok := strings.CutPrefix(p, base)
		if !ok {
			s.notFound(w, r, files, gen)
			return
		}
		p = "/" + rest
	}
	// The files are a map, not a folder, so nothing outside the site can be
	// reached; cleaning only makes /a/./b and /a/x/../b name what they say.
	if strings.Contains(p, "\x00") || strings.Contains(p, "\\") {
		s.notFound(w, r, files, gen)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if strings.HasSuffix(p, "/") || name == "" {
		name = path.Join(name, "index.html")
	}
	data, ok := files[name]
	if !ok {
		if _, dir := files[path.Join(name, "index.html")]; dir && !strings.HasSuffix(p, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, files, gen)
		return
	}
	s.write(w, r, http.StatusOK, name, gen, contentType(name, data), data)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, files map[string][]byte, gen int) {
	if data, ok := files["404.html"]; ok {
		s.write(w, r, http.StatusNotFound, "404.html", gen, "text/html; charset=utf-8", data)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func contentType(name string, data []byte) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

// write sends a file, with the reload script added to HTML.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, gen int, ctype string, data []byte) {
	if strings.HasPrefix(ctype, "text/html") {
		data = Inject(data, name, gen)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// Inject returns page with the live-reload script added before </body> (or
// at the end). file is the output file the page is (so the tab knows when
// it changed) and generation the build it comes from.
func Inject(page []byte, file string, generation int) []byte {
	tag := fmt.Sprintf(`<script data-versus="reload" data-file="%s" data-generation="%d" data-events="%s">%s</script>`,
		html.EscapeString(file), generation, EventsPath, reloadJS)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = bytes.LastIndex(page, []byte("</BODY>"))
	}
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// events streams builds to one tab.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan event, 16)
	s.clientsMu.Lock()
	s.clients[c] = true
	s.clientsMu.Unlock()
	defer func() {
		s.clientsMu.Lock()
		if s.clients[c] {
			delete(s.clients, c)
			close(c)
		}
		s.clientsMu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 500\n\n")

	// Catch up a tab that loaded its page before the latest build.
	file := r.URL.Query().Get("file")
	since, _ := strconv.Atoi(r.URL.Query().Get("generation"))
	s.mu.RLock()
	gen, problems := s.generation, s.problems
	stale := file == "*" && s.files != nil || s.changedAt[file] > since
	s.mu.RUnlock()
	switch {
	case len(problems) > 0:
		send(w, event{Generation: gen, Errors: problems})
	case stale:
		send(w, event{Generation: gen, Changed: []string{file}})
	}
	flusher.Flush()

	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			send(w, ev)
			flusher.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			flusher.Flush()
		}
	}
}

func send(w http.ResponseWriter, ev event) {
	data, err := json.Marshal(ev)
	if err != nil {
		data = []byte(`{"all":true}`)
	}
	fmt.Fprintf(w, "event: build\ndata: %s\n\n", data)
}

// Listen listens on host:port, or on the next free port above it (up to
// tries ports in all). Port 0 picks any free port.
func Listen(host string, port, tries int) (net.Listener, error) {
	var err error
	for i := 0; i < max(tries, 1); i++ {
		var ln net.Listener
		ln, err = net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port+i)))
		if err == nil {
			return ln, nil
		}
		if port == 0 {
			break
		}
	}
	return nil, err
}

const placeholder = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>versus watch</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main style="font:16px/1.5 system-ui,sans-serif;margin:3em auto;max-width:40em;padding:0 1em">
<h1>Building…</h1><p>The site has not built yet. This page reloads by itself as soon as it has.</p>
</main></body></html>
`
