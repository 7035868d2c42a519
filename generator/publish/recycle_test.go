package publish

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readTree returns every file under dir by its slash path, and fails on
// anything that is neither a file nor a folder, or an empty folder (a
// cold build makes none).
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		switch {
		case d.IsDir():
			if entries, err := os.ReadDir(p); err == nil && len(entries) == 0 {
				return fmt.Errorf("empty folder %s", rel)
			}
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			files[rel] = b
			return err
		default:
			return fmt.Errorf("%s is not a file or a folder", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// diffTrees says how two outputs differ, or "".
func diffTrees(got, want map[string][]byte) string {
	var b strings.Builder
	for n, w := range want {
		if g, ok := got[n]; !ok {
			fmt.Fprintf(&b, "missing %s\n", n)
		} else if !bytes.Equal(g, w) {
			fmt.Fprintf(&b, "differs: %s\n", n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			fmt.Fprintf(&b, "extra: %s\n", n)
		}
	}
	return b.String()
}

// Across separate generate runs, each one incremental, recycling the
// output kept from the run before last: after every random edit the
// output is byte for byte a cold build's, including after someone edits,
// adds or plants files in the output or in the kept tree.
func TestGenerateRecyclesAcrossRuns(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	dest := filepath.Join(root, "public")
	cache := filepath.Join(root, "cache")
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	seed := int64(7)
	if v := os.Getenv("VERSUS_PROPERTY_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("VERSUS_PROPERTY_SEED=%q: %v", v, err)
		}
		seed = n
	}
	rng := rand.New(rand.NewSource(seed))
	tags := []string{"speed", "async", "types", "tools"}
	sections := []string{"web", "code", "practice"}
	page := func(title string) string {
		return fmt.Sprintf("---\ntitle: %q\ndate: 2026-0%d-1%d\ntags: [%s, %s]\n---\nAbout %s.\n\n## Part %d\n\nText %d.\n",
			title, 1+rng.Intn(9), rng.Intn(9), tags[rng.Intn(4)], tags[rng.Intn(4)], title, rng.Intn(100), rng.Intn(1000))
	}
	files := map[string]string{"site.yaml": "title: T\nbaseURL: https://example.org/\npagination:\n  pagerSize: 4\n"}
	var pages []string
	for i := range 24 {
		name := fmt.Sprintf("content/%s/p%02d.md", sections[i%3], i)
		files[name] = page(fmt.Sprintf("Page %d", i))
		pages = append(pages, name)
	}
	for _, s := range sections {
		files["content/"+s+"/_index.md"] = "---\ntitle: " + s + "\n---\nThe " + s + " section.\n"
	}
	writeSite(t, src, files)
	opts := Options{Source: src, Dest: dest, CacheDir: cache, Now: now}
	coldOpts := Options{Source: src, Dest: filepath.Join(root, "cold"), Now: now}

	recycled := 0
	for step := range 40 {
		var what string
		full := false
		switch op := rng.Intn(11); {
		case step == 0:
			what = "first build"
		case op < 3:
			p := pages[rng.Intn(len(pages))]
			b, _ := os.ReadFile(filepath.Join(src, p))
			writeSite(t, src, map[string]string{p: string(b) + fmt.Sprintf("\nMore text %d.\n", step)})
			what = "body of " + p
		case op == 3:
			p := pages[rng.Intn(len(pages))]
			writeSite(t, src, map[string]string{p: page(fmt.Sprintf("Retitled %d", step))})
			what = "title, date and tags of " + p
		case op == 4:
			p := fmt.Sprintf("content/%s/new%02d.md", sections[rng.Intn(3)], step)
			writeSite(t, src, map[string]string{p: page(fmt.Sprintf("New %d", step))})
			pages = append(pages, p)
			what = "new " + p
		case op == 5 && len(pages) > 5:
			i := rng.Intn(len(pages))
			os.Remove(filepath.Join(src, pages[i]))
			what = "removed " + pages[i]
			pages = append(pages[:i], pages[i+1:]...)
		case op == 6:
			i := rng.Intn(len(pages))
			to := strings.TrimSuffix(pages[i], ".md") + "-moved.md"
			os.Rename(filepath.Join(src, pages[i]), filepath.Join(src, to))
			what = "renamed " + pages[i]
			pages[i] = to
		case op == 7:
			// Someone edits the output in place: the next build must
			// notice and not carry the edit into the new output.
			out := readTree(t, dest)
			for n := range out {
				if strings.HasSuffix(n, ".html") {
					if err := os.WriteFile(filepath.Join(dest, n), []byte("edited by hand"), 0o644); err != nil {
						t.Fatal(err)
					}
					what = "edited the output's " + n + " in place"
					break
				}
			}
			os.WriteFile(filepath.Join(dest, "extra.txt"), []byte("x"), 0o644)
			p := pages[rng.Intn(len(pages))]
			b, _ := os.ReadFile(filepath.Join(src, p))
			writeSite(t, src, map[string]string{p: string(b) + "\nAnd more.\n"})
		case op == 9:
			full = true
			what = "--full"
		case op == 10:
			// A failed build (here a full one) gives its recycled tree
			// back; the next build starts from it.
			writeSite(t, src, map[string]string{"content/broken.md": "---\ntitle: [\n---\n"})
			o := opts
			o.Full = true
			if _, err := Generate(context.Background(), o); err == nil {
				t.Fatalf("step %d: a broken page built", step)
			}
			os.Remove(filepath.Join(src, "content/broken.md"))
			what = "a failed full build, then the same sources"
		default:
			// Something plants files in the kept tree: none may reach the
			// output.
			kept := filepath.Join(cache, previousOutput)
			if _, err := os.Stat(kept); err == nil {
				os.WriteFile(filepath.Join(kept, "planted.txt"), []byte("x"), 0o644)
				os.Symlink("/etc/passwd", filepath.Join(kept, "link.html"))
			}
			p := pages[rng.Intn(len(pages))]
			b, _ := os.ReadFile(filepath.Join(src, p))
			writeSite(t, src, map[string]string{p: string(b) + "\nStill more.\n"})
			what = "planted files in the kept tree and edited " + p
		}
		o := opts
		o.Full = full
		res, err := Generate(context.Background(), o)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		if res.Recycled {
			recycled++
		}
		os.RemoveAll(coldOpts.Dest)
		if _, err := Generate(context.Background(), coldOpts); err != nil {
			t.Fatal(err)
		}
		if d := diffTrees(readTree(t, dest), readTree(t, coldOpts.Dest)); d != "" {
			t.Fatalf("step %d (%s, incremental %v, recycled %v): the output is not a cold build's:\n%s", step, what, res.Incremental, res.Recycled, d)
		}
		if left, _ := filepath.Glob(filepath.Join(root, ".public.versus-new-*")); len(left) != 0 {
			t.Fatalf("step %d: left %v", step, left)
		}
	}
	t.Logf("seed %d: %d of 40 builds recycled the kept output", seed, recycled)
	if recycled < 20 {
		t.Errorf("only %d of 40 builds recycled the kept output", recycled)
	}
}
