// Command versus builds static comparison sites: Markdown articles with
// comparison tables from front matter and code samples shown side by side,
// run and verified at build time.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// defaultVersion is the version of a build that was not given one.
const defaultVersion = "0.1.0-dev"

// version is set at link time (-ldflags "-X main.version=…").
var version = defaultVersion

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: its streams and working folder. Tests
// pass their own.
type env struct {
	stdout, stderr io.Writer
	dir            string
	// describe, when set, receives a command's flag set in place of parsing
	// its arguments, and the command stops there. Completion scripts and
	// "did you mean" are built from the very flag sets the commands parse
	// with, so they cannot drift from them.
	describe func(*flag.FlagSet)
}

// commands are versus's subcommands, in the order help lists them.
func commands() []command {
	return []command{
		{"bench", "measure the benchmark samples and record their results", runBench},
		{"check", "run the samples and check links without writing output", runCheck},
		{"completion", "print a shell completion script (bash, zsh or fish)", runCompletion},
		{"generate", "build the site into public/", runGenerate},
		{"new", "scaffold a new page in content/, from an archetype if the site has one", runNew},
		{"version", "print the version, the commit it was built from, its date and the Go version", runVersion},
		{"watch", "serve the site and rebuild it on every change", runWatch},
	}
}

func lookup(cmds []command, name string) (command, bool) {
	for _, c := range cmds {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames(cmds []command) []string {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return names
}

func main() {
	tuneGC(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "versus:", err)
		os.Exit(exitFail)
	}
	stopProfile := startProfile()
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, dir: dir}, os.Args[1:])
	stopProfile()
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole command to the file named
// by VERSUS_CPUPROFILE, for `go tool pprof` (docs/performance.md); without
// it, it does nothing.
func startProfile() (stop func()) {
	name := os.Getenv("VERSUS_CPUPROFILE")
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "versus: VERSUS_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// tuneGC trades memory for speed, as suits a short batch process: the
// collector runs at a fifth of its default frequency, but a soft limit makes
// it work harder as the heap nears 1 GiB, so even a 100,000-page build
// stays well under 2 GiB. watch is not a batch process: it keeps the whole
// site in memory for as long as it serves (1.3 GB at 10,000 articles), and
// under a 1 GiB limit the collector would run without pause, so it keeps
// Go's defaults (the heap may grow to twice what is live). GOGC and
// GOMEMLIMIT in the environment win.
func tuneGC(args []string) {
	if len(args) > 0 && args[0] == "watch" {
		return
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1024 << 20)
	}
}

