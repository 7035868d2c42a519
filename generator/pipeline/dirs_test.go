package pipeline

import (
	"slices"
	"testing"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/content"
	"github.com/versus-ssg/versus/generator/data"
	"github.com/versus-ssg/versus/generator/i18n"
	"github.com/versus-ssg/versus/generator/layout"
)

// Every folder a stage reads is one of the site's source folders, so that
// watch mode, the nothing-changed check and an incremental generate all
// see an edit in it.
func TestEveryStagesFolderIsASourceFolder(t *testing.T) {
	for _, dir := range []string{content.Dir, layout.Dir, i18n.Dir, data.Dir, AssetsDir} {
		if !slices.Contains(generator.SourceDirs(), dir) {
			t.Errorf("%s/ is read by a build but is not in generator.SourceDirs", dir)
		}
	}
}
