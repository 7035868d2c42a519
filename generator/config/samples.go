package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// BoundKeys are the keys of a sample run's bounds, the same in site.yaml's
// samples: and in a sample.yaml's limits:.
var BoundKeys = []string{"cpu", "memory", "processes", "openFiles", "fileSize", "output"}

// ParseDuration reads a duration from a settings node: "10s", "1m30s", or
// a bare number of seconds.
func ParseDuration(n *generator.Node) (time.Duration, error) {
	str, _ := n.Scalar()
	if n.Kind == generator.IntValue || n.Kind == generator.FloatValue {
		str += "s"
	}
	d, err := time.ParseDuration(str)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("expected a duration like 10s or 1m30s, not %q", str)
	}
	return d, nil
}

// Day is the unit of samples.maxAge.
const Day = 24 * time.Hour

// agePattern is an age in days or weeks: "90d", "12w".
var agePattern = regexp.MustCompile(`^([0-9]{1,5})\s*([dw])$`)

// ParseAge reads an age from a settings node: a whole number of days
// ("90d") or weeks ("12w"). Months and years are refused, since they vary
// in length, and so is a bare number, which would be read as days by some
// and seconds by others.
func ParseAge(n *generator.Node) (time.Duration, error) {
	str, _ := n.Scalar()
	m := agePattern.FindStringSubmatch(strings.TrimSpace(str))
	if m == nil {
		hint := ""
		switch {
		case strings.HasSuffix(str, "m") || strings.HasSuffix(str, "mo") || strings.HasSuffix(str, "y"):
			hint = " (months and years vary in length: write 180d, or 26w)"
		case n.Kind == generator.IntValue:
			hint = " (say the unit: " + str + "d for days)"
		}
		return 0, fmt.Errorf("expected an age in days or weeks like 90d or 12w, not %q%s", str, hint)
	}
	count, _ := strconv.Atoi(m[1])
	if count == 0 {
		return 0, fmt.Errorf("an age of %q lets no result pass: give at least 1d", str)
	}
	d := time.Duration(count) * Day
	if m[2] == "w" {
		d *= 7
	}
	return d, nil
}

// Bound reads one bound key into b. It reports false for a key that is not
// a bound, so the caller can name its own known keys.
func Bound(b *generator.SampleBounds, key string, n *generator.Node, prefix string, errs *generator.ErrorList) bool {
	count := func() int {
		if n.Kind != generator.IntValue || n.Int <= 0 || n.Int > 1<<20 {
			s, _ := n.Scalar()
			errs.Add(n.Pos, "%s%s must be a whole number above 0, not %q", prefix, key, s)
			return 0
		}
		return int(n.Int)
	}
	switch key {
	case "cpu":
		d, err := ParseDuration(n)
		if err != nil {
			errs.Add(n.Pos, "%s%s: %v", prefix, key, err)
		}
		b.CPU = d
	case "memory":
		b.Memory = size(n, prefix+key, errs)
	case "fileSize":
		b.FileSize = size(n, prefix+key, errs)
	case "output":
		b.Output = size(n, prefix+key, errs)
	case "processes":
		b.Processes = count()
	case "openFiles":
		b.OpenFiles = count()
	default:
		return false
	}
	return true
}

// samples reads site.yaml's samples: map.
func samples(cfg *generator.Config, v *generator.Node, errs *generator.ErrorList) {
	forEach(v, errs, func(k string, c *generator.Node) {
		switch {
		case k == "timeout":
			d, err := ParseDuration(c)
			if err != nil {
				errs.Add(c.Pos, "samples.timeout: %v", err)
			}
			cfg.Samples.Timeout = d
		case k == "maxAge":
			d, err := ParseAge(c)
			if err != nil {
				errs.Add(c.Pos, "samples.maxAge: %v", err)
			}
			cfg.Samples.MaxAge, cfg.Samples.MaxAgePos = d, c.Pos
		case k == "readOnly":
			if c.Kind != generator.ListValue {
				errs.Add(c.Pos, "samples.readOnly must be a list of absolute folder paths")
				return
			}
			for _, item := range c.List {
				s, _ := item.Scalar()
				if !strings.HasPrefix(s, "/") {
					errs.Add(item.Pos, "samples.readOnly: %q must be an absolute path like /opt/runtimes", s)
					continue
				}
				cfg.Samples.ReadOnly = append(cfg.Samples.ReadOnly, s)
			}
		case Bound(&cfg.Samples.Bounds, k, c, "samples.", errs):
		default:
			errs.Add(c.KeyPos, "unknown key \"samples.%s\" (known keys: timeout, maxAge, readOnly, %s)", k, strings.Join(BoundKeys, ", "))
		}
	})
}
