package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/versus-ssg/versus/generator"
)

// shells are the shells "versus completion" writes a script for.
var shells = []string{"bash", "zsh", "fish"}

func runCompletion(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "completion", "completion bash|zsh|fish",
		`Prints a script that completes versus's commands, flags and folder
arguments in your shell. Load it for the current session with
  source <(versus completion bash)        # bash
  source <(versus completion zsh)         # zsh
  versus completion fish | source         # fish
or install it where your shell looks for completions (see docs/commands.md).`)
	if code := parse(fs, args, e); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "versus completion: name your shell: versus completion %s\n", strings.Join(shells, "|"))
		return exitUsage
	}
	spec := completionSpec(ctx, commands())
	switch sh := fs.Arg(0); sh {
	case "bash":
		writeBash(e.stdout, spec)
	case "zsh":
		writeZsh(e.stdout, spec)
	case "fish":
		writeFish(e.stdout, spec)
	default:
		hint := ""
		if s := generator.Suggest(sh, shells); s != "" {
			hint = fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintf(e.stderr, "versus completion: no completion for shell %q%s (versus completes %s)\n", sh, hint, strings.Join(shells, ", "))
		return exitUsage
	}
	return exitOK
}

// compCommand is what a completion script knows about one command.
type compCommand struct {
	name, summary string
	flags         []compFlag
	// args are the words its arguments may be; files means they are paths.
	args  []string
	files bool
}

// compFlag is one flag: its value, if it takes one, and whether that value
// is a folder.
type compFlag struct {
	name, usage, value string
	dir                bool
}

// completionSpec reads every command's flags from the flag set the command
// itself parses with.
func completionSpec(ctx context.Context, cmds []command) []compCommand {
	var out []compCommand
	for _, c := range cmds {
		cc := compCommand{name: c.name, summary: c.summary}
		for _, f := range commandFlags(ctx, c) {
			_, use := flag.UnquoteUsage(f)
			v := valueName(f)
			cc.flags = append(cc.flags, compFlag{name: f.Name, usage: use, value: v, dir: v == "DIR"})
		}
		switch c.name {
		case "completion":
			cc.args = shells
		case "new":
			cc.files = true
		}
		out = append(out, cc)
	}
	// "versus help COMMAND" takes a command name.
	help := compCommand{name: "help", summary: "show the help of versus or of a command"}
	for _, c := range cmds {
		help.args = append(help.args, c.name)
	}
	return append(out, help)
}

func writeBash(w io.Writer, spec []compCommand) {
	var names []string
	for _, c := range spec {
		names = append(names, c.name)
	}
	fmt.Fprintf(w, `# bash completion for versus, written by "versus completion bash".
# Load it with: source <(versus completion bash)
_versus() {
    local cur prev cmd i
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    # --flag=value: bash splits at "=", so the flag is one word further back.
    if [[ "$prev" == "=" && COMP_CWORD -ge 2 ]]; then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
    elif [[ "$cur" == "=" ]]; then
        prev="${COMP_WORDS[COMP_CWORD-1]}"
        cur=""
    fi
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            -*|=) ;;
            *) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    if [[ -z "$cmd" ]]; then
        COMPREPLY=($(compgen -W %s -- "$cur"))
        return
    fi
    case "$cmd" in
`, shQuote(strings.Join(append(names, "--help", "--version"), " ")))
	for _, c := range spec {
		fmt.Fprintf(w, "    %s)\n", c.name)
		var dirs, values, flags []string
		for _, f := range c.flags {
			flags = append(flags, "--"+f.name)
			switch {
			case f.dir:
				dirs = append(dirs, "--"+f.name)
			case f.value != "":
				values = append(values, "--"+f.name)
			}
		}
		flags = append(flags, "--help")
		if len(dirs)+len(values) > 0 {
			fmt.Fprintf(w, "        case \"$prev\" in\n")
			if len(dirs) > 0 {
				fmt.Fprintf(w, "            %s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", strings.Join(dirs, "|"))
			}
			if len(values) > 0 {
				// A URL or a port has nothing to complete from.
				fmt.Fprintf(w, "            %s) COMPREPLY=(); return ;;\n", strings.Join(values, "|"))
			}
			fmt.Fprintf(w, "        esac\n")
		}
		fmt.Fprintf(w, "        if [[ \"$cur\" == -* ]]; then\n            COMPREPLY=($(compgen -W %s -- \"$cur\"))\n", shQuote(strings.Join(flags, " ")))
		switch {
		case len(c.args) > 0:
			fmt.Fprintf(w, "        else\n            COMPREPLY=($(compgen -W %s -- \"$cur\"))\n", shQuote(strings.Join(c.args, " ")))
		case c.files:
			fmt.Fprintf(w, "        else\n            COMPREPLY=($(compgen -f -- \"$cur\"))\n")
		}
		fmt.Fprintf(w, "        fi\n        ;;\n")
	}
	fmt.Fprint(w, `    esac
}
complete -o filenames -F _versus versus
`)
}

