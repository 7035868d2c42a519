//go:build !unix

package samples

import (
	"errors"
	"os/exec"
)

// ownGroup reports that samples cannot be run here: without process groups
// a timed-out sample could leave processes behind.
func ownGroup(cmd *exec.Cmd) error {
	return errors.New("running samples needs a Unix system (Linux or macOS): it relies on process groups")
}

func killGroup(pid int) error { return nil }
