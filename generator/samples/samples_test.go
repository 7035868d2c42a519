package samples_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/pipeline"
	"github.com/versus-ssg/versus/generator/samples"
)

// secret is what a file outside content/samples/ holds; none of it may
// reach an error message, a page or a run.
const secret = "TOP-SECRET-7f3a"

func TestSamplePathsStayInside(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "main.py"), []byte("print('"+secret+"')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := writeSite(t, map[string]string{
		"site.yaml":                     siteYAML,
		"secret/main.py":                "print('" + secret + "')\n",
		"content/samples/ok/main.py":    "print('ok')\n",
		"content/samples/alias/main.py": "->../ok/main.py",
		// A folder linked out of content/samples/, relatively and absolutely.
		"content/samples/up":  "->../../secret",
		"content/samples/abs": "->" + outside,
		// A sample folder whose file links out.
		"content/samples/leak/main.py": "->" + filepath.Join(outside, "main.py"),
	})
	fsys := os.DirFS(root)
	cfg := loadConfig(t, root)
	pos := generator.Pos{File: "content/a.md", Line: 7}
	for name, want := range map[string]struct{ at, msg string }{
		"../../secret":    {pos.String(), "leaves content/samples/"},
		"ok/../../secret": {pos.String(), "leaves content/samples/"},
		"..":              {pos.String(), "leaves content/samples/"},
		"/etc":            {pos.String(), "must be a folder under content/samples/, not an absolute path"},
		outside:           {pos.String(), "must be a folder under content/samples/, not an absolute path"},
		"":                {pos.String(), "a sample needs a name"},
		// Links are refused at the link, which is what to fix.
		"up":   {"content/samples/up", "resolves through links to secret, outside content/samples/"},
		"abs":  {"content/samples/abs", "resolves through links to " + outside + ", outside the site"},
		"leak": {"content/samples/leak/main.py", "resolves through links to " + filepath.Join(outside, "main.py") + ", outside the site"},
	} {
		s, err := samples.Load(fsys, cfg, name, pos)
		if err == nil {
			t.Errorf("Load(%q) = %v, want an error", name, s.Files)
			continue
		}
		es := generator.Errors(err)
		if len(es) == 0 || es[0].Pos.String() != want.at || !strings.Contains(es[0].Msg, want.msg) {
			t.Errorf("Load(%q): %v\nwant at %v: …%s…", name, err, want.at, want.msg)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("Load(%q): the error shows the outside file: %v", name, err)
		}
	}
	// A link that stays inside is fine.
	s, err := samples.Load(fsys, cfg, "alias", pos)
	if err != nil || s.Files[0].Code != "print('ok')\n" {
		t.Errorf("Load(alias) = %v, %v", s, err)
	}
}

// Verifying every sample never runs a file that links outside: the sample
// fails to load instead.
func TestVerifyDoesNotRunOutsideFiles(t *testing.T) {
	needRuntimes(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "main.py"), []byte("print('"+secret+"')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := writeSite(t, map[string]string{
		"site.yaml":                    siteYAML,
		"content/samples/leak/main.py": "->" + filepath.Join(outside, "main.py"),
		"content/samples/up":           "->" + outside,
	})
	rep := verify(t, newRunner(t, root), root)
	if len(rep.Runs) != 0 {
		t.Errorf("%d runs of files outside content/samples/", len(rep.Runs))
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Pos.File != "content/samples/leak/main.py" || strings.Contains(rep.Err().Error(), secret) {
		t.Errorf("errors: %v", rep.Err())
	}
}

func TestBuildNeverShowsOutsideFiles(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "main.py"), []byte("print('"+secret+"')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := writeSite(t, map[string]string{
		"site.yaml":                    siteYAML,
		"content/page.md":              "---\ntitle: Page\n---\n\nText.\n\n{{< sample \"leak\" >}}\n\n{{< sample \"../../secret\" >}}\n\n{{< sample \"out\" >}}\n",
		"secret/main.py":               "print('" + secret + "')\n",
		"content/samples/leak/main.py": "->" + filepath.Join(outside, "main.py"),
		"content/samples/out":          "->" + outside,
	})
	sink := pipeline.NewMemSink()
	_, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(root), Now: testDay}, sink)
	if err == nil {
		t.Fatal("the build succeeded")
	}
	// The bad name is refused at its shortcode, each link at the link.
	at := map[string]bool{}
	for _, e := range generator.Errors(err) {
		at[e.Pos.String()] = true
	}
	for _, want := range []string{"content/page.md:9:1", "content/samples/leak/main.py", "content/samples/out"} {
		if !at[want] {
			t.Errorf("want an error at %s, got:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("an error shows the outside file:\n%v", err)
	}
	for _, p := range sink.Paths() {
		if data, _ := sink.Get(p); strings.Contains(string(data), secret) {
			t.Errorf("%s holds the outside file's text", p)
		}
	}
}

func TestPageShowsVerifiedOutputUntilTheSampleChanges(t *testing.T) {
	needRuntimes(t)
	root := writeSite(t, map[string]string{
		"site.yaml":                                 siteYAML,
		"content/page.md":                           "---\ntitle: Page\ndate: 2026-01-01\n---\n\n{{< sample \"hello\" >}}\n",
		"content/samples/hello/main.mjs":            "console.log('hello from node');\n",
		"content/samples/hello/main.py":             "print('hello from python')\n",
		"content/samples/hello/expected.txt":        "hello from node\n",
		"content/samples/hello/expected.python.txt": "hello from python\n",
	})
	cache := samples.NewCache(root)
	page := func(outputs *samples.Outputs) string {
		t.Helper()
		sink := pipeline.NewMemSink()
		if _, err := pipeline.Build(context.Background(), pipeline.Options{Source: os.DirFS(root), Now: testDay, Outputs: outputs}, sink); err != nil {
			t.Fatal(err)
		}
		html, ok := sink.Get("page/index.html")
		if !ok {
			t.Fatalf("no page/index.html among %v", sink.Paths())
		}
		return string(html)
	}
	nodeVersion := runtimeVersion(t, "node", "--version")
	pyVersion := runtimeVersion(t, "python3", "--version")

	// Never verified: code, and no claim about output.
	html := page(samples.NewOutputs(nil, cache))
	if strings.Contains(html, "verified with") || strings.Contains(html, `class="output"`) {
		t.Error("an unverified sample claims an output")
	}

	rep := verify(t, &samples.Runner{Cache: cache, Now: func() time.Time { return testDay }, TempDir: t.TempDir()}, root)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	html = page(samples.NewOutputs(rep, cache))
	for _, want := range []string{
		`verified with Node.js ` + nodeVersion + ` on <time datetime="2026-03-14">2026-03-14</time>`,
		`verified with ` + pyVersion + ` on <time datetime="2026-03-14">2026-03-14</time>`,
		`<pre class="output"><code>hello from node</code></pre>`,
		`<pre class="output"><code>hello from python</code></pre>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the verified page lacks %q", want)
		}
	}

	// A later build without --verify shows the cached result while the
	// sample is unchanged…
	if again := page(samples.NewOutputs(nil, cache)); again != html {
		t.Error("an unchanged sample shows something else from the cache than right after verification")
	}
	// …and no claim once it changed.
	if err := os.WriteFile(filepath.Join(root, "content/samples/hello/main.py"), []byte("print('hello, changed')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	html = page(samples.NewOutputs(nil, cache))
	if strings.Contains(html, "verified with") || strings.Contains(html, `class="output"`) {
		t.Error("a changed sample still shows the output of its old version")
	}
	if !strings.Contains(html, "hello, changed") {
		t.Error("the page does not show the changed code")
	}
}
