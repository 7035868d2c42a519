package markdown

import (
	"bytes"

	"github.com/versus-ssg/versus/generator"
)

// Bounds on what one page may nest, checked in one linear pass before
// goldmark parses it: past them goldmark's time grows with the square of
// the input (measured with cmark's pathological tests), so a hostile page
// could hold a build for minutes. No written page comes near them.
const (
	// MaxNesting bounds block quotes and list items nested in each other.
	MaxNesting = 100
	// MaxDelimiters bounds the emphasis delimiter runs (* and _) and the
	// brackets ([ and ]) of one paragraph.
	MaxDelimiters = 2000
)

// checkHostile finds the first place body nests deeper than MaxNesting or a
// paragraph with more than MaxDelimiters delimiters, outside fenced code.
func checkHostile(lines *lineIndex, body []byte) generator.ErrorList {
	var errs generator.ErrorList
	var fence byte
	fenceLen := 0
	delims, paraStart := 0, -1
	reportedDelims := false
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += off
		}
		line := body[off:end]
		start := off
		off = end + 1

		depth, i := nesting(line)
		rest := line[i:]
		if fence != 0 {
			if n := fenceRun(rest, fence); n >= fenceLen && len(bytes.TrimSpace(rest[n:])) == 0 {
				fence = 0
			}
			continue
		}
		if depth > MaxNesting {
			errs.Add(lines.pos(start), "nesting deeper than %d levels (block quotes and list items inside each other); versus refuses it, as rendering it would take minutes: flatten the structure", MaxNesting)
			return errs
		}
		if n := fenceRun(rest, '`'); n >= 3 {
			fence, fenceLen = '`', n
			continue
		}
		if n := fenceRun(rest, '~'); n >= 3 {
			fence, fenceLen = '~', n
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			delims, paraStart, reportedDelims = 0, -1, false
			continue
		}
		if paraStart < 0 {
			paraStart = start
		}
		prev := byte(0)
		for _, c := range rest {
			switch c {
			case '[', ']':
				delims++
			case '*', '_':
				if prev != c {
					delims++
				}
			}
			prev = c
		}
		if delims > MaxDelimiters && !reportedDelims {
			reportedDelims = true
			errs.Add(lines.pos(paraStart), "a paragraph with more than %d emphasis markers and brackets (* _ [ ]); versus refuses it, as rendering it would take minutes: split it, or put it in a code block", MaxDelimiters)
			return errs
		}
	}
	return errs
}

// nesting counts the containers a line opens: block quote markers and list
// markers at its start, and half its indentation before one (a nested list
// item sits two or more columns further in). It returns the count and
// where the line's content starts.
func nesting(line []byte) (depth, i int) {
	for {
		col := 0
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			if line[j] == '\t' {
				col += 4
			} else {
				col++
			}
			j++
		}
		if j >= len(line) {
			return depth, j
		}
		n := marker(line[j:])
		if n == 0 {
			return depth, i
		}
		depth += 1 + col/2
		i = j + n
	}
}

// marker is the length of a block quote or list marker at the start of b
// ("> ", "- ", "12. "), or 0.
func marker(b []byte) int {
	switch b[0] {
	case '>':
		return 1
	case '-', '*', '+':
		if len(b) == 1 || b[1] == ' ' || b[1] == '\t' {
			return 1
		}
		return 0
	}
	k := 0
	for k < len(b) && k < 9 && b[k] >= '0' && b[k] <= '9' {
		k++
	}
	if k > 0 && k < len(b) && (b[k] == '.' || b[k] == ')') && (k+1 == len(b) || b[k+1] == ' ' || b[k+1] == '\t') {
		return k + 1
	}
	return 0
}

// fenceRun counts the run of c at the start of b.
func fenceRun(b []byte, c byte) int {
	n := 0
	for n < len(b) && b[n] == c {
		n++
	}
	return n
}
