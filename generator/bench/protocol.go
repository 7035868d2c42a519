package bench

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The inner protocol: a benchmark program times its own iterations with
// its language's monotonic clock and prints one line per iteration,
//
//	bench: 1234567 ns
//
// the word "bench:", a number (integer or decimal) and a unit: ns, us (or
// µs), ms or s. Every other line is the program's own output and is left
// alone, so a program can print its result once for the outputs-must-match
// check.

// ParseInner reads the figures of the inner protocol from a program's
// standard output, in nanoseconds. A line that starts with "bench:" but
// does not parse is an error naming its line number; no figure at all is
// an error too.
func ParseInner(stdout string) ([]float64, error) {
	var out []float64
	for i, line := range strings.Split(stdout, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "bench:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 {
			return nil, fmt.Errorf("output line %d: %q: want \"bench: NUMBER UNIT\", for example \"bench: 1234567 ns\"", i+1, strings.TrimSpace(line))
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("output line %d: %q is not a duration (want a non-negative number)", i+1, f[0])
		}
		scale, ok := unit(f[1])
		if !ok {
			return nil, fmt.Errorf("output line %d: unknown unit %q (use ns, us, ms or s)", i+1, f[1])
		}
		out = append(out, v*float64(scale))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the program printed no figures: an inner benchmark prints one line \"bench: NUMBER ns\" per timed iteration")
	}
	return out, nil
}

func unit(name string) (time.Duration, bool) {
	switch name {
	case "ns":
		return time.Nanosecond, true
	case "us", "µs":
		return time.Microsecond, true
	case "ms":
		return time.Millisecond, true
	case "s":
		return time.Second, true
	}
	return 0, false
}

// StripInner removes the protocol's lines from a program's output, leaving
// what it printed for readers (and for the expected-output check).
func StripInner(stdout string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "bench:") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}
