// Package bench measures what samples cost and decides, with stated
// confidence, which subject is faster. This file holds the statistics:
// medians, bootstrap confidence intervals, and the winner rule. Everything
// here is deterministic: the bootstrap draws from a fixed seed, so the same
// measurements always give the same interval and the same verdict.
package bench

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Confidence is the level of every interval versus reports.
const Confidence = 0.95

// resamples is how many bootstrap resamples an interval draws. 2,000 keeps
// the interval's own Monte Carlo error well under the noise of a real
// measurement while costing a few milliseconds.
const resamples = 2000

// seedA and seedB fix the bootstrap's draws, so a result reads the same
// every time.
const seedA, seedB = 0x76657273, 0x75732062

// Summary describes one subject's measurements of one benchmark.
type Summary struct {
	N      int     `json:"n"`
	Median float64 `json:"median"`
	// Lo and Hi bound the median at Confidence (percentile bootstrap).
	Lo  float64 `json:"lo"`
	Hi  float64 `json:"hi"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Q1 and Q3 are the quartiles: the middle half of the runs.
	Q1 float64 `json:"q1"`
	Q3 float64 `json:"q3"`
	// Noise is the interquartile range relative to the median: 0.02 means
	// the middle half of the runs lies within 2 % of the median.
	Noise float64 `json:"noise"`
}

// Summarize summarizes xs; it needs at least one value.
func Summarize(xs []float64) Summary {
	s := slices.Clone(xs)
	slices.Sort(s)
	sum := Summary{N: len(s), Median: quantile(s, 0.5), Min: s[0], Max: s[len(s)-1], Q1: quantile(s, 0.25), Q3: quantile(s, 0.75)}
	if sum.Median != 0 {
		sum.Noise = (sum.Q3 - sum.Q1) / sum.Median
	}
	rng := rand.New(rand.NewPCG(seedA, seedB))
	meds := make([]float64, resamples)
	buf := make([]float64, len(s))
	for i := range meds {
		meds[i] = resampleMedian(rng, s, buf)
	}
	slices.Sort(meds)
	sum.Lo, sum.Hi = quantile(meds, (1-Confidence)/2), quantile(meds, 1-(1-Confidence)/2)
	return sum
}

// Ratio compares two subjects: how many times slower b is than a, as the
// ratio of their medians (b/a), with its bootstrap interval.
type Ratio struct {
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// Significant reports whether the interval excludes 1: the two differ beyond
// what the runs' own spread explains.
func (r Ratio) Significant() bool { return r.Lo > 1 || r.Hi < 1 }

// Compare returns the ratio of b's median to a's with its interval, from
// independent bootstrap resamples of each. Both need at least one value
// and a's values must not all be zero.
func Compare(a, b []float64) Ratio {
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	r := Ratio{Value: quantile(sb, 0.5) / quantile(sa, 0.5)}
	rng := rand.New(rand.NewPCG(seedA, seedB))
	ratios := make([]float64, 0, resamples)
	ba, bb := make([]float64, len(sa)), make([]float64, len(sb))
	for range resamples {
		ma := resampleMedian(rng, sa, ba)
		mb := resampleMedian(rng, sb, bb)
		if ma > 0 {
			ratios = append(ratios, mb/ma)
		}
	}
	if len(ratios) == 0 {
		return Ratio{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	slices.Sort(ratios)
	r.Lo, r.Hi = quantile(ratios, (1-Confidence)/2), quantile(ratios, 1-(1-Confidence)/2)
	return r
}

// Faster names the index (0 or 1) of the faster of two subjects whose
// lower-is-better measurements are a and b, or -1 when the difference is
// not significant. For higher-is-better figures (requests per second),
// pass them swapped.
func Faster(a, b []float64) (int, Ratio) {
	r := Compare(a, b)
	switch {
	case !r.Significant():
		return -1, r
	case r.Lo > 1:
		return 0, r // b is slower than a
	default:
		return 1, r
	}
}

func resampleMedian(rng *rand.Rand, s, buf []float64) float64 {
	for i := range buf {
		buf[i] = s[rng.IntN(len(s))]
	}
	slices.Sort(buf)
	return quantile(buf, 0.5)
}

// quantile interpolates linearly between the closest ranks of sorted s
// (the method most statistics packages use by default).
func quantile(s []float64, q float64) float64 {
	if len(s) == 1 {
		return s[0]
	}
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	frac := pos - float64(lo)
	return s[lo] + (s[hi]-s[lo])*frac
}
