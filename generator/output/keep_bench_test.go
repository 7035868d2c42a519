package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkRebuildUnchanged is a rebuild of 1,000 unchanged pages: every
// file linked on the manifest's word ("manifest"), or, with no manifest
// to vouch for them, after comparing their bytes ("compare", what the
// first build after a crash pays).
func BenchmarkRebuildUnchanged(b *testing.B) {
	page := []byte(strings.Repeat("<p>A rendered paragraph of an article.</p>\n", 500))
	for _, mode := range []string{"manifest", "compare"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			dest := filepath.Join(dir, "public")
			manifest := filepath.Join(dir, "cache", "output.manifest")
			build := func() *Staging {
				s, err := Stage(dest, filepath.Join(dir, "site"))
				if err != nil {
					b.Fatal(err)
				}
				_ = s.KeepUnchanged(manifest)
				for i := range 1000 {
					if err := s.Write(fmt.Sprintf("posts/%05d/index.html", i), page); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Commit(); err != nil {
					b.Fatal(err)
				}
				if err := s.SaveManifest("d", Stats{}); err != nil {
					b.Fatal(err)
				}
				return s
			}
			build()
			b.SetBytes(int64(len(page)) * 1000)
			for b.Loop() {
				if mode == "compare" {
					os.Remove(manifest)
				}
				if s := build(); s.Linked() != 1000 {
					b.Fatalf("linked %d", s.Linked())
				}
			}
		})
	}
}
