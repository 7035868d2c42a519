package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// focused is what the keyboard focus is on.
type focused struct {
	Tag     string  `json:"tag"`
	Class   string  `json:"class"`
	Href    string  `json:"href"`
	Name    string  `json:"name"`
	Opacity float64 `json:"opacity"`
	InView  bool    `json:"inView"`
	Outline string  `json:"outline"`
	Scrolls bool    `json:"scrolls"`
}

const focusedJS = `(() => {
  const e = document.activeElement;
  const r = e.getBoundingClientRect();
  let opacity = 1;
  for (let a = e; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
  const s = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), class: typeof e.className === "string" ? e.className : "",
    href: e.getAttribute("href") || "", name: e.getAttribute("aria-label") || e.textContent.trim().slice(0, 40),
    opacity, outline: s.outlineStyle,
    inView: r.width > 0 && r.height > 0 && r.top >= -0.5 && r.bottom <= innerHeight + 0.5 && r.left >= -0.5 && r.right <= innerWidth + 0.5,
    scrolls: e.scrollWidth > e.clientWidth + 1,
  };
})()`

func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		t.Fatalf("pressing %q: %v", key, err)
	}
}

// tabUntil presses Tab until the focus is on an element matching the CSS
// selector, and fails the test when that takes more than limit presses.
func tabUntil(t *testing.T, ctx context.Context, selector string, limit int) {
	t.Helper()
	for i := 0; i < limit; i++ {
		press(t, ctx, kb.Tab)
		if eval[bool](t, ctx, `document.activeElement.matches(`+fmt.Sprintf("%q", selector)+`)`) {
			return
		}
	}
	t.Fatalf("%d presses of Tab never reached %s", limit, selector)
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}

