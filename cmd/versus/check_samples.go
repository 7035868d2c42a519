package main

import (
	"context"
	"fmt"
)

// checkSamples runs every sample; the runner lands with the samples issue.
func checkSamples(ctx context.Context, e *env, f siteFlags) int {
	fmt.Fprintln(e.stderr, "versus check: --samples is not implemented yet")
	return exitFail
}
