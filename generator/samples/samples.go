// Package samples reads code samples: one folder per sample under
// content/samples/, one file per subject matched by extension, an optional
// sample.yaml and the expected output. Running and verifying them lives in
// run.go; this file only reads.
package samples

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/bench"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Dir is where samples live, relative to the site root.
const Dir = "content/samples"

// DefaultTimeout bounds one run of one subject's file.
const DefaultTimeout = 10 * time.Second

// Sample is one sample folder.
type Sample struct {
	Name        string
	Title       string
	Description string
	Timeout     time.Duration
	Serve       *Serve
	// Bench is the sample.yaml's bench: section: the sample is also a
	// benchmark (see package bench).
	Bench *bench.Spec
	// Bounds limit each run: the sample's own limits over the site's
	// samples: settings over DefaultBounds.
	Bounds generator.SampleBounds
	// Network lets the runs reach the machine's network (network: true);
	// otherwise each run has only a loopback of its own.
	Network bool
	// Env names variables of versus's environment passed to the runs.
	Env []string
	// ReadOnly are the site's extra read-only folders (samples.readOnly).
	ReadOnly []string
	// MaxAge is the site's samples.maxAge: a cached result older than it
	// is run again; 0 keeps results of any age.
	MaxAge time.Duration
	// Files are the subjects' files in the order of the site's subjects.
	Files []*File
	// All lists every file of the folder with its bytes, for running it in a
	// copy and for hashing.
	All map[string][]byte
	// Exec marks the files of All that are executable, so a run's copy
	// keeps them so.
	Exec map[string]bool
	// Expected is the expected stdout per subject id; "" when none.
	Expected map[string]string
	// Shared marks the subjects whose Expected comes from the one
	// expected.txt of the folder.
	Shared map[string]bool
	// ExpectedErr is the expected stderr per subject id
	// (expected.stderr.txt, expected.SUBJECT.stderr.txt).
	ExpectedErr map[string]string
	// Args are added to each subject's run argv (args:).
	Args []string
	// Stdin is what the runs read on standard input (stdin:), nil for
	// nothing; StdinFile names the folder's file it came from, if any.
	Stdin     []byte
	StdinFile string
	// Exit is the exit status every run must end with (exit:); ExitSet
	// tells that sample.yaml asked for it.
	Exit    int
	ExitSet bool
	// Show names files of the folder the page shows with the output.
	Show []string
	// Pos is where the sample was first asked for (its shortcode), or the
	// folder.
	Pos generator.Pos
}

// Serve describes a sample that starts a server instead of printing.
type Serve struct {
	Env    string // the variable that receives the port
	Path   string
	Expect string
}

// File is one subject's file of a sample.
type File struct {
	Subject *generator.Subject
	Name    string
	Code    string
}

// CheckName rejects sample names that would leave content/samples/.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a sample needs a name: {{< sample \"NAME\" >}}")
	case strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.IsAbs(name):
		return fmt.Errorf("sample %q: the name must be a folder under %s/, not an absolute path", name, Dir)
	case !fs.ValidPath(name) || strings.Contains(name, ".."):
		return fmt.Errorf("sample %q leaves %s/", name, Dir)
	}
	return nil
}

// inside follows every link on the way to p and refuses a path that ends
// outside Dir: outside the site (the site's fs.FS names where it leads) or
// elsewhere in it, since a sample shows and runs only its own files.
func inside(fsys fs.FS, p string) error {
	real, err := sitefs.Resolve(fsys, p)
	if err != nil {
		return sitefs.Reason(err)
	}
	if real != Dir && !strings.HasPrefix(real, Dir+"/") {
		return fmt.Errorf("resolves through links to %s, outside %s/; a sample may link only to files under %s/: copy the file into the sample", real, Dir, Dir)
	}
	return nil
}

