package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServePage is one page request through ServeHTTP, Host check and
// reload-script injection included (no network), to show what the checks
// cost per request.
func BenchmarkServePage(b *testing.B) {
	s := New(Options{Hosts: []string{"mybox.lan", ".ts.example"}})
	s.Publish(site(), "/", nil, false)
	for _, host := range []string{"localhost:1313", "laptop.ts.example:1313", "attacker.example:1313"} {
		b.Run(host, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/posts/a/", nil)
			req.Host = host
			for b.Loop() {
				s.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// BenchmarkHostCheck is the Host and Origin check alone.
func BenchmarkHostCheck(b *testing.B) {
	s := New(Options{Hosts: []string{"mybox.lan", ".ts.example"}})
	req := httptest.NewRequest(http.MethodGet, EventsPath, nil)
	req.Host = "laptop.ts.example:1313"
	req.Header.Set("Origin", "http://laptop.ts.example:1313")
	for b.Loop() {
		if !s.hostAllowed(req) || !sameOrigin(req) {
			b.Fatal("refused")
		}
	}
}
