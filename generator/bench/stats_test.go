package bench

import (
	"math"
	"strings"
	"testing"
)

func TestSummarizeMedianAndInterval(t *testing.T) {
	xs := []float64{10, 12, 11, 13, 9, 10, 11, 12, 10, 11}
	s := Summarize(xs)
	if s.Median != 11 || s.Min != 9 || s.Max != 13 || s.N != 10 {
		t.Fatalf("summary = %+v", s)
	}
	if !(s.Lo <= s.Median && s.Median <= s.Hi) || s.Lo < 9 || s.Hi > 13 {
		t.Fatalf("interval [%v, %v] does not bracket the median %v inside the data", s.Lo, s.Hi, s.Median)
	}
	if s.Q1 != 10 || s.Q3 != 11.75 {
		t.Fatalf("quartiles = %v, %v", s.Q1, s.Q3)
	}
	if again := Summarize(xs); again != s {
		t.Fatalf("bootstrap not deterministic: %+v vs %+v", again, s)
	}
}

func TestSummarizeOneValue(t *testing.T) {
	s := Summarize([]float64{42})
	if s.Median != 42 || s.Lo != 42 || s.Hi != 42 || s.Noise != 0 {
		t.Fatalf("summary = %+v", s)
	}
}

// series returns n values spread evenly ±spread around centre, in a
// shuffled but fixed order.
func series(centre, spread float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		k := (i * 7) % n
		out[i] = centre + spread*(2*float64(k)/float64(n-1)-1)
	}
	return out
}

func TestFasterNamesAClearWinner(t *testing.T) {
	a := series(100, 5, 30) // ~100 ns
	b := series(320, 10, 30)
	w, r := Faster(a, b)
	if w != 0 {
		t.Fatalf("winner = %d, want 0 (a is ~3.2× faster); ratio %+v", w, r)
	}
	if math.Abs(r.Value-3.2) > 0.01 || r.Lo > r.Value || r.Hi < r.Value || r.Lo < 3 || r.Hi > 3.45 {
		t.Fatalf("ratio = %+v, want ≈3.2 with a tight interval", r)
	}
	if w, _ := Faster(b, a); w != 1 {
		t.Fatalf("swapped: winner = %d, want 1", w)
	}
}

func TestFasterRefusesOverlappingIntervals(t *testing.T) {
	a := series(100, 30, 12)
	b := series(104, 30, 12)
	if w, r := Faster(a, b); w != -1 || r.Significant() {
		t.Fatalf("winner = %d (ratio %+v): a 4%% difference inside ±30%% noise is not a win", w, r)
	}
}

func TestParseInner(t *testing.T) {
	out := "result 42\nbench: 1500 ns\nbench: 2.5 us\n  bench: 1 ms\nbench: 0.5 s\n"
	got, err := ParseInner(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1500, 2500, 1e6, 5e8}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if s := StripInner(out); s != "result 42\n" {
		t.Fatalf("StripInner = %q", s)
	}
}

func TestParseInnerErrors(t *testing.T) {
	for in, want := range map[string]string{
		"hello\n":             "printed no figures",
		"ok\nbench: 12\n":     `output line 2: "bench: 12": want "bench: NUMBER UNIT"`,
		"bench: 12 parsecs\n": `unknown unit "parsecs"`,
		"bench: fast ns\n":    `"fast" is not a duration`,
		"bench: -4 ns\n":      `"-4" is not a duration`,
	} {
		_, err := ParseInner(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseInner(%q) = %v, want %q", in, err, want)
		}
	}
}