// noSample says that there is no sample name, and which one the writer
// most likely meant.
func noSample(fsys fs.FS, name string) string {
	var names []string
	if entries, err := fs.ReadDir(fsys, Dir); err == nil {
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
	}
	msg := fmt.Sprintf("no sample %q in %s/", name, Dir)
	if s := generator.Suggest(name, names); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + fmt.Sprintf(": make the folder %s/%s/ with a file per subject", Dir, name)
}

// Load reads the sample folder content/samples/NAME. Every file is checked
// before any is read: links must stay under content/samples/, and the
// folder's files together may not exceed cfg.Limits.Sample.
func Load(fsys fs.FS, cfg *generator.Config, name string, pos generator.Pos) (*Sample, error) {
	if err := CheckName(name); err != nil {
		return nil, generator.Errorf(pos, "%v", err)
	}
	dir := Dir + "/" + name
	if _, err := fs.Lstat(fsys, dir); errors.Is(err, fs.ErrNotExist) {
		return nil, generator.Errorf(pos, "%s", noSample(fsys, name))
	}
	if err := inside(fsys, dir); err != nil {
		return nil, generator.Errorf(generator.Pos{File: dir}, "%v", err)
	}
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, generator.Errorf(pos, "%s", noSample(fsys, name))
	}
	if err != nil {
		return nil, generator.Errorf(pos, "sample %q: no folder %s/ (%v)", name, dir, unwrap(err))
	}
	s := &Sample{Name: name, Title: name, Timeout: DefaultTimeout, ReadOnly: cfg.Samples.ReadOnly, MaxAge: cfg.Samples.MaxAge, All: map[string][]byte{}, Exec: map[string]bool{}, Expected: map[string]string{}, Shared: map[string]bool{}, ExpectedErr: map[string]string{}, Pos: pos}
	if cfg.Samples.Timeout > 0 {
		s.Timeout = cfg.Samples.Timeout
	}
	override := map[string]string{}
	var errs generator.ErrorList
	limit := cfg.Limits.WithDefaults().Sample
	type entry struct {
		name string
		size int64
		exec bool
	}
	var files []entry
	var total int64
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "__pycache__" || e.Name() == "node_modules" {
			continue
		}
		if err := inside(fsys, p); err != nil {
			errs.Add(generator.Pos{File: p}, "%v", err)
			continue
		}
		fi, err := fs.Stat(fsys, p)
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", unwrap(err))
			continue
		}
		if fi.IsDir() {
			continue // a linked folder, skipped as a real one is
		}
		if err := sitefs.Regular(fi); err != nil {
			errs.Add(generator.Pos{File: p}, "%v", err)
			continue
		}
		files = append(files, entry{e.Name(), fi.Size(), fi.Mode()&0o111 != 0})
		total += fi.Size()
	}
	if total > limit {
		// Name the largest files, which are what to move out.
		sort.Slice(files, func(i, j int) bool { return files[i].size > files[j].size })
		var big []string
		for _, f := range files[:min(3, len(files))] {
			big = append(big, fmt.Sprintf("%s is %s", f.name, sitefs.FormatSize(f.size)))
		}
		errs.Add(generator.Pos{File: dir}, "the sample's files come to %s, over the %s limit (%s); keep large files out of sample folders, or raise limits.sample in site.yaml", sitefs.FormatSize(total), sitefs.FormatSize(limit), strings.Join(big, ", "))
		errs.Sort()
		return nil, errs
	}
	for _, f := range files {
		p := dir + "/" + f.name
		data, err := sitefs.ReadFile(fsys, p, limit, "limits.sample")
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", unwrap(err))
			continue
		}
		s.All[f.name] = data
		if f.exec {
			s.Exec[f.name] = true
		}
		if f.name == "sample.yaml" || f.name == "sample.yml" {
			if err := s.decode(p, data, cfg, override); err != nil {
				errs.Append(generator.Pos{File: p}, err)
			}
		}
	}
	s.Bounds = s.Bounds.Or(cfg.Samples.Bounds).Or(DefaultBounds)
	// A subject's own expected file wins over the shared one.
	for _, file := range sortedKeys(s.All) {
		data := s.All[file]
		if file == "expected.txt" || file == "expected.stderr.txt" {
			continue
		}
		rest, ok := strings.CutPrefix(file, "expected.")
		if !ok || !strings.HasSuffix(rest, ".txt") {
			continue
		}
		want := s.Expected
		id := strings.TrimSuffix(rest, ".txt")
		if i, ok := strings.CutSuffix(id, ".stderr"); ok {
			id, want = i, s.ExpectedErr
		}
		if cfg.Subject(id) == nil {
			errs.Add(generator.Pos{File: dir + "/" + file}, "%s names unknown subject %q (expected.SUBJECT.txt, expected.SUBJECT.stderr.txt)", file, id)
			continue
		}
		want[id] = string(data)
	}
	for _, subj := range cfg.Subjects {
		if data, ok := s.All["expected.txt"]; ok {
			if _, own := s.Expected[subj.ID]; !own {
				s.Expected[subj.ID] = string(data)
				s.Shared[subj.ID] = true
			}
		}
		if data, ok := s.All["expected.stderr.txt"]; ok {
			if _, own := s.ExpectedErr[subj.ID]; !own {
				s.ExpectedErr[subj.ID] = string(data)
			}
		}
	}
	if s.StdinFile != "" {
		data, ok := s.All[s.StdinFile]
		if !ok {
			errs.Add(generator.Pos{File: dir + "/sample.yaml"}, "stdin: file %q is not in the sample's folder", s.StdinFile)
		}
		s.Stdin = data
	}
	for _, name := range s.Show {
		if _, ok := s.All[name]; !ok {
			errs.Add(generator.Pos{File: dir + "/sample.yaml"}, "show: file %q is not in the sample's folder", name)
		}
	}
	for _, subj := range cfg.Subjects {
		fileName := override[subj.ID]
		if fileName == "" {
			var matches []string
			for file := range s.All {
				for _, ext := range subj.Extensions {
					if strings.HasSuffix(file, ext) {
						matches = append(matches, file)
					}
				}
			}
			sort.Strings(matches)
			if len(matches) > 1 {
				errs.Add(generator.Pos{File: dir}, "sample %q has several %s files (%s); name one in sample.yaml's files", name, subj.Name, strings.Join(matches, ", "))
				continue
			}
			if len(matches) == 0 {
				continue
			}
			fileName = matches[0]
		}
		data, ok := s.All[fileName]
		if !ok {
			errs.Add(generator.Pos{File: dir + "/sample.yaml"}, "sample %q: file %q for %s does not exist", name, fileName, subj.ID)
			continue
		}
		s.Files = append(s.Files, &File{Subject: subj, Name: fileName, Code: strings.ReplaceAll(string(data), "\r\n", "\n")})
	}
	if len(s.Files) == 0 && len(errs) == 0 {
		errs.Add(pos, "sample %q has no file for any subject (looked for %s)", name, extensions(cfg))
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func unwrap(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func extensions(cfg *generator.Config) string {
	var out []string
	for _, s := range cfg.Subjects {
		out = append(out, s.Extensions...)
	}
	return strings.Join(out, " ")
}

func (s *Sample) decode(file string, data []byte, cfg *generator.Config, override map[string]string) error {
	root, err := meta.Decode(meta.Source{Format: meta.YAML, Data: data, File: file, Line: 1})
	if err != nil {
		return err
	}
	var errs generator.ErrorList
	for _, k := range root.Keys {
		v := root.Map[k]
		switch k {
		case "title":
			s.Title, _ = v.Scalar()
		case "description":
			s.Description, _ = v.Scalar()
		case "timeout":
			d, err := config.ParseDuration(v)
			if err != nil {
				errs.Add(v.Pos, "timeout: %v", err)
				continue
			}
			s.Timeout = d
		case "network":
			if v.Kind != generator.BoolValue {
				errs.Add(v.Pos, "network must be true or false")
				continue
			}
			s.Network = v.Bool
		case "limits":
			if v.Kind != generator.MapValue {
				errs.Add(v.Pos, "limits must be a map with any of %s", strings.Join(config.BoundKeys, ", "))
				continue
			}
			for _, lk := range v.Keys {
				if !config.Bound(&s.Bounds, lk, v.Map[lk], "limits.", &errs) {
					errs.Add(v.Map[lk].KeyPos, "unknown key %q in limits (known: %s)", lk, strings.Join(config.BoundKeys, ", "))
				}
			}
		case "args":
			if v.Kind != generator.ListValue {
				errs.Add(v.Pos, "args must be a list, like [--verbose, input.txt]")
				continue
			}
			for _, item := range v.List {
				a, ok := item.Scalar()
				if !ok {
					errs.Add(item.Pos, "args: each argument must be text, not a %s", item.Kind)
					continue
				}
				s.Args = append(s.Args, a)
			}
		case "stdin":
			switch v.Kind {
			case generator.MapValue:
				for _, sk := range v.Keys {
					f, _ := v.Map[sk].Scalar()
					if sk != "file" {
						errs.Add(v.Map[sk].KeyPos, "unknown key %q in stdin (known: file)", sk)
					} else if err := CheckName(f); err != nil || strings.Contains(f, "/") {
						errs.Add(v.Map[sk].Pos, "stdin: file %q must be a file in the sample's folder", f)
					} else {
						s.StdinFile = f
					}
				}
			case generator.ListValue, generator.NullValue:
				errs.Add(v.Pos, "stdin must be text, or file: NAME for a file in the sample's folder")
			default:
				text, _ := v.Scalar()
				s.Stdin = []byte(text)
			}
		case "exit":
			if v.Kind != generator.IntValue || v.Int < 0 || v.Int > 255 {
				str, _ := v.Scalar()
				errs.Add(v.Pos, "exit must be the exit status every run ends with, 0 to 255, not %q", str)
				continue
			}
			s.Exit, s.ExitSet = int(v.Int), true
		case "show":
			if v.Kind != generator.ListValue {
				errs.Add(v.Pos, "show must be a list of files in the sample's folder, like [data.txt]")
				continue
			}
			for _, item := range v.List {
				f, _ := item.Scalar()
				if err := CheckName(f); err != nil || strings.Contains(f, "/") {
					errs.Add(item.Pos, "show: %q must be a file in the sample's folder", f)
					continue
				}
				s.Show = append(s.Show, f)
			}
		case "env":
			if v.Kind != generator.ListValue {
				errs.Add(v.Pos, "env must be a list of variable names, like [GOFLAGS]")
				continue
			}
			for _, item := range v.List {
				name, _ := item.Scalar()
				if !envName.MatchString(name) {
					errs.Add(item.Pos, "env: %q is not a variable name (letters, digits and _)", name)
					continue
				}
				s.Env = append(s.Env, name)
			}
		case "serve":
			if v.Kind != generator.MapValue {
				errs.Add(v.Pos, "serve must be a map with env, path and expect")
				continue
			}
			s.Serve = &Serve{Env: "PORT", Path: "/"}
			for _, sk := range v.Keys {
				sv, _ := v.Map[sk].Scalar()
				switch sk {
				case "env":
					s.Serve.Env = sv
				case "path":
					s.Serve.Path = sv
				case "expect":
					s.Serve.Expect = sv
				default:
					errs.Add(v.Map[sk].KeyPos, "unknown key %q in serve (known: env, path, expect)", sk)
				}
			}
			if !strings.HasPrefix(s.Serve.Path, "/") {
				s.Serve.Path = "/" + s.Serve.Path
			}
		case "bench":
			spec, err := bench.ParseSpec(v)
			if err != nil {
				errs.Append(v.Pos, err)
				continue
			}
			s.Bench = spec
		case "files":
			if v.Kind != generator.MapValue {
				errs.Add(v.Pos, "files must map subject ids to file names")
				continue
			}
			for _, id := range v.Keys {
				if cfg.Subject(id) == nil {
					errs.Add(v.Map[id].KeyPos, "files names unknown subject %q", id)
					continue
				}
				f, _ := v.Map[id].Scalar()
				if err := CheckName(f); err != nil || strings.Contains(f, "/") {
					errs.Add(v.Map[id].Pos, "file %q must be a file in the sample's folder", f)
					continue
				}
				override[id] = f
			}
		default:
			errs.Add(v.KeyPos, "unknown key %q in sample.yaml (known: %s)", k, strings.Join(sampleKeys, ", "))
		}
	}
	return errs.Err()
}

// sampleKeys are the keys sample.yaml may have.
var sampleKeys = []string{"title", "description", "timeout", "serve", "files", "args", "stdin", "exit", "show", "network", "limits", "env", "bench"}

// Checked reports whether a subject's run is compared with anything: its
// expected stdout or stderr, a served response or an exit status.
func (s *Sample) Checked(id string) bool {
	_, out := s.Expected[id]
	_, errOut := s.ExpectedErr[id]
	return out || errOut || s.Serve != nil || s.ExitSet
}

// decorate adds to a run's output what the sample says about it.
func (s *Sample) decorate(id string, out *generator.Output) {
	out.Checked = s.Checked(id)
	out.Same = 0
	if s.Shared[id] {
		// The subjects sharing expected.txt print the same, unless what
		// they must write on stderr differs.
		n, errOut := 0, ""
		same := true
		for _, f := range s.Files {
			if !s.Shared[f.Subject.ID] {
				continue
			}
			e, ok := s.ExpectedErr[f.Subject.ID]
			if !ok {
				e = "\x00none"
			}
			if n > 0 && e != errOut {
				same = false
			}
			n, errOut = n+1, e
		}
		if n > 1 && same {
			out.Same = n
		}
	}
	out.Declared = ""
	for _, f := range s.Files {
		if f.Subject.ID == id && out.Verified && Older(out.Runtime, f.Subject) {
			out.Declared = f.Subject.Version
		}
	}
	out.Shown = nil
	for _, name := range s.Show {
		out.Shown = append(out.Shown, generator.ShownFile{Name: name, Text: strings.ReplaceAll(string(s.All[name]), "\r\n", "\n")})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseLines reads a lines= argument: "3-10", "3" or "3-" (to the end, b
// is 0). The spec does not depend on the file, so a mistake in it is
// reported once, not once per subject.
func ParseLines(spec string) (a, b int, err error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(spec), "-")
	a, err = strconv.Atoi(strings.TrimSpace(lo))
	if err != nil || a < 1 {
		return 0, 0, fmt.Errorf("lines=%q: expected a range like 3-10, a line like 3, or 3- for the rest", spec)
	}
	if !isRange {
		return a, a, nil
	}
	if strings.TrimSpace(hi) == "" {
		return a, 0, nil
	}
	b, err = strconv.Atoi(strings.TrimSpace(hi))
	if err != nil || b < 1 {
		return 0, 0, fmt.Errorf("lines=%q: expected a range like 3-10, a line like 3, or 3- for the rest", spec)
	}
	if b < a {
		return 0, 0, fmt.Errorf("lines=%q is reversed: the first line comes first, as in lines=\"%d-%d\"", spec, b, a)
	}
	return a, b, nil
}

// Lines picks lines a-b (1-based, inclusive) of code: "3-10", "3", "3-".
// A range past the end of the code is an error rather than cut short: the
// writer chose those lines for what they show.
func Lines(code, spec string) (string, int, error) {
	a, b, err := ParseLines(spec)
	if err != nil {
		return "", 0, err
	}
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	if b == 0 {
		b = len(lines)
	}
	if b > len(lines) {
		return "", 0, fmt.Errorf("lines=%q goes past the end: the code has only %d lines", spec, len(lines))
	}
	return strings.Join(lines[a-1:b], "\n"), a, nil
}
