package highlight

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// The agreement test diffs the fast scanners against chroma, file by file,
// on real code nobody here wrote: the installed Python's standard library
// and the JavaScript of the npm packages .ci/run installs (pinned there).
// By default it reads a fixed sample (every n-th file in path order) to
// stay quick on CI; VERSUS_LEXER_CORPUS=all reads every file.
// VERSUS_LEXER_EXTRA adds folders (a path list) of more real code: their
// .py files to the Python corpus, their .js files to the JavaScript one.

// jsCorpusPackages are the npm packages of the JavaScript corpus, as
// installed by .ci/run.
var jsCorpusPackages = []string{"lodash", "express", "moment", "async", "underscore", "chalk", "commander", "yargs", "axios", "jquery"}

func corpusFiles(t *testing.T, name string) []string {
	var roots []string
	var exts []string
	switch name {
	case "Python":
		out, err := exec.Command("python3", "-c", `import sysconfig;print(sysconfig.get_paths()["stdlib"])`).Output()
		if err != nil {
			t.Skipf("no python3 to find the standard library: %v", err)
		}
		roots = []string{strings.TrimSpace(string(out))}
		exts = []string{".py"}
	case "JavaScript":
		for _, p := range jsCorpusPackages {
			roots = append(roots, filepath.Join("..", "..", ".ci", "node", "node_modules", p))
		}
		exts = []string{".js", ".mjs", ".cjs"}
	}
	var files []string
	var extra []string
	if e := os.Getenv("VERSUS_LEXER_EXTRA"); e != "" {
		extra = filepath.SplitList(e)
	}
	for _, root := range extra {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Type().IsRegular() && strings.HasSuffix(path, exts[0]) {
				files = append(files, path)
			}
			return nil
		})
	}
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			t.Skipf("corpus missing: %s (for JavaScript, run the npm install line of .ci/run)", root)
		}
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && (d.Name() == "site-packages" || d.Name() == "node_modules" && path != root) {
				return filepath.SkipDir
			}
			if !d.IsDir() && d.Type().IsRegular() {
				for _, e := range exts {
					if strings.HasSuffix(path, e) {
						files = append(files, path)
					}
				}
			}
			return nil
		})
	}
	sort.Strings(files)
	return files
}

// sampleEvery is how many files of the corpus stand for one in the CI
// sample.
var sampleEvery = map[string]int{"Python": 8, "JavaScript": 4}

type agreement struct {
	files, sameFiles, chars, sameChars, fellBack int
	chromaTimedOut                               int
	bytes                                        int
	fast, slow                                   time.Duration
	diffs                                        []string
}

// compare diffs the fast scanner with chroma on one file, as Lines would
// see it (ending in a newline).
func (a *agreement) compare(t *testing.T, name, path, code string) {
	code = strings.TrimSuffix(strings.ReplaceAll(code, "\r\n", "\n"), "\n") + "\n"
	t0 := time.Now()
	want := chromaTokens(t, name, code)
	t1 := time.Now()
	spans, ok := fastLexers[name](code)
	t2 := time.Now()
	got := tokens(code, spans)
	if ok && len(a.diffs) < 40 {
		checkSpanLines(t, name, code)
	}
	a.slow += t1.Sub(t0)
	a.fast += t2.Sub(t1)
	a.files++
	a.bytes += len(code)
	n := utf8.RuneCountInString(code)
	a.chars += n
	if !ok {
		// The block goes to chroma: the same output by construction.
		a.fellBack++
		a.sameFiles++
		a.sameChars += n
		return
	}
	d := firstDiff(code, want, got)
	if d != "" && firstDiff(code, chromaTokens(t, name, code), got) == "" {
		// chroma gives up on a regular expression after 250 ms and emits
		// an Error token instead; on a loaded machine it sometimes does.
		a.chromaTimedOut++
		d = ""
	}
	if d == "" {
		a.sameFiles++
		a.sameChars += n
		return
	} else if len(a.diffs) < 40 {
		a.diffs = append(a.diffs, path+": "+d)
	}
	wt, gt := byteTypes(want, len(code)), byteTypes(got, len(code))
	for i := range code {
		if wt[i] == gt[i] {
			a.sameChars++
		}
	}
}

func byteTypes(toks []chroma.Token, n int) []chroma.TokenType {
	out := make([]chroma.TokenType, 0, n)
	for _, t := range toks {
		for range len(t.Value) {
			out = append(out, t.Type)
		}
	}
	for len(out) < n {
		out = append(out, -1)
	}
	return out
}

func TestAgreesWithChromaOnRealCode(t *testing.T) {
	all := os.Getenv("VERSUS_LEXER_CORPUS") == "all"
	for _, name := range []string{"JavaScript", "Python"} {
		t.Run(name, func(t *testing.T) {
			files := corpusFiles(t, name)
			if len(files) == 0 {
				t.Skipf("corpus missing: no %s files found", name)
			}
			var a agreement
			for i, f := range files {
				if !all && i%sampleEvery[name] != 0 {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				a.compare(t, name, f, string(b))
			}
			scope := "sample (every " + strconv.Itoa(sampleEvery[name]) + "th file; VERSUS_LEXER_CORPUS=all for all)"
			if all {
				scope = "whole corpus"
			}
			pc := 100 * float64(a.sameChars) / float64(a.chars)
			pf := 100 * float64(a.sameFiles) / float64(a.files)
			t.Logf("%s, %s: %d files, %.1f MB: %.3f%% of characters and %.2f%% of files (%d of %d) identical to chroma; %d files handed to chroma; %d where chroma timed out on a first try; chroma %v, fast %v (%.0f×)",
				name, scope, a.files, float64(a.bytes)/1e6, pc, pf, a.sameFiles, a.files, a.fellBack, a.chromaTimedOut, a.slow.Round(time.Millisecond), a.fast.Round(time.Millisecond), float64(a.slow)/float64(a.fast))
			for _, d := range a.diffs {
				t.Log(d)
			}
			if pc < 99.95 || pf < 99 {
				t.Errorf("%s: the fast scanner must match chroma on ≥ 99.95%% of characters and ≥ 99%% of files", name)
			}
		})
	}
}

// BenchmarkFastLexers measures the scanners' throughput on the CI sample
// of the corpus; BenchmarkChroma the same for chroma, for the ratio.
func BenchmarkFastLexers(b *testing.B) { benchCorpus(b, false) }
func BenchmarkChroma(b *testing.B)     { benchCorpus(b, true) }

func benchCorpus(b *testing.B, slow bool) {
	for _, name := range []string{"JavaScript", "Python"} {
		b.Run(name, func(b *testing.B) {
			t := &testing.T{}
			files := corpusFiles(t, name)
			if len(files) == 0 {
				b.Skip("corpus missing")
			}
			var codes []string
			size := 0
			for i, f := range files {
				if i%(sampleEvery[name]*4) != 0 {
					continue
				}
				c, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				codes = append(codes, string(c)+"\n")
				size += len(c) + 1
			}
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, c := range codes {
					if slow {
						chromaTokens(b, name, c)
					} else if _, ok := fastLexers[name](c); !ok {
						chromaTokens(b, name, c)
					}
				}
			}
		})
	}
}
