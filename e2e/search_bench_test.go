package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/versus-ssg/versus/internal/browsertest"
)

// firstResult types q into the search box of a freshly loaded page with the
// browser cache off, and measures in the page the time from the input event
// to the first result on screen, and the bytes of index files it fetched.
const firstResult = `new Promise((done, fail) => {
	const input = document.getElementById("search-input");
	const list = document.getElementById("search-results");
	const t0 = performance.now();
	const obs = new MutationObserver(() => {
		if (list.querySelector(".search-hit, .search-none")) {
			obs.disconnect();
			const ms = performance.now() - t0;
			const bytes = performance.getEntriesByType("resource")
				.filter(e => e.name.includes("/search/"))
				.reduce((n, e) => n + e.encodedBodySize, 0);
			done([ms, bytes, list.querySelectorAll(".search-hit").length]);
		}
	});
	obs.observe(list, {childList: true});
	input.focus();
	input.value = %q;
	input.dispatchEvent(new Event("input"));
	setTimeout(() => fail(new Error("no result in 60s")), 60000);
})`

// BenchmarkSearchFirstResult measures time to first result and bytes
// fetched for a cold query. It runs on the showcase, or on the built site in
// $VERSUS_BENCH_SITE with the queries in $VERSUS_BENCH_QUERIES (comma
// separated), e.g. the 10,000-article corpus.
func BenchmarkSearchFirstResult(b *testing.B) {
	dir := os.Getenv("VERSUS_BENCH_SITE")
	if dir == "" {
		dir = showcase(b)
	}
	queries := []string{"lockfile", "event loop", "e"}
	if q := os.Getenv("VERSUS_BENCH_QUERIES"); q != "" {
		queries = strings.Split(q, ",")
	}
	base := browsertest.ServeDir(b, dir)
	ctx := browsertest.New(b, 1280, 900)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/404.html")); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	for _, q := range queries {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			var ms, bytes, hits float64
			for i := 0; i < b.N; i++ {
				if err := chromedp.Do(ctx, chromedp.Navigate(base+"/404.html"), chromedp.WaitVisible(`#search-input`)); err != nil {
					b.Fatal(err)
				}
				r, err := chromedp.Run(ctx, chromedp.Evaluate[[3]float64](strings.Replace(firstResult, "%q", jsString(q), 1), chromedp.EvalAwaitPromise))
				if err != nil {
					b.Fatal(err)
				}
				ms += r[0]
				bytes += r[1]
				hits = r[2]
			}
			b.ReportMetric(ms/float64(b.N), "ms/first-result")
			b.ReportMetric(bytes/float64(b.N), "index-bytes/query")
			b.ReportMetric(hits, "shown")
		})
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
