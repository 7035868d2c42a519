package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// versusBinary builds the versus command once per test binary.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func versusBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "versus-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "versus")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/versus")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// copyShowcase copies the repository's site (settings, content, layouts,
// data files and assets) into a temporary folder the test may edit.
func copyShowcase(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	for _, name := range []string{"site.yaml", "content", "layouts", "data", "assets"} {
		src := filepath.Join(root, name)
		if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			dst := filepath.Join(dir, rel)
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// watchProcess is `versus watch` running as a real process.
type watchProcess struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	out  strings.Builder
	done chan error
}

func (w *watchProcess) output() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.String()
}

// startWatch runs versus watch on dir, on a free port of 127.0.0.1, and
// returns once it serves.
func startWatch(t *testing.T, dir string) *watchProcess {
	t.Helper()
	cmd := exec.Command(versusBinary(t), "watch", "--source", dir, "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &watchProcess{cmd: cmd, done: make(chan error, 1)}
	served := make(chan string, 1)
	pattern := regexp.MustCompile(`serving .* at (http://127\.0\.0\.1:\d+/)`)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			w.mu.Lock()
			w.out.WriteString(line + "\n")
			w.mu.Unlock()
			if m := pattern.FindStringSubmatch(line); m != nil {
				served <- m[1]
			}
		}
		w.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-w.done
		}
	})
	select {
	case w.url = <-served:
	case <-time.After(60 * time.Second):
		t.Fatalf("versus watch did not start serving:\n%s", w.output())
	}
	return w
}

// until evaluates a JavaScript condition every 100ms until it is true,
// through reloads, for at most 20 seconds.
func until(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	// Save as many editors do: a temporary file renamed over the old one.
	tmp := filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".tmp")
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
}

// TestWatchReloadsOverlaysAndStops drives `versus watch` on a copy of the
// showcase from chromium: an edit reloads the page by itself and keeps its
// scroll position, a broken front matter shows an overlay naming the line,
// the fix clears it, a stylesheet edit is swapped in without a reload, and
// Ctrl-C stops the process with exit status 0.
func TestWatchReloadsOverlaysAndStops(t *testing.T) {
	ctx := browsertest.New(t, 1200, 800)
	dir := copyShowcase(t)
	// Verify the samples first: watch must show their verified output, as
	// generate does.
	if out, err := exec.Command(versusBinary(t), "generate", "--verify", "--source", dir).CombinedOutput(); err != nil {
		t.Fatalf("generate --verify: %v\n%s", err, out)
	}
	w := startWatch(t, dir)
	page := w.url + "overview/"
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	verified, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.innerText.includes("verified with Node.js")`))
	if err != nil || !verified {
		t.Errorf("watch does not show the verified sample output (%v)", err)
	}
	// Mark this document and scroll down, to tell a reload and a lost
	// position apart.
	y, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__before = true; window.scrollTo(0, 900); window.scrollY`))
	if err != nil || y < 500 {
		t.Fatalf("could not scroll the page (y=%v): %v", y, err)
	}

	overview := filepath.Join(dir, "content", "overview.md")
	edit(t, overview, "## How the two compare", "## How the two compare\n\nThis sentence was added while the page was open.")
	until(t, ctx, "the page to reload with the edit",
		`!window.__before && document.body.innerText.includes("This sentence was added while the page was open.")`)
	y2, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollY`))
	if err != nil {
		t.Fatal(err)
	}
	if y2 < y-50 || y2 > y+50 {
		t.Errorf("after the reload the page is at y=%v, it was at %v", y2, y)
	}

	// Break the front matter: the page stays, an overlay names the file and
	// line.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before = true`)); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(overview)
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	edit(t, overview, "\ntitle: ", "\ntitle: [never closed\nbroken: ")
	until(t, ctx, "the error overlay", `!!document.getElementById("versus-error-overlay")`)
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("versus-error-overlay").shadowRoot.textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`content/overview\.md:\d+(:\d+)?: `).MatchString(text) {
		t.Errorf("the overlay does not name the file and line: %q", text)
	}
	if !strings.Contains(text, "[never closed") {
		t.Errorf("the overlay does not show the broken line: %q", text)
	}
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before === true && document.body.innerText.includes("This sentence was added")`))
	if err != nil || !still {
		t.Errorf("a failed build replaced the page (%v)", err)
	}
	if !strings.Contains(w.output(), "content/overview.md:") {
		t.Errorf("the terminal does not show the error:\n%s", w.output())
	}

	// The fix clears the overlay.
	if err := os.WriteFile(overview, []byte(strings.Replace(good, "This sentence was added", "This sentence was fixed", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the overlay to go and the fix to show",
		`!document.getElementById("versus-error-overlay") && document.body.innerText.includes("This sentence was fixed")`)

	// A stylesheet edit is swapped in without reloading the page.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before = true`)); err != nil {
		t.Fatal(err)
	}
	css := filepath.Join(dir, "layouts", "assets", "style.css")
	f, err := os.OpenFile(css, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "\nbody { outline: 3px solid rgb(1, 2, 3); }")
	f.Close()
	until(t, ctx, "the new stylesheet", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before === true`)); err != nil || !kept {
		t.Errorf("a CSS-only change reloaded the page (%v)", err)
	}

	// Ctrl-C stops the watcher and the server and exits 0.
	if err := w.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("versus watch exited with %v after Ctrl-C:\n%s", err, w.output())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("versus watch did not stop after Ctrl-C:\n%s", w.output())
	}
	if !strings.Contains(w.output(), "stopped") {
		t.Errorf("no goodbye:\n%s", w.output())
	}
}

// TestGenerateHasNoReloadScript checks the other half of the contract: the
// live-reload script exists only in what watch serves.
func TestGenerateHasNoReloadScript(t *testing.T) {
	dir := showcase(t)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), "data-versus") || strings.Contains(string(data), "__versus") {
			t.Errorf("%s has the live-reload script", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
