package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer that the test may read while watch writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"watch", "--port", "70000"},
		{"watch", "extra"},
		{"watch", "--nope"},
		{"watch", "--source", "/does/not/exist"},
	} {
		var out, errOut syncBuffer
		if code := run(context.Background(), &env{stdout: &out, stderr: &errOut, dir: t.TempDir()}, args); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errOut.String())
		}
	}
}

// TestWatchServesRebuildsAndStops runs the command in-process: it serves
// the site under its base path, an edit shows up, a broken page is
// reported with its position while the last good page stays served, the
// output is mirrored to --destination, and cancelling (Ctrl-C) returns 0
// with the server gone.
func TestWatchServesRebuildsAndStops(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Watched\nbaseURL: https://example.org/sub/\n")
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nFirst version.\n")
	writeFile(t, dir, "content/b.md", "---\ntitle: B\ndraf: true\n---\nB.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut, dir: dir}, []string{"watch", "--port", "0", "--destination", "public"})
	}()
	var base string
	pattern := regexp.MustCompile(`serving Watched at (http://127\.0\.0\.1:\d+/sub/)`)
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := pattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("not serving:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nstdout:\n%s\nstderr:\n%s", what, out.String(), errOut.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code, body := get(base + "a/"); code != 200 || !strings.Contains(body, "First version.") {
		t.Fatalf("GET a/: %d %q", code, body)
	}
	// The page's social card is served beside it, as generate writes it.
	if res, err := http.Get(base + "a/card.png"); err != nil {
		t.Errorf("GET a/card.png: %v", err)
	} else {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("GET a/card.png: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
	}
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nSecond version.\n")
	waitFor("the edit to be served", func() bool { _, body := get(base + "a/"); return strings.Contains(body, "Second version.") })
	waitFor("the edit on disk", func() bool {
		data, _ := os.ReadFile(filepath.Join(dir, "public", "a", "index.html"))
		return strings.Contains(string(data), "Second version.") && !strings.Contains(string(data), "__versus")
	})
	line := regexp.MustCompile(`content/a\.md → \d+ pages? re-rendered, \d+ files? changed in \d+ ms`)
	waitFor("the rebuild line", func() bool { return line.MatchString(out.String()) })
	// The first build printed b.md's warning, as generate does; the
	// rebuild after an edit elsewhere does not repeat it.
	warning := regexp.MustCompile(`(?m)^content/b\.md:3:1: warning: .*"draf"`)
	if n := len(warning.FindAllString(errOut.String(), -1)); n != 1 {
		t.Errorf("b.md's warning printed %d times, want once:\n%s", n, errOut.String())
	}

	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: not a date\n---\nThird.\n")
	waitFor("the error", func() bool { return strings.Contains(errOut.String(), "content/a.md:3:7: ") })
	if !strings.Contains(errOut.String(), "still serving the last good build") {
		t.Errorf("stderr: %s", errOut.String())
	}
	if _, body := get(base + "a/"); !strings.Contains(body, "Second version.") {
		t.Errorf("a failed build changed what is served: %q", body)
	}
	// The edit that fixes it says that the error is gone.
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-02\n---\nFourth.\n")
	fixed := regexp.MustCompile(`content/a\.md → fixed: the error of the last build is cleared → \d+ pages? re-rendered`)
	waitFor("the fixed line", func() bool { return fixed.MatchString(out.String()) })

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop")
	}
	if code, _ := get(base); code != 0 {
		t.Errorf("the server still answers after stopping (%d)", code)
	}
}

func TestAllowHostUsageErrors(t *testing.T) {
	for _, bad := range []string{"http://mybox.lan", "mybox.lan:1313", "*.example.com", "*", ""} {
		var out, errOut syncBuffer
		args := []string{"watch", "--allow-host", bad, "--source", t.TempDir()}
		if code := run(context.Background(), &env{stdout: &out, stderr: &errOut, dir: t.TempDir()}, args); code != exitUsage {
			t.Errorf("--allow-host %q: exit %d, want %d", bad, code, exitUsage)
		}
		if !strings.Contains(errOut.String(), "allow-host") {
			t.Errorf("--allow-host %q: the error does not name the flag: %q", bad, errOut.String())
		}
	}
}

// TestExposureWarning: a bind address other machines can reach is said so,
// with what they can read; loopback is not.
func TestExposureWarning(t *testing.T) {
	for _, tc := range []struct {
		bind   string
		ip     string
		drafts bool
		want   []string
	}{
		{"0.0.0.0", "::", false, []string{"warning", "--bind 0.0.0.0", "every network interface", "drafts too with --drafts", "error overlay", "127.0.0.1"}},
		{"::", "::", true, []string{"every network interface", "drafts included"}},
		{"", "::", false, []string{"every network interface"}},
		{"192.0.2.7", "192.0.2.7", false, []string{"listens on 192.0.2.7, which other machines can reach", "error overlay"}},
		{"mybox.lan", "192.0.2.7", false, []string{"--bind mybox.lan listens on 192.0.2.7"}},
		{"127.0.0.1", "127.0.0.1", true, nil},
		{"localhost", "127.0.0.1", false, nil},
		{"::1", "::1", false, nil},
		{"127.0.0.2", "127.0.0.2", false, nil},
	} {
		got := exposure(tc.bind, &net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 1313}, tc.drafts)
		if tc.want == nil && got != "" {
			t.Errorf("--bind %s (%s): warned %q", tc.bind, tc.ip, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("--bind %s (%s): warning %q lacks %q", tc.bind, tc.ip, got, w)
			}
		}
	}
}

