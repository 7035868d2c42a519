package main

import (
	"fmt"

	"github.com/versus-ssg/versus/generator/sitefs"
)

// openSource opens the site folder that every command reads its sources
// through: sitefs follows links inside the site and refuses, at the file,
// any that lead outside it. given is the folder as the writer named it.
func openSource(e *env, source, given string) (*sitefs.FS, int) {
	src, err := sitefs.Open(source)
	if err != nil {
		fmt.Fprintf(e.stderr, "versus: the source %s cannot be opened: %v\n", given, err)
		return nil, exitUsage
	}
	return src, exitOK
}