func writeZsh(w io.Writer, spec []compCommand) {
	fmt.Fprint(w, `#compdef versus
# zsh completion for versus, written by "versus completion zsh".
# Load it with: source <(versus completion zsh), or save it as _versus in a
# folder of $fpath.
_versus() {
    local state
    local -a commands
    commands=(
`)
	for _, c := range spec {
		fmt.Fprintf(w, "        %s\n", shQuote(c.name+":"+strings.ReplaceAll(c.summary, ":", `\:`)))
	}
	fmt.Fprint(w, `    )
    _arguments -C \
        '(- *)--help[show the commands]' \
        '(- *)--version[print the version]' \
        '1: :->command' \
        '*:: :->args'
    case $state in
    command)
        _describe -t commands 'versus command' commands
        ;;
    args)
        case $words[1] in
`)
	for _, c := range spec {
		fmt.Fprintf(w, "        %s)\n            _arguments \\\n", c.name)
		for _, f := range c.flags {
			desc := zshDesc(f.usage)
			switch {
			case f.dir:
				fmt.Fprintf(w, "                %s \\\n", shQuote("--"+f.name+"=["+desc+"]:"+f.value+":_files -/"))
			case f.value != "":
				fmt.Fprintf(w, "                %s \\\n", shQuote("--"+f.name+"=["+desc+"]:"+f.value+": "))
			default:
				fmt.Fprintf(w, "                %s \\\n", shQuote("--"+f.name+"["+desc+"]"))
			}
		}
		fmt.Fprintf(w, "                %s", shQuote("(- *)--help[show the flags of "+c.name+"]"))
		switch {
		case len(c.args) > 0:
			fmt.Fprintf(w, " \\\n                %s\n", shQuote("1:argument:("+strings.Join(c.args, " ")+")"))
		case c.files:
			fmt.Fprintf(w, " \\\n                %s\n", shQuote("*:path:_files"))
		default:
			fmt.Fprint(w, "\n")
		}
		fmt.Fprint(w, "            ;;\n")
	}
	fmt.Fprint(w, `        esac
        ;;
    esac
}
if [[ "${funcstack[1]}" == "_versus" ]]; then
    _versus "$@"
else
    compdef _versus versus
fi
`)
}

func writeFish(w io.Writer, spec []compCommand) {
	fmt.Fprintf(w, `# fish completion for versus, written by "versus completion fish".
# Load it with: versus completion fish | source, or save it as
# ~/.config/fish/completions/versus.fish.
complete -c versus -f
complete -c versus -n %s -l help -d 'show the commands'
complete -c versus -n %s -l version -d 'print the version'
`, fishQuote("__fish_use_subcommand"), fishQuote("__fish_use_subcommand"))
	for _, c := range spec {
		fmt.Fprintf(w, "complete -c versus -n __fish_use_subcommand -a %s -d %s\n", fishQuote(c.name), fishQuote(c.summary))
	}
	for _, c := range spec {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			switch {
			case f.dir:
				fmt.Fprintf(w, "complete -c versus -n %s -l %s -x -a '(__fish_complete_directories)' -d %s\n", cond, f.name, fishQuote(f.usage))
			case f.value != "":
				fmt.Fprintf(w, "complete -c versus -n %s -l %s -x -d %s\n", cond, f.name, fishQuote(f.usage))
			default:
				fmt.Fprintf(w, "complete -c versus -n %s -l %s -d %s\n", cond, f.name, fishQuote(f.usage))
			}
		}
		fmt.Fprintf(w, "complete -c versus -n %s -l help -d %s\n", cond, fishQuote("show the flags of "+c.name))
		switch {
		case len(c.args) > 0:
			fmt.Fprintf(w, "complete -c versus -n %s -a %s\n", cond, fishQuote(strings.Join(c.args, " ")))
		case c.files:
			fmt.Fprintf(w, "complete -c versus -n %s -F\n", cond)
		}
	}
}

// shQuote quotes s for bash and zsh: single quotes, with any single quote
// closed, escaped and reopened.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s for fish, where a single-quoted string escapes only
// backslash and single quote.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// zshDesc makes a flag's usage safe inside an _arguments [description],
// which ends at the first "]" and treats ":" specially.
func zshDesc(s string) string {
	s = strings.NewReplacer("[", "(", "]", ")", ":", `\:`).Replace(s)
	if i := strings.IndexAny(s, ";"); i > 0 && len(s) > 80 {
		s = s[:i]
	}
	return s
}
