package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/sitefs"
	"github.com/versus-ssg/versus/internal/sitetest"
)

// secretText is what files outside the site hold; no output or error may
// show it.
const secretText = "OUTSIDE-THE-SITE-91c2"

// diskSite writes a txtar site to a folder. A file whose text starts with
// "->" is a symbolic link to the rest of its first line, in which $OUT is
// replaced by the outside folder and $SITE by the site folder.
func diskSite(t *testing.T, archive string) (site, outside string) {
	t.Helper()
	base := t.TempDir()
	site, outside = filepath.Join(base, "site"), filepath.Join(base, "outside")
	for _, d := range []string{site, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"secret.txt", "page.md", "partial.html", "dir/main.py"} {
		p := filepath.Join(outside, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(secretText+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(site, strings.TrimSpace(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(string(f.Data), "->"); ok {
			target = strings.TrimSpace(strings.NewReplacer("$OUT", outside, "$SITE", site).Replace(target))
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return site, outside
}

// buildDisk builds a site folder through sitefs, as the commands do.
func buildDisk(t *testing.T, dir string) (*pipeline.MemSink, error) {
	t.Helper()
	src, err := sitefs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	sink := pipeline.NewMemSink()
	_, err = pipeline.Build(context.Background(), pipeline.Options{Source: src, Now: sitetest.Today, NoSearch: true}, sink)
	return sink, err
}

// errorsAt maps each error's position to its message.
func errorsAt(err error) map[string]string {
	out := map[string]string{}
	for _, e := range generator.Errors(err) {
		out[e.Pos.String()] = e.Msg
	}
	return out
}

const pySite = `
-- site.yaml --
title: T
subjects:
  python:
    language: python
    extensions: [.py]
    run: [python3, "{file}"]
`

func TestLinksOutOfTheSiteAreRefusedAtTheFile(t *testing.T) {
	site, outside := diskSite(t, pySite+`
-- content/a.md --
---
title: A
---
Text.

{{< sample "f" >}}

{{< sample "h" >}}
-- content/passwd.txt --
->$OUT/secret.txt
-- content/posts/linked.md --
->$OUT/page.md
-- content/up.txt --
->../../outside/secret.txt
-- content/samples/f/main.py --
->../g/main.py
-- content/samples/g/main.py --
->$OUT/secret.txt
-- content/samples/h --
->../samples/i
-- content/samples/i --
->$OUT/dir
`)
	sink, err := buildDisk(t, site)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	at := errorsAt(err)
	for file, target := range map[string]string{
		"content/passwd.txt":        "secret.txt",
		"content/posts/linked.md":   "page.md",
		"content/up.txt":            "secret.txt",
		"content/samples/f/main.py": "secret.txt", // the end of the chain, not its first hop
		"content/samples/h":         "dir",        // a chain of folder links
	} {
		msg, ok := at[file]
		if !ok {
			t.Errorf("no error at %s; got:\n%v", file, err)
			continue
		}
		if !strings.Contains(msg, filepath.Join(outside, target)) || !strings.Contains(msg, "outside the site") || !strings.Contains(msg, "copy the file into the site") {
			t.Errorf("%s: %s", file, msg)
		}
	}
	if strings.Contains(err.Error(), secretText) {
		t.Errorf("an error shows the outside file:\n%v", err)
	}
	for _, p := range sink.Paths() {
		if data, _ := sink.Get(p); strings.Contains(string(data), secretText) {
			t.Errorf("%s holds the outside file's text", p)
		}
	}
}

func TestLayoutLinksOutOfTheSiteAreRefused(t *testing.T) {
	site, outside := diskSite(t, `
-- content/a.md --
# A
-- layouts/partials/extra.html --
->$OUT/partial.html
-- layouts/single.html --
->../../outside/partial.html
`)
	_, err := buildDisk(t, site)
	at := errorsAt(err)
	for _, file := range []string{"layouts/partials/extra.html", "layouts/single.html"} {
		if !strings.Contains(at[file], "resolves through links to "+filepath.Join(outside, "partial.html")+", outside the site") {
			t.Errorf("%s: got:\n%v", file, err)
		}
	}
	if strings.Contains(err.Error(), secretText) {
		t.Errorf("an error shows the outside file:\n%v", err)
	}
}

func TestLinksInsideTheSiteWork(t *testing.T) {
	site, _ := diskSite(t, pySite+`
-- shared/diagram.txt --
a diagram
-- shared/other.md --
---
title: Shared page
---
Shared body.
-- shared/single.html --
<main>{{ .Content }}</main>
-- content/a.md --
---
title: A
---
Text.

{{< sample "s" >}}
-- content/diagram.txt --
->../shared/diagram.txt
-- content/abs.txt --
->$SITE/shared/diagram.txt
-- content/other.md --
->../shared/other.md
-- content/samples/real/main.py --
print("in the site")
-- content/samples/s/main.py --
->../real/main.py
-- layouts/single.html --
->../shared/single.html
`)
	sink, err := buildDisk(t, site)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"diagram.txt":      "a diagram",
		"abs.txt":          "a diagram", // an absolute link that stays inside
		"other/index.html": "Shared body.",
		"a/index.html":     "in the site",
	} {
		data, ok := sink.Get(file)
		if !ok || !strings.Contains(string(data), want) {
			t.Errorf("%s: %q does not hold %q", file, data, want)
		}
	}
	if data, _ := sink.Get("a/index.html"); !strings.HasPrefix(string(data), "<main>") {
		t.Errorf("the linked layout was not used: %.80s", data)
	}
}

func TestSampleLinksStayInTheSamplesFolder(t *testing.T) {
	site, _ := diskSite(t, pySite+`
-- content/a.md --
---
title: A
---
{{< sample "s" >}}
-- content/notes.py --
print("not a sample")
-- content/samples/s/main.py --
->../../notes.py
`)
	_, err := buildDisk(t, site)
	msg := errorsAt(err)["content/samples/s/main.py"]
	if !strings.Contains(msg, "resolves through links to content/notes.py, outside content/samples/") {
		t.Errorf("got:\n%v", err)
	}
}

func TestFolderLinksInContentAreAnError(t *testing.T) {
	site, _ := diskSite(t, `
-- shared/b.md --
# B
-- content/a.md --
# A
-- content/more --
->../shared
-- layouts/partials --
->../shared
`)
	_, err := buildDisk(t, site)
	at := errorsAt(err)
	for _, file := range []string{"content/more", "layouts/partials"} {
		if !strings.Contains(at[file], "is a link to a folder") {
			t.Errorf("%s: got:\n%v", file, err)
		}
	}
}

// allocated runs f and returns how many bytes it allocated, to show that
// a refused file was never read.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func TestHugeFilesFailWithoutBeingRead(t *testing.T) {
	site, _ := diskSite(t, pySite+`
-- content/a.md --
---
title: A
---
{{< sample "big" >}}
-- content/samples/big/main.py --
print("hi")
`)
	sparse(t, filepath.Join(site, "content/huge.md"), 256<<20)
	sparse(t, filepath.Join(site, "content/samples/big/data.bin"), 1<<30)
	sparse(t, filepath.Join(site, "content/video.bin"), 100<<20)
	var err error
	alloc := allocated(func() { _, err = buildDisk(t, site) })
	at := errorsAt(err)
	for file, want := range map[string]string{
		"content/huge.md":     "is 256 MiB, over the 8 MiB limit; make it smaller, or raise limits.page in site.yaml",
		"content/video.bin":   "is 100 MiB, over the 64 MiB limit; make it smaller, or raise limits.file in site.yaml",
		"content/samples/big": "the sample's files come to 1 GiB, over the 64 MiB limit (data.bin is 1 GiB, main.py is 12 bytes); keep large files out of sample folders, or raise limits.sample in site.yaml",
	} {
		if at[file] != want {
			t.Errorf("%s: %q\nwant %q", file, at[file], want)
		}
	}
	// 1.4 GiB of files; reading any of them would allocate its size.
	if alloc > 64<<20 {
		t.Errorf("the build allocated %d MiB refusing files it should not read", alloc>>20)
	}
}

func TestLimitsAreSiteSettable(t *testing.T) {
	site, _ := diskSite(t, pySite+`limits:
  page: 300MiB
  file: 1KiB
  sample: 2 GiB
-- content/a.md --
---
title: A
---
{{< sample "big" >}}
-- content/samples/big/main.py --
print("hi")
-- content/small.txt --
fine
`)
	sparse(t, filepath.Join(site, "content/samples/big/data.bin"), 9<<20)
	sparse(t, filepath.Join(site, "content/big.txt"), 2<<10)
	_, err := buildDisk(t, site)
	at := errorsAt(err)
	if len(at) != 1 || at["content/big.txt"] != "is 2 KiB, over the 1 KiB limit; make it smaller, or raise limits.file in site.yaml" {
		t.Errorf("want only content/big.txt over limits.file; got:\n%v", err)
	}
}

func TestBadLimits(t *testing.T) {
	s := sitetest.Try(t, `
-- site.yaml --
limits:
  page: 8 parsecs
  file: -3
  sample: 1 GiB
  pages: 1
`)
	at := errorsAt(s.Err)
	for pos, want := range map[string]string{
		"site.yaml:2:9": `limits.page: expected a size like 8MiB, 512KiB or 1GiB, not "8 parsecs"`,
		"site.yaml:3:9": "limits.file: a limit must be more than 0 bytes",
		"site.yaml:5:3": `unknown key "limits.pages" (known keys: page, file, sample, render)`,
	} {
		if at[pos] != want {
			t.Errorf("%s: %q\nwant %q\nall: %v", pos, at[pos], want, s.Err)
		}
	}
}

func TestNULInAPage(t *testing.T) {
	s := sitetest.Try(t, "-- content/a.md --\n# A\n\nText\x00more\n")
	msg, ok := errorsAt(s.Err)["content/a.md:3:5"]
	if !ok || !strings.Contains(msg, "NUL byte") {
		t.Errorf("got %v", s.Err)
	}
}

// laughs is a nine-level "billion laughs" alias bomb, under 1 KB.
func laughs() string {
	var b strings.Builder
	b.WriteString("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", ") + "]\n")
		prev = name
	}
	return b.String()
}

func TestHostileYAMLFailsAtItsLine(t *testing.T) {
	bomb := laughs()
	if len(bomb) > 1024 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	cases := map[string]struct{ archive, at, words string }{
		"alias bomb in front matter": {"-- content/a.md --\n---\ntitle: A\n" + bomb + "---\nBody.\n", "content/a.md:", "alias bomb"},
		"alias bomb in site.yaml":    {"-- site.yaml --\nparams:\n  " + strings.ReplaceAll(strings.TrimSpace(bomb), "\n", "\n  ") + "\n", "site.yaml:", "alias bomb"},
		"200 KB of [":                {"-- content/a.md --\n---\ntitle: " + strings.Repeat("[", 200_000) + "\n---\n", "content/a.md:2:", "nested more than 100 levels"},
		"deep TOML":                  {"-- content/a.md --\n+++\ntitle = 'A'\n" + strings.Repeat("a.", 50_000) + "a = 1\n+++\n", "content/a.md:3:", "nested more than 100 levels"},
	}
	for name, c := range cases {
		s := sitetest.Try(t, c.archive)
		if es := generator.Errors(s.Err); len(es) != 1 || es[0].Pos.Line == 0 {
			t.Errorf("%s: want one positioned error, got %.300v", name, s.Err)
		}
		if s.Err == nil || !strings.HasPrefix(s.Err.Error(), c.at) || !strings.Contains(s.Err.Error(), c.words) {
			t.Errorf("%s: got %.300v\nwant at %s …%s…", name, s.Err, c.at, c.words)
		}
	}
}
