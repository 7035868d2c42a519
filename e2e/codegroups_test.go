package e2e

import (
	"context"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/versus-ssg/versus/generator/codegroup"
	"github.com/versus-ssg/versus/internal/browsertest"
)

// samplesPage shows five samples, each with steps.
const samplesPage = "/syntax-learning-curve/"

// open serves the showcase and opens path in a browser window of the given
// size; it returns the tab and the site's base URL.
func open(t *testing.T, width, height int, path string) (context.Context, string) {
	t.Helper()
	base := browsertest.ServeDir(t, showcase(t))
	ctx := browsertest.New(t, width, height)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
		t.Fatal(err)
	}
	return ctx, base
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// groupLayout is where a code group's parts are on the screen.
type groupLayout struct {
	ID        string    `json:"id"`
	Lefts     []float64 `json:"lefts"`
	Tops      []float64 `json:"tops"`
	Widths    []float64 `json:"widths"`
	Shown     []bool    `json:"shown"`
	TabsShown bool      `json:"tabsShown"`
	// Steps maps a step label to the top of its first code line (or its
	// placeholder) in each pane.
	Steps    map[string][]float64 `json:"steps"`
	Labels   map[string][]float64 `json:"labels"`
	Outputs  []float64            `json:"outputs"`
	Verified []string             `json:"verified"`
	Selected []string             `json:"selected"`
}

const layoutJS = `[...document.querySelectorAll(".cg")].map(g => {
  const panes = [...g.querySelectorAll(".cg-pane")];
  const rects = panes.map(p => p.getBoundingClientRect());
  const top = el => el ? el.getBoundingClientRect().top : -1;
  const steps = {}, labels = {};
  for (const seg of g.querySelectorAll(".cg-seg[data-step]")) {
    (steps[seg.dataset.step] ||= []).push(top(seg.querySelector(".line, .cg-none")));
    (labels[seg.dataset.step] ||= []).push(top(seg.querySelector(".cg-step")));
  }
  const tabs = g.querySelector('[role="tablist"]');
  return {
    id: g.id,
    lefts: rects.map(r => r.left), tops: rects.map(r => r.top), widths: rects.map(r => r.width),
    shown: panes.map(p => getComputedStyle(p).display !== "none"),
    tabsShown: !!tabs && getComputedStyle(tabs).display !== "none",
    steps, labels,
    outputs: panes.map(p => top(p.querySelector(".cg-output"))),
    verified: panes.map(p => (p.querySelector(".verified") || {}).textContent || ""),
    selected: [...g.querySelectorAll('[role="tab"][aria-selected="true"]')].map(t => t.dataset.subject),
  };
})`

func layout(t *testing.T, ctx context.Context) []groupLayout {
	t.Helper()
	gs := eval[[]groupLayout](t, ctx, layoutJS)
	if len(gs) == 0 {
		t.Fatal("the page has no code groups")
	}
	return gs
}

func same(xs []float64) bool {
	for _, x := range xs {
		if math.Abs(x-xs[0]) > 1 {
			return false
		}
	}
	return true
}

func TestCodeGroupsSideBySideWithAlignedSteps(t *testing.T) {
	ctx, _ := open(t, 1280, 900, samplesPage)
	nodeVersion, err := exec.Command("node", "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	verified := regexp.MustCompile(`^✔ verified with Node\.js ` + regexp.QuoteMeta(strings.TrimSpace(string(nodeVersion))) + ` on \d{4}-\d\d-\d\d(; both print the same)?$`)
	groups := layout(t, ctx)
	samples := 0
	for _, g := range groups {
		isSample := strings.HasPrefix(g.ID, "sample-")
		if isSample {
			samples++
		}
		if len(g.Lefts) != 2 || !g.Shown[0] || !g.Shown[1] {
			t.Errorf("%s: want two panes shown, got %d (%v)", g.ID, len(g.Lefts), g.Shown)
			continue
		}
		if g.TabsShown {
			t.Errorf("%s: tabs are shown on a wide screen", g.ID)
		}
		if !same(g.Tops) || g.Lefts[1] < g.Lefts[0]+g.Widths[0] || g.Widths[0] < 300 || !same(g.Widths) {
			t.Errorf("%s: the panes are not side by side: tops %v, lefts %v, widths %v", g.ID, g.Tops, g.Lefts, g.Widths)
		}
		if isSample && len(g.Steps) < 3 {
			t.Errorf("%s: %d steps, the showcase's samples all have several", g.ID, len(g.Steps))
		}
		for step, tops := range g.Steps {
			if len(tops) != 2 || !same(tops) || !same(g.Labels[step]) {
				t.Errorf("%s: step %q starts at %v (label at %v) in the two panes", g.ID, step, tops, g.Labels[step])
			}
		}
		if !isSample {
			continue
		}
		if !same(g.Outputs) || g.Outputs[0] < 0 {
			t.Errorf("%s: the outputs start at %v", g.ID, g.Outputs)
		}
		if !verified.MatchString(g.Verified[0]) || !strings.HasPrefix(g.Verified[1], "✔ verified with Python 3.") {
			t.Errorf("%s: the panes say %q", g.ID, g.Verified)
		}
	}
	if samples != 5 {
		t.Errorf("%s shows %d samples, want 5", samplesPage, samples)
	}
}

func TestCodeGroupsAreTabsOnNarrowScreens(t *testing.T) {
	ctx, base := open(t, 390, 844, samplesPage)
	check := func(when, want string) {
		t.Helper()
		for _, g := range layout(t, ctx) {
			other := map[string]string{"node": "python", "python": "node"}[want]
			shown := map[string]bool{}
			if g.Shown[0] {
				shown["node"] = true
			}
			if g.Shown[1] {
				shown["python"] = true
			}
			if !g.TabsShown || len(g.Selected) != 1 || g.Selected[0] != want || !shown[want] || shown[other] {
				t.Errorf("%s, %s: tabs shown %v, selected %v, panes shown %v; want the %s tab and pane only", when, g.ID, g.TabsShown, g.Selected, g.Shown, want)
			}
			for i, w := range g.Widths {
				if g.Shown[i] && w < 330 {
					t.Errorf("%s, %s: the pane is %.0f px wide on a 390 px screen", when, g.ID, w)
				}
			}
		}
	}
	check("at first", "node")
	// Choosing Python in one group switches every group…
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#sample-3-cli-args-python-tab"))); err != nil {
		t.Fatal(err)
	}
	check("after choosing Python in the third group", "python")
	// …and is remembered after a reload and on other pages.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	check("after a reload", "python")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/architecture-concurrency/")); err != nil {
		t.Fatal(err)
	}
	check("on another page", "python")
}

