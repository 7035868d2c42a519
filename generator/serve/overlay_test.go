package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// overlayPage is a page that fits a phone by itself, so that any sideways
// scrolling is the overlay's doing.
const overlayPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fits</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font:16px/1.5 sans-serif}main{padding:0 1em}</style></head>
<body><main><h1>A page that fits</h1><p>Some text.</p></main></body></html>
`

// widePage overflows a phone by itself, as a page with a wide table may.
const widePage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Wide</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div style="width:700px;background:#eee">a page wider than a phone</div></body></html>
`

// overlayProblems are errors as long as a writer's can be: a deep path, a
// message without spaces, source lines far wider than a phone.
func overlayProblems(n int) []Problem {
	long := "    title: \"" + strings.Repeat("a-very-long-unbroken-value-", 14) + "\""
	var out []Problem
	for i := range n {
		file := "content/guides/" + strings.Repeat("deeply-nested-folder/", 4) + fmt.Sprintf("article-%d.md", i)
		out = append(out, Problem{
			File: file, Line: 3, Col: 12, Pos: file + ":3:12",
			Message: "unknown key " + strings.Repeat("front_matter_key_", 8) + "; remove it or fix its spelling",
			Lines: []Line{
				{N: 1, Text: "---"},
				{N: 2, Text: "draft: true"},
				{N: 3, Text: long},
				{N: 4, Text: "date: 2026-11-01"},
				{N: 5, Text: "---"},
			},
		})
	}
	return out
}

// overlayMetrics measures the overlay as the writer sees it: the page's
// width against the viewport, the Hide button's box and whether it is the
// element under its own centre (not covered, not clipped), and how the
// first source box scrolls.
const overlayMetrics = `(() => {
  const host = document.getElementById("versus-error-overlay");
  if (!host) return null;
  const root = host.shadowRoot;
  const btn = root.querySelector("button");
  const pre = root.querySelector("pre");
  const b = btn.getBoundingClientRect(), h = host.getBoundingClientRect(), p = pre.getBoundingClientRect();
  const vv = window.visualViewport;
  const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
  return {
    innerWidth: innerWidth, innerHeight: innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    vvLeft: vv.offsetLeft, vvTop: vv.offsetTop, vvWidth: vv.width, vvHeight: vv.height,
    btn: [b.left, b.top, b.right, b.bottom], btnHit: root.elementFromPoint(cx, cy) === btn,
    btnText: btn.textContent,
    host: [h.left, h.top, h.right, h.bottom], hostScrollWidth: host.scrollWidth, hostClientWidth: host.clientWidth,
    pre: [p.left, p.right], preScrollWidth: pre.scrollWidth, preClientWidth: pre.clientWidth,
    preOverflowX: getComputedStyle(pre).overflowX,
  };
})()`

type overlayBox struct {
	InnerWidth, InnerHeight          float64
	ScrollWidth                      float64
	VVLeft, VVTop, VVWidth, VVHeight float64
	Btn                              [4]float64
	BtnHit                           bool
	BtnText                          string
	Host                             [4]float64
	HostScrollWidth, HostClientWidth float64
	Pre                              [2]float64
	PreScrollWidth, PreClientWidth   float64
	PreOverflowX                     string
}

func measureOverlay(t *testing.T, ctx context.Context, url string, width, height int64, mobile bool) overlayBox {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height, opts...),
		chromedp.Navigate(url),
	)
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`!!document.getElementById("versus-error-overlay")`, chromedp.WithPollingTimeout(10*time.Second)))
	}
	var m *overlayBox
	if err == nil {
		m, err = chromedp.Run(ctx, chromedp.Evaluate[*overlayBox](overlayMetrics))
	}
	if err != nil || m == nil {
		t.Fatalf("%s at %d px: no overlay (%v)", url, width, err)
	}
	return *m
}

// inside says whether a box [left, top, right, bottom] lies in the visual
// viewport (what is on the screen, even when the page is zoomed or
// scrolled sideways).
func (m overlayBox) inside(b [4]float64) bool {
	const slack = 0.5
	return b[0] >= m.VVLeft-slack && b[1] >= m.VVTop-slack &&
		b[2] <= m.VVLeft+m.VVWidth+slack && b[3] <= m.VVTop+m.VVHeight+slack
}