// TestBrowserURLs: the addresses printed are the ones the server really
// answers on, never a "localhost" it did not bind.
func TestBrowserURLs(t *testing.T) {
	cidr := func(s string) net.Addr {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	ifaces := []net.Addr{cidr("127.0.0.1/8"), cidr("::1/128"), cidr("192.168.1.5/24"), cidr("fe80::1/64"), cidr("169.254.3.3/16"), cidr("2001:db8::7/64"), cidr("192.168.1.5/24")}
	for _, tc := range []struct {
		ip   string
		base string
		want []string
	}{
		{"::", "/", []string{"http://127.0.0.1:1313/", "http://[::1]:1313/", "http://192.168.1.5:1313/", "http://[2001:db8::7]:1313/"}},
		{"0.0.0.0", "/docs/", []string{"http://127.0.0.1:1313/docs/", "http://[::1]:1313/docs/", "http://192.168.1.5:1313/docs/", "http://[2001:db8::7]:1313/docs/"}},
		{"192.168.1.5", "/", []string{"http://192.168.1.5:1313/"}},
		{"127.0.0.1", "/", []string{"http://127.0.0.1:1313/"}},
		{"::1", "/", []string{"http://[::1]:1313/"}},
	} {
		got := browserURLs(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 1313}, ifaces, tc.base)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("listening on %s: %q, want %q", tc.ip, got, tc.want)
		}
	}
	if got := browserURLs(&net.TCPAddr{IP: net.IPv6unspecified, Port: 1313}, nil, "/"); len(got) != 1 || got[0] != "http://127.0.0.1:1313/" {
		t.Errorf("with no interfaces listed: %q", got)
	}
}