// TestKeyboard works the theme with the keyboard alone, in one browser:
// every heading's permalink is a Tab stop that shows itself when focused,
// the collapsed contents open and close with Enter and Space on a phone,
// the theme toggle goes system → light → dark → system and the choice
// survives a reload, and the code Wrap button wraps long lines and back.
func TestKeyboard(t *testing.T) {
	base := browsertest.ServeDir(t, showcase(t))
	three := browsertest.ServeDir(t, testSite(t, "three"))
	ctx := browsertest.NewWithTimeout(t, 1280, 800, 3*time.Minute)

	t.Run("heading anchors", func(t *testing.T) {
		for _, url := range []string{base + "/architecture-concurrency/", three + "/memory/"} {
			for _, s := range []struct{ width, height int }{{1280, 800}, {390, 844}} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(s.width), int64(s.height))); err != nil {
					t.Fatal(err)
				}
				navigate(t, ctx, url)
				where := fmt.Sprintf("%s at %d px", url, s.width)
				anchors := eval[[]string](t, ctx, `[...document.querySelectorAll(".heading-anchor")].map(a => a.getAttribute("href"))`)
				if len(anchors) < 3 {
					t.Fatalf("%s: %d heading anchors", where, len(anchors))
				}
				reached := map[string]bool{}
				stops := 0
				for ; stops < 400; stops++ {
					press(t, ctx, kb.Tab)
					f := eval[focused](t, ctx, focusedJS)
					if f.Tag == "body" {
						break
					}
					if !f.InView || f.Opacity < 1 {
						t.Errorf("%s: tab stop %d (%s.%s %q) is not fully in view when focused: in view %v, opacity %v", where, stops+1, f.Tag, f.Class, f.Name, f.InView, f.Opacity)
					}
					if f.Outline == "none" {
						t.Errorf("%s: tab stop %d (%s.%s %q) shows no focus outline", where, stops+1, f.Tag, f.Class, f.Name)
					}
					if (f.Tag == "pre" || f.Class == "cmp-table-wrap") && !f.Scrolls {
						t.Errorf("%s: tab stop %d is a %s that does not scroll", where, stops+1, f.Tag)
					}
					if f.Class == "heading-anchor" {
						reached[f.Href] = true
					}
				}
				for _, a := range anchors {
					if !reached[a] {
						t.Errorf("%s: the heading anchor %s is never reached with Tab (%d tab stops)", where, a, stops)
					}
				}
			}
		}
	})

	t.Run("contents on a phone", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, base+"/performance/")
		const state = `(() => {
  const d = document.querySelector("details.toc-mobile"), a = d.querySelector("a");
  const r = a.getBoundingClientRect();
  return {open: d.open, linkShown: r.width > 0 && r.height > 0 && a.checkVisibility({visibilityProperty: true}), aside: getComputedStyle(document.querySelector("aside.toc")).display};
})()`
		type tocState struct {
			Open      bool   `json:"open"`
			LinkShown bool   `json:"linkShown"`
			Aside     string `json:"aside"`
		}
		if s := eval[tocState](t, ctx, state); s.Open || s.LinkShown || s.Aside != "none" {
			t.Fatalf("at first: %+v, want the contents collapsed and the aside hidden", s)
		}
		tabUntil(t, ctx, "details.toc-mobile > summary", 60)
		for i, step := range []struct {
			key  string
			open bool
		}{{kb.Enter, true}, {kb.Enter, false}, {" ", true}, {" ", false}, {" ", true}} {
			press(t, ctx, step.key)
			if s := eval[tocState](t, ctx, state); s.Open != step.open || s.LinkShown != step.open {
				t.Fatalf("after key %d (%q): %+v, want open %v", i+1, step.key, s, step.open)
			}
		}
		// Open, the next Tab goes to the first of its links.
		press(t, ctx, kb.Tab)
		if f := eval[focused](t, ctx, focusedJS); f.Tag != "a" || !f.InView || f.Href != eval[string](t, ctx, `document.querySelector(".toc-mobile a").getAttribute("href")`) {
			t.Errorf("Tab after opening the contents went to %+v, want its first link, in view", f)
		}
	})

	t.Run("theme toggle", func(t *testing.T) {
		for _, system := range []string{"dark", "light"} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
				t.Fatal(err)
			}
			if err := emulateScheme(ctx, system); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, base+"/")
			eval[chromedp.Void](t, ctx, `localStorage.clear()`)
			if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			type themeState struct {
				Choice, Label, Icon, Theme, Stored, Background string
			}
			const stateJS = `(() => {
  const b = document.querySelector(".theme-toggle");
  const icon = [...b.querySelectorAll("svg")].filter(s => getComputedStyle(s).display !== "none").map(s => s.getAttribute("class").replace("theme-icon ", "")).join(" ");
  return {Choice: b.dataset.choice, Label: b.getAttribute("aria-label"), Icon: icon,
    Theme: document.documentElement.dataset.theme || "", Stored: localStorage.getItem("versus-theme") || "",
    Background: getComputedStyle(document.body).backgroundColor};
})()`
			want := func(when, choice string) {
				t.Helper()
				shown := choice
				if choice == "system" {
					shown = system
				}
				label := map[string]string{"system": "Theme: follow the system", "light": "Theme: light", "dark": "Theme: dark"}[choice]
				theme, stored := choice, choice
				if choice == "system" {
					theme, stored = "", ""
				}
				w := themeState{Choice: choice, Label: label, Icon: "icon-" + choice, Theme: theme, Stored: stored, Background: backgrounds[shown]}
				if got := eval[themeState](t, ctx, stateJS); got != w {
					t.Errorf("system %s, %s:\n got %+v\nwant %+v", system, when, got, w)
				}
			}
			want("at first", "system")
			tabUntil(t, ctx, ".theme-toggle", 40)
			press(t, ctx, kb.Enter)
			want("after Enter", "light")
			press(t, ctx, " ")
			want("after Enter, Space", "dark")
			if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			want("after a reload", "dark")
			tabUntil(t, ctx, ".theme-toggle", 40)
			press(t, ctx, kb.Enter)
			want("after a third press", "system")
			navigate(t, ctx, base+"/performance/")
			want("on another page", "system")
		}
		if err := emulateScheme(ctx, "light"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("wrap button", func(t *testing.T) {
		for _, url := range []string{base + samplesPage, three + "/errors/"} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
				t.Fatal(err)
			}
			navigate(t, ctx, url)
			eval[chromedp.Void](t, ctx, `localStorage.removeItem("versus-wrap")`)
			if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			// The first Wrap button a reader can see, and the code beside it.
			sel := eval[string](t, ctx, `(() => {
  const b = [...document.querySelectorAll("button.cg-wrap")].find(b => !b.hidden && b.offsetParent !== null);
  if (!b) return "";
  const pane = b.closest(".cg-pane");
  return "#" + CSS.escape(pane.id) + " button.cg-wrap";
})()`)
			if sel == "" {
				t.Fatalf("%s: no Wrap button shows at 390 px", url)
			}
			type wrapState struct {
				Wrapped, Pressed, Scrolls bool
				Stored                    string
			}
			stateJS := `(() => {
  const b = document.querySelector(` + fmt.Sprintf("%q", sel) + `);
  const pres = [...b.closest(".cg-pane").querySelectorAll("pre.chroma")];
  return {Wrapped: document.documentElement.classList.contains("cg-wrapped"), Pressed: b.getAttribute("aria-pressed") === "true",
    Scrolls: pres.some(p => p.scrollWidth > p.clientWidth + 1), Stored: localStorage.getItem("versus-wrap") || ""};
})()`
			check := func(when string, want wrapState) {
				t.Helper()
				if got := eval[wrapState](t, ctx, stateJS); got != want {
					t.Errorf("%s, %s, %s:\n got %+v\nwant %+v", url, sel, when, got, want)
				}
			}
			off, on := wrapState{Scrolls: true}, wrapState{Wrapped: true, Pressed: true, Stored: "on"}
			check("at first", off)
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sel))); err != nil {
				t.Fatal(err)
			}
			press(t, ctx, kb.Enter)
			check("after Enter", on)
			if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			check("after a reload", on)
			if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sel))); err != nil {
				t.Fatal(err)
			}
			press(t, ctx, " ")
			check("after Space", off)
		}
	})
}
