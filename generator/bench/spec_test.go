package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator/meta"
)

func spec(t *testing.T, yaml string) (*Spec, error) {
	t.Helper()
	root, err := meta.Decode(meta.Source{Format: meta.YAML, Data: []byte(yaml), File: "content/samples/x/sample.yaml", Line: 1})
	if err != nil {
		t.Fatal(err)
	}
	return ParseSpec(root.Get("bench"))
}

func TestParseSpec(t *testing.T) {
	s, err := spec(t, "bench:\n  kind: serve\n  connections: 4\n  duration: 1s\n  path: hello\n  runs: 3\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != KindServe || s.Connections != 4 || s.Duration != time.Second || s.Path != "/hello" || s.Runs != 3 || s.Warmup != 1 {
		t.Fatalf("spec = %+v", s)
	}
	s, err = spec(t, "bench: {}\n")
	if err != nil || s.Kind != KindProcess || s.Runs != 20 || s.MaxRuns != 100 {
		t.Fatalf("defaults: %+v, %v", s, err)
	}
	for in, want := range map[string]string{
		"bench:\n  kind: fast\n":              "sample.yaml:2:9: bench kind \"fast\": use process",
		"bench:\n  runs: 0\n":                 "sample.yaml:2:9: runs must be a whole number ≥ 1",
		"bench:\n  budget: soon\n":            `sample.yaml:2:11: budget must be a duration like 10s or 500ms, not "soon"`,
		"bench:\n  warmpu: 2\n":               `sample.yaml:2:3: unknown key "warmpu" in bench (known: kind, warmup`,
		"bench:\n  kind: inner\n  path: /x\n": "sample.yaml:3:3: path applies to serve benchmarks only (this one is kind: inner)",
		"bench: yes\n":                        "bench must be a map",
	} {
		_, err := spec(t, in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", in, err, want)
		}
	}
	if _, err := spec(t, "bench:\n  warmpu: 2\n"); !strings.Contains(err.Error(), `did you mean "warmup"?`) {
		t.Errorf("no suggestion: %v", err)
	}
}
