package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func site() map[string][]byte {
	return map[string][]byte{
		"index.html":          []byte("<!DOCTYPE html><html><body><h1>Home</h1></body></html>"),
		"posts/a/index.html":  []byte("<!DOCTYPE html><html><body><h1>A</h1></body></html>"),
		"404.html":            []byte("<!DOCTYPE html><html><body><h1>Not here</h1></body></html>"),
		"assets/style.1.css":  []byte("body{color:red}"),
		"assets/main.2.js":    []byte("console.log(1)"),
		"feed.xml":            []byte("<?xml version=\"1.0\"?><feed></feed>"),
		"sitemap.xml":         []byte("<?xml version=\"1.0\"?><urlset></urlset>"),
		"img/pic.png":         {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
		"robots.txt":          []byte("User-agent: *\n"),
		"notes/page.html":     []byte("<p>no body tag</p>"),
		"search/index.json":   []byte(`{"pages":[]}`),
		"dir/nested/x.txt":    []byte("x"),
		"dir/nested/ind.html": []byte("<html><body>i</body></html>"),
	}
}

func get(t *testing.T, h http.Handler, target string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = "localhost:1313"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServesFilesWithTheirTypes(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	for _, tc := range []struct{ path, ctype, has string }{
		{"/", "text/html; charset=utf-8", "<h1>Home</h1>"},
		{"/posts/a/", "text/html; charset=utf-8", "<h1>A</h1>"},
		{"/assets/style.1.css", "text/css; charset=utf-8", "color:red"},
		{"/assets/main.2.js", "text/javascript; charset=utf-8", "console.log"},
		{"/feed.xml", "text/xml; charset=utf-8", "<feed>"},
		{"/img/pic.png", "image/png", "PNG"},
		{"/robots.txt", "text/plain; charset=utf-8", "User-agent"},
		{"/search/index.json", "application/json", "pages"},
	} {
		res := get(t, s, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.path, res.StatusCode)
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if b := body(t, res); !strings.Contains(b, tc.has) {
			t.Errorf("%s: body %q lacks %q", tc.path, b, tc.has)
		}
	}
	// A folder without its slash is redirected to it, as static hosts do.
	res := get(t, s, "/posts/a")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/posts/a/" {
		t.Errorf("/posts/a: %d → %q, want 301 → /posts/a/", res.StatusCode, res.Header.Get("Location"))
	}
	// HEAD has the headers and no body.
	req := httptest.NewRequest(http.MethodHead, "/", nil)
	req.Host = "localhost:1313"
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "0" {
		t.Errorf("HEAD /: %d, %d bytes, Content-Length %s", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	// Other methods are refused.
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodPost, "/", nil)
	req.Host = "localhost:1313"
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", rec.Code)
	}
}

func TestMissesGet404Page(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	for _, p := range []string{"/nope/", "/nope.css", "/posts/b/", "/__versus/x"} {
		res := get(t, s, p)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
		if b := body(t, res); !strings.Contains(b, "Not here") || !strings.Contains(b, `data-file="404.html"`) {
			t.Errorf("%s: body is not the site's 404 page with the reload script: %q", p, b)
		}
	}
	// Without a 404.html a plain answer.
	files := site()
	delete(files, "404.html")
	s.Publish(files, "/", nil, false)
	if res := get(t, s, "/nope/"); res.StatusCode != 404 {
		t.Errorf("status %d, want 404", res.StatusCode)
	}
}

func TestNoPathTraversal(t *testing.T) {
	// Put real files beside the site, as a source folder would be.
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	for _, p := range []string{"/../site.yaml", "/%2e%2e/content/a.md", "/posts/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/posts/..\\..\\x", "/%00index.html"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = ""
		u, err := req.URL.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		req.URL = u
		req.Host = "localhost:1313"
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code == http.StatusOK && !strings.Contains(rec.Body.String(), "<h1>") {
			t.Errorf("%s: served %q", p, rec.Body.String())
		}
		if strings.Contains(rec.Body.String(), "root:") {
			t.Errorf("%s: leaked a file outside the site", p)
		}
	}
	// Dot segments inside the site resolve as a browser would.
	if res := get(t, s, "/posts/x/../a/"); res.StatusCode != 200 || !strings.Contains(body(t, res), "<h1>A</h1>") {
		t.Errorf("/posts/x/../a/ did not serve /posts/a/")
	}
}

func TestSubPath(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/docs/", nil, false)
	for _, tc := range []struct {
		path   string
		status int
		where  string
	}{
		{"/", http.StatusFound, "/docs/"},
		{"/docs", http.StatusFound, "/docs/"},
		{"/docs/", 200, ""},
		{"/docs/posts/a/", 200, ""},
		{"/posts/a/", 404, ""},
		{"/docsx/", 404, ""},
	} {
		res := get(t, s, tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if tc.where != "" && res.Header.Get("Location") != tc.where {
			t.Errorf("%s: redirected to %q, want %q", tc.path, res.Header.Get("Location"), tc.where)
		}
	}
}

func TestReloadScriptOnlyInServedHTML(t *testing.T) {
	files := site()
	orig := string(files["posts/a/index.html"])
	s := New(Options{})
	s.Publish(files, "/", nil, false)
	b := body(t, get(t, s, "/posts/a/"))
	if !strings.Contains(b, `<script data-versus="reload" data-file="posts/a/index.html"`) || !strings.Contains(b, "EventSource") {
		t.Fatalf("served page lacks the reload script: %q", b)
	}
	if i, j := strings.Index(b, `data-versus="reload"`), strings.Index(b, "</body>"); i > j {
		t.Error("the script is not inside the body")
	}
	if string(files["posts/a/index.html"]) != orig {
		t.Error("serving changed the build's own bytes")
	}
	if b := body(t, get(t, s, "/notes/page.html")); !strings.Contains(b, "EventSource") {
		t.Error("a page without </body> got no script")
	}
	for _, p := range []string{"/assets/style.1.css", "/assets/main.2.js", "/feed.xml", "/search/index.json"} {
		if b := body(t, get(t, s, p)); strings.Contains(b, "versus") {
			t.Errorf("%s has the reload script: %q", p, b)
		}
	}
}

// events reads a live event stream from a real server on 127.0.0.1.
func events(t *testing.T, url string) <-chan event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream served as %q", ct)
	}
	out := make(chan event, 16)
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev event
				if json.Unmarshal([]byte(data), &ev) == nil {
					out <- ev
				}
			}
		}
	}()
	return out
}

