package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// SyncStats counts what an in-place update did.
type SyncStats struct {
	Written, Removed int
}

// syncInPlace brings a destination that cannot be swapped (a mount point:
// rename fails with "device or resource busy") up to date from the staging
// folder: first every new or changed file is written (each through a
// temporary file renamed over the old one, so a server never reads half a
// file), then what the new build does not have is removed. Links in the
// destination are removed first, never followed, and every path is opened
// through os.Root, so nothing is written outside it. The staging folder is
// removed at the end.
func (s *Staging) syncInPlace() error {
	root, err := os.OpenRoot(s.Dest)
	if err != nil {
		return err
	}
	defer root.Close()
	want := map[string]bool{}     // files of the new build
	wantDirs := map[string]bool{} // and their folders
	var names []string
	err = filepath.WalkDir(s.Tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == s.Tmp {
			return err
		}
		name := filepath.ToSlash(p[len(s.Tmp)+1:])
		if d.IsDir() {
			wantDirs[name] = true
		} else {
			want[name] = true
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// What is in the way: links, and anything that is neither a file nor a
	// folder, and a file where a folder must be (or the reverse).
	var stale []string
	err = filepath.WalkDir(s.Dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == s.Dest {
			return err
		}
		name := filepath.ToSlash(p[len(s.Dest)+1:])
		switch {
		case d.IsDir() && want[name]:
			// A folder where the new build has a file.
			if err := root.RemoveAll(name); err != nil {
				return err
			}
			s.Synced.Removed++
			return fs.SkipDir
		case d.IsDir() && !wantDirs[name]:
			stale = append(stale, name)
			return fs.SkipDir
		case d.IsDir():
			return nil
		case !d.Type().IsRegular() || wantDirs[name]:
			if err := root.Remove(name); err != nil {
				return err
			}
			s.Synced.Removed++
		case !want[name]:
			stale = append(stale, name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(s.Tmp, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		if old, err := root.Lstat(name); err == nil && old.Mode().IsRegular() && old.Size() == int64(len(data)) {
			if cur, err := root.ReadFile(name); err == nil && bytes.Equal(cur, data) {
				continue
			}
		}
		if err := writeInRoot(root, name, data); err != nil {
			return err
		}
		s.Synced.Written++
	}
	for _, name := range stale {
		if err := root.RemoveAll(name); err != nil {
			return err
		}
		s.Synced.Removed++
	}
	s.InPlace = true
	return os.RemoveAll(s.Tmp)
}

// writeInRoot writes name under root through a temporary file renamed over
// it, making its folders (a file in a folder's way was removed before).
func writeInRoot(root *os.Root, name string, data []byte) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := path.Join(path.Dir(name), ".versus-"+path.Base(name)+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return nil
}
