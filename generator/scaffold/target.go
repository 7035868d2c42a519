package scaffold

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/versus-ssg/versus/generator/content"
)

// Target is where a new page goes and the title it starts with.
type Target struct {
	// Path is the page's file from the site root: content/basics/loops.md.
	Path string
	// Section is the page's top folder under content/ ("basics"), which
	// picks its archetype; "" for a page at the top.
	Section string
	// Name is the file's name without its extension ("loops"); for
	// _index.md and index.md, the folder's.
	Name string
	// Title is the page's first title.
	Title string
	// Index is true for a section's own page, _index.md.
	Index bool
}

// Resolve reads what a writer asked "versus new" for, as Hugo's "hugo new"
// does:
//
//   - a file path ("basics/loops.md", also "content/basics/loops.md")
//     names the file as written; the title comes from the file name
//     ("loops" → "Loops");
//   - a title, possibly under sections ("Go vs Rust", "basics/Loops"),
//     is slugified into the file name (content/basics/loops.md) and kept
//     as the title.
//
// It refuses paths that leave content/ or point into content/samples/.
func Resolve(arg string) (Target, error) {
	arg = strings.TrimSpace(strings.ReplaceAll(arg, "\\", "/"))
	if arg == "" {
		return Target{}, fmt.Errorf(`give the page's title or path, e.g. versus new "Go vs Rust" or versus new basics/loops.md`)
	}
	if strings.HasPrefix(arg, "/") {
		return Target{}, fmt.Errorf("%q is an absolute path; name the page relative to content/, e.g. basics/loops.md", arg)
	}
	var segs []string
	for _, s := range strings.Split(arg, "/") {
		switch s {
		case "", ".":
			continue
		case "..":
			return Target{}, fmt.Errorf("%q leaves content/; name the page relative to content/, e.g. basics/loops.md", arg)
		}
		segs = append(segs, s)
	}
	if len(segs) > 1 && segs[0] == content.Dir {
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return Target{}, fmt.Errorf("%q names no page; give a title or a path like basics/loops.md", arg)
	}
	last := segs[len(segs)-1]
	dirs := segs[:len(segs)-1]
	ext := path.Ext(last)
	isFile := ext == ".md" || ext == ".markdown"
	var t Target
	if isFile {
		t.Name = strings.TrimSuffix(last, ext)
		if t.Name == "" || strings.HasPrefix(last, ".") {
			return Target{}, fmt.Errorf("%q is not a page's file name; try basics/loops.md", arg)
		}
	} else {
		// A title: every part becomes a URL segment.
		for i, d := range dirs {
			if dirs[i] = content.URLSegment(d); dirs[i] == "" {
				return Target{}, fmt.Errorf("the section %q has no letters or digits to make a folder name from", d)
			}
		}
		t.Name = content.URLSegment(last)
		if t.Name == "" {
			return Target{}, fmt.Errorf("%q has no letters or digits to make a file name from", last)
		}
		t.Title = last
		ext = ".md"
		last = t.Name + ext
	}
	if len(dirs) > 0 && dirs[0] == content.SamplesDir {
		return Target{}, fmt.Errorf("content/%s/ holds code samples, not pages; put the page in another folder", content.SamplesDir)
	}
	t.Path = path.Join(append(append([]string{content.Dir}, dirs...), last)...)
	if len(dirs) > 0 {
		t.Section = dirs[0]
	}
	if t.Name == "_index" || t.Name == "index" {
		t.Index = t.Name == "_index"
		if len(dirs) == 0 {
			if t.Index {
				t.Name = ""
			} else {
				return Target{}, fmt.Errorf("content/index.md would be the home page; the home page's text goes in content/_index.md")
			}
		} else {
			t.Name = dirs[len(dirs)-1]
		}
	}
	if t.Title == "" {
		t.Title = TitleFromName(t.Name)
		if t.Title == "" {
			t.Title = "Home"
		}
	}
	return t, nil
}

// TitleFromName makes a first title from a file name, as versus titles a
// page that has none: dashes and underscores become spaces and the first
// letter a capital ("getting-started" → "Getting started").
func TitleFromName(name string) string {
	name = strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	r := []rune(name)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
