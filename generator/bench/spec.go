package bench

import (
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// Spec is a sample.yaml's bench: section: how to measure the sample.
type Spec struct {
	Kind    string
	Warmup  int
	Runs    int // the minimum number of measured runs (rounds, for serve)
	MaxRuns int
	Budget  time.Duration
	// For serve benchmarks: concurrent connections, the length of one
	// round of load, and the path requested (default: the sample's
	// serve.path).
	Connections int
	Duration    time.Duration
	Path        string
	Pos         generator.Pos
}

// Defaults by kind: enough runs for a stable median on a quiet machine,
// few enough that a benchmark stays a matter of seconds.
func defaults(kind string) Spec {
	switch kind {
	case KindServe:
		return Spec{Kind: kind, Warmup: 1, Runs: 5, Connections: 8, Duration: 2 * time.Second}
	case KindInner:
		return Spec{Kind: kind, Warmup: 1, Runs: 5, MaxRuns: 20, Budget: 20 * time.Second}
	}
	return Spec{Kind: kind, Warmup: 3, Runs: 20, MaxRuns: 100, Budget: 15 * time.Second}
}

// ParseSpec reads a bench: section. Every mistake is an error at its line
// that says what is allowed.
func ParseSpec(n *generator.Node) (*Spec, error) {
	keys := []string{"kind", "warmup", "runs", "maxRuns", "budget", "connections", "duration", "path"}
	var errs generator.ErrorList
	if n.Kind != generator.MapValue {
		errs.Add(n.Pos, "bench must be a map, for example bench: {kind: inner}")
		return nil, errs.Err()
	}
	kind := KindProcess
	if k := n.Get("kind"); k != nil {
		kind, _ = k.Scalar()
		if kind != KindProcess && kind != KindInner && kind != KindServe {
			errs.Add(k.Pos, "bench kind %q: use process (time the whole run), inner (the program prints \"bench: N ns\" lines) or serve (versus loads the sample's server)", kind)
			return nil, errs.Err()
		}
	}
	s := defaults(kind)
	s.Pos = n.KeyPos
	count := func(v *generator.Node, dst *int, min int64) {
		if v.Kind != generator.IntValue || v.Int < min {
			errs.Add(v.Pos, "%s must be a whole number ≥ %d", keyOf(n, v), min)
			return
		}
		*dst = int(v.Int)
	}
	dur := func(v *generator.Node, dst *time.Duration) {
		str, _ := v.Scalar()
		if v.Kind == generator.IntValue {
			str += "s"
		}
		d, err := time.ParseDuration(str)
		if err != nil || d <= 0 {
			errs.Add(v.Pos, "%s must be a duration like 10s or 500ms, not %q", keyOf(n, v), str)
			return
		}
		*dst = d
	}
	for _, k := range n.Keys {
		v := n.Map[k]
		if (k == "connections" || k == "duration" || k == "path") && kind != KindServe {
			errs.Add(v.KeyPos, "%s applies to serve benchmarks only (this one is kind: %s)", k, kind)
			continue
		}
		switch k {
		case "kind":
		case "warmup":
			count(v, &s.Warmup, 0)
		case "runs":
			count(v, &s.Runs, 1)
		case "maxRuns":
			count(v, &s.MaxRuns, 1)
		case "budget":
			dur(v, &s.Budget)
		case "connections":
			count(v, &s.Connections, 1)
		case "duration":
			dur(v, &s.Duration)
		case "path":
			s.Path, _ = v.Scalar()
			if !strings.HasPrefix(s.Path, "/") {
				s.Path = "/" + s.Path
			}
		default:
			msg := "unknown key %q in bench (known: " + strings.Join(keys, ", ") + ")"
			if m := generator.Suggest(k, keys); m != "" {
				msg += "; did you mean " + `"` + m + `"?`
			}
			errs.Add(v.KeyPos, msg, k)
		}
	}
	if s.MaxRuns < s.Runs {
		s.MaxRuns = s.Runs
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &s, nil
}

func keyOf(parent, v *generator.Node) string {
	for k, c := range parent.Map {
		if c == v {
			return k
		}
	}
	return "the value"
}
