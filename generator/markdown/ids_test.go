package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func headingIDs(t testing.TB, src string) []string {
	res := New(Options{}).Render("content/a.md", 1, []byte(src))
	if err := res.Errors.Err(); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Headings {
		ids = append(ids, h.ID)
		for _, c := range h.Children {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

// Repeats skip the ids that headings of their own already took, whichever
// came first.
func TestHeadingIDsStayUnique(t *testing.T) {
	got := headingIDs(t, "## Setup\n\n## Setup 1\n\n## Setup\n\n## Setup 3\n\n## Setup\n\n## Setup\n\n## Setup 1\n")
	want := []string{"setup", "setup-1", "setup-2", "setup-3", "setup-4", "setup-5", "setup-1-1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %v, want %v", got, want)
	}
	seen := map[string]bool{}
	for _, id := range headingIDs(t, strings.Repeat("## Same\n\n## Same 2\n\n", 500)) {
		if seen[id] {
			t.Fatalf("id %s is used twice", id)
		}
		seen[id] = true
	}
	if len(seen) != 1000 {
		t.Errorf("%d ids for 1000 headings", len(seen))
	}
}

// BenchmarkRepeatedHeadings shows the time per heading staying flat as a
// page repeats one heading more often: 20,000 "## Same" took 41 s when
// each repeat counted up its suffix from 1.
func BenchmarkRepeatedHeadings(b *testing.B) {
	r := New(Options{})
	for _, n := range []int{1_000, 5_000, 20_000, 50_000} {
		src := []byte(strings.Repeat("## Same\n\n", n))
		b.Run(fmt.Sprintf("headings=%d", n), func(b *testing.B) {
			for b.Loop() {
				if res := r.Render("content/a.md", 1, src); len(res.Headings) == 0 {
					b.Fatal("no headings")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/heading")
		})
	}
}
