package data

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadNestsFoldersAndLooksUp(t *testing.T) {
	fsys := fstest.MapFS{
		"data/versions.yaml":       {Data: []byte("node:\n  lts: 24.11.1\n  lines: [22, 24]\n")},
		"data/team/people.json":    {Data: []byte(`[{"name": "Ada"}, {"name": "Grace"}]`)},
		"data/team/more/deep.toml": {Data: []byte("x = 1\n")},
		"data/.versions.yaml.swp":  {Data: []byte("\x00")},
		"data/versions.yaml~":      {Data: []byte("old")},
		"data/empty.yaml":          {Data: []byte("")},
	}
	root, err := Load(fsys, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(root.Keys, ","); got != "empty,team,versions" {
		t.Errorf("keys %s", got)
	}
	for path, want := range map[string]string{
		"versions.node.lts":     "24.11.1",
		"versions.node.lines.1": "24",
		"team.people.1.name":    "Grace",
		"team.more.deep.x":      "1",
	} {
		n, err := Lookup(root, path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if s, _ := n.Scalar(); s != want {
			t.Errorf("%s = %q, want %q", path, s, want)
		}
	}
	n, _ := Lookup(root, "versions.node.lts")
	if n.Pos.File != "data/versions.yaml" || n.Pos.Line != 2 {
		t.Errorf("position %v, want data/versions.yaml:2", n.Pos)
	}
	for path, want := range map[string]string{
		"versions.node.lst":     `data/versions.yaml has no key "lst" under versions.node (did you mean "versions.node.lts"?)`,
		"versions.node.lines.2": `versions.node.lines is a list of 2 in data/versions.yaml; pick an item by its number from 0`,
		"versions.node.lts.x":   `versions.node.lts is a string in data/versions.yaml, with no keys`,
		"team.peple":            `(did you mean "team.people"?)`,
		"nope":                  `no file data/nope.yaml`,
		"":                      `an empty data path`,
	} {
		if _, err := Lookup(root, path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Lookup(%q) = %v, want it to say %s", path, err, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(fstest.MapFS{
		"data/a.yaml":      {Data: []byte("k: 1\n")},
		"data/a.json":      {Data: []byte(`{"k": 2}`)},
		"data/b.yaml":      {Data: []byte("k: [1\n")},
		"data/node.v1.yml": {Data: []byte("k: 1\n")},
		"data/c.csv":       {Data: []byte("a,b\n")},
	}, 0)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`data/a.yaml: data/a.json and data/a.yaml both give the data key "a"`,
		`data/b.yaml:1:4: sequence end token`,
		`data/node.v1.yml: "node.v1" cannot be a key of a data path`,
		`data/c.csv: a data file is YAML`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	// No data/ is no data.
	root, err := Load(fstest.MapFS{"site.yaml": {Data: []byte("title: T\n")}}, 0)
	if err != nil || len(root.Keys) != 0 {
		t.Errorf("without data/: %v, %v", root, err)
	}
	if _, err := Lookup(root, "versions.node"); err == nil || !strings.Contains(err.Error(), "the site has no data files; add data/versions.yaml") {
		t.Errorf("lookup without data: %v", err)
	}
}
