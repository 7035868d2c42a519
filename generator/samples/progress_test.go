package samples_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator/samples"
)

// A sample folder that cannot be loaded counts in the progress as it does
// in the summary: "[4/4]" and then "1 of 4 samples failed", never "[3/3]"
// and then "1 of 4".
func TestProgressCountsSamplesThatDoNotLoad(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                       siteYAML,
		"content/samples/a/main.py":       "print(1)\n",
		"content/samples/b/main.py":       "print(2)\n",
		"content/samples/bad/main.py":     "print(3)\n",
		"content/samples/bad/sample.yaml": "titel: Bad\n",
		"content/samples/c/main.py":       "print(4)\n",
	})
	r := newRunner(t, root)
	var got []string
	r.Progress = func(p samples.Progress) {
		got = append(got, fmt.Sprintf("%d/%d %s failed=%v", p.Done, p.Total, p.Sample, p.Failed))
	}
	rep := verify(t, r, root)
	if rep.Samples != 4 || rep.Verified != 3 {
		t.Errorf("report: %d samples, %d verified; want 4 and 3", rep.Samples, rep.Verified)
	}
	if len(got) != 4 || got[0] != "1/4 bad failed=true" || !strings.HasPrefix(got[3], "4/4 ") {
		t.Errorf("progress: %q", got)
	}
}