// TestWatchAnswersOnlyItsWriter runs the command in-process on loopback: it
// prints its real address and no warning, answers --allow-host names and
// refuses others (saying so once on the terminal, with the flag to use),
// and never redirects off the server.
func TestWatchAnswersOnlyItsWriter(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Mine\nbaseURL: https://example.org/sub/\n")
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nSecret draft text.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut, dir: dir}, []string{"watch", "--bind", "localhost", "--port", "0", "--allow-host", "mybox.test"})
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("watch did not stop")
		}
	}()
	var base string
	pattern := regexp.MustCompile(`serving Mine at (http://127\.0\.0\.1:\d+/sub/) \(Ctrl-C to stop\)\n`)
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := pattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("not serving at its real address:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if strings.Contains(errOut.String(), "warning") || strings.Contains(out.String(), "also at") {
		t.Errorf("loopback only, yet:\nstdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}
	client := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(url, host string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}
	port := strings.TrimSuffix(strings.TrimPrefix(base, "http://127.0.0.1:"), "/sub/")
	for range 3 {
		if res, b := get(base+"a/", "attacker.example:"+port); res.StatusCode != http.StatusForbidden || strings.Contains(b, "Secret") {
			t.Errorf("Host attacker.example: %d %q, want 403", res.StatusCode, b)
		}
	}
	if res, b := get(base+"a/", "mybox.test:"+port); res.StatusCode != 200 || !strings.Contains(b, "Secret draft text.") {
		t.Errorf("Host mybox.test (allowed): %d", res.StatusCode)
	}
	if res, b := get(base+"a/", ""); res.StatusCode != 200 || !strings.Contains(b, "Secret draft text.") {
		t.Errorf("Host 127.0.0.1:%s: %d", port, res.StatusCode)
	}
	if n := strings.Count(errOut.String(), "refused a request"); n != 1 || !strings.Contains(errOut.String(), "--allow-host attacker.example") {
		t.Errorf("the terminal should say once how to allow attacker.example; stderr:\n%s", errOut.String())
	}
	res, _ := get("http://127.0.0.1:"+port+"//evil.example/../sub/a", "")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusMovedPermanently || loc != "/sub/a/" {
		t.Errorf("GET //evil.example/../sub/a: %d Location %q, want 301 /sub/a/", res.StatusCode, loc)
	}
}

// TestWatchBindWarning runs `versus watch --bind 0.0.0.0` for real, in a
// network namespace of its own (unshare -rn) whose only interface is a
// loopback that also carries 192.0.2.20 (TEST-NET-1), so the server binds
// every interface yet nothing outside the namespace can reach it. It warns
// on stderr, and prints the addresses it really answers on, the
// non-loopback one included, never "localhost". Where namespaces are not
// allowed the test is skipped; TestExposureWarning and TestBrowserURLs
// still cover the wording and the addresses.
func TestWatchBindWarning(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare(1)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("no ip(8)")
	}
	if out, err := exec.Command(unshare, "-rn", "ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Skipf("network namespaces are not allowed here: %v %s", err, out)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// TestMain runs the command when the binary is called "versus".
	bin := filepath.Join(t.TempDir(), "versus")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Exposed\n")
	writeFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2026-01-01\n---\nText.\n")
	cmd := exec.Command(unshare, "-rn", "sh", "-c",
		`ip link set lo up && ip addr add 192.0.2.20/24 dev lo && exec "$0" watch --source "$1" --bind 0.0.0.0 --port 0`, bin, dir)
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// The in-process command has no Ctrl-C handler (TestMain gives it a
	// plain context), so it is killed; TestWatchServesRebuildsAndStops
	// covers stopping.
	defer func() {
		if err := cmd.Process.Kill(); err == nil {
			<-exited
		}
	}()
	serving := regexp.MustCompile(`serving Exposed at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\nversus: also at (.*)\n`)
	var m []string
	for deadline := time.Now().Add(30 * time.Second); m == nil; {
		m = serving.FindStringSubmatch(out.String())
		if time.Now().After(deadline) {
			t.Fatalf("not serving:\nstdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(m[2], "http://192.0.2.20:"+m[1]+"/") {
		t.Errorf("the non-loopback address is not printed: also at %s", m[2])
	}
	if strings.Contains(out.String(), "localhost") {
		t.Errorf("printed a localhost it did not bind:\n%s", out.String())
	}
	warning := "warning: --bind 0.0.0.0 listens on every network interface: anyone on your network can read the site as you write it"
	if !strings.Contains(errOut.String(), warning) || !strings.Contains(errOut.String(), "error overlay") {
		t.Errorf("no warning on stderr:\n%s", errOut.String())
	}
}

// TestWatchShowsVerifiedSamples: a page whose sample generate --verify
// verified shows the verified output in watch too, as generate writes it.
func TestWatchShowsVerifiedSamples(t *testing.T) {
	needRuntimes(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"site.yaml":                          sampleSite,
		"content/page.md":                    "---\ntitle: Page\ndate: 2026-01-01\n---\n\n{{< sample \"hello\" >}}\n",
		"content/samples/hello/main.mjs":     "console.log('hi');\n",
		"content/samples/hello/main.py":      "print('hi')\n",
		"content/samples/hello/expected.txt": "hi\n",
	})
	if code, _, stderr := runCLI(t, dir, "generate", "--verify"); code != exitOK {
		t.Fatalf("generate --verify: exit %d\n%s", code, stderr)
	}
	written, err := os.ReadFile(filepath.Join(dir, "public/page/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &out, stderr: &errOut, dir: dir}, []string{"watch", "--port", "0"})
	}()
	defer func() { cancel(); <-done }()
	pattern := regexp.MustCompile(`serving T at (http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := pattern.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("not serving:\n%s\n%s", out.String(), errOut.String())
		}
	}
	res, err := http.Get(base + "page/")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{"verified with Node.js v", "verified with Python 3"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("watch serves the page without %q", want)
		}
	}
	// Apart from the live-reload script, watch serves what generate wrote.
	served := regexp.MustCompile(`(?s)<script[^>]*__versus.*?</script>`).ReplaceAllString(string(body), "")
	if served != string(written) {
		t.Errorf("watch serves a page that differs from generate's:\nwatch:\n%s\ngenerate:\n%s", served, written)
	}
}
