package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// shot saves a screenshot under $VERSUS_SHOTS when it is set, for looking at
// the theme by eye; tests never depend on it.
func shot(t testing.TB, ctx context.Context, name string) {
	dir := os.Getenv("VERSUS_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

// pressSlash presses "/" as a keyboard does: one keyDown that carries the
// text, so a handler that prevents the default keeps it out of the box
// (chromedp's KeyEvent sends a separate char event that nothing can stop).
func pressSlash(t *testing.T, ctx context.Context) {
	t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "/", Code: "Slash", Text: "/", UnmodifiedText: "/", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191}
	up := down
	up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
	for _, p := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			t.Fatalf("pressing /: %v", err)
		}
	}
}

type hit struct {
	Title   string `json:"title"`
	Section string `json:"section"`
	Href    string `json:"href"`
	Marks   string `json:"marks"`
	Text    string `json:"text"`
}

// hits reads the result list once it shows results for what was typed.
func hits(t *testing.T, ctx context.Context) []hit {
	t.Helper()
	// Results are read once they show and have stopped changing for 400 ms:
	// typing a phrase renders results for each prefix of it on the way.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
		const box = document.getElementById("search-results");
		if (box.hidden || box.querySelectorAll(".search-hit").length === 0) { window.__hitsAt = 0; return false; }
		const h = box.innerHTML, now = Date.now();
		if (window.__hits !== h || !window.__hitsAt) { window.__hits = h; window.__hitsAt = now; return false; }
		return now - window.__hitsAt >= 400;
	})()`, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		t.Fatalf("no search results appeared: %v", err)
	}
	hs, err := chromedp.Run(ctx, chromedp.Evaluate[[]hit](`Array.from(document.querySelectorAll("#search-results .search-hit")).map(a => ({
		title: a.querySelector(".search-hit-title").textContent,
		section: (a.querySelector(".search-hit-section") || {textContent: ""}).textContent,
		href: a.getAttribute("href"),
		marks: Array.from(a.querySelectorAll("mark")).map(m => m.textContent).join("|"),
		text: (a.querySelector(".search-hit-text") || {textContent: ""}).textContent,
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestSearchFindsCriterionAndHeading(t *testing.T) {
	searchCriterion(t, browsertest.ServeDir(t, showcase(t)))
}

// searchCriterion is the reader's path: "/" to focus, type a word, see the
// right first result highlighted, arrows to move, Enter to land on the row.
func searchCriterion(t *testing.T, base string) {
	ctx := browsertest.New(t, 1280, 900)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/overview/"),
		chromedp.WaitVisible(`.search`),
	); err != nil {
		t.Fatal(err)
	}
	pressSlash(t, ctx)
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement && document.activeElement.id`))
	if err != nil {
		t.Fatal(err)
	}
	if focused != "search-input" {
		t.Fatalf("pressing / focused %q, want the search box", focused)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(`#search-input`)); err != nil || v != "" {
		t.Fatalf("the / that focused the box was typed into it: %q (%v)", v, err)
	}

	// A criterion, typed as a reader would, key by key.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("installer that ships")); err != nil {
		t.Fatal(err)
	}
	hs := hits(t, ctx)
	shot(t, ctx, "search-installer")
	first := hs[0]
	if first.Title != "Node.js vs Python: ecosystem and tooling" || first.Section != "Installer that ships with the runtime" {
		t.Fatalf("first result for installer that ships = %q › %q, want the tooling article's criterion row", first.Title, first.Section)
	}
	if !strings.HasSuffix(first.Href, "/ecosystem-tooling/#criterion-installer-that-ships-with-the-runtime") {
		t.Errorf("first result links to %q, want the criterion's row", first.Href)
	}
	if !strings.Contains(strings.ToLower(first.Marks), "installer") {
		t.Errorf("matched word not highlighted: marks %q", first.Marks)
	}
	expanded, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-input").getAttribute("aria-expanded")`))
	if err != nil || expanded != "true" {
		t.Errorf("aria-expanded = %q (%v), want true while results show", expanded, err)
	}

	// Arrow keys move the selection, Enter follows the selected result.
	if len(hs) > 1 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
		sel, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-input").getAttribute("aria-activedescendant")`))
		if err != nil || sel != "search-hit-1" {
			t.Fatalf("after ArrowDown the active result is %q (%v), want search-hit-1", sel, err)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowUp)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatal(err)
	}
	landed, err := chromedp.Run(ctx, chromedp.Poll[string](`location.pathname === "/ecosystem-tooling/" && document.readyState === "complete" && location.hash`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("Enter did not open the first result: %v", err)
	}
	if landed != "#criterion-installer-that-ships-with-the-runtime" {
		t.Fatalf("landed on %q, want #criterion-installer-that-ships-with-the-runtime", landed)
	}
	inView, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const r = document.getElementById("criterion-installer-that-ships-with-the-runtime").getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !inView {
		t.Fatalf("the criterion row is not scrolled into view: %v", err)
	}
	shot(t, ctx, "search-landed")
}

func TestSearchLinksToMatchingHeading(t *testing.T) {
	site := showcase(t)
	base := browsertest.ServeDir(t, site)
	ctx := browsertest.New(t, 1280, 900)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`.search`),
		chromedp.Click(`#search-input`),
		chromedp.KeyEvent("linters formatters"),
	); err != nil {
		t.Fatal(err)
	}
	hs := hits(t, ctx)
	shot(t, ctx, "search-linters-formatters")
	first := hs[0]
	if first.Section != "Linters and formatters" || !strings.HasSuffix(first.Href, "/ecosystem-tooling/#linters-and-formatters") {
		t.Fatalf("first result = %+v, want the heading “Linters and formatters”", first)
	}
	if !strings.Contains(strings.ToLower(first.Marks), "linters") || !strings.Contains(strings.ToLower(first.Marks), "formatters") {
		t.Errorf("both words should be highlighted, marks %q", first.Marks)
	}

	// A click follows the link too, to the heading.
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(`#search-hit-0`))); err != nil {
		t.Fatal(err)
	}
	landed, err := chromedp.Run(ctx, chromedp.Poll[string](`location.pathname === "/ecosystem-tooling/" && location.hash`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || landed != "#linters-and-formatters" {
		t.Fatalf("click landed on %q (%v)", landed, err)
	}

	// Nothing found is said, not left blank; Escape closes the list.
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(`.search`),
		chromedp.Click(`#search-input`),
		chromedp.KeyEvent("zzqxv"),
	); err != nil {
		t.Fatal(err)
	}
	none, err := chromedp.Run(ctx, chromedp.Poll[string](`(document.querySelector("#search-results .search-none") || {}).textContent`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !strings.Contains(none, "No results") {
		t.Fatalf("no-result message = %q (%v)", none, err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("search-results").hidden`))
	if err != nil || !hidden {
		t.Fatalf("Escape did not close the results (%v)", err)
	}
}
