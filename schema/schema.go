// Package schema holds the JSON Schemas of versus's YAML files: site
// settings, page front matter and sample.yaml. Editors that speak the YAML
// language server (VS Code's YAML extension, Neovim, Helix, Zed, JetBrains)
// use them to complete keys, show what each one means and flag a misspelt
// one as it is typed. They are embedded so that "versus new" can give a
// site the schemas of the very binary that will read its files.
package schema

import "embed"

// Files names the schemas: site.yaml, front matter and sample.yaml.
const (
	Site        = "site.schema.json"
	FrontMatter = "frontmatter.schema.json"
	Sample      = "sample.schema.json"
)

// FS holds the schema files by those names.
//
//go:embed *.schema.json
var FS embed.FS
