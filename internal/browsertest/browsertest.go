// Package browsertest runs end-to-end tests in a real browser: Debian's
// chromium driven by chromedp, against pages served on 127.0.0.1. When a
// test fails it saves a screenshot of the page and says where.
package browsertest

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser finds chromium, or skips the test when it is missing outside CI
// (CI installs it, so there a missing browser fails the test).
func Browser(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// New starts a headless browser tab at the given window size and returns its
// context. Everything is stopped when the test ends; a failing test leaves a
// screenshot in $TMPDIR/versus-browser-failures/.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	return NewWithTimeout(t, width, height, 90*time.Second)
}

// NewWithTimeout is New for a test that needs the tab for longer than the
// 90 seconds New allows (one tab walking through many pages).
func NewWithTimeout(t testing.TB, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests do not run with -short")
	}
	exe := Browser(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-proxy-server", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	if err := chromedp.Do(ctx); err != nil {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("setting the viewport: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			Screenshot(t, ctx)
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// Screenshot saves the current page as a PNG and logs its path.
func Screenshot(t testing.TB, ctx context.Context) string {
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(sctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return ""
	}
	dir := filepath.Join(os.TempDir(), "versus-browser-failures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("no screenshot: %v", err)
		return ""
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".png"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Logf("no screenshot: %v", err)
		return ""
	}
	t.Logf("screenshot of the failing page: %s", p)
	return p
}

// Serve serves h on a free port of 127.0.0.1 until the test ends and returns
// its base URL ("http://127.0.0.1:PORT").
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String()
}

// ServeDir serves a folder of static files, like any static host.
func ServeDir(t testing.TB, dir string) string {
	return Serve(t, http.FileServer(http.Dir(dir)))
}
