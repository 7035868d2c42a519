package scaffold

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
)

// ArchetypeDir is the folder of a site that holds its archetypes: the
// templates of new pages, one per section, as in Hugo.
const ArchetypeDir = "archetypes"

// FindArchetype returns the archetype for a new page in section:
// archetypes/SECTION.md, else archetypes/default.md. file is "" when the
// site has neither, and the built-in scaffold is used.
func FindArchetype(fsys fs.FS, section string) (file string, data []byte, err error) {
	var names []string
	if section != "" {
		names = append(names, section+".md")
	}
	names = append(names, "default.md")
	for _, n := range names {
		file := path.Join(ArchetypeDir, n)
		data, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, generator.Errorf(generator.Pos{File: file}, "%v", err)
		}
		return file, data, nil
	}
	return "", nil, nil
}

// Data is what an archetype sees.
type Data struct {
	// Title is the page's first title: the title asked for, or one made
	// from the file name.
	Title string
	// Name is the file name without extension ("loops"), Hugo's .Name.
	Name string
	// Section is the top folder under content/ ("basics"), "" at the top.
	Section string
	// File is the new page's path from the site root.
	File string
	// Date is today, as 2026-11-23.
	Date string
	// Subjects are the subjects to compare: the site's, or --subjects.
	Subjects []*generator.Subject
	// Schema is the path from the new page to the front matter's JSON
	// Schema, for a yaml-language-server modeline.
	Schema string
}

// NewData describes the page t for an archetype.
func NewData(t Target, subjects []*generator.Subject, now time.Time, schema string) Data {
	return Data{Title: t.Title, Name: t.Name, Section: t.Section, File: t.Path,
		Date: now.Format("2006-01-02"), Subjects: subjects, Schema: schema}
}

// funcs are the archetype's functions: Hugo's names, where Hugo has one.
var funcs = template.FuncMap{
	// quote makes a YAML double-quoted string (a JSON string is one), so
	// a title with a colon or a quote stays valid front matter.
	"quote": func(s string) (string, error) {
		j, err := json.Marshal(s)
		return string(j), err
	},
	"replace": func(s, old, new string) string { return strings.ReplaceAll(s, old, new) },
	"lower":   strings.ToLower,
	"upper":   strings.ToUpper,
	"title":   titleCase,
	"join": func(sep string, list any) string {
		switch l := list.(type) {
		case []string:
			return strings.Join(l, sep)
		case []*generator.Subject:
			ids := make([]string, len(l))
			for i, s := range l {
				ids[i] = s.ID
			}
			return strings.Join(ids, sep)
		}
		return ""
	},
}

func titleCase(s string) string {
	r := []rune(s)
	for i := range r {
		if i == 0 || unicode.IsSpace(r[i-1]) {
			r[i] = unicode.ToUpper(r[i])
		}
	}
	return string(r)
}

// Render fills the archetype in file with d, and checks that the page it
// makes would load: a broken archetype is reported at its own line rather
// than leaving a page that fails the next build.
func Render(file string, archetype []byte, d Data) ([]byte, error) {
	tmpl, err := template.New(file).Funcs(funcs).Option("missingkey=error").Parse(string(archetype))
	if err != nil {
		return nil, templateError(file, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, d); err != nil {
		return nil, templateError(file, fmt.Errorf("%w (an archetype sees .Title, .Name, .Section, .File, .Date, .Subjects and .Schema)", err))
	}
	if _, errs := content.Parse(d.File, b.Bytes()); len(errs) > 0 {
		var list generator.ErrorList
		for _, e := range errs {
			list.Add(generator.Pos{File: file}, "the page this archetype makes would not load: %v", e)
		}
		return nil, list.Err()
	}
	return b.Bytes(), nil
}

// templateError turns a text/template error, which reads
// "template: archetypes/x.md:3: message" (its name is the file), into
// "archetypes/x.md:3: message". text/template offers its position only in
// the text, so the prefix is the one thing removed.
func templateError(file string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if strings.HasPrefix(msg, file+":") {
		return errors.New(msg)
	}
	return generator.Errorf(generator.Pos{File: file}, "%s", msg)
}
