package samples

import (
	"fmt"
	"strings"
)

// Normalize makes output comparable across platforms and editors: CRLF and
// lone CR become LF, and trailing blank lines (and the final newline) are
// dropped. Spaces at the end of a line are kept: they can matter.
func Normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// diffContext is how many unchanged lines a hunk shows around a change.
const diffContext = 3

// maxDiffCells bounds the line-matching table; larger outputs are shown
// whole instead of diffed.
const maxDiffCells = 4_000_000

// Diff returns a unified diff from a (labelled fromName) to b (toName), or
// "" when they are equal. Both are compared line by line.
func Diff(fromName, toName, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", fromName, toName)
	if (len(x)+1)*(len(y)+1) > maxDiffCells {
		fmt.Fprintf(&sb, "@@ -1,%d +1,%d @@\n", len(x), len(y))
		for _, l := range x {
			sb.WriteString("-" + l + "\n")
		}
		for _, l := range y {
			sb.WriteString("+" + l + "\n")
		}
		return sb.String()
	}
	ops := editScript(x, y)
	// Group the edit script into hunks with context around each change.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-diffContext, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			// A run of unchanged lines: does another change follow closely?
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run < len(ops) && run-end <= 2*diffContext {
				end = run
				continue
			}
			end = min(end+diffContext, len(ops))
			break
		}
		hunk := ops[start:end]
		// An empty side's range names the line after which the change sits.
		fromLine, toLine := hunk[0].x, hunk[0].y
		var fromN, toN int
		for _, o := range hunk {
			if o.kind != '+' {
				if fromN == 0 {
					fromLine = o.x + 1
				}
				fromN++
			}
			if o.kind != '-' {
				if toN == 0 {
					toLine = o.y + 1
				}
				toN++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(fromLine, fromN), hunkRange(toLine, toN))
		for _, o := range hunk {
			sb.WriteByte(o.kind)
			sb.WriteString(o.text)
			sb.WriteByte('\n')
		}
		i = end
	}
	return sb.String()
}

func hunkRange(line, n int) string {
	if n == 1 {
		return fmt.Sprint(line)
	}
	return fmt.Sprintf("%d,%d", line, n)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// op is one line of an edit script: ' ' kept, '-' only in x, '+' only in y;
// x and y are the line's index in each side (the next line's, for the side
// that lacks it).
type op struct {
	kind byte
	text string
	x, y int
}

// editScript matches lines by longest common subsequence. Outputs of samples
// are short, so the quadratic table is cheap and the result is minimal.
func editScript(x, y []string) []op {
	n, m := len(x), len(y)
	// lcs[i*(m+1)+j] is the LCS length of x[i:] and y[j:].
	lcs := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
			} else {
				lcs[i*(m+1)+j] = max(lcs[(i+1)*(m+1)+j], lcs[i*(m+1)+j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i], i, j})
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i*(m+1)+j+1] >= lcs[(i+1)*(m+1)+j]):
			ops = append(ops, op{'+', y[j], i, j})
			j++
		default:
			ops = append(ops, op{'-', x[i], i, j})
			i++
		}
	}
	// Show removals before additions within a change, as diff(1) does.
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			k++
			continue
		}
		e := k
		for e < len(ops) && ops[e].kind != ' ' {
			e++
		}
		var minus, plus []op
		for _, o := range ops[k:e] {
			if o.kind == '-' {
				minus = append(minus, o)
			} else {
				plus = append(plus, o)
			}
		}
		copy(ops[k:], append(minus, plus...))
		k = e
	}
	return ops
}
