package bench

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMeasureInterleavesAndSkipsWarmup(t *testing.T) {
	var order []int
	exec := func(_ context.Context, i int) (string, time.Duration, error) {
		order = append(order, i)
		return "", time.Duration(100*(i+1)+len(order)) * time.Microsecond, nil
	}
	p := Plan{Sample: "s", Kind: KindProcess, Subjects: []Subject{{ID: "node"}, {ID: "python"}}, Warmup: 1, MinRuns: 3}
	r, err := Measure(context.Background(), p, exec)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(order); got != "[0 1 0 1 1 0 0 1]" {
		t.Fatalf("run order = %s, want warm-up 0 1 then rounds rotating their first subject", got)
	}
	if n := len(r.Subjects[0].Series[MetricTime]); n != 3 || r.Settings.Runs != 3 {
		t.Fatalf("recorded %d runs (settings %d), want 3 (warm-up not recorded)", n, r.Settings.Runs)
	}
	if r.Subjects[1].Series[MetricTime][0] != float64(204*time.Microsecond) {
		t.Fatalf("first recorded python run = %v", r.Subjects[1].Series[MetricTime][0])
	}
}

func TestMeasureInnerReadsTheProtocol(t *testing.T) {
	exec := func(_ context.Context, i int) (string, time.Duration, error) {
		if i == 0 {
			return "42\nbench: 10 us\nbench: 11 us\n", time.Second, nil
		}
		return "42\nbench: 30 us\n", time.Second, nil
	}
	p := Plan{Sample: "s", Kind: KindInner, Subjects: []Subject{{ID: "a"}, {ID: "b"}}, MinRuns: 2}
	r, err := Measure(context.Background(), p, exec)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Subjects[0].Series[MetricTime]; len(got) != 4 || got[0] != 10000 {
		t.Fatalf("a's figures = %v, want 4 figures from two runs", got)
	}
	bad := func(_ context.Context, i int) (string, time.Duration, error) { return "42\n", 0, nil }
	if _, err := Measure(context.Background(), p, bad); err == nil || !strings.Contains(err.Error(), "a: the program printed no figures") {
		t.Fatalf("err = %v", err)
	}
}

func TestMeasureBudgetStopsAfterMinRuns(t *testing.T) {
	clock := time.Unix(0, 0)
	now := func() time.Time { return clock }
	exec := func(_ context.Context, i int) (string, time.Duration, error) {
		clock = clock.Add(time.Second)
		return "", time.Millisecond, nil
	}
	p := Plan{Kind: KindProcess, Subjects: []Subject{{ID: "a"}, {ID: "b"}}, MinRuns: 2, MaxRuns: 100, Budget: 10 * time.Second, Now: now}
	r, err := Measure(context.Background(), p, exec)
	if err != nil {
		t.Fatal(err)
	}
	if r.Settings.Runs != 5 {
		t.Fatalf("runs = %d, want 5 (2 s a round, budget 10 s)", r.Settings.Runs)
	}
}

func TestLoadMeasuresAndRefusesOtherHosts(t *testing.T) {
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer fast.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		w.Write([]byte("ok"))
	}))
	defer slow.Close()
	p := Plan{Sample: "srv", Subjects: []Subject{{ID: "fast"}, {ID: "slow"}}, Warmup: 1, MinRuns: 3}
	r, err := MeasureServe(context.Background(), p, []string{fast.URL, slow.URL}, 2, 150*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	v := r.Decide()
	if v.Winner != 0 {
		t.Fatalf("verdict %+v: the server that sleeps 5 ms a request must lose", v)
	}
	if p99 := r.Subjects[1].Series[MetricP99][0]; p99 < float64(5*time.Millisecond) {
		t.Fatalf("slow p99 = %v ns, below its 5 ms sleep", p99)
	}
	if _, _, err := Load(context.Background(), "http://example.org/", 1, time.Millisecond); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("Load to a public host: err = %v", err)
	}
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 500) }))
	defer broken.Close()
	if _, _, err := Load(context.Background(), broken.URL, 1, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("Load of a failing server: err = %v", err)
	}
}

func TestSVGAndPhrase(t *testing.T) {
	r := sample(KindInner, series(3.2e6, 1e5, 20), series(1e6, 3e4, 20))
	r.Sample = "json round trip"
	v := r.Decide()
	names := []Label{{ID: "python", Name: "Python"}, {ID: "node", Name: "Node.js"}}
	if got := Phrase(v, names); got != "Node.js 3.2× faster (95% CI 3.1–3.3×)" && !strings.HasPrefix(got, "Node.js 3.2× faster (95% CI 3.") {
		t.Fatalf("phrase = %q", got)
	}
	svg := SVG(r, v, names, "JSON round trip")
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("SVG is not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{`class="bench-row subject-node"`, `Node.js ★ <tspan class="bench-value">1.00 ms</tspan>`, `Python <tspan class="bench-value">3.20 ms</tspan>`, `<title id="bench-json-round-trip-t">JSON round trip</title>`, "Node.js 3.2× faster"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q:\n%s", want, svg)
		}
	}
	tie := sample(KindInner, series(100, 40, 10), series(101, 40, 10)).Decide()
	if got := Phrase(tie, []Label{{"a", "A"}, {"b", "B"}}); !strings.HasPrefix(got, "no significant difference (A 1") {
		t.Fatalf("tie phrase = %q", got)
	}
}
