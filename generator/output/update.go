package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// Update brings an output folder written earlier up to date in place: it
// writes the changed files (each through a temporary file renamed over the
// old one, so a static server never reads half a file) and removes the
// removed ones. Watch mode uses it after each rebuild; a full write goes
// through Stage and Commit. Every path is opened through os.Root, so a link
// planted in the folder never leads a write outside it.
func Update(dest string, files map[string][]byte, changed, removed []string) error {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	var errs []error
	for _, name := range changed {
		data, ok := files[name]
		if !ok {
			continue
		}
		if !fs.ValidPath(name) || name == "." {
			errs = append(errs, fmt.Errorf("invalid output path %q", name))
			continue
		}
		if err := writeInRoot(root, name, data); err != nil {
			errs = append(errs, err)
		}
	}
	for _, name := range removed {
		if !fs.ValidPath(name) || name == "." {
			errs = append(errs, fmt.Errorf("invalid output path %q", name))
			continue
		}
		if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		// Drop folders the removal left empty, up to the destination.
		for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
			if root.Remove(dir) != nil {
				break // not empty, or gone
			}
		}
	}
	return errors.Join(errs...)
}
