package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// screens are the widths every page is looked at, with a typical height
// for each: a common phone, a small phone, a tablet, a laptop, a desktop.
// Each audited width loads the page afresh and the one after it resizes
// the window, so the order matters.
var screens = []struct{ width, height int }{
	{390, 844}, {320, 568}, {768, 1024}, {1280, 800}, {1920, 1080},
}

// narrow is the widest screen that counts as a phone.
const narrow = 390

// audited are the widths axe-core audits every page at: a phone and a
// laptop, one of each layout the theme has (tables as blocks and code as
// tabs up to 48rem, tables and side-by-side code above). Auditing all five
// widths would find the same things at three times the cost.
var audited = map[int]bool{390: true, 1280: true}

// colourRules are the axe-core rules whose results depend on colours.
var colourRules = []string{"color-contrast", "link-in-text-block"}

// siteCase is a built site and how many subjects its pages compare.
type siteCase struct {
	name     string
	subjects int
	dir      func(testing.TB) string
}

var siteCases = []siteCase{
	{"showcase", 2, showcase},
	{"three", 3, func(t testing.TB) string { return testSite(t, "three") }},
	{"five", 5, func(t testing.TB) string { return testSite(t, "five") }},
	// A header with a site menu of its own (long entry names, submenus).
	{"menus", 2, func(t testing.TB) string { return testSite(t, "menus") }},
}

// emulateScheme makes the page's prefers-color-scheme light or dark, as a
// reader's system setting does.
func emulateScheme(ctx context.Context, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	return err
}

// pageFacts is what one JavaScript call finds on a page at one width.
type pageFacts struct {
	Width       float64  `json:"width"`
	ScrollWidth float64  `json:"scrollWidth"`
	Escapes     []string `json:"escapes"`
	Background  string   `json:"background"`
	Foreign     []string `json:"foreign"`
	Tables      []struct {
		Caption      string   `json:"caption"`
		Display      string   `json:"display"`
		Scrolls      bool     `json:"scrolls"`
		CueShown     bool     `json:"cueShown"`
		CaptionShown bool     `json:"captionShown"`
		Cells        int      `json:"cells"`
		Outside      []string `json:"outside"`
		Winners      int      `json:"winners"`
		HiddenWins   []string `json:"hiddenWins"`
	} `json:"tables"`
}

// factsJS measures the page: how wide it is, which elements stick out of
// the window, and for each comparison table whether it scrolls, whether
// its caption, scroll cue and winner marks show and which cells lie
// outside the window (or outside the table's own box).
const factsJS = `(async () => {
  // After a resize, let the page's script redo its layout work first.
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const W = window.innerWidth;
  const shown = el => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || getComputedStyle(el).visibility !== "visible") return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  const path = el => { const p = []; for (let e = el; e && e !== document.body; e = e.parentElement) p.unshift(name(e)); return p.join(" > "); };
  const inX = (r, left, right) => r.left >= left - 0.5 && r.right <= right + 0.5;
  const escapes = [];
  if (document.documentElement.scrollWidth > W) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect(), pr = el.parentElement.getBoundingClientRect();
      if (r.width > 0 && r.right > W + 0.5 && pr.right <= W + 0.5) escapes.push(path(el) + " (right edge " + Math.round(r.right) + ")");
      if (escapes.length >= 5) break;
    }
  }
  const tables = [...document.querySelectorAll(".cmp-table-wrap")].map(wrap => {
    const table = wrap.querySelector("table");
    const box = wrap.getBoundingClientRect();
    const left = Math.max(0, box.left), right = Math.min(W, box.right);
    const caption = table.querySelector("caption");
    const cr = caption.getBoundingClientRect();
    const outside = [], hiddenWins = [];
    let cells = 0, winners = 0;
    for (const tr of table.querySelectorAll("tbody tr")) {
      const row = tr.querySelector("th").firstChild.textContent.trim();
      for (const td of tr.querySelectorAll("td")) {
        cells++;
        const subject = [...td.classList].find(c => c.startsWith("subject-"));
        const value = td.querySelector(".cmp-value");
        if (!shown(value) || !inX(value.getBoundingClientRect(), left, right)) {
          const r = value.getBoundingClientRect();
          outside.push(row + ": " + subject + " at " + Math.round(r.left) + "–" + Math.round(r.right));
        }
        if (td.classList.contains("cmp-winner")) {
          winners++;
          const star = td.querySelector(".winner-badge > [aria-hidden]");
          if (!shown(star) || !inX(star.getBoundingClientRect(), left, right)) hiddenWins.push(row + ": " + subject);
        }
      }
    }
    return {
      caption: caption.textContent.trim(),
      display: getComputedStyle(table).display,
      scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
      cueShown: shown(wrap.querySelector(".cmp-scroll-cue")) && inX(wrap.querySelector(".cmp-scroll-cue").getBoundingClientRect(), 0, W),
      captionShown: shown(caption) && cr.left >= left - 0.5 && cr.left < right,
      cells, outside, winners, hiddenWins,
    };
  });
  return {
    width: W, scrollWidth: document.documentElement.scrollWidth, escapes,
    background: getComputedStyle(document.body).backgroundColor, tables,
    foreign: performance.getEntriesByType("resource").map(e => e.name).filter(u => !u.startsWith(location.origin + "/")),
  };
})()`

