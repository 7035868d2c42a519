package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Update brings an output folder written earlier up to date in place: it
// writes the changed files (each through a temporary file renamed over the
// old one, so a static server never reads half a file) and removes the
// removed ones. Watch mode uses it after each rebuild; a full write goes
// through Stage and Commit.
func Update(dest string, files map[string][]byte, changed, removed []string) error {
	var errs []error
	for _, name := range changed {
		data, ok := files[name]
		if !ok {
			continue
		}
		if err := writeAtomic(dest, name, data); err != nil {
			errs = append(errs, err)
		}
	}
	for _, name := range removed {
		if !fs.ValidPath(name) || name == "." {
			errs = append(errs, fmt.Errorf("invalid output path %q", name))
			continue
		}
		p := filepath.Join(dest, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		// Drop folders the removal left empty, up to the destination.
		for dir := filepath.Dir(p); dir != dest && len(dir) > len(dest); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break // not empty, or gone
			}
		}
	}
	return errors.Join(errs...)
}

func writeAtomic(dest, name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	p := filepath.Join(dest, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".versus-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(f.Name(), 0o644)); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	return nil
}
