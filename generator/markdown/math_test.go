package markdown

import (
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator/texmath"
)

func TestMath(t *testing.T) {
	on := Options{Math: texmath.New()}
	for _, tc := range []struct {
		name, src string
		want, not []string
	}{
		{"inline", "Area is $\\pi r^2$ here.\n", []string{"<p>Area is <math><semantics><mrow><mi>π</mi>", "</math> here.</p>"}, []string{"$"}},
		{"display block", "Sum:\n\n$$\n\\sum_{i=1}^n i\n$$\n\nAfter.\n", []string{`<div class="math-display"><math display="block"`, "<munderover>", "<p>After.</p>"}, []string{"$$"}},
		{"one-line block", "$$ x^2 $$\n", []string{`<div class="math-display"><math display="block"`, "<msup>"}, nil},
		{"display within a line", "So $$a+b$$ holds.\n", []string{`So <math display="block"`}, nil},
		{"prices stay text", "It costs $5, or $10 with support; $5-$10 in all.\n", []string{"It costs $5, or $10 with support; $5-$10 in all."}, []string{"<math"}},
		{"escaped dollars", "Pay \\$x\\$ now.\n", []string{"Pay $x$ now."}, []string{"<math"}},
		{"space after opener", "a $ b$ c\n", []string{"a $ b$ c"}, []string{"<math"}},
		{"code spans are code", "`$x$`\n", []string{"<code>$x$</code>"}, []string{"<math"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(render(t, on, tc.src).HTML)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("should not hold %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestMathOffLeavesDollars(t *testing.T) {
	got := string(render(t, Options{}, "Area is $\\pi r^2$.\n\n$$\nx\n$$\n").HTML)
	if strings.Contains(got, "<math") || !strings.Contains(got, "Area is $\\pi r^2$.") {
		t.Errorf("math off still converts:\n%s", got)
	}
}

func TestMathErrors(t *testing.T) {
	on := Options{Math: texmath.New()}
	for _, tc := range []struct{ src, want string }{
		{"Text $a + \\foo$ end.\n", `content/a.md:5:11: TeX: Unsupported function name: \foo (write \$ for a dollar sign that is not math)`},
		{"Intro.\n\n$$\n\\frac{1}{2}\n\\bad\n$$\n", `content/a.md:9:1: TeX: Unsupported function name: \bad`},
		{"$$\nx\n", `content/a.md:5:1: $$ is never closed`},
	} {
		res := New(on).Render("content/a.md", 5, []byte(tc.src))
		err := res.Errors.Err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestMathInSummary(t *testing.T) {
	res := render(t, Options{Math: texmath.New()}, "The area is $\\pi r^2$.\n")
	if got := PlainText(string(res.Summary)); got != "The area is πr2." {
		t.Errorf("summary text %q", got)
	}
	res = New(Options{Math: texmath.New()}).Render("content/a.md", 5, []byte("Bad $\\nope$.\n"))
	if len(res.Errors) != 1 {
		t.Errorf("a mistake in the first paragraph is reported %d times: %v", len(res.Errors), res.Errors)
	}
}
