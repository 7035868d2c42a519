package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// axeSource reads axe-core's axe.min.js: from $VERSUS_AXE, or where .ci/run
// installs it (npm install --prefix .ci/node axe-core). Without it the audit
// is skipped, except in CI, which installs it.
func axeSource(t *testing.T) string {
	t.Helper()
	src, missing := axeOrMissing(t)
	if missing != "" {
		t.Skip(missing)
	}
	return src
}

// axeOrMissing reads axe-core as axeSource does, but instead of skipping
// returns why it cannot, so a test can leave out its audits and run the rest.
func axeOrMissing(t *testing.T) (src, missing string) {
	t.Helper()
	p := os.Getenv("VERSUS_AXE")
	if p == "" {
		p = filepath.Join(repoRoot(t), ".ci", "node", "node_modules", "axe-core", "axe.min.js")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v); .ci/run installs it", err)
		}
		return "", fmt.Sprintf("axe-core is not installed (%v): npm install --no-save --prefix .ci/node axe-core, or set VERSUS_AXE to its axe.min.js", err)
	}
	return string(data), ""
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// audit runs axe-core on the current page (or the part matching context)
// and returns its serious and critical violations.
func audit(t *testing.T, ctx context.Context, axe, context string) []violation {
	t.Helper()
	var serious []violation
	for _, v := range auditRules(t, ctx, axe, context, nil) {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, v)
		}
	}
	return serious
}

// auditRules runs the named axe-core rules (all when none) and returns
// every violation, whatever its impact.
func auditRules(t *testing.T, ctx context.Context, axe, context string, rules []string) []violation {
	t.Helper()
	only := ""
	if len(rules) > 0 {
		only = `, runOnly: {type: "rule", values: ["` + strings.Join(rules, `", "`) + `"]}`
	}
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		t.Fatal(err)
	}
	if !has {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			t.Fatalf("loading axe-core: %v", err)
		}
	}
	script := fmt.Sprintf(`axe.run(%s, {resultTypes: ["violations"]%s}).then(r => r.violations
		.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`, context, only)
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	return vs
}

func report(t *testing.T, where string, vs []violation) {
	t.Helper()
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s\n\t%s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// TestAccessibility audits the home page, an article, a tag page and the 404
// page with axe-core in chromium, in the light and the dark theme, and the
// search box with its results open.
func TestAccessibility(t *testing.T) {
	axe := axeSource(t)
	site := showcase(t)
	base := browsertest.ServeDir(t, site)
	pages := []string{"/", "/architecture-concurrency/", "/tags/performance/", "/404.html"}
	for _, theme := range []string{"light", "dark"} {
		t.Run(theme, func(t *testing.T) {
			ctx := browsertest.New(t, 1280, 900)
			if err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/"),
				chromedp.Evaluate[chromedp.Void](`localStorage.setItem("versus-theme", "`+theme+`")`),
			); err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.WaitReady(`body`)); err != nil {
					t.Fatal(err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.theme + " " + getComputedStyle(document.body).backgroundColor`))
				if err != nil {
					t.Fatal(err)
				}
				wantBG := map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}[theme]
				if got != theme+" "+wantBG {
					t.Fatalf("%s: theme and background %q, want %s %s", p, got, theme, wantBG)
				}
				shot(t, ctx, "a11y-"+theme+strings.NewReplacer("/", "-", ".", "-").Replace(p))
				report(t, p+" ("+theme+")", audit(t, ctx, axe, "document"))
			}

			// The search box with results showing.
			if err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/architecture-concurrency/"),
				chromedp.WaitVisible(`#search-input`),
				chromedp.Click(`#search-input`),
				chromedp.KeyEvent("event loop"),
			); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#search-results .search-hit").length > 0`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatalf("no results for the audit: %v", err)
			}
			shot(t, ctx, "a11y-"+theme+"-search")
			report(t, "search results ("+theme+")", audit(t, ctx, axe, `document`))
		})
	}
}
