package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts in testdata/script run "versus" in-process, as a
// user runs the real binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"versus": func() {
			dir, err := os.Getwd()
			if err != nil {
				panic(err)
			}
			os.Exit(run(context.Background(), &env{stdout: os.Stdout, stderr: os.Stderr, dir: dir}, os.Args[1:]))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}