func wait(t *testing.T, c <-chan event) event {
	t.Helper()
	select {
	case ev, ok := <-c:
		if !ok {
			t.Fatal("event stream ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
		return event{}
	}
}

func TestEventsTellTabsWhatChanged(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer s.Close()
	c := events(t, srv.URL+EventsPath+"?file=index.html&generation=1")
	time.Sleep(50 * time.Millisecond) // let the stream register before publishing
	v2 := site()
	v2["posts/a/index.html"] = []byte("<html><body><h1>A, edited</h1></body></html>")
	s.Publish(v2, "/", []string{"posts/a/index.html"}, false)
	if ev := wait(t, c); len(ev.Changed) != 1 || ev.Changed[0] != "posts/a/index.html" || ev.All || ev.CSS {
		t.Errorf("event %+v, want posts/a/index.html changed", ev)
	}
	v3 := site()
	v3["assets/style.3.css"] = []byte("body{color:blue}")
	v3["index.html"] = []byte("<html><body><h1>Home, new style</h1></body></html>")
	s.Publish(v3, "/", []string{"assets/style.3.css", "index.html"}, true)
	if ev := wait(t, c); !ev.CSS {
		t.Errorf("event %+v, want a CSS-only change", ev)
	}
	s.Fail([]Problem{{File: "content/a.md", Line: 3, Col: 1, Pos: "content/a.md:3:1", Message: "bad"}})
	if ev := wait(t, c); len(ev.Errors) != 1 || ev.Errors[0].Line != 3 {
		t.Errorf("event %+v, want the error", ev)
	}
	// A tab opening while the build is broken sees the errors at once.
	c2 := events(t, srv.URL+EventsPath+"?file=index.html&generation=3")
	if ev := wait(t, c2); len(ev.Errors) != 1 {
		t.Errorf("late tab got %+v, want the error", ev)
	}
	v4 := site()
	s.Publish(v4, "/", []string{"index.html", "posts/a/index.html", "assets/style.3.css"}, false)
	if ev := wait(t, c); len(ev.Errors) != 0 || len(ev.Changed) != 2 { // posts/a/ is as v3 had it
		t.Errorf("event %+v, want a clean build", ev)
	}
	// Files published again with the same bytes (a rebuild's early pages)
	// reload nobody.
	s.Publish(v4, "/", []string{"index.html"}, false)
	if ev := wait(t, c); len(ev.Changed) != 0 || ev.All {
		t.Errorf("event %+v, want nothing changed", ev)
	}
	// A tab whose page changed between its load and its connection is told.
	c3 := events(t, srv.URL+EventsPath+"?file=index.html&generation=3")
	if ev := wait(t, c3); len(ev.Changed) != 1 || ev.Changed[0] != "index.html" {
		t.Errorf("stale tab got %+v, want a reload", ev)
	}
	// Close ends the streams, so a server can shut down.
	s.Close()
	select {
	case _, ok := <-c:
		for ok {
			_, ok = <-c
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the stream")
	}
}

func TestListenTakesTheNextFreePort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	ln, err := Listen("127.0.0.1", port, 20)
	if err != nil {
		t.Skipf("no free port above %d: %v", port, err)
	}
	defer ln.Close()
	got := ln.Addr().(*net.TCPAddr).Port
	if got <= port || got > port+19 {
		t.Errorf("listening on %d, want the next free port after %s", got, strconv.Itoa(port))
	}
}

func TestPlaceholderBeforeFirstBuild(t *testing.T) {
	s := New(Options{})
	res := get(t, s, "/anything/")
	b := body(t, res)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(b, "Building") || !strings.Contains(b, `data-file="*"`) {
		t.Errorf("before the first build: %d %q", res.StatusCode, b)
	}
}
