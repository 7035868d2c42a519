// Package serve is the watch-mode web server: it serves the latest good
// build from memory (under the site's base path, with 404.html for misses),
// injects a live-reload script into the HTML it serves (and only there: the
// built files never contain it), and tells open tabs over Server-Sent Events
// when to reload, when only the stylesheets changed, and which build errors
// to show in an overlay.
//
// The server is for the writer alone: it answers only requests addressed
// to a loopback name (localhost, *.localhost, 127.0.0.0/8, [::1]), to the
// address the request arrived at, or to a name the writer allowed, so that
// a page elsewhere cannot read drafts or the overlay's source lines through
// DNS rebinding; and it refuses the event stream and every non-GET request
// to pages of another origin.
package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"net/url"
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

// Options are what a Server answers besides its loopback names.
type Options struct {
	// Hosts are more host names the server answers, as the writer allowed
	// them: an exact name ("mybox.lan"), a name with a leading dot for it
	// and every name under it (".ts.net"), or an IP address. See CheckHost.
	Hosts []string
	// Refused, if not nil, is told of every request refused for its Host
	// or Origin header (host is the Host header; message says why and what
	// to do, as the 403 page does), so that the command can tell the
	// writer why a browser got 403. It is called from the request's
	// goroutine, so it must be safe for concurrent use.
	Refused func(host, message string)
}

// Server serves one site. Its zero value is not usable: call New.
type Server struct {
	hosts   []string
	refused func(host, message string)

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
// a placeholder that reloads once the first build is published. Host names
// in opts that CheckHost refuses never match a request.
func New(opts Options) *Server {
	hosts := make([]string, 0, len(opts.Hosts))
	for _, h := range opts.Hosts {
		if CheckHost(h) == nil {
			hosts = append(hosts, normHost(h))
		}
	}
	return &Server{
		hosts:     hosts,
		refused:   opts.Refused,
		base:      "/",
		changedAt: map[string]int{},
		clients:   map[chan event]bool{},
		done:      make(chan struct{}),
	}
}

// CheckHost says whether name can be given in Options.Hosts, and if not,
// why: a host name (optionally with a leading dot) or an IP address,
// without a scheme, port, path or wildcard.
func CheckHost(name string) error {
	if ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")); ip != nil {
		return nil
	}
	n := strings.TrimPrefix(name, ".")
	if n == "" {
		return errors.New("give a host name such as mybox.lan, or .example.test for it and every name under it")
	}
	if strings.Contains(n, "*") {
		return fmt.Errorf("write .%s for it and every name under it; wildcards are not taken", strings.TrimLeft(n, "*."))
	}
	for _, r := range n {
		ok := r == '-' || r == '.' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !ok {
			return errors.New("give the host name alone, without scheme, port or path (such as mybox.lan)")
		}
	}
	if strings.HasPrefix(n, ".") || strings.Contains(n, "..") {
		return errors.New("a host name has no empty parts between its dots (such as mybox.lan)")
	}
	return nil
}

// normHost is a host name as requests are compared with it: lower case,
// without the brackets of an IPv6 address or a final dot.
func normHost(h string) string {
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// IsLoopbackName says whether host (a name or an IP address, without a
// port) names this machine's loopback interface, which only processes on
// this machine can reach: localhost and the names under it (RFC 6761),
// 127.0.0.0/8 and ::1.
func IsLoopbackName(host string) bool {
	h := normHost(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hostAllowed says whether a request is addressed to this server by a name
// the writer uses: a page that a DNS-rebinding attack points at 127.0.0.1
// still sends its own name in Host.
func (s *Server) hostAllowed(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = normHost(host)
	if host == "" {
		return false
	}
	if IsLoopbackName(host) {
		return true
	}
	ip := net.ParseIP(host)
	if ip != nil {
		// The address the request arrived at (with --bind 0.0.0.0, each of
		// the machine's addresses): a browser sends an address as Host only
		// when the writer typed it, never through DNS.
		if a, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok && a.IP.Equal(ip) {
			return true
		}
	}
	for _, h := range s.hosts {
		if dot, ok := strings.CutPrefix(h, "."); ok {
			if host == dot || strings.HasSuffix(host, h) {
				return true
			}
			continue
		}
		if hip := net.ParseIP(h); hip != nil {
			if ip != nil && hip.Equal(ip) {
				return true
			}
			continue
		}
		if host == h {
			return true
		}
	}
	return false
}

// sameOrigin says whether a request comes from a page of this server, or
// from no page at all (no Origin header: the address bar, curl).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// "null" (a sandboxed frame, a file:// page) and anything else
		// that is not a web origin.
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// refuse answers 403 with a text that says how to get in, and tells the
// command.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, reason, hint string) {
	if s.refused != nil {
		s.refused(r.Host, reason+". "+hint)
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "403 Forbidden: %s.\n%s\n", reason, hint)
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

// normBase makes a base path clean, with one slash at each end, so that
// redirects to it stay on this server ("//host/" would leave it).
func normBase(b string) string {
	b = path.Clean("/" + b)
	if b == "/" {
		return b
	}
	return b + "/"
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

// ServeHTTP serves the site and the event stream, to the writer only.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		if host == "" {
			s.refuse(w, r, "this request names no host", "Open the page as http://localhost:PORT/.")
			return
		}
		s.refuse(w, r, fmt.Sprintf("versus watch answers only loopback names (localhost, 127.0.0.1, [::1]), its own address and the names given with --allow-host, not %q", r.Host),
			fmt.Sprintf("If %s is you, restart versus watch with --allow-host %s.", host, strings.Trim(host, "[]")))
		return
	}
	if (r.URL.Path == EventsPath || r.Method != http.MethodGet) && !sameOrigin(r) {
		s.refuse(w, r, fmt.Sprintf("a page of %q (another origin) may not use this server", r.Header.Get("Origin")),
			"Open the page from this server itself.")
		return
	}
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
	// The files are a map, not a folder, so nothing outside the site can be
	// reached; cleaning only makes /a/./b and /a/x/../b name what they say,
	// and makes every path start with a single slash ("//host/x" would be
	// another server's address in a redirect).
	raw := r.URL.Path
	if strings.ContainsFunc(raw, func(c rune) bool { return c < 0x20 || c == 0x7f || c == '\\' }) {
		// No output file has these, and browsers drop tabs and read a
		// backslash as "/", which would make a redirect leave the server.
		s.notFound(w, r, files, gen)
		return
	}
	p := path.Clean("/" + raw)
	if p != "/" && strings.HasSuffix(raw, "/") {
		p += "/"
	}
	if base != "/" {
		if p == "/" || p == strings.TrimSuffix(base, "/") {
			redirect(w, r, base, http.StatusFound)
			return
		}
		if !strings.HasPrefix(p, base) {
			s.notFound(w, r, files, gen)
			return
		}
	}
	rel := strings.TrimPrefix(p, base) // "", "a/b/" or "a/b.css"
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	data, ok := files[name]
	if !ok {
		if _, dir := files[rel+"/index.html"]; dir && rel != "" && !strings.HasSuffix(rel, "/") {
			redirect(w, r, base+rel+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, files, gen)
		return
	}
	s.write(w, r, http.StatusOK, name, gen, contentType(name, data), data)
}

// redirect sends the browser to target, a clean path of this server that
// starts with a single slash, keeping the query.
func redirect(w http.ResponseWriter, r *http.Request, target string, code int) {
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, code)
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
