package samples

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Update writes the expected files of every sample whose runs all ended
// from what they printed, like a snapshot tool: one expected.txt when every
// subject printed the same, else expected.SUBJECT.txt per subject (and the
// same for stderr, for a sample that already expects stderr or an exit
// status other than 0). Files the new ones replace are removed. It returns
// one line per file it changed, relative to the site root; a sample with a
// failed run, or a serve sample, is left as it was.
func (rep *Report) Update(root string) ([]string, error) {
	bySample := map[*Sample][]*Run{}
	var order []*Sample
	for _, run := range rep.Runs {
		if _, ok := bySample[run.Sample]; !ok {
			order = append(order, run.Sample)
		}
		bySample[run.Sample] = append(bySample[run.Sample], run)
	}
	var changes []string
	for _, s := range order {
		runs := bySample[s]
		ok := s.Serve == nil
		for _, run := range runs {
			ok = ok && run.Ran && run.Err == nil
		}
		if !ok {
			continue
		}
		streams := []struct {
			suffix string
			text   func(*Run) string
		}{{"", func(r *Run) string { return r.Stdout }}}
		if len(s.ExpectedErr) > 0 || s.Exit != 0 {
			streams = append(streams, struct {
				suffix string
				text   func(*Run) string
			}{".stderr", func(r *Run) string { return r.Stderr }})
		}
		for _, st := range streams {
			want := map[string]string{} // file name → text; "" text removes
			same := true
			for _, run := range runs[1:] {
				same = same && st.text(run) == st.text(runs[0])
			}
			shared := "expected" + st.suffix + ".txt"
			for _, run := range runs {
				own := "expected." + run.File.Subject.ID + st.suffix + ".txt"
				if same {
					if _, had := s.All[own]; had {
						want[own] = ""
					}
				} else {
					want[own] = st.text(run) + "\n"
				}
			}
			if same {
				want[shared] = st.text(runs[0]) + "\n"
			} else if _, had := s.All[shared]; had {
				want[shared] = ""
			}
			for _, name := range sortedKeys(want) {
				line, err := s.write(root, name, want[name], same)
				if err != nil {
					return changes, err
				}
				if line != "" {
					changes = append(changes, line)
				}
			}
		}
	}
	return changes, nil
}

// write puts text into the sample's file name ("" removes it) and says what
// changed, or "" when nothing did.
func (s *Sample) write(root, name, text string, same bool) (string, error) {
	rel := path.Join(Dir, s.Name, name)
	p := filepath.Join(root, filepath.FromSlash(rel))
	old, had := s.All[name]
	if text == "" {
		if !had {
			return "", nil
		}
		if err := os.Remove(p); err != nil {
			return "", err
		}
		why := "each subject prints something else now"
		if same {
			why = "every subject prints the same now"
		}
		return fmt.Sprintf("%s: removed (%s)", rel, why), nil
	}
	if had && Normalize(string(old)) == Normalize(text) {
		return "", nil
	}
	if text == "\n" {
		text = ""
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		return "", err
	}
	if !had {
		return fmt.Sprintf("%s: written (%d %s)", rel, lines(text), plural(lines(text), "line", "lines")), nil
	}
	d := Diff("a", "b", Normalize(string(old)), Normalize(text))
	n := 0
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			n++
		}
	}
	return fmt.Sprintf("%s: updated (%d %s changed)", rel, n, plural(n, "line", "lines")), nil
}

func lines(text string) int { return strings.Count(text, "\n") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