func run(ctx context.Context, e *env, args []string) int {
	cmds := commands()
	if len(args) == 0 {
		usage(e.stderr, cmds)
		return exitUsage
	}
	switch a := args[0]; a {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 {
			c, ok := lookup(cmds, args[1])
			if !ok {
				unknownCommand(e, cmds, args[1])
				return exitUsage
			}
			return c.run(ctx, e, []string{"--help"})
		}
		usage(e.stdout, cmds)
		return exitOK
	case "--version", "-version":
		return runVersion(ctx, e, args[1:])
	default:
		if strings.HasPrefix(a, "-") && a != "-" {
			unknownTopFlag(ctx, e, cmds, args)
			return exitUsage
		}
	}
	c, ok := lookup(cmds, args[0])
	if !ok {
		unknownCommand(e, cmds, args[0])
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

// unknownCommand says which command was meant, when one is close enough to
// be a typo, instead of repeating the whole help.
func unknownCommand(e *env, cmds []command, name string) {
	names := commandNames(cmds)
	if s := generator.Suggest(name, names); s != "" {
		fmt.Fprintf(e.stderr, "versus: unknown command %q; did you mean %q?\n", name, s)
		return
	}
	fmt.Fprintf(e.stderr, "versus: unknown command %q (the commands are %s; see versus --help)\n", name, strings.Join(names, ", "))
}

// unknownTopFlag reports a flag given before any command (args[0]). When
// a command has that flag, the writer most likely put it in the wrong
// place: the message shows it after the command they named, or one that
// has it.
func unknownTopFlag(ctx context.Context, e *env, cmds []command, args []string) {
	name, _, _ := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
	var owners []string
	for _, c := range cmds {
		for _, f := range commandFlags(ctx, c) {
			if f.Name == name {
				owners = append(owners, c.name)
			}
		}
	}
	if len(owners) == 0 {
		fmt.Fprintf(e.stderr, "versus: unknown flag --%s (see versus --help)\n", name)
		return
	}
	owner := owners[0]
	for _, a := range args[1:] {
		if slices.Contains(owners, a) {
			owner = a
			break
		}
	}
	fmt.Fprintf(e.stderr, "versus: unknown flag --%s before the command; flags go after it, e.g. versus %s --%s\n", name, owner, name)
}

// commandFlags returns the flags command c defines, without running it.
func commandFlags(ctx context.Context, c command) []*flag.Flag {
	var out []*flag.Flag
	d := &env{stdout: io.Discard, stderr: io.Discard, describe: func(fs *flag.FlagSet) {
		fs.VisitAll(func(f *flag.Flag) { out = append(out, f) })
	}}
	c.run(ctx, d, nil)
	return out
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprint(w, `versus builds static comparison sites from Markdown, front matter and
runnable code samples.

Usage:
  versus <command> [flags]

Commands:
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "versus <command> --help" for a command's flags.
Documentation: README.md and docs/ in the versus repository.
`)
}

// newFlags returns a flag set that prints a real usage text and reports
// errors instead of exiting.
func newFlags(e *env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage:\n  versus %s\n\n%s\n", synopsis, about)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprint(w, "\nFlags:\n")
		}
		fs.VisitAll(func(f *flag.Flag) {
			_, use := flag.UnquoteUsage(f)
			arg := "--" + f.Name
			if v := valueName(f); v != "" {
				arg += " " + v
			}
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(w, "  %-24s %s%s\n", arg, use, def)
		})
	}
	return fs
}

// valueNames name the value of flags whose usage does not: the same word
// for the same kind of value in every command's help.
var valueNames = map[string]string{
	"source":      "DIR",
	"destination": "DIR",
	"cache-dir":   "DIR",
	"base-url":    "URL",
	"port":        "PORT",
	"bind":        "ADDRESS",
	"subjects":    "IDS",
}

// valueName is how help and messages show flag f's value: a backquoted name
// in its usage wins, then the name this flag has everywhere, then a word
// for its kind (N, DURATION, VALUE). Boolean flags take none.
func valueName(f *flag.Flag) string {
	if isBool(f) {
		return ""
	}
	name, _ := flag.UnquoteUsage(f)
	switch name {
	case "string", "int", "uint", "float", "duration", "value":
	default:
		return name
	}
	if v, ok := valueNames[f.Name]; ok {
		return v
	}
	switch name {
	case "int", "uint":
		return "N"
	case "duration":
		return "DURATION"
	case "float":
		return "NUMBER"
	}
	return "VALUE"
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parse parses flags; it returns a non-negative exit code when the command
// should stop (help asked for, a usage error, or a describe-only run).
//
// It reads the flags itself rather than through FlagSet.Parse, whose errors
// ("flag provided but not defined: -x" followed by the whole help) name
// neither the command nor a fix. Flags end at the first argument that is
// not one, or at "--", as with the flag package; -x and --x are the same.
func parse(fs *flag.FlagSet, args []string, e *env) int {
	if e.describe != nil {
		e.describe(fs)
		return exitOK
	}
	cmd := "versus " + fs.Name()
	see := fmt.Sprintf("(see %s --help)", cmd)
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		name := strings.TrimPrefix(a[1:], "-")
		name, value, hasValue := strings.Cut(name, "=")
		if name == "" || name[0] == '-' || name[0] == '=' {
			fmt.Fprintf(e.stderr, "%s: %q is not a flag; flags look like --name or --name=value %s\n", cmd, a, see)
			return exitUsage
		}
		f := fs.Lookup(name)
		if f == nil {
			if name == "h" || name == "help" {
				// Asked-for help goes to stdout, like any tool's.
				fs.SetOutput(e.stdout)
				fs.Usage()
				return exitOK
			}
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			if s := generator.Suggest(name, names); s != "" {
				fmt.Fprintf(e.stderr, "%s: unknown flag --%s; did you mean --%s? %s\n", cmd, name, s, see)
			} else {
				fmt.Fprintf(e.stderr, "%s: unknown flag --%s %s\n", cmd, name, see)
			}
			return exitUsage
		}
		if !hasValue && !isBool(f) {
			if i+1 == len(args) {
				fmt.Fprintf(e.stderr, "%s: --%s needs a value: --%s %s %s\n", cmd, name, name, valueName(f), see)
				return exitUsage
			}
			i++
			value, hasValue = args[i], true
		}
		if !hasValue {
			value = "true"
		}
		if err := fs.Set(name, value); err != nil {
			shown := "--" + name
			if v := valueName(f); v != "" {
				shown += " " + v
			}
			if k := kind(f); k != "" {
				fmt.Fprintf(e.stderr, "%s: %s: %q is not %s %s\n", cmd, shown, value, k, see)
			} else {
				// A flag of its own type says itself what is wrong.
				fmt.Fprintf(e.stderr, "%s: %s: %v %s\n", cmd, shown, err, see)
			}
			return exitUsage
		}
	}
	// The rest are arguments; "--" makes the flag set take them as they are.
	if err := fs.Parse(append([]string{"--"}, args[i:]...)); err != nil {
		fmt.Fprintf(e.stderr, "%s: %v %s\n", cmd, err, see)
		return exitUsage
	}
	return -1
}