// TestOverlayFitsEveryWidth: from a 320 px phone to a 1920 px screen the
// error overlay adds no sideways scrolling, its Hide button is on screen
// and clickable, and long source lines scroll inside their own box.
func TestOverlayFitsEveryWidth(t *testing.T) {
	s := New(Options{})
	s.Publish(map[string][]byte{"index.html": []byte(overlayPage), "wide/index.html": []byte(widePage)}, "/", nil, false)
	base := browsertest.Serve(t, s)
	t.Cleanup(s.Close) // end the event streams before the server shuts down
	s.Fail(overlayProblems(1))
	ctx := browsertest.New(t, 320, 640)

	for _, tc := range []struct {
		width, height int64
		mobile        bool
	}{
		{320, 640, true},
		{390, 844, true},
		{768, 1024, true},
		{1280, 800, false},
		{1920, 1080, false},
	} {
		m := measureOverlay(t, ctx, base+"/", tc.width, tc.height, tc.mobile)
		name := fmt.Sprintf("%d px", tc.width)
		if m.ScrollWidth > m.InnerWidth {
			t.Errorf("%s: the page scrolls sideways with the overlay open (scrollWidth %v > innerWidth %v)", name, m.ScrollWidth, m.InnerWidth)
		}
		if !m.inside(m.Btn) || !m.BtnHit || m.BtnText != "Hide" {
			t.Errorf("%s: the Hide button is not on screen and clickable: %v (hit %v) in a %vx%v viewport", name, m.Btn, m.BtnHit, m.VVWidth, m.VVHeight)
		}
		if m.Host[0] < -0.5 || m.Host[2] > m.InnerWidth+0.5 || m.HostScrollWidth > m.HostClientWidth {
			t.Errorf("%s: the overlay is wider than the screen: box %v, scrollWidth %v > clientWidth %v", name, m.Host, m.HostScrollWidth, m.HostClientWidth)
		}
		if m.PreScrollWidth <= m.PreClientWidth || m.PreOverflowX != "auto" {
			t.Errorf("%s: the long source line does not scroll inside its box (scrollWidth %v, clientWidth %v, overflow-x %s)", name, m.PreScrollWidth, m.PreClientWidth, m.PreOverflowX)
		}
		if m.Pre[0] < -0.5 || m.Pre[1] > m.InnerWidth+0.5 {
			t.Errorf("%s: the source box %v runs off the %v px screen", name, m.Pre, m.InnerWidth)
		}
	}
}

// TestOverlayOnAPageThatOverflows: a page wider than the phone (a table
// that escapes its box, say) must not push the Hide button off screen.
func TestOverlayOnAPageThatOverflows(t *testing.T) {
	s := New(Options{})
	s.Publish(map[string][]byte{"index.html": []byte(overlayPage), "wide/index.html": []byte(widePage)}, "/", nil, false)
	base := browsertest.Serve(t, s)
	t.Cleanup(s.Close)
	s.Fail(overlayProblems(1))
	ctx := browsertest.New(t, 390, 844)
	for _, width := range []int64{320, 390} {
		m := measureOverlay(t, ctx, base+"/wide/", width, 844, true)
		if !m.inside(m.Btn) || !m.BtnHit {
			t.Errorf("%d px: the Hide button %v is off the %vx%v screen at (%v, %v)", width, m.Btn, m.VVWidth, m.VVHeight, m.VVLeft, m.VVTop)
		}
		if m.Host[0] > m.VVLeft+0.5 || m.Host[2] < m.VVLeft+m.VVWidth-0.5 {
			t.Errorf("%d px: the overlay %v does not span the screen", width, m.Host)
		}
	}
}

// TestOverlayHideStaysReachable: with more errors than the screen holds,
// the overlay scrolls in its own box (leaving the page visible below), the
// Hide button stays on screen at the end of the list, and a tap on it
// closes the overlay. Only a source box that scrolls is a tab stop.
func TestOverlayHideStaysReachable(t *testing.T) {
	s := New(Options{})
	s.Publish(map[string][]byte{"index.html": []byte(overlayPage)}, "/", nil, false)
	base := browsertest.Serve(t, s)
	t.Cleanup(s.Close)
	problems := overlayProblems(12)
	problems = append(problems, Problem{File: "content/short.md", Line: 2, Pos: "content/short.md:2", Message: "bad date",
		Lines: []Line{{N: 1, Text: "---"}, {N: 2, Text: "date: soon"}, {N: 3, Text: "---"}}})
	s.Fail(problems)
	ctx := browsertest.New(t, 390, 844)
	measureOverlay(t, ctx, base+"/", 390, 844, true)

	m, err := chromedp.Run(ctx, chromedp.Evaluate[*overlayBox](`(() => {
	  const host = document.getElementById("versus-error-overlay");
	  host.scrollTop = host.scrollHeight;
	  return `+overlayMetrics+`;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !m.inside(m.Btn) || !m.BtnHit {
		t.Errorf("scrolled to the last error, the Hide button %v is not on the %vx%v screen", m.Btn, m.VVWidth, m.VVHeight)
	}
	if m.Host[3] > 0.7*m.VVHeight+1 {
		t.Errorf("the overlay is %v px tall on a %v px screen; it should leave the page visible", m.Host[3]-m.Host[1], m.VVHeight)
	}
	stops, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`Array.from(document.getElementById("versus-error-overlay").shadowRoot.querySelectorAll("pre"), p => p.tabIndex)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(stops) != 13 || stops[0] != 0 || stops[12] != -1 {
		t.Errorf("source boxes' tab stops %v, want 0 for the ones that scroll and -1 for the short one", stops)
	}

	x, y := (m.Btn[0]+m.Btn[2])/2, (m.Btn[1]+m.Btn[3])/2
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("versus-error-overlay")`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("a tap on Hide did not close the overlay: %v", err)
	}
}
