package texmath

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestRender(t *testing.T) {
	e := New()
	got, err := e.Render(`\frac{a}{b} + \sqrt{x^2}`, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<math display="block"`, `<mfrac><mi>a</mi><mi>b</mi></mfrac>`, `<msqrt>`, `<annotation encoding="application/x-tex">\frac{a}{b} + \sqrt{x^2}</annotation>`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
	inline, err := e.Render(`x_1`, false)
	if err != nil || strings.Contains(inline, `display="block"`) || !strings.Contains(inline, "<msub>") {
		t.Errorf("inline: %v %s", err, inline)
	}
}

func TestSyntaxErrors(t *testing.T) {
	e := New()
	for _, tc := range []struct {
		tex  string
		off  int
		want string
	}{
		{`a + \foo{b}`, 4, `Unsupported function name: \foo`},
		{`\frac{a}{b`, 10, `Unexpected end of input in a macro argument, expected '}'`},
		{`é + \nope`, 5, `Unsupported function name: \nope`},
	} {
		_, err := e.Render(tc.tex, false)
		var te *Error
		if !errors.As(err, &te) {
			t.Fatalf("%q: %v is not an *Error", tc.tex, err)
		}
		if te.Offset != tc.off || te.Message != tc.want {
			t.Errorf("%q: offset %d %q, want %d %q", tc.tex, te.Offset, te.Message, tc.off, tc.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	e := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := e.Render(strings.Repeat("x+", i)+"y", i%2 == 0)
			if err != nil || !strings.Contains(got, "<mi>y</mi>") {
				t.Errorf("%d: %v %s", i, err, got)
			}
		}()
	}
	wg.Wait()
}
