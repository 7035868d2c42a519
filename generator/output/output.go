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
	"path"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Staging is a build being written beside its destination.
type Staging struct {
	Dest string
	Tmp  string
	// dirs remembers the folders already made, so each is made once and
	// no write first fails for want of its folder.
	dirs sync.Map
	// keep, when set, links unchanged files from the previous output.
	keep *keeper
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
	if dir := path.Dir(name); dir != "." {
		if err := s.mkdir(dir); err != nil {
			return err
		}
	}
	if s.keep != nil && s.keep.reuse(s, name, data) {
		return nil
	}
	return writeFile(filepath.Join(s.Tmp, filepath.FromSlash(name)), data)
}

// mkdir makes a folder of the staging tree and its parents, once each.
func (s *Staging) mkdir(dir string) error {
	if _, done := s.dirs.Load(dir); done {
		return nil
	}
	if parent := path.Dir(dir); parent != "." {
		if err := s.mkdir(parent); err != nil {
			return err
		}
	}
	err := unix.Mkdir(filepath.Join(s.Tmp, filepath.FromSlash(dir)), 0o755)
	if err != nil && err != unix.EEXIST {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	s.dirs.Store(dir, true)
	return nil
}

// writeFile writes a whole file with three system calls. os.WriteFile
// also sets the file non-blocking and offers it to the network poller,
// which for tens of thousands of small output files is most of the cost.
func writeFile(p string, data []byte) error {
	fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: p, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: p, Err: err}
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
