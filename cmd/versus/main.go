// Command versus builds static comparison sites: Markdown articles with
// comparison tables from front matter and code samples shown side by side,
// run and verified at build time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"

	"versus/generator"
)

// version is set at link time (-ldflags "-X main.version=…").
var version = "0.1.0-dev"

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: its streams and working folder. Tests
// pass their own.
type env struct {
	stdout, stderr io.Writer
	dir            string
}

func commands() map[string]command {
	return map[string]command{
		"generate": {"build the site into public/", runGenerate},
		"version":  {"print the version", runVersion},
		"check":    {"run the samples and check links without writing output", runCheck},
		"new":      {"scaffold a new comparison article in content/", runNew},
		"watch":    {"serve the site and rebuild it on every change", runWatch},
	}
}

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "versus:", err)
		os.Exit(exitFail)
	}
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, dir: dir}, os.Args[1:])
	stop()
	os.Exit(code)
}

// tuneGC trades memory for speed, as suits a short batch process: the
// collector runs at a fifth of its default frequency, but a soft limit makes
// it work harder as the heap nears 1 GiB, so even a 100,000-page build
// stays well under 2 GiB. GOGC and GOMEMLIMIT in the environment win.
func tuneGC() {
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
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 {
			if c, ok := cmds[args[1]]; ok {
				return c.run(ctx, e, []string{"--help"})
			}
		}
		usage(e.stdout, cmds)
		return exitOK
	case "--version", "-version":
		return runVersion(ctx, e, nil)
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "versus: unknown command %q\n\n", args[0])
		usage(e.stderr, cmds)
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprint(w, `versus builds static comparison sites from Markdown, front matter and
runnable code samples.

Usage:
  versus <command> [flags]

Commands:
`)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
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
		fmt.Fprintf(w, "Usage:\n  versus %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.VisitAll(func(f *flag.Flag) {
			name, use := flag.UnquoteUsage(f)
			arg := "--" + f.Name
			if name != "" {
				arg += " " + name
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

// parse parses flags; it returns a non-negative exit code when the command
// should stop (help asked for, or a usage error).
func parse(fs *flag.FlagSet, args []string, e *env) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			// Asked-for help goes to stdout, like any tool's.
			fs.SetOutput(e.stdout)
		}
	}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	return -1
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
	fmt.Fprintf(e.stdout, "versus %s\n", version)
	return exitOK
}
