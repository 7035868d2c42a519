package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/compare"
	"github.com/versus-ssg/versus/generator/config"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/samples"
	"github.com/versus-ssg/versus/generator/scaffold"
)

// root is the repository, which is also the showcase site.
const root = ".."

func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	data, err := FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	url := "file:///schema/" + name
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s does not compile: %v", name, err)
	}
	return s
}

// decoded is a YAML or TOML document as versus reads it (dates as dates,
// numbers as numbers), turned into the JSON values a schema checks.
func decoded(t *testing.T, src meta.Source) any {
	t.Helper()
	v, err := tryDecode(src)
	if err != nil {
		t.Fatalf("%s: %v", src.File, err)
	}
	return v
}

// tryDecode is decoded for files that may be broken on purpose.
func tryDecode(src meta.Source) (any, error) {
	n, err := meta.Decode(src)
	if err != nil {
		return nil, err
	}
	j, err := json.Marshal(n.Value())
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(j))
}

func yamlFile(file string, data []byte) meta.Source {
	format := meta.YAML
	if strings.HasSuffix(file, ".toml") {
		format = meta.TOML
	}
	return meta.Source{Format: format, Data: data, File: file, Line: 1}
}

// frontMatter returns a page's front matter, or false when it has none.
func frontMatter(file string, data []byte) (meta.Source, bool) {
	fm, _, _, found, err := meta.Split(file, data)
	return fm, found && err == nil
}

