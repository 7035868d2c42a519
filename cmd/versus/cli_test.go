package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/versus-ssg/versus/generator"
)

// Every usage mistake exits 2 (a build failure is 1), writes nothing to
// stdout and says what went wrong in one line.
func TestUsageMistakesExitTwo(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"generat"},
		{"--bogus"},
		{"--drafts", "generate"},
		{"help", "nope"},
		{"generate", "--bogus"},
		{"generate", "--source"},
		{"generate", "--drafts=maybe"},
		{"check", "--bogus"},
		{"watch", "--bogus"},
		{"watch", "--port", "http"},
		{"new", "--bogus", "T"},
		{"new"},
		{"new", "../escape.md"},
		{"new", "samples/x.md"},
		{"version", "--foo"},
		{"version", "extra"},
		{"completion"},
		{"completion", "tcsh"},
		{"completion", "--bogus"},
	} {
		code, out, errs := runCLI(t, dir, args...)
		if code != exitUsage {
			t.Errorf("versus %s: exit %d, want 2", strings.Join(args, " "), code)
		}
		if len(args) > 0 && (out != "" || strings.Count(errs, "\n") != 1) {
			t.Errorf("versus %s: want one line on stderr and nothing on stdout, got\nstdout: %q\nstderr: %q", strings.Join(args, " "), out, errs)
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		t.Errorf("usage mistakes wrote into the site folder: %v %v", entries, err)
	}
}

func TestSuggest(t *testing.T) {
	names := commandNames(commands())
	for in, want := range map[string]string{
		"generat":  "generate",
		"genrate":  "generate",
		"gen":      "generate",
		"Generate": "generate",
		"wacth":    "watch",
		"chekc":    "check",
		"verison":  "version",
		"nwe":      "new",
		"serve":    "",
		"build":    "",
		"x":        "",
	} {
		if got := generator.Suggest(in, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{
		{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
		{Key: "vcs.revision", Value: "76ce3e8f00d1"},
		{Key: "vcs.time", Value: "2026-12-02T06:56:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	info.Main.Version = "(devel)"
	want := "versus 0.1.0-dev\ncommit   76ce3e8f00d1 (with uncommitted changes)\ndate     2026-12-02T06:56:00Z\ngo       go1.26.8 linux/arm64\n"
	if got := versionText(defaultVersion, info); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// go install versus@v1.2.0 stamps the module version; -ldflags wins.
	info.Main.Version = "v1.2.0"
	if got := versionText(defaultVersion, info); !strings.HasPrefix(got, "versus v1.2.0\n") {
		t.Errorf("module version not used: %s", got)
	}
	if got := versionText("1.3.0", info); !strings.HasPrefix(got, "versus 1.3.0\n") {
		t.Errorf("linked version not used: %s", got)
	}
	if got := versionText(defaultVersion, nil); !strings.Contains(got, "commit   unknown") {
		t.Errorf("without build info: %s", got)
	}
}

// A binary built by go build in this checkout names its commit, as a bug
// report needs. Building takes a few seconds, so -short skips it.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds versus")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The go command stamps a checkout whose .git is a folder; it does not
	// look into a git worktree's .git file.
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skip("not a git checkout with a .git folder, so go build records no commit")
	}
	head, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "versus")
	build := exec.Command("go", "build", "-o", bin, "./cmd/versus")
	build.Dir = root
	// GOFLAGS=-buildvcs=false in the environment would hide what is tested.
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=true")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "commit   "+strings.TrimSpace(string(head))) {
		t.Errorf("versus version does not name HEAD %s:\n%s", head, out)
	}
	if strings.Contains(string(out), "date     unknown") {
		t.Errorf("no commit date:\n%s", out)
	}
}

// The completion scripts are accepted by their shells and offer every
// command and every flag of each command.
func TestCompletionScripts(t *testing.T) {
	ctx := context.Background()
	cmds := commands()
	for _, sh := range shells {
		t.Run(sh, func(t *testing.T) {
			code, script, errs := runCLI(t, t.TempDir(), "completion", sh)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d: %s", code, errs)
			}
			// How each script spells a command and a flag it offers.
			offers := map[string]func(cmd, flag string) []string{
				"bash": func(cmd, flag string) []string {
					if flag == "" {
						return []string{"\n    " + cmd + ")\n", "compgen -W '" + cmd + " ", " " + cmd + " "}
					}
					return []string{" --" + flag + " ", "'--" + flag + " "}
				},
				"zsh": func(cmd, flag string) []string {
					if flag == "" {
						return []string{"'" + cmd + ":"}
					}
					return []string{"'--" + flag + "[", "'--" + flag + "=["}
				},
				"fish": func(cmd, flag string) []string {
					if flag == "" {
						return []string{"-a '" + cmd + "' -d"}
					}
					return []string{"from " + cmd + "' -l " + flag + " "}
				},
			}[sh]
			has := func(forms []string) bool {
				return slices.ContainsFunc(forms, func(f string) bool { return strings.Contains(script, f) })
			}
			for _, c := range cmds {
				if !has(offers(c.name, "")) {
					t.Errorf("the %s script does not offer %s", sh, c.name)
				}
				for _, f := range commandFlags(ctx, c) {
					if !has(offers(c.name, f.Name)) {
						t.Errorf("the %s script does not offer %s --%s", sh, c.name, f.Name)
					}
				}
			}
			path, err := exec.LookPath(sh)
			if err != nil {
				t.Skipf("%s is not installed", sh)
			}
			file := filepath.Join(t.TempDir(), "versus."+sh)
			if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			check := []string{"-n", file}
			if sh == "fish" {
				check = []string{"--no-execute", file}
			}
			if out, err := exec.Command(path, check...).CombinedOutput(); err != nil {
				t.Fatalf("%s rejects the script: %v\n%s", sh, err, out)
			}
		})
	}
}

