package samples_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/samples"
)

// A machine that cannot contain runs still runs samples, and says so once,
// in one line.
func TestUncontainedRunsWarnOnce(t *testing.T) {
	needRuntimes(t)
	for bwrap, reason := range map[string]string{
		"-":                   "(turned off)",
		"/nonexistent/bwrap":  "/nonexistent/bwrap is not an executable file",
		"/usr/bin/false-bwrp": "is not an executable file",
	} {
		root := writeSite(t, map[string]string{
			"site.yaml":                      siteYAML,
			"content/samples/a/main.py":      "print('a')\n",
			"content/samples/a/expected.txt": "a\n",
			"content/samples/b/main.mjs":     "console.log('b')\n",
			"content/samples/b/expected.txt": "b\n",
			"content/samples/b/sample.yaml":  "env: [VERSUS_TEST_NAME]\n",
		})
		r := newRunner(t, root)
		r.Bwrap = bwrap
		rep := verify(t, r, root)
		if err := rep.Err(); err != nil {
			t.Fatalf("bwrap %s: %v", bwrap, err)
		}
		if len(rep.Warnings) != 1 {
			t.Fatalf("bwrap %s: want one warning, got %v", bwrap, rep.Warnings)
		}
		w := rep.Warnings[0].Error()
		for _, want := range []string{"samples run without network, file and process isolation", reason, "docs/samples.md"} {
			if !strings.Contains(w, want) {
				t.Errorf("bwrap %s: the warning does not say %q: %s", bwrap, want, w)
			}
		}
		if strings.Contains(w, "\n") {
			t.Errorf("the warning is more than one line: %s", w)
		}
	}
}

func TestContainedRunsDoNotWarn(t *testing.T) {
	needRuntimes(t)
	if w := samples.Isolation(""); w != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI installs bubblewrap: %s", w)
		}
		t.Skip(w)
	}
	root := writeSite(t, map[string]string{
		"site.yaml":                      siteYAML,
		"content/samples/a/main.py":      "import os\nprint(str(os.getcwd().endswith('/sample')).lower(), os.environ['TZ'])\n",
		"content/samples/a/expected.txt": "true UTC\n",
		"content/samples/a/main.mjs":     "console.log(process.cwd().endsWith('/sample'), process.env.TZ)\n",
	})
	rep := verify(t, newRunner(t, root), root)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings: %v", rep.Warnings)
	}
}

func TestSampleYAMLBoundsAndDefaults(t *testing.T) {
	root := writeSite(t, map[string]string{
		"site.yaml":                     siteYAML + "samples:\n  timeout: 20s\n  memory: 1GiB\n  processes: 100\n",
		"content/samples/a/main.py":     "print('a')\n",
		"content/samples/a/sample.yaml": "network: true\nenv: [GOFLAGS, HTTP_PROXY]\nlimits:\n  cpu: 5s\n  processes: 10\n  output: 64KiB\n",
		"content/samples/b/main.py":     "print('b')\n",
	})
	cfg := loadConfig(t, root)
	a, err := samples.Load(os.DirFS(root), cfg, "a", generator.Pos{})
	if err != nil {
		t.Fatal(err)
	}
	want := generator.SampleBounds{CPU: 5 * time.Second, Memory: 1 << 30, Processes: 10, OpenFiles: samples.DefaultBounds.OpenFiles, FileSize: samples.DefaultBounds.FileSize, Output: 64 << 10}
	if a.Bounds != want || !a.Network || strings.Join(a.Env, ",") != "GOFLAGS,HTTP_PROXY" || a.Timeout != 20*time.Second {
		t.Errorf("a: bounds %+v network %v env %v timeout %s", a.Bounds, a.Network, a.Env, a.Timeout)
	}
	b, err := samples.Load(os.DirFS(root), cfg, "b", generator.Pos{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Network || b.Bounds.Processes != 100 || b.Bounds.CPU != samples.DefaultBounds.CPU {
		t.Errorf("b: bounds %+v network %v", b.Bounds, b.Network)
	}
}

func TestSampleYAMLBoundErrors(t *testing.T) {
	for yaml, want := range map[string]string{
		"limits:\n  procs: 3\n":       `sample.yaml:2:3: unknown key "procs" in limits (known: cpu, memory, processes, openFiles, fileSize, output)`,
		"limits:\n  memory: lots\n":   `sample.yaml:2:11: limits.memory: expected a size like 8MiB`,
		"limits:\n  processes: -1\n":  `sample.yaml:2:14: limits.processes must be a whole number above 0`,
		"limits:\n  cpu: forever\n":   `sample.yaml:2:8: limits.cpu: expected a duration like 10s`,
		"network: yes please\n":       `sample.yaml:1:10: network must be true or false`,
		"env: [AWS_KEY, \"$HOME\"]\n": `sample.yaml:1:16: env: "$HOME" is not a variable name`,
		"env: HOME\n":                 `sample.yaml:1:6: env must be a list of variable names`,
	} {
		root := writeSite(t, map[string]string{
			"site.yaml":                     siteYAML,
			"content/samples/a/main.py":     "print('a')\n",
			"content/samples/a/sample.yaml": yaml,
		})
		_, err := samples.Load(os.DirFS(root), loadConfig(t, root), "a", generator.Pos{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v\nwant …%s…", yaml, err, want)
		}
	}
}
