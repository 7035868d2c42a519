package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkRebuild times State.Rebuild after an edit to one article's body
// (the common case while writing) and to its title (which re-renders the
// lists showing it). The site is a generated corpus:
//
//	VERSUS_BENCH_CORPUS=/tmp/corpus-10000 go test -run '^$' -bench Rebuild ./generator/pipeline/
//
// where /tmp/corpus-10000 comes from gencorpus -n 10000; without it the
// benchmark writes a 1,000-page site of its own.
func BenchmarkRebuild(b *testing.B) {
	dir := os.Getenv("VERSUS_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		for i := range 1000 {
			write(b, dir, fmt.Sprintf("content/posts/%05d.md", i), fmt.Sprintf(
				"---\ntitle: Post %d\ndate: 2024-01-%02d\ntags: [t%d, t%d]\n---\n%s\n\n```js\nconsole.log(%d)\n```\n",
				i, 1+i%28, i%7, i%11, strings.Repeat("Some prose for the post. ", 60), i))
		}
	} else {
		// Edit a copy, never the corpus itself.
		tmp := b.TempDir()
		if err := os.CopyFS(tmp, os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
		dir = tmp
	}
	posts, err := filepath.Glob(filepath.Join(dir, "content", "posts", "*.md"))
	if err != nil || len(posts) == 0 {
		b.Fatalf("no posts in %s", dir)
	}
	target := posts[len(posts)/2]
	rel, _ := filepath.Rel(dir, target)
	rel = filepath.ToSlash(rel)
	orig, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	st := NewState(Options{Source: os.DirFS(dir)})
	var started, early time.Time
	st.Early = func(map[string][]byte, []string) {
		if early.IsZero() {
			early = time.Now()
		}
	}
	if _, err := st.Rebuild(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d pages, first build done", len(posts))
	for _, mode := range []string{"body", "title"} {
		b.Run(mode, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var data string
				switch mode {
				case "body":
					data = string(orig) + fmt.Sprintf("\nEdit number %d.\n", i)
				case "title":
					if strings.Contains(string(orig), `title: "`) {
						data = strings.Replace(string(orig), `title: "`, fmt.Sprintf(`title: "Edit %d `, i), 1)
					} else {
						data = strings.Replace(string(orig), "title: ", fmt.Sprintf("title: Edit %d ", i), 1)
					}
				}
				b.StopTimer()
				if err := os.WriteFile(target, []byte(data), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				started, early = time.Now(), time.Time{}
				u, err := st.Rebuild(context.Background(), []string{rel})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(u.Rendered)), "pages/op")
				// How much HTML those pages are: a list of every article
				// weighs megabytes, a pager of them kilobytes.
				size := 0
				for _, f := range u.Rendered {
					size += len(st.Files()[f])
				}
				b.ReportMetric(float64(size)/1024, "KB-rendered/op")
				if early.IsZero() {
					early = time.Now()
				}
				// How long until the edited page could be served.
				b.ReportMetric(float64(early.Sub(started).Microseconds())/1000, "ms-to-page/op")
			}
		})
	}
}
