package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// served starts s on a free port of 127.0.0.1 and returns its address
// ("127.0.0.1:PORT").
func served(t *testing.T, s *Server) string {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(s.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// request sends one request over the wire with the given Host and headers
// (as a browser, curl or an attacker's page would) and returns the
// response with its body read. Redirects are not followed.
func request(t *testing.T, addr, method, target, host string, header map[string]string) (*http.Response, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, target, host)
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s (Host %s): %v", method, target, host, err)
	}
	if res.Header.Get("Content-Type") == "text/event-stream" {
		// A stream never ends: the first bytes are enough, and closing the
		// connection ends it (closing the body would read it to the end).
		buf := make([]byte, 64)
		n, _ := res.Body.Read(buf)
		return res, string(buf[:n])
	}
	data, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return res, string(data)
}

// TestOnlyTheWritersHostNames: a DNS-rebinding page sends its own name as
// Host; it gets 403 for pages, files and the event stream alike, while the
// names a writer types get the site.
func TestOnlyTheWritersHostNames(t *testing.T) {
	var mu sync.Mutex
	var refused []string
	s := New(Options{Refused: func(host, reason string) {
		mu.Lock()
		defer mu.Unlock()
		refused = append(refused, host)
	}})
	s.Publish(site(), "/", nil, false)
	addr := served(t, s)
	_, port, _ := net.SplitHostPort(addr)

	for _, host := range []string{
		"attacker.example",
		"attacker.example:" + port,
		"localhost.attacker.example:" + port,
		"127.0.0.1.nip.io:" + port,
		"localhostx:" + port,
		"10.0.0.1:" + port, // an address, but not one this server listens on
		"[2001:db8::1]:" + port,
	} {
		for _, target := range []string{"/", "/posts/a/", "/assets/style.1.css", "/nope/", EventsPath + "?file=index.html&generation=1"} {
			res, b := request(t, addr, "GET", target, host, nil)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("Host %s, GET %s: status %d, want 403", host, target, res.StatusCode)
			}
			if strings.Contains(b, "<h1>") || strings.Contains(b, "color:red") || strings.Contains(b, "retry:") {
				t.Errorf("Host %s, GET %s: the refusal carries the site: %q", host, target, b)
			}
			if !strings.Contains(b, "--allow-host") {
				t.Errorf("Host %s, GET %s: the refusal does not say how to allow it: %q", host, target, b)
			}
		}
	}
	mu.Lock()
	if len(refused) == 0 || refused[0] != "attacker.example" {
		t.Errorf("the command was told of %q, want attacker.example first", refused)
	}
	mu.Unlock()

	for _, host := range []string{
		addr, // the bound address
		"localhost:" + port,
		"LocalHost:" + port,
		"localhost.:" + port,
		"blog.localhost:" + port,
		"127.0.0.1",
		"127.42.0.1:" + port,
		"[::1]:" + port,
	} {
		res, b := request(t, addr, "GET", "/posts/a/", host, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(b, "<h1>A</h1>") {
			t.Errorf("Host %s: status %d %q, want the page", host, res.StatusCode, b)
		}
		res, b = request(t, addr, "GET", EventsPath+"?file=index.html&generation=1", host, nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(b, "retry:") {
			t.Errorf("Host %s, event stream: status %d %q", host, res.StatusCode, b)
		}
	}

	// A request without a Host (HTTP/1.0) names no one.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = ""
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("no Host: status %d, want 403", rec.Code)
	}
}

// TestAllowedHosts: names the writer allows with --allow-host, exactly or
// with everything under a leading-dot name, and nothing that merely
// contains them.
func TestAllowedHosts(t *testing.T) {
	s := New(Options{Hosts: []string{"MyBox.lan", ".ts.example", "192.0.2.9", "[2001:db8::5]", "bad host:1"}})
	s.Publish(site(), "/", nil, false)
	addr := served(t, s)
	for _, tc := range []struct {
		host string
		want int
	}{
		{"mybox.lan:1313", 200},
		{"MYBOX.LAN.", 200},
		{"ts.example", 200},
		{"laptop.ts.example:1313", 200},
		{"192.0.2.9:1313", 200},
		{"[2001:db8::5]:1313", 200},
		{"a.mybox.lan", 403},
		{"mybox.lan.evil.example", 403},
		{"evil-ts.example", 403},
		{"xts.example", 403},
		{"192.0.2.10", 403},
	} {
		if res, _ := request(t, addr, "GET", "/", tc.host, nil); res.StatusCode != tc.want {
			t.Errorf("Host %s: status %d, want %d", tc.host, res.StatusCode, tc.want)
		}
	}
}

// TestTheAddressARequestArrivedAt: with --bind 0.0.0.0 a phone on the same
// network types the machine's address, which the server answers, and no
// other address.
func TestTheAddressARequestArrivedAt(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	local := &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 1313}
	for _, tc := range []struct {
		host string
		want int
	}{
		{"192.0.2.7:1313", 200},
		{"192.0.2.7", 200},
		{"192.0.2.8:1313", 403},
		{"attacker.example:1313", 403},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, net.Addr(local)))
		req.Host = tc.host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("arrived at %s with Host %s: status %d, want %d", local, tc.host, rec.Code, tc.want)
		}
	}
}

