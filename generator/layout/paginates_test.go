package layout

import (
	"testing"
	"testing/fstest"
)

func TestPaginatesWhenTheLayoutShowsThePaginator(t *testing.T) {
	theme := fstest.MapFS{
		"baseof.html":            {Data: []byte(`<head>{{ partial "head.html" . }}</head>{{ block "main" . }}{{ end }}`)},
		"partials/head.html":     {Data: []byte(`{{ with .Paginator }}{{ with .Next }}<link rel="next" href="{{ .URL }}">{{ end }}{{ end }}`)},
		"partials/cards.html":    {Data: []byte(`{{ range .Paginator.Pages }}{{ .Title }}{{ end }}`)},
		"partials/indirect.html": {Data: []byte(`{{ partial "cards" . }}`)},
		"partials/loop.html":     {Data: []byte(`{{ partial "loop.html" . }}`)},
		"field.html":             {Data: []byte(`{{ define "main" }}{{ range .Paginator.Pages }}{{ .Title }}{{ end }}{{ end }}`)},
		"with.html":              {Data: []byte(`{{ define "main" }}{{ with .Paginator }}{{ .PageNumber }}{{ end }}{{ end }}`)},
		"variable.html":          {Data: []byte(`{{ define "main" }}{{ range .Pages }}{{ $.Paginator.URL }}{{ end }}{{ end }}`)},
		"partial.html":           {Data: []byte(`{{ define "main" }}{{ partial "indirect.html" . }}{{ end }}`)},
		"whole.html":             {Data: []byte(`<p>{{ if true }}{{ else }}{{ .Paginator.TotalPages }}{{ end }}</p>`)},
		"pages.html":             {Data: []byte(`{{ define "main" }}{{ range .Pages }}{{ .Title }}{{ end }}{{ partial "loop.html" . }}{{ end }}`)},
		"dynamic.html":           {Data: []byte(`{{ define "main" }}{{ partial (printf "%s.html" "cards") . }}{{ end }}`)},
		"commentonly.html":       {Data: []byte(`{{ define "main" }}{{/* .Paginator */}}{{ .Title }}{{ end }}`)},
		"paginatorish.html":      {Data: []byte(`{{ define "main" }}{{ .Params.Paginators }}{{ end }}`)},
	}
	set, err := Load(theme, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"field": true, "with": true, "variable": true, "partial": true, "whole": true,
		// The head's use through baseof does not count; nor does a partial
		// named by an expression, a comment, or another field.
		"pages": false, "dynamic": false, "commentonly": false, "paginatorish": false,
	} {
		if got := set.Paginates(name); got != want {
			t.Errorf("Paginates(%q) = %v, want %v", name, got, want)
		}
	}
}
