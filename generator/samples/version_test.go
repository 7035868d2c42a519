package samples

import (
	"os/exec"
	"testing"
)

// The default version command of each runtime installed here prints a
// version number, where PROGRAM --version would fail (go) or print none.
func TestDefaultVersionCommandsOfRealRuntimes(t *testing.T) {
	ran := 0
	for _, prog := range []string{"go", "java", "rustc", "ruby", "php", "deno", "bun", "dotnet", "perl", "node", "python3", "bash"} {
		if _, err := exec.LookPath(prog); err != nil {
			continue
		}
		ran++
		argv := defaultVersionCommand(prog)
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			t.Errorf("%v: %v\n%s", argv, err, out)
			continue
		}
		if versionPattern.FindString(string(out)) == "" {
			t.Errorf("%v printed no version number: %q", argv, out)
		}
	}
	if ran == 0 {
		t.Skip("none of the runtimes is installed")
	}
	if defaultVersionCommand("/usr/bin/dash") != nil {
		t.Error("dash has no version option, yet a command was made for it")
	}
}
