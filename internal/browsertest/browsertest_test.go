package browsertest

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserRuns(t *testing.T) {
	url := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<!doctype html><title>x</title><p id="p">hello</p><script>document.getElementById("p").textContent += " world"</script>`))
	}))
	ctx := New(t, 800, 600)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	txt, err := chromedp.Run(ctx, chromedp.Text("#p"))
	if err != nil {
		t.Fatal(err)
	}
	if txt != "hello world" {
		t.Fatalf("got %q", txt)
	}
}
