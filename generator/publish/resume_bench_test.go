package publish

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator/pipeline"
)

// BenchmarkStateFile times reading the kept build back from state.bin
// (header, the rest of the file, pipeline.Resume) and writing it again, as
// an incremental generate does. The site is a generated corpus:
//
//	VERSUS_BENCH_CORPUS=/tmp/corpus-10000 go test -run '^$' -bench StateFile ./generator/publish/
//
// where /tmp/corpus-10000 comes from gencorpus -n 10000; without it the
// benchmark writes a 1,000-page site of its own.
func BenchmarkStateFile(b *testing.B) {
	dir := os.Getenv("VERSUS_BENCH_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		files := map[string]string{"site.yaml": "title: T\nbaseURL: https://example.org/\n"}
		for i := range 1000 {
			files[fmt.Sprintf("content/posts/%05d.md", i)] = fmt.Sprintf(
				"---\ntitle: Post %d\ndate: 2024-01-%02d\ntags: [t%d, t%d]\n---\n%s\n\nSee [the next](/posts/%05d/).\n",
				i, 1+i%28, i%7, i%11, strings.Repeat("Some prose for the post. ", 60), i+1)
		}
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	tmp := b.TempDir()
	opts := Options{Source: dir, Dest: filepath.Join(tmp, "public"), CacheDir: filepath.Join(tmp, "cache")}
	if _, err := Generate(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(opts.CacheDir, stateFile)
	bopts := pipeline.Options{Source: os.DirFS(dir)}
	var st *pipeline.State
	var header *stateHeader
	b.Run("resume", func(b *testing.B) {
		for b.Loop() {
			s, err := readHeader(file)
			if err != nil {
				b.Fatal(err)
			}
			if st, err = s.resume(bopts, pipeline.NewMemSink()); err != nil {
				b.Fatal(err)
			}
			header = s.header
		}
	})
	fi, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("save", func(b *testing.B) {
		for b.Loop() {
			if err := saveState(filepath.Join(tmp, "again.bin"), header, st); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(fi.Size())/(1<<20), "MB")
	})
}
