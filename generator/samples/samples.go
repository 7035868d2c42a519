// Package samples reads code samples: one folder per sample under
// content/samples/, one file per subject matched by extension, an optional
// sample.yaml and the expected output. Running and verifying them lives in
// run.go; this file only reads.
package samples

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"versus/generator"
	"versus/generator/meta"
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

// inside reports whether a symbolic link at p (in fsys) points inside Dir.
func inside(fsys fs.FS, p string) error {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return nil
	}
	// Check every element from Dir down, so a linked folder is caught too.
	rel := strings.TrimPrefix(p, Dir+"/")
	cur := Dir
	for _, part := range strings.Split(rel, "/") {
		cur = cur + "/" + part
		fi, err := rl.Lstat(cur)
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := rl.ReadLink(cur)
		if err != nil {
			return err
		}
		if path.IsAbs(target) {
			return fmt.Errorf("%s is a link to %s, outside %s/", cur, target, Dir)
		}
		resolved := path.Join(path.Dir(cur), target)
		if resolved != Dir && !strings.HasPrefix(resolved, Dir+"/") {
			return fmt.Errorf("%s is a link that leaves %s/", cur, Dir)
		}
	}
	return nil
}

// Load reads the sample folder content/samples/NAME.
func Load(fsys fs.FS, cfg *generator.Config, name string, pos generator.Pos) (*Sample, error) {
	if err := CheckName(name); err != nil {
		return nil, generator.Errorf(pos, "%v", err)
	}
	dir := Dir + "/" + name
	if err := inside(fsys, dir); err != nil {
		return nil, generator.Errorf(pos, "sample %q: %v", name, err)
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, generator.Errorf(pos, "sample %q: no folder %s/ (%v)", name, dir, unwrap(err))
	}
	s := &Sample{Name: name, Title: name, Timeout: DefaultTimeout, All: map[string][]byte{}, Exec: map[string]bool{}, Expected: map[string]string{}, Pos: pos}
	override := map[string]string{}
	var errs generator.ErrorList
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "__pycache__" || e.Name() == "node_modules" {
			continue
		}
		if err := inside(fsys, p); err != nil {
			errs.Add(pos, "sample %q: %v", name, err)
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs.Add(generator.Pos{File: p}, "%v", unwrap(err))
			continue
		}
		s.All[e.Name()] = data
		if fi, err := fs.Stat(fsys, p); err == nil && fi.Mode()&0o111 != 0 {
			s.Exec[e.Name()] = true
		}
		if e.Name() == "sample.yaml" || e.Name() == "sample.yml" {
			if err := s.decode(p, data, cfg, override); err != nil {
				errs.Append(generator.Pos{File: p}, err)
			}
		}
	}
	for file, data := range s.All {
		switch {
		case file == "expected.txt":
			for _, subj := range cfg.Subjects {
				if _, ok := s.Expected[subj.ID]; !ok {
					s.Expected[subj.ID] = string(data)
				}
			}
		case strings.HasPrefix(file, "expected.") && strings.HasSuffix(file, ".txt"):
			id := strings.TrimSuffix(strings.TrimPrefix(file, "expected."), ".txt")
			if cfg.Subject(id) == nil {
				errs.Add(generator.Pos{File: dir + "/" + file}, "%s names unknown subject %q", file, id)
				continue
			}
			s.Expected[id] = string(data)
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
			str, _ := v.Scalar()
			if v.Kind == generator.Int {
				str += "s"
			}
			d, err := time.ParseDuration(str)
			if err != nil || d <= 0 {
				errs.Add(v.Pos, "timeout must be a duration like 10s, not %q", str)
				continue
			}
			s.Timeout = d
		case "serve":
			if v.Kind != generator.Map {
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
		case "files":
			if v.Kind != generator.Map {
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
			errs.Add(v.KeyPos, "unknown key %q in sample.yaml (known: title, description, timeout, serve, files)", k)
		}
	}
	return errs.Err()
}

// Lines picks lines a-b (1-based, inclusive) of code: "3-10", "3", "3-".
func Lines(code, spec string) (string, int, error) {
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	lo, hi, isRange := strings.Cut(strings.TrimSpace(spec), "-")
	var a, b int
	if _, err := fmt.Sscanf(lo, "%d", &a); err != nil || a < 1 {
		return "", 0, fmt.Errorf("lines=%q: expected a range like 3-10", spec)
	}
	b = a
	if isRange {
		if hi == "" {
			b = len(lines)
		} else if _, err := fmt.Sscanf(hi, "%d", &b); err != nil || b < a {
			return "", 0, fmt.Errorf("lines=%q: expected a range like 3-10", spec)
		}
	}
	if a > len(lines) {
		return "", 0, fmt.Errorf("lines=%q: the file has only %d lines", spec, len(lines))
	}
	b = min(b, len(lines))
	return strings.Join(lines[a-1:b], "\n"), a, nil
}
