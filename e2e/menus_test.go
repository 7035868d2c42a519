package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// submenu is where an open submenu is and what it holds.
type submenu struct {
	Open    bool    `json:"open"`
	Left    float64 `json:"left"`
	Right   float64 `json:"right"`
	Links   int     `json:"links"`
	Visible bool    `json:"visible"`
	// Covered is the element drawn at the middle of its first link, when
	// that is not the link (something painted over the menu).
	Covered string `json:"covered"`
}

const submenuJS = `(() => {
  const d = document.querySelectorAll(".site-nav details.menu-sub")[%d];
  const ul = d.querySelector("ul");
  const r = ul.getBoundingClientRect();
  const a = ul.querySelector("a"), ar = a.getBoundingClientRect();
  const top = document.elementFromPoint(ar.left + ar.width / 2, ar.top + ar.height / 2);
  return {open: d.open, left: r.left, right: r.right, links: ul.querySelectorAll("a").length,
    visible: r.width > 0 && r.height > 0,
    covered: top === a || a.contains(top) ? "" : (top ? top.tagName + "." + top.className : "nothing")};
})()`

// TestMenuKeyboard works a site menu's submenus with the keyboard alone at
// phone and desktop widths: Tab reaches each toggle, Enter opens it on the
// screen and above the page, Tab goes on into its links, Escape closes it
// and gives the focus back to its toggle; the current page and the entry
// holding it are marked; and axe finds nothing serious with a submenu
// open, in light and dark.
func TestMenuKeyboard(t *testing.T) {
	base := browsertest.ServeDir(t, testSite(t, "menus"))
	axe, missing := axeOrMissing(t)
	for _, width := range []int{320, 390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := browsertest.New(t, width, 800)
			navigate(t, ctx, base+"/guides/install/")
			if got := eval[string](t, ctx, `document.querySelector('.site-nav [aria-current="page"]').textContent`); got != "Installing" {
				t.Errorf("the entry marked current is %q, want Installing", got)
			}
			if got := eval[string](t, ctx, `document.querySelector('.site-nav .menu-active').textContent`); got != "Guides" {
				t.Errorf("the entry marked as holding the page is %q, want Guides", got)
			}
			if got := eval[float64](t, ctx, `document.documentElement.scrollWidth - innerWidth`); got > 0 {
				t.Errorf("the page is %vpx wider than the screen", got)
			}
			for i, links := range []int{2, 3} {
				navigate(t, ctx, base+"/guides/install/")
				eval[bool](t, ctx, fmt.Sprintf(`(document.querySelectorAll(".site-nav details.menu-sub > summary")[%d].dataset.t = "s", true)`, i))
				tabUntil(t, ctx, `[data-t="s"]`, 20)
				press(t, ctx, kb.Enter)
				m := eval[submenu](t, ctx, fmt.Sprintf(submenuJS, i))
				if !m.Open || !m.Visible || m.Links != links {
					t.Fatalf("submenu %d after Enter: %+v, want it open and showing %d links", i, m, links)
				}
				if m.Left < 0 || m.Right > float64(width) {
					t.Errorf("submenu %d spans %v–%v px, outside the %d px screen", i, m.Left, m.Right, width)
				}
				if m.Covered != "" {
					t.Errorf("submenu %d: %s is drawn over its first link", i, m.Covered)
				}
				press(t, ctx, kb.Tab)
				if !eval[bool](t, ctx, fmt.Sprintf(`document.activeElement.tagName === "A" && document.querySelectorAll(".site-nav details.menu-sub")[%d].contains(document.activeElement)`, i)) {
					t.Errorf("submenu %d: Tab after opening it does not reach its first link", i)
				}
				shot(t, ctx, fmt.Sprintf("menu-%d-%d", width, i))
				press(t, ctx, kb.Escape)
				if eval[bool](t, ctx, fmt.Sprintf(`document.querySelectorAll(".site-nav details.menu-sub")[%d].open`, i)) {
					t.Errorf("submenu %d is still open after Escape", i)
				}
				if !eval[bool](t, ctx, `document.activeElement.matches('[data-t="s"]')`) {
					t.Errorf("submenu %d: after Escape the focus is not on its toggle", i)
				}
			}
			if missing != "" {
				t.Log(missing)
				return
			}
			for _, theme := range []string{"light", "dark"} {
				if err := chromedp.Do(ctx,
					chromedp.Evaluate[chromedp.Void](`localStorage.setItem("versus-theme", "`+theme+`")`),
					chromedp.Navigate(base+"/guides/install/"),
					chromedp.WaitReady(`body`),
					chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".site-nav details.menu-sub")[1].open = true`),
				); err != nil {
					t.Fatal(err)
				}
				report(t, fmt.Sprintf("menu open at %d px (%s)", width, theme), audit(t, ctx, axe, "document"))
			}
		})
	}
}