// kind says what a flag's value must be, for the message about one that
// is not; "" for a flag type of versus's own.
func kind(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case bool:
		return "true or false"
	case int, int64, uint, uint64:
		if f.Name == "port" {
			return "a port number (0 to 65535)"
		}
		return "a whole number"
	case float64:
		return "a number"
	case time.Duration:
		return "a duration like 10s or 1m30s"
	}
	return ""
}

// printErrors prints every error on its own line, relative to the site root.
func printErrors(w io.Writer, err error) {
	for _, e := range generator.Errors(err) {
		fmt.Fprintln(w, strings.TrimRight(e.Error(), "\n"))
	}
}

// printWarnings prints each warning as "file:line:col: warning: message".
func printWarnings(w io.Writer, warnings generator.ErrorList) {
	for _, e := range warnings {
		if e.Pos.File == "" {
			fmt.Fprintf(w, "warning: %s\n", e.Msg)
			continue
		}
		fmt.Fprintf(w, "%s: warning: %s\n", e.Pos, e.Msg)
	}
}

func runVersion(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "version", "version",
		`Prints the version of versus, the commit it was built from and that
commit's date (from the binary's build information), and the Go version.`)
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "versus version: unexpected argument %q (version takes none)\n", fs.Arg(0))
		return exitUsage
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprint(e.stdout, versionText(version, info))
	return exitOK
}

// versionText describes a build: what a bug report needs to name the exact
// binary. info is nil for a binary built without module support.
func versionText(v string, info *debug.BuildInfo) string {
	settings := map[string]string{}
	goVersion := runtime.Version()
	if info != nil {
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		// "go install versus@v1.2.0" knows the module's version better
		// than the default that -ldflags did not replace.
		if mv := info.Main.Version; v == defaultVersion && mv != "" && mv != "(devel)" {
			v = mv
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "versus %s\n", v)
	if rev := settings["vcs.revision"]; rev != "" {
		mod := ""
		if settings["vcs.modified"] == "true" {
			mod = " (with uncommitted changes)"
		}
		fmt.Fprintf(&b, "commit   %s%s\n", rev, mod)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "date     %s\n", t)
		} else {
			b.WriteString("date     unknown\n")
		}
	} else {
		b.WriteString("commit   unknown (built without version control information: go build in a git checkout records it)\n")
		b.WriteString("date     unknown\n")
	}
	goos, goarch := settings["GOOS"], settings["GOARCH"]
	if goos == "" {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	fmt.Fprintf(&b, "go       %s %s/%s\n", goVersion, goos, goarch)
	return b.String()
}
