package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkSaveResume times saving a built State (what versus generate
// writes to state.bin) and resuming it (what the next generate reads). The
// site is a generated corpus:
//
//	VERSUS_BENCH_CORPUS=/tmp/corpus-10000 go test -run '^$' -bench SaveResume ./generator/pipeline/
//
// where /tmp/corpus-10000 comes from gencorpus -n 10000; without it the
// benchmark writes a 1,000-page site of its own.
func BenchmarkSaveResume(b *testing.B) {
	dir := os.Getenv("VERSUS_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		for i := range 1000 {
			write(b, dir, fmt.Sprintf("content/posts/%05d.md", i), fmt.Sprintf(
				"---\ntitle: Post %d\ndate: 2024-01-%02d\ntags: [t%d, t%d]\n---\n%s\n\n```js\nconsole.log(%d)\n```\n",
				i, 1+i%28, i%7, i%11, strings.Repeat("Some prose for the post. ", 60), i))
		}
	}
	opts := Options{Source: os.DirFS(dir)}
	st := NewStreamState(opts, discard{})
	if _, err := st.Rebuild(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	var saved bytes.Buffer
	if err := st.Save(&saved, "k"); err != nil {
		b.Fatal(err)
	}
	b.Run("save", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := st.Save(&buf, "k"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len())/(1<<20), "MB")
	})
	b.Run("resume", func(b *testing.B) {
		for b.Loop() {
			if _, err := Resume(opts, discard{}, saved.Bytes(), "k"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// discard is a Sink that keeps nothing.
type discard struct{}

func (discard) Write(string, []byte) error { return nil }