// The showcase's settings, every page's front matter and every sample.yaml
// are valid: a writer who copies them sees no squiggles.
func TestSchemasAcceptTheShowcase(t *testing.T) {
	site, front, sample := compile(t, Site), compile(t, FrontMatter), compile(t, Sample)
	checked := 0
	for _, name := range config.Files {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue
		}
		checked++
		if err := site.Validate(decoded(t, yamlFile(name, data))); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if checked != 1 {
		t.Errorf("the showcase has %d settings files, want 1", checked)
	}
	pages, samplesSeen := 0, 0
	err := filepath.WalkDir(filepath.Join(root, content.Dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		inSamples := strings.HasPrefix(rel, content.Dir+"/"+content.SamplesDir+"/")
		switch {
		case inSamples && d.Name() == "sample.yaml":
			samplesSeen++
			if err := sample.Validate(decoded(t, yamlFile(rel, data))); err != nil {
				t.Errorf("%s: %v", rel, err)
			}
		case !inSamples && strings.HasSuffix(rel, ".md"):
			if fm, ok := frontMatter(rel, data); ok {
				pages++
				if err := front.Validate(decoded(t, fm)); err != nil {
					t.Errorf("%s: %v", rel, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 5 || samplesSeen < 5 {
		t.Errorf("checked only %d pages and %d sample.yaml files of the showcase", pages, samplesSeen)
	}
}

// Misspelt keys are flagged, as the editor shows them while typing.
func TestSchemasRejectMisspeltKeys(t *testing.T) {
	for _, c := range []struct{ schema, doc, key string }{
		{FrontMatter, "tittle: Loops\n", "tittle"},
		{FrontMatter, "title: Loops\ndraf: true\n", "draf"},
		{FrontMatter, "title: A\ncriteria:\n  - nmae: Speed\n    node: fast\n", "name"},
		{FrontMatter, "faq:\n  - q: Why?\n    answer: Because.\n", "answer"},
		{FrontMatter, "date: next tuesday\n", "date"},
		{Site, "tittle: Shells\n", "tittle"},
		{Site, "subjects:\n  node:\n    colour: \"#5fa04e\"\n", "colour"},
		{Site, "subjects:\n  node:\n    color: green\n", "color"},
		{Site, "subjects:\n  winner: {name: W}\n", "winner"},
		{Site, "highlight:\n  dark: github-dark\n", "dark"},
		{Site, "limits:\n  pages: 1MiB\n", "pages"},
		{Site, "limits:\n  file: lots\n", "file"},
		{Site, "strict: yes please\n", "strict"},
		{Sample, "timout: 5s\n", "timout"},
		{Sample, "timeout: 5 seconds\n", "timeout"},
		{Sample, "serve:\n  port: PORT\n", "port"},
	} {
		s := compile(t, c.schema)
		err := s.Validate(decoded(t, yamlFile("test.yaml", []byte(c.doc))))
		if err == nil {
			t.Errorf("%s accepts %q", c.schema, c.doc)
			continue
		}
		if !strings.Contains(err.Error(), c.key) {
			t.Errorf("%s on %q: the error does not name %s:\n%v", c.schema, c.doc, c.key, err)
		}
	}
}

// The test sites in the repository's testdata agree with versus: a
// settings file or sample.yaml versus accepts is valid, one it rejects for
// an unknown key is not; front matter is valid when every key is one
// versus knows and invalid when one is not.
func TestSchemasAgreeWithTheTestSites(t *testing.T) {
	site, front, sample := compile(t, Site), compile(t, FrontMatter), compile(t, Sample)
	known := frontMatterKeys(t)
	var archives []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txtar") && strings.Contains(filepath.ToSlash(p), "/testdata/") {
			archives = append(archives, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no test sites found")
	}
	checked := 0
	for _, file := range archives {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		// A site's files, as versus would read them from its root.
		fsys := fstest.MapFS{}
		for _, f := range ar.Files {
			fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
		for _, f := range ar.Files {
			where := fmt.Sprintf("%s: %s", rel, f.Name)
			base := path.Base(f.Name)
			dir := path.Dir(f.Name)
			switch {
			case strings.HasSuffix(base, "site.yaml") || strings.HasSuffix(base, "site.yml") || strings.HasSuffix(base, "site.toml"):
				checked++
				// Load it as the settings of the site it sits in.
				siteFS := subFS(fsys, dir)
				ext := path.Ext(base)
				siteFS["site"+ext] = &fstest.MapFile{Data: f.Data}
				for _, other := range config.Files {
					if other != "site"+ext {
						delete(siteFS, other)
					}
				}
				_, lerr := config.Load(siteFS)
				doc, err := tryDecode(yamlFile(base, f.Data))
				if err != nil {
					continue // a syntax error, which the editor shows anyway
				}
				agree(t, where, lerr, site.Validate(doc))
			case base == "sample.yaml" && strings.Contains(f.Name, content.Dir+"/"+content.SamplesDir+"/"):
				checked++
				siteRoot := f.Name[:strings.Index(f.Name, content.Dir+"/"+content.SamplesDir+"/")]
				siteFS := subFS(fsys, strings.TrimSuffix(siteRoot, "/"))
				cfg, err := config.Load(siteFS)
				if err != nil {
					continue
				}
				_, lerr := samples.Load(siteFS, cfg, path.Base(dir), generator.Pos{})
				doc, err := tryDecode(yamlFile(base, f.Data))
				if err != nil {
					continue
				}
				agree(t, where, lerr, sample.Validate(doc))
			case strings.HasSuffix(base, ".md") && inContent(f.Name):
				fm, ok := frontMatter(f.Name, f.Data)
				if !ok {
					continue
				}
				n, err := meta.Decode(fm)
				if err != nil {
					continue // a syntax error, which the editor shows anyway
				}
				checked++
				var unknown []string
				for _, k := range n.Keys {
					if !known[k] {
						unknown = append(unknown, k)
					}
				}
				doc, err := tryDecode(fm)
				if err != nil {
					continue
				}
				verr := front.Validate(doc)
				switch {
				case len(unknown) == 0 && verr != nil:
					t.Errorf("%s: versus knows every key, but the schema rejects the front matter: %v", where, verr)
				case len(unknown) > 0 && verr == nil:
					t.Errorf("%s: the schema accepts keys versus does not know: %s", where, strings.Join(unknown, ", "))
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no settings, sample or page in the test sites was checked")
	}
	t.Logf("checked %d files in %d test sites", checked, len(archives))
}

// inContent reports whether an archive's file is a page of a site in it:
// under some content/ folder, outside its samples.
func inContent(name string) bool {
	i := strings.Index("/"+name, "/"+content.Dir+"/")
	return i >= 0 && !strings.HasPrefix(name[i+len(content.Dir)+1:], content.SamplesDir+"/")
}

// subFS is the part of fsys under dir, as its own file system.
func subFS(fsys fstest.MapFS, dir string) fstest.MapFS {
	out := fstest.MapFS{}
	prefix := ""
	if dir != "." && dir != "" {
		prefix = dir + "/"
	}
	for name, f := range fsys {
		if strings.HasPrefix(name, prefix) {
			out[strings.TrimPrefix(name, prefix)] = f
		}
	}
	return out
}

// agree fails unless versus and the schema accept the same file, or versus
// rejects it for a key the schema does not have either. A file versus
// rejects for other reasons (an unknown subject, say) the schema cannot
// know about, so it may pass.
func agree(t *testing.T, where string, load, validate error) {
	t.Helper()
	switch {
	case load == nil && validate != nil:
		t.Errorf("%s: versus accepts it, the schema does not: %v", where, validate)
	case load != nil && strings.Contains(load.Error(), "unknown key") && validate == nil:
		t.Errorf("%s: versus rejects it (%v), the schema accepts it", where, load)
	}
}

// decoderKeys reads the keys a decoder knows from its source: the string
// cases of the switches in function fn of file, nested switches giving
// dotted keys ("highlight.style"), all under prefix. Reading the source
// rather than a hand-kept list means a key added to a decoder and not to
// its schema fails this test.
func decoderKeys(t *testing.T, file, fn, prefix string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var walk func(n ast.Node, prefix string)
	walk = func(n ast.Node, prefix string) {
		ast.Inspect(n, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok {
				return true
			}
			for _, s := range sw.Body.List {
				cc := s.(*ast.CaseClause)
				var labels []string
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							labels = append(labels, v)
						}
					}
				}
				for _, l := range labels {
					keys = append(keys, prefix+l)
				}
				for _, body := range cc.Body {
					for _, l := range labels {
						walk(body, prefix+l+".")
					}
					if len(labels) == 0 {
						walk(body, prefix)
					}
				}
			}
			return false
		})
	}
	found := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn {
			found = true
			walk(fd.Body, prefix)
		}
	}
	if !found || len(keys) == 0 {
		t.Fatalf("no key switch in func %s of %s: update this test to where the keys are decoded now", fn, file)
	}
	return keys
}

// compositeKeys returns the string keys of the map literal assigned to
// variable name in file.
func compositeKeys(t *testing.T, file, name, prefix string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != name || len(vs.Values) != 1 {
			return true
		}
		if cl, ok := vs.Values[0].(*ast.CompositeLit); ok {
			for _, e := range cl.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if lit, ok := kv.Key.(*ast.BasicLit); ok {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							keys = append(keys, prefix+v)
						}
					}
				}
			}
		}
		return false
	})
	if len(keys) == 0 {
		t.Fatalf("no map literal %s in %s: update this test", name, file)
	}
	return keys
}

