package bench

import (
	"strings"
	"testing"
	"time"
)

func sample(kind string, series ...[]float64) *Result {
	r := &Result{Format: FormatVersion, Sample: "s", Kind: kind, Measured: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)}
	m := r.Primary()
	for i, s := range series {
		r.Subjects = append(r.Subjects, Subject{ID: string(rune('a' + i)), Runtime: "v1", Series: map[string][]float64{m: s}})
	}
	return r
}

func TestHashIgnoresTheResultAndSeesEveryByte(t *testing.T) {
	files := map[string][]byte{"main.py": []byte("print(1)\n"), "main.js": []byte("console.log(1)\n")}
	h := Hash(files)
	files[FileName] = []byte("{}")
	if Hash(files) != h {
		t.Fatal("recording bench.json changed the hash")
	}
	r := &Result{Hash: h}
	if r.Stale(files) {
		t.Fatal("fresh result is stale")
	}
	files["main.py"] = []byte("print(2)\n")
	if !r.Stale(files) {
		t.Fatal("an edited file did not make the result stale")
	}
	// Moving bytes between names must change the hash too.
	a := Hash(map[string][]byte{"ab": []byte("c")})
	b := Hash(map[string][]byte{"a": []byte("bc")})
	if a == b {
		t.Fatal("hash confuses names and contents")
	}
}

func TestRoundTripAndParseErrors(t *testing.T) {
	r := sample(KindInner, series(100, 5, 10), series(200, 5, 10))
	r.Hash = "abc"
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash != "abc" || len(back.Subjects) != 2 || !back.Measured.Equal(r.Measured) {
		t.Fatalf("round trip lost data: %+v", back)
	}
	for in, want := range map[string]string{
		"{\n  \"format\": 1,\n  \"sampel\": \"x\"\n}": `3:`,
		"{\n  \"format\": 1,\n  \"kind\": 3\n}":       `3:`,
		"{\"format\": 1,":                             "1:",
		`{"format": 7}`:                               "format 7",
		`{"format": 1, "subjects": [{"id": "a"}]}`:    "at least two subjects",
	} {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestDecide(t *testing.T) {
	v := sample(KindInner, series(300, 5, 20), series(100, 5, 20), series(310, 5, 20)).Decide()
	if v.Winner != 1 || v.Best != 1 || v.Next != 0 {
		t.Fatalf("verdict = %+v, want b best and winner, a next", v)
	}
	if v.Ratio.Value < 2.9 || v.Ratio.Value > 3.1 {
		t.Fatalf("ratio = %+v, want ≈3", v.Ratio)
	}
	// Requests per second: higher wins.
	v = sample(KindServe, series(9000, 100, 10), series(3000, 100, 10)).Decide()
	if v.Winner != 0 || v.Ratio.Value < 2.9 || v.Ratio.Value > 3.1 {
		t.Fatalf("serve verdict = %+v, want a (3× the requests) to win", v)
	}
	// The best beats one subject clearly but ties with another: no winner.
	v = sample(KindProcess, series(100, 30, 10), series(102, 30, 10), series(500, 5, 10)).Decide()
	if v.Winner != -1 {
		t.Fatalf("verdict = %+v, want no winner when the best two overlap", v)
	}
}
