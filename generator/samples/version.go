package samples

import "path/filepath"

// versionArgs are the arguments that make runtimes print their version
// when --version does not, for subjects without a versionCommand.
var versionArgs = map[string][]string{
	"go":     {"version"},         // go --version exits 2
	"java":   {"-version"},        // --version is an error before Java 9
	"javac":  {"-version"},        // likewise
	"kotlin": {"-version"},        // --version is not an option
	"perl":   {"-e", "print $^V"}, // --version prints the licence too
	"lua":    {"-v"},              // --version is an unknown option
	"ghc":    {"--numeric-version"},
	"sh":     nil, // POSIX sh has no version option
	"dash":   nil, // likewise
}

// defaultVersionCommand is the argv that prints the version of program,
// the program that runs a subject's samples: PROGRAM --version for rustc,
// ruby, php, deno, bun, dotnet, node, python and most others, the form
// versionArgs gives for the rest, and nil when program cannot say.
func defaultVersionCommand(program string) []string {
	args, known := versionArgs[filepath.Base(program)]
	if !known {
		return []string{program, "--version"}
	}
	if args == nil {
		return nil
	}
	return append([]string{program}, args...)
}

// errNoVersion marks the error of a default version command that failed:
// the runtime's version is unknown, which is a warning, not a failed build.
// (A versionCommand the site chose that fails is an error.)
var errNoVersion = noVersion{}

type noVersion struct{}

// Error is empty: it is appended to a message that already says it all.
func (noVersion) Error() string { return "" }
