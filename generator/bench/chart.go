package bench

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Label names a subject for charts and sentences.
type Label struct {
	ID   string
	Name string
}

// Phrase says a verdict in words: "Node.js 3.2× faster (95% CI 3.0–3.4×)",
// or, when the runs do not separate the subjects, "no significant
// difference (Node.js 1.02×, 95% CI 0.97–1.08×)".
func Phrase(v Verdict, names []Label) string {
	best := names[v.Best].Name
	what := "faster"
	if v.Metric == MetricRPS {
		what = "the requests per second"
	}
	ci := fmt.Sprintf("%.0f%% CI %s–%s×", Confidence*100, ratio(v.Ratio.Lo), ratio(v.Ratio.Hi))
	if v.Winner < 0 {
		return fmt.Sprintf("no significant difference (%s %s× %s, %s)", best, ratio(v.Ratio.Value), what, ci)
	}
	if v.Metric == MetricRPS {
		return fmt.Sprintf("%s serves %s× %s (%s)", best, ratio(v.Ratio.Value), what, ci)
	}
	return fmt.Sprintf("%s %s× %s (%s)", best, ratio(v.Ratio.Value), what, ci)
}

func ratio(x float64) string {
	switch {
	case math.IsNaN(x):
		return "?"
	case x >= 10:
		return fmt.Sprintf("%.0f", x)
	default:
		t := strconv.FormatFloat(x, 'f', 2, 64)
		t = strings.TrimRight(t, "0")
		return strings.TrimSuffix(t, ".")
	}
}

// Format writes a figure of a metric for readers: a duration with a unit
// chosen for it, or requests per second.
func Format(metric string, x float64) string {
	if metric == MetricRPS {
		return fmt.Sprintf("%s req/s", sig3(x))
	}
	switch {
	case x >= 1e9:
		return sig3(x/1e9) + " s"
	case x >= 1e6:
		return sig3(x/1e6) + " ms"
	case x >= 1e3:
		return sig3(x/1e3) + " µs"
	}
	return sig3(x) + " ns"
}

// sig3 prints three significant figures without an exponent.
func sig3(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// Chart geometry, in SVG user units. The chart is drawn 360 wide so that at
// a phone's width it is shown at about its natural size; it scales with
// its box and never overflows it.
const (
	chartW   = 360
	rowH     = 46
	barH     = 14
	labelGap = 18
)

// SVG draws a verdict as horizontal bars, one per subject, each as long as
// its median with a whisker over its confidence interval. Colours come from
// the theme's subject classes (subject-ID) so the chart follows light and
// dark; the numbers are in the text too, and title and desc carry the
// verdict for screen readers.
func SVG(r *Result, v Verdict, names []Label, title string) string {
	max := 0.0
	for _, s := range v.Summaries {
		max = math.Max(max, math.Max(s.Hi, s.Median))
	}
	if max <= 0 {
		max = 1
	}
	h := len(v.Summaries)*rowH + 4
	id := "bench-" + slugID(r.Sample)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bench-chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, html.EscapeString(title), id, html.EscapeString(describe(v, names)))
	scale := float64(chartW-8) / max
	for i, s := range v.Summaries {
		y := i*rowH + 2
		lab := names[i]
		mark := ""
		if i == v.Winner {
			mark = " ★"
		}
		fmt.Fprintf(&b, `<g class="bench-row subject-%s">`, html.EscapeString(lab.ID))
		fmt.Fprintf(&b, `<text class="bench-label" x="0" y="%d">%s%s <tspan class="bench-value">%s</tspan></text>`,
			y+13, html.EscapeString(lab.Name), mark, html.EscapeString(Format(v.Metric, s.Median)))
		bw := math.Max(1, s.Median*scale)
		by := y + labelGap
		fmt.Fprintf(&b, `<rect class="bench-bar" x="0" y="%d" width="%.1f" height="%d" rx="2"/>`, by, bw, barH)
		lo, hi := s.Lo*scale, s.Hi*scale
		mid := float64(by) + barH/2
		fmt.Fprintf(&b, `<path class="bench-ci" d="M%.1f %.1fH%.1fM%.1f %dV%dM%.1f %dV%d"/>`,
			lo, mid, hi, lo, by+2, by+barH-2, hi, by+2, by+barH-2)
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func describe(v Verdict, names []Label) string {
	var parts []string
	for i, s := range v.Summaries {
		parts = append(parts, fmt.Sprintf("%s: median %s (%.0f%% CI %s to %s)", names[i].Name,
			Format(v.Metric, s.Median), Confidence*100, Format(v.Metric, s.Lo), Format(v.Metric, s.Hi)))
	}
	return strings.Join(parts, "; ") + ". " + Phrase(v, names) + "."
}

func slugID(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