var backgrounds = map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}

// TestEveryPageAtEveryWidth looks at every page of the showcase, of the
// 3- and 5-subject test sites and of a site with a menu at five widths from 320 to 1920 px, in the
// light and the dark theme as the system chooses: no page scrolls
// sideways; on phones, a comparison of up to three subjects shows every
// subject's value of every row in the window, with the caption and the
// winner marks, and a wider one that scrolls inside its box says so; and
// axe-core finds no violation of any impact, colour contrast included.
func TestEveryPageAtEveryWidth(t *testing.T) {
	axe, noAxe := axeOrMissing(t)
	if noAxe != "" {
		t.Logf("no accessibility audits: %s", noAxe)
	}
	ctx := browsertest.NewWithTimeout(t, 1280, 800, 20*time.Minute)
	audits := 0
	for _, sc := range siteCases {
		t.Run(sc.name, func(t *testing.T) {
			dir := sc.dir(t)
			base := browsertest.ServeDir(t, dir)
			pages := pagesOf(t, dir)
			tables, winners, start := 0, 0, time.Now()
			tagPages := 0
			for _, p := range pages {
				pageStart := time.Now()
				// Tag pages are one layout filled with different lists:
				// every one is checked for layout, the first few are also
				// audited by axe, which is most of a page's time.
				audit := axe != ""
				if strings.HasPrefix(p, "/tags/") && p != "/tags/" {
					tagPages++
					audit = audit && tagPages <= auditedTagPages
				}
				for _, s := range screens {
					// A fresh load at each audited width; the others are
					// reached by resizing the window, as a reader turning a
					// tablet does, and the page must follow.
					if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(s.width), int64(s.height))); err != nil {
						t.Fatal(err)
					}
					if audited[s.width] {
						if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
							t.Fatalf("%s: %v", p, err)
						}
					}
					for _, scheme := range []string{"light", "dark"} {
						where := fmt.Sprintf("%s at %d px, %s", p, s.width, scheme)
						if err := emulateScheme(ctx, scheme); err != nil {
							t.Fatal(err)
						}
						f := eval[pageFacts](t, ctx, factsJS)
						if f.Width != float64(s.width) {
							t.Fatalf("%s: the window is %.0f px wide", where, f.Width)
						}
						if f.Background != backgrounds[scheme] {
							t.Errorf("%s: the page's background is %s, want %s", where, f.Background, backgrounds[scheme])
						}
						for _, u := range f.Foreign {
							t.Errorf("%s: the page loads %s, not from the site", where, u)
						}
						if f.ScrollWidth > f.Width {
							t.Errorf("%s: the page scrolls sideways: %.0f px wide; sticking out: %s", where, f.ScrollWidth, strings.Join(f.Escapes, "; "))
						}
						checkTables(t, where, sc.subjects, s.width, f)
						for _, tb := range f.Tables {
							tables++
							winners += tb.Winners
						}
						if audit && audited[s.width] {
							// The dark theme changes colours only, so it is
							// audited for the rules about colour.
							var rules []string
							if scheme == "dark" {
								rules = colourRules
							}
							audits++
							report(t, where, auditRules(t, ctx, axe, "document", rules))
						}
						if testing.Verbose() {
							t.Logf("%s: %v", where, time.Since(pageStart).Round(time.Millisecond))
						}
						if t.Failed() {
							shot(t, ctx, "responsive-"+sc.name+strings.NewReplacer("/", "-", ".", "-").Replace(p)+fmt.Sprint(s.width)+scheme)
						}
					}
				}
			}
			t.Logf("%d pages at %d widths in %v", len(pages), len(screens), time.Since(start).Round(time.Millisecond))
			if tables == 0 || winners == 0 {
				t.Errorf("%s has %d comparison tables with %d won cells, want some of each", sc.name, tables, winners)
			}
		})
	}
	t.Logf("%d axe-core audits", audits)
}

// auditedTagPages is how many tag pages of a site axe audits.
const auditedTagPages = 3

func checkTables(t *testing.T, where string, subjects, width int, f pageFacts) {
	t.Helper()
	for _, tb := range f.Tables {
		at := where + ", table " + fmt.Sprintf("%q", tb.Caption)
		if tb.Cells == 0 {
			t.Errorf("%s: no cells", at)
		}
		if width >= 1280 && tb.Display != "table" {
			t.Errorf("%s: displayed as %q on a wide screen, want a table", at, tb.Display)
		}
		if tb.Scrolls && !tb.CueShown {
			t.Errorf("%s: scrolls inside its box without showing the scroll cue", at)
		}
		if !tb.Scrolls && tb.CueShown {
			t.Errorf("%s: shows the scroll cue but does not scroll", at)
		}
		if width > narrow {
			continue
		}
		if !tb.CaptionShown {
			t.Errorf("%s: the caption is not in view", at)
		}
		if subjects <= 3 && tb.Scrolls {
			t.Errorf("%s: a table of %d subjects scrolls sideways on a %d px screen", at, subjects, width)
		}
		if subjects <= 3 || !tb.Scrolls {
			for _, o := range tb.Outside {
				t.Errorf("%s: a value is out of view: %s", at, o)
			}
			for _, w := range tb.HiddenWins {
				t.Errorf("%s: the winner mark is not in view: %s", at, w)
			}
		}
	}
}