// frontMatterKeys are the top-level front matter keys versus knows: those
// the page decoder reads, the comparison's, and params.
func frontMatterKeys(t *testing.T) map[string]bool {
	known := map[string]bool{"params": true}
	for _, k := range decoderKeys(t, "generator/content/content.go", "decodeFrontMatter", "") {
		known[k] = true
	}
	for _, k := range compare.Keys {
		known[k] = true
	}
	return known
}

// schemaKeys lists the keys a schema describes, dotted ("highlight.style";
// "subjects.*.name" under a map of ids), and each key without a description.
func schemaKeys(t *testing.T, name string) (keys []string, undescribed []string) {
	t.Helper()
	data, err := FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	defs, _ := doc["$defs"].(map[string]any)
	resolve := func(n map[string]any) map[string]any {
		for depth := 0; depth < 10; depth++ {
			ref, ok := n["$ref"].(string)
			if !ok {
				return n
			}
			target, ok := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
			if !ok {
				t.Fatalf("%s: $ref %s names no definition", name, ref)
			}
			merged := map[string]any{}
			for k, v := range target {
				merged[k] = v
			}
			for k, v := range n {
				if k != "$ref" {
					merged[k] = v
				}
			}
			n = merged
		}
		return n
	}
	seen := map[string]bool{}
	var walk func(n map[string]any, prefix string)
	walk = func(n map[string]any, prefix string) {
		n = resolve(n)
		if props, ok := n["properties"].(map[string]any); ok {
			for k, v := range props {
				p := v.(map[string]any)
				if !seen[prefix+k] {
					seen[prefix+k] = true
					keys = append(keys, prefix+k)
					if d, _ := p["description"].(string); strings.TrimSpace(d) == "" {
						undescribed = append(undescribed, prefix+k)
					}
				}
				walk(p, prefix+k+".")
			}
		}
		if ap, ok := n["additionalProperties"].(map[string]any); ok {
			walk(ap, prefix+"*.")
		}
		if items, ok := n["items"].(map[string]any); ok {
			walk(items, prefix)
		}
		for _, alt := range []string{"oneOf", "anyOf", "allOf"} {
			if list, ok := n[alt].([]any); ok {
				for _, a := range list {
					walk(a.(map[string]any), prefix)
				}
			}
		}
	}
	walk(doc, "")
	sort.Strings(keys)
	return keys, undescribed
}

