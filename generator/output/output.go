// Package output writes a build to disk safely: into a temporary folder
// beside the destination, swapped into place only when the build succeeded,
// so a failed build leaves the previous output untouched and a static server
// never sees a half-written site.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Staging is a build being written beside its destination.
type Staging struct {
	Dest string
	Tmp  string
}

// Check refuses destinations that generate must never replace: the root,
// the home folder, the source itself or a folder that contains the source.
func Check(dest, source string) error {
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	s, err := filepath.Abs(source)
	if err != nil {
		return err
	}
	d, s = resolve(d), resolve(s)
	if d == string(filepath.Separator) || d == filepath.VolumeName(d)+string(filepath.Separator) {
		return fmt.Errorf("refusing to write the site to %s: it would replace the whole file system", dest)
	}
	if home, err := os.UserHomeDir(); err == nil && d == resolve(home) {
		return fmt.Errorf("refusing to write the site to %s: it is your home folder", dest)
	}
	if d == s {
		return fmt.Errorf("refusing to write the site to %s: it is the source folder", dest)
	}
	if rel, err := filepath.Rel(d, s); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		return fmt.Errorf("refusing to write the site to %s: it contains the source folder %s", dest, source)
	}
	if fi, err := os.Stat(d); err == nil && !fi.IsDir() {
		return fmt.Errorf("refusing to write the site to %s: it is a file, not a folder", dest)
	}
	return nil
}

// resolve follows symbolic links where the path exists, so a link to the
// source is recognised as the source.
func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	// Resolve the longest existing parent.
	dir, base := filepath.Split(p)
	if dir == "" || dir == p {
		return p
	}
	return filepath.Join(resolve(filepath.Clean(dir)), base)
}

// Stage checks dest and creates the temporary folder beside it.
func Stage(dest, source string) (*Staging, error) {
	if err := Check(dest, source); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".versus-new-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	return &Staging{Dest: abs, Tmp: tmp}, nil
}

// Write writes one output file into the staging folder. It is safe for
// concurrent use.
func (s *Staging) Write(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	p := filepath.Join(s.Tmp, filepath.FromSlash(name))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	return nil
}

// Commit swaps the staging folder into place and removes the previous
// output. Where the system supports it the swap is a single atomic exchange.
func (s *Staging) Commit() error {
	if _, err := os.Lstat(s.Dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.Tmp, s.Dest)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, s.Tmp, unix.AT_FDCWD, s.Dest, unix.RENAME_EXCHANGE); err == nil {
		// s.Tmp now holds the previous output.
		return os.RemoveAll(s.Tmp)
	}
	old := s.Tmp + ".old"
	if err := os.Rename(s.Dest, old); err != nil {
		return err
	}
	if err := os.Rename(s.Tmp, s.Dest); err != nil {
		_ = os.Rename(old, s.Dest)
		return err
	}
	return os.RemoveAll(old)
}

// Abort removes the staging folder; the previous output stays as it was.
func (s *Staging) Abort() error {
	return os.RemoveAll(s.Tmp)
}