func TestCodeGroupTabsWorkWithTheKeyboard(t *testing.T) {
	ctx, _ := open(t, 390, 844, samplesPage)
	const first = "#sample-1-json-round-trip"
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(first+"-node-tab"))); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ key, want string }{
		{kb.ArrowRight, "python"},
		{kb.ArrowRight, "node"}, // wraps around
		{kb.ArrowLeft, "python"},
		{kb.Home, "node"},
		{kb.End, "python"},
	} {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(step.key)); err != nil {
			t.Fatal(err)
		}
		state := eval[map[string]string](t, ctx, `({
  focused: document.activeElement.id,
  selected: document.querySelector("`+first+` [aria-selected=true]").dataset.subject,
  tabindex: [...document.querySelectorAll("`+first+` [role=tab]")].map(t => t.dataset.subject + "=" + t.tabIndex).join(" "),
  shown: [...document.querySelectorAll("`+first+` .cg-pane")].filter(p => getComputedStyle(p).display !== "none").map(p => p.dataset.subject).join(" "),
  others: [...new Set([...document.querySelectorAll(".cg [aria-selected=true]")].map(t => t.dataset.subject))].join(" "),
})`)
		want := map[string]string{
			"focused":  "sample-1-json-round-trip-" + step.want + "-tab",
			"selected": step.want,
			"tabindex": map[string]string{"node": "node=0 python=-1", "python": "node=-1 python=0"}[step.want],
			"shown":    step.want,
			"others":   step.want,
		}
		for k, v := range want {
			if state[k] != v {
				t.Errorf("after %q: %s = %q, want %q", kb.Keys[rune(step.key[0])].Key, k, state[k], v)
			}
		}
	}
}

func TestCopyButtonCopiesTheCode(t *testing.T) {
	ctx, base := open(t, 1280, 900, samplesPage)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name},
			Setting:    browser.PermissionSettingGranted,
			Origin:     base,
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Reading the clipboard needs a focused page, which headless has not.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ pane, file string }{
		{"#sample-5-classes-python", "content/samples/classes/main.py"},
		{"#sample-3-cli-args-node", "content/samples/cli-args/main.mjs"},
	} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(c.pane+" .copy"))); err != nil {
			t.Fatal(err)
		}
		got := eval[string](t, ctx, `navigator.clipboard.readText()`)
		src, err := os.ReadFile(repoRoot(t) + "/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		// The file as written, without its step and region markers.
		var want []string
		for _, l := range strings.Split(strings.TrimRight(string(src), "\n"), "\n") {
			if _, _, marker := codegroup.Marker(l); !marker {
				want = append(want, l)
			}
		}
		if w := strings.Join(want, "\n") + "\n"; got != w {
			t.Errorf("%s: the copy button copied\n%s\nwant\n%s", c.pane, got, w)
		}
		if label := eval[string](t, ctx, `document.querySelector("`+c.pane+` .copy").textContent`); label != "Copied" {
			t.Errorf("%s: the button says %q after copying", c.pane, label)
		}
	}
}

func TestCodeGroupsStackWithoutJavaScript(t *testing.T) {
	base := browsertest.ServeDir(t, showcase(t))
	ctx := browsertest.New(t, 390, 844)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+samplesPage)); err != nil {
		t.Fatal(err)
	}
	for _, g := range layout(t, ctx) {
		if g.TabsShown || !g.Shown[0] || !g.Shown[1] || g.Tops[1] <= g.Tops[0] || !same(g.Lefts) {
			t.Errorf("%s without JavaScript: tabs shown %v, panes shown %v at tops %v, lefts %v; want both panes stacked", g.ID, g.TabsShown, g.Shown, g.Tops, g.Lefts)
		}
		if strings.HasPrefix(g.ID, "sample-") && !strings.Contains(g.Verified[1], "verified with Python") {
			t.Errorf("%s: the stacked Python pane says %q", g.ID, g.Verified[1])
		}
	}
}