// Every key a decoder reads is in its schema, and the schema offers no key
// the decoder would reject, so that a key added to versus cannot be
// forgotten here. The message lists exactly what to add.
func TestSchemasKnowEveryKey(t *testing.T) {
	front := []string{"params"}
	front = append(front, decoderKeys(t, "generator/content/content.go", "decodeFrontMatter", "")...)
	front = append(front, compare.Keys...)
	front = append(front, compositeKeys(t, "generator/compare/compare.go", "criterionKeys", "criteria.")...)
	// The bounds of a sample run, read by config.Bound in both files.
	bounds := func(prefix string) []string {
		var out []string
		for _, k := range config.BoundKeys {
			out = append(out, prefix+k)
		}
		return out
	}
	for _, c := range []struct {
		schema, decoders string
		keys             []string
		// strict: the schema may only offer keys the decoder lists (the
		// front matter's decoders do not list every nested key).
		strict bool
	}{
		{Site, "generator/config/config.go", append(
			decoderKeys(t, "generator/config/config.go", "decode", ""),
			append(append(append(append(decoderKeys(t, "generator/config/config.go", "subjects", "subjects.*."),
				"samples.timeout", "samples.maxAge", "samples.readOnly"), bounds("samples.")...),
				// Menu entries, read by menu.Settings under either name.
				decoderKeys(t, "generator/menu/menu.go", "entry", "menus.*.")...),
				decoderKeys(t, "generator/menu/menu.go", "entry", "menu.*.")...)...), true},
		{FrontMatter, "generator/content/content.go, generator/compare/compare.go", front, false},
		{Sample, "generator/samples/samples.go, generator/bench/spec.go", append(append(append(decoderKeys(t, "generator/samples/samples.go", "decode", ""), "stdin.file"), bounds("limits.")...),
			decoderKeys(t, "generator/bench/spec.go", "ParseSpec", "bench.")...), true},
	} {
		have, undescribed := schemaKeys(t, c.schema)
		var missing, extra []string
		for _, k := range c.keys {
			if !slices.Contains(have, k) && !slices.Contains(missing, k) {
				missing = append(missing, k)
			}
		}
		for _, k := range have {
			top, _, nested := strings.Cut(k, ".")
			if !slices.Contains(c.keys, k) && (c.strict || !nested || top == "criteria" && !strings.Contains(strings.TrimPrefix(k, "criteria."), ".")) {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("schema/%s lacks %d %s that %s decodes: %s\n\tadd each under \"properties\" with the type versus accepts and a description from docs/content.md",
				c.schema, len(missing), plural(len(missing), "key", "keys"), c.decoders, strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			t.Errorf("schema/%s offers %s that %s does not decode (versus would reject them): %s",
				c.schema, plural(len(extra), "a key", "keys"), c.decoders, strings.Join(extra, ", "))
		}
		if len(undescribed) > 0 {
			t.Errorf("schema/%s: no description for %s (editors show it on hover; take it from docs/content.md)", c.schema, strings.Join(undescribed, ", "))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// What "versus new" writes passes the schema its modeline names.
func TestScaffoldedPagesAreValid(t *testing.T) {
	front := compile(t, FrontMatter)
	subjects := []*generator.Subject{{ID: "node", Name: "Node.js"}, {ID: "python", Name: "Python"}}
	for _, a := range []scaffold.Article{
		{Title: "Node.js vs Python: streams", Subjects: subjects, Date: time.Now(), Schema: "x"},
		{Title: "Notes", Date: time.Now()},
		{Title: "Basics", Index: true, Schema: "x"},
	} {
		text := scaffold.Text(a)
		fm, ok := frontMatter("content/x.md", text)
		if !ok {
			t.Fatalf("no front matter in\n%s", text)
		}
		if err := front.Validate(decoded(t, fm)); err != nil {
			t.Errorf("%v\n%s", err, text)
		}
		if a.Schema != "" && !strings.Contains(string(text), "\n# yaml-language-server: $schema=x\n") {
			t.Errorf("no modeline:\n%s", text)
		}
	}
}

// Settings in every form versus reads are valid: the schema must not
// squiggle what builds.
func TestSchemasAcceptWhatVersusAccepts(t *testing.T) {
	site := compile(t, Site)
	for _, doc := range []string{
		"limits:\n  page: 512 KiB\n  file: 1.5GiB\n  sample: 1048576\n",
		"limits: {page: 8MB}\nstrict: true\n",
		"baseurl: https://example.org/\nlanguageCode: de\n",
		"subjects:\n  go:\n    version: 1.26\n    extensions: .go\n    run: [go, run, \"{file}\"]\n    color: \"#0af\"\n",
		"subjects:\n  c-sharp_2: {}\n",
		"highlight:\n  style: monokai\nmarkdown: {unsafe: true}\nparams: {repo: x}\n",
		"samples:\n  maxAge: 90d\n",
		"samples: {maxAge: 12w}\n",
		"samples:\n  timeout: 20s\n  cpu: 1m\n  memory: 4GiB\n  processes: 512\n  openFiles: 64\n  fileSize: 1MiB\n  output: 256KiB\n  readOnly: [/opt/sdk]\n",
	} {
		if _, err := config.Load(fstest.MapFS{"site.yaml": {Data: []byte(doc)}}); err != nil {
			t.Errorf("versus rejects %q: %v", doc, err)
			continue
		}
		if err := site.Validate(decoded(t, yamlFile("site.yaml", []byte(doc)))); err != nil {
			t.Errorf("the schema rejects %q, which versus accepts: %v", doc, err)
		}
	}
}
