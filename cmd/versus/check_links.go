package main

import (
	"context"
	"fmt"
)

// checkLinks checks internal links; the checker lands with the links issue.
func checkLinks(ctx context.Context, e *env, f siteFlags) int {
	fmt.Fprintln(e.stderr, "versus check: --links is not implemented yet")
	return exitFail
}