// TestOtherOriginsRefused: a page of another origin (another local dev
// server, a sandboxed frame) may not open the event stream or send
// anything but GET; the site's own pages may.
func TestOtherOriginsRefused(t *testing.T) {
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	addr := served(t, s)
	_, port, _ := net.SplitHostPort(addr)
	events := EventsPath + "?file=index.html&generation=1"
	for _, tc := range []struct {
		method, target, origin string
		want                   int
	}{
		{"GET", events, "http://evil.example", 403},
		{"GET", events, "null", 403},
		{"GET", events, "http://localhost:" + port, 403}, // Host is 127.0.0.1:PORT: another origin
		{"GET", events, "http://127.0.0.1:1", 403},
		{"GET", events, "file://", 403},
		{"POST", "/", "http://evil.example", 403},
		{"PUT", "/posts/a/", "null", 403},
		{"HEAD", "/", "http://evil.example", 403},
		{"GET", events, "http://" + addr, 200},
		{"GET", events, "", 200},
		{"POST", "/", "http://" + addr, 405},
		{"POST", "/", "", 405},
		// Plain page loads may come from a link on any page.
		{"GET", "/posts/a/", "http://evil.example", 200},
	} {
		var h map[string]string
		if tc.origin != "" {
			h = map[string]string{"Origin": tc.origin}
		}
		res, b := request(t, addr, tc.method, tc.target, addr, h)
		if res.StatusCode != tc.want {
			t.Errorf("%s %s from %q: status %d, want %d (%q)", tc.method, tc.target, tc.origin, res.StatusCode, tc.want, b)
		}
		if tc.want == 403 && strings.Contains(b, "retry:") {
			t.Errorf("%s %s from %q: the refusal is an event stream", tc.method, tc.target, tc.origin)
		}
	}
}

// TestRedirectsStayOnTheServer: a folder without its slash redirects to a
// clean path of this server, never to "//other.host/…", which a browser
// would follow to another site.
func TestRedirectsStayOnTheServer(t *testing.T) {
	for _, tc := range []struct {
		base, target, want string
	}{
		{"/", "//evil.example/../posts/a", "/posts/a/"},
		{"/", "//evil.example/%2e%2e/posts/a", "/posts/a/"},
		{"/", "/%2fevil.example/../posts/a", "/posts/a/"},
		{"/", "///evil.example/..//posts/a", "/posts/a/"},
		{"/", "//posts/a", "/posts/a/"},
		{"/", "/posts/x/../a", "/posts/a/"},
		{"/", "/posts/a?tab=node", "/posts/a/?tab=node"},
		{"/", "/dir/nested/..//nested/../../posts/a", "/posts/a/"},
		{"/docs/", "//evil.example/../docs/posts/a", "/docs/posts/a/"},
		{"/docs/", "//evil.example/..", "/docs/"},
		{"/docs/", "//evil.example/../docs", "/docs/"},
		{"/docs/", "//docs", "/docs/"},
		// A base path that would itself read as another host.
		{"//evil.example/", "/", "/evil.example/"},
	} {
		s := New(Options{})
		s.Publish(site(), tc.base, nil, false)
		addr := served(t, s)
		res, _ := request(t, addr, "GET", tc.target, addr, nil)
		loc := res.Header.Get("Location")
		if res.StatusCode/100 != 3 || loc != tc.want {
			t.Errorf("base %s, GET %s: %d Location %q, want a redirect to %q", tc.base, tc.target, res.StatusCode, loc, tc.want)
			continue
		}
		u, err := url.Parse("http://" + addr + tc.target)
		if err != nil {
			t.Fatal(err)
		}
		if next, err := u.Parse(loc); err != nil || next.Host != addr {
			t.Errorf("base %s, GET %s: Location %q leaves the server (%v)", tc.base, tc.target, loc, next)
		}
	}
	// Paths no output file has (a browser reads "\" as "/" and drops tabs)
	// get the 404 page, not a redirect.
	s := New(Options{})
	s.Publish(site(), "/", nil, false)
	addr := served(t, s)
	for _, target := range []string{"/%5cevil.example/../posts/a", "/%09/evil.example/../posts/a", "/posts%5ca"} {
		if res, _ := request(t, addr, "GET", target, addr, nil); res.StatusCode != http.StatusNotFound || res.Header.Get("Location") != "" {
			t.Errorf("GET %s: %d Location %q, want 404", target, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

func TestCheckHost(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"mybox.lan", true},
		{".ts.example", true},
		{"my-box_1", true},
		{"192.168.1.5", true},
		{"::1", true},
		{"[2001:db8::5]", true},
		{"", false},
		{".", false},
		{"*", false},
		{"*.example.com", false},
		{"http://mybox.lan", false},
		{"mybox.lan:1313", false},
		{"mybox.lan/", false},
		{"a..b", false},
		{"..b", false},
		{"bad host", false},
	} {
		err := CheckHost(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckHost(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if err := CheckHost("*.example.com"); err == nil || !strings.Contains(err.Error(), ".example.com") {
		t.Errorf("a wildcard's error does not say what to write instead: %v", err)
	}
}