// What a user sees on pressing Tab in bash.
func TestBashCompletes(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := runCLI(t, t.TempDir(), "completion", "bash")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "site", "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sitemap.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "versus.bash"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	check, _ := lookup(commands(), "check")
	checkFlags := []string{"--help"}
	for _, f := range commandFlags(context.Background(), check) {
		checkFlags = append(checkFlags, "--"+f.Name)
	}
	if !slices.Contains(checkFlags, "--links") {
		t.Fatalf("check's flags: %v", checkFlags)
	}
	for line, want := range map[string][]string{
		"versus ":                       append(commandNames(commands()), "help", "--help", "--version"),
		"versus gen":                    {"generate"},
		"versus generate --d":           {"--destination", "--drafts"},
		"versus generate --source si":   {"site"}, // folders only, not sitemap.txt
		"versus generate --source=si":   {"site"},
		"versus generate --base-url ht": nil,
		"versus check --":               checkFlags,
		"versus completion ":            shells,
		"versus help ch":                {"check"},
		"versus watch --p":              {"--port"},
		"versus new si":                 {"site", "sitemap.txt"},
	} {
		got := bashComplete(t, dir, line)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%q completes to %q, want %q", line, got, want)
		}
	}
}

// bashComplete runs the completion function as bash does for line, with
// the cursor at its end, and returns the candidates.
func bashComplete(t *testing.T, dir, line string) []string {
	t.Helper()
	// COMP_WORDBREAKS splits at "=" as bash does by default.
	words := strings.Fields(strings.ReplaceAll(line, "=", " = "))
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, shQuote(w))
	}
	prog := "source versus.bash\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" +
		strconv.Itoa(len(words)-1) + "\n_versus\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	var got []string
	for _, l := range strings.Split(string(out), "\n") {
		if l != "" {
			got = append(got, l)
		}
	}
	// bash sorts what it shows; compgen's order does not matter.
	slices.Sort(got)
	return got
}

// What a user sees on pressing Tab in fish, which can list completions
// itself (complete -C).
func TestFishCompletes(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed")
	}
	_, script, _ := runCLI(t, t.TempDir(), "completion", "fish")
	dir := t.TempDir()
	file := filepath.Join(dir, "versus.fish")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string]string{
		"versus gen":          "generate\tbuild the site into public/",
		"versus generate --m": "--minify\tminify HTML, CSS, JavaScript, XML and JSON",
		"versus completion z": "zsh",
	} {
		out, err := exec.Command("fish", "--no-config", "-c", "source "+shQuote(file)+"; complete -C "+shQuote(line)).CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%q completes to %q, want %q", line, got, want)
		}
	}
}
