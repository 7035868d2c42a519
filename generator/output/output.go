// Package output writes a build to disk safely: into a temporary folder
// beside the destination, swapped into place only when the build succeeded,
// so a failed build leaves the previous output untouched and a static server
// never sees a half-written site.
package output

import (
	"context"
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
	// Cleaned lists what earlier runs that were killed left beside the
	// destination and Stage removed.
	Cleaned []string
	// InPlace is set by Commit when the destination could not be swapped
	// (a mount point) and was brought up to date in place instead.
	InPlace bool
	// Synced counts what that in-place update wrote and removed.
	Synced SyncStats
	// tmpFd is the staging folder, every write is made beneath it.
	tmpFd int
	// lock keeps other versus runs away from the destination's folder
	// while this one stages and swaps.
	lock *Lock
	// dirs remembers the folders already made, so each is made once and
	// no write first fails for want of its folder.
	dirs sync.Map
	// keep, when set, links unchanged files from the previous output.
	keep *keeper
	// saveErr, when set (by tests), fails the manifest write, as a full
	// disk does.
	saveErr error
	// removed is closed once the previous output, swapped out by Commit,
	// is gone (or kept, see KeepPrevious); the lock is released only then.
	removed chan struct{}
	// prevDir is where Commit keeps the output it swaps out (KeepPrevious);
	// keptPrev says it did, for the manifest.
	prevDir  string
	keptPrev bool
	// recycled says the staging folder is the output kept by the previous
	// build (Recycle); recycling is closed when Recycle is done, with
	// recycleErr saying why it could not.
	recycled   bool
	recycling  chan struct{}
	recycleErr error
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

// Stage checks dest, takes the lock on its parent folder, removes what
// killed runs left there and creates the temporary folder beside dest.
func Stage(dest, source string) (*Staging, error) {
	return StageContext(context.Background(), dest, source, nil)
}

// StageContext is Stage that stops waiting for the lock when ctx ends;
// waiting, when not nil, is called once if another run holds the lock.
func StageContext(ctx context.Context, dest, source string, waiting func()) (*Staging, error) {
	if err := Check(dest, source); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(abs)
	lock, err := LockDir(ctx, parent, waiting)
	if err != nil {
		return nil, err
	}
	s := &Staging{Dest: abs, lock: lock, tmpFd: -1}
	// With the lock held no other run is staging here: every staging
	// folder left is a killed run's.
	s.Cleaned, err = removeLeftovers(parent, stagePrefix(abs))
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, stagePrefix(abs))
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	s.Tmp = tmp
	if err := os.Chmod(tmp, 0o755); err != nil {
		s.Abort()
		return nil, err
	}
	s.tmpFd, err = unix.Open(tmp, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		s.tmpFd = -1
		s.Abort()
		return nil, &fs.PathError{Op: "open", Path: tmp, Err: err}
	}
	return s, nil
}

// stagePrefix starts the names of dest's staging folders: .public.versus-new-.
func stagePrefix(dest string) string {
	return "." + filepath.Base(dest) + ".versus-new-"
}

// removeLeftovers removes the entries of dir whose names start with prefix
// (staging folders of killed runs, and the previous outputs a killed swap
// left); links are removed, never followed.
func removeLeftovers(dir, prefix string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(p); err != nil {
			return removed, fmt.Errorf("removing %s, left by an earlier run: %w", p, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// Write writes one output file into the staging folder. It is safe for
// concurrent use.
func (s *Staging) Write(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("invalid output path %q", name)
	}
	s.awaitRecycle()
	if dir := path.Dir(name); dir != "." {
		if err := s.mkdir(dir); err != nil {
			return err
		}
	}
	if s.tmpFd < 0 {
		return fmt.Errorf("writing %s: the build was already committed or aborted", name)
	}
	if s.keep == nil {
		return writeFile(s.tmpFd, name, data)
	}
	e := entryOf(data)
	if s.recycled {
		if s.keep.current(s, name, e) {
			return nil
		}
		// The recycled tree's file may be the live output's own: it is
		// replaced, never written into.
		if err := unlinkBeneath(s.tmpFd, name); err != nil {
			return err
		}
	}
	if !s.keep.link(s, name, data, e) {
		if err := writeFile(s.tmpFd, name, data); err != nil {
			return err
		}
	}
	s.keep.record(name, e)
	return nil
}

// mkdir makes a folder of the staging tree and its parents, once each,
// each inside its parent as opened without following links.
func (s *Staging) mkdir(dir string) error {
	if _, done := s.dirs.Load(dir); done {
		return nil
	}
	parent := path.Dir(dir)
	if parent != "." {
		if err := s.mkdir(parent); err != nil {
			return err
		}
	}
	if err := mkdirBeneath(s.tmpFd, dir); err != nil {
		return err
	}
	s.dirs.Store(dir, true)
	return nil
}

// mkdirBeneath makes the folder dir under dirfd, whose parent exists.
func mkdirBeneath(dirfd int, dir string) error {
	parent, base := path.Split(dir)
	pfd := dirfd
	if parent != "" {
		var err error
		if pfd, err = openDir(dirfd, strings.TrimSuffix(parent, "/")); err != nil {
			return pathErr("mkdir", dir, err)
		}
		defer unix.Close(pfd)
	}
	err := unix.Mkdirat(pfd, base, 0o755)
	if err != nil && err != unix.EEXIST {
		return pathErr("mkdir", dir, err)
	}
	return nil
}

// writeFile writes a whole file under dirfd with three system calls, no
// link followed. os.WriteFile also sets the file non-blocking and offers
// it to the network poller, which for tens of thousands of small output
// files is most of the cost.
func writeFile(dirfd int, name string, data []byte) error {
	fd, err := openBeneath(dirfd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
	if err != nil {
		return pathErr("open", name, err)
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return pathErr("write", name, err)
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return pathErr("close", name, err)
	}
	return nil
}

// Commit swaps the staging folder into place and removes the previous
// output. Where the system supports it the swap is a single atomic exchange.
// The manifest of the previous output is removed first, so that from the
// swap until SaveManifest no manifest describes the output: a run killed in
// between leaves the next one comparing bytes, never trusting a stale hash.
// A destination that cannot be swapped (a mount point) is brought up to
// date in place instead, and InPlace says so. Commit releases the lock,
// unless KeepUnchanged was called: then SaveManifest (or Close) does, so
// that no other run stages between the swap and the manifest.
func (s *Staging) Commit() error {
	if err := s.commit(); err != nil {
		return err
	}
	s.Tmp = ""
	if s.keep == nil {
		// Nothing more to do here: let other runs in.
		s.waitRemoved()
		return s.lock.Unlock()
	}
	return nil
}

func (s *Staging) commit() error {
	s.awaitRecycle()
	if s.Tmp == "" {
		return errors.New("the build was already committed or aborted")
	}
	if s.recycled {
		if err := s.dropStale(); err != nil {
			return err
		}
	}
	if s.keep != nil {
		if err := os.Remove(s.keep.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("invalidating the output manifest: %w", err)
		}
	}
	s.closeFds()
	if _, err := os.Lstat(s.Dest); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.Tmp, s.Dest)
	}
	err := unix.Renameat2(unix.AT_FDCWD, s.Tmp, unix.AT_FDCWD, s.Dest, unix.RENAME_EXCHANGE)
	if err == nil {
		// s.Tmp now holds the previous output. It is kept for the next
		// build (KeepPrevious) or removed while the caller saves its
		// manifest and caches; should removing it fail, the next run
		// removes it.
		s.removed = make(chan struct{})
		go func(old string) {
			defer close(s.removed)
			if s.prevDir != "" && s.keep != nil && s.keep.trusted {
				s.keptPrev = s.keepOld(old)
				return
			}
			removeTree(old)
			if s.prevDir != "" {
				removeTree(s.prevDir)
			}
		}(s.Tmp)
		return nil
	}
	if err == unix.EBUSY || err == unix.EXDEV {
		return s.syncInPlace()
	}
	old := s.Tmp + ".old"
	if err := os.Rename(s.Dest, old); err != nil {
		if errors.Is(err, unix.EBUSY) || errors.Is(err, unix.EXDEV) {
			return s.syncInPlace()
		}
		return err
	}
	if err := os.Rename(s.Tmp, s.Dest); err != nil {
		_ = os.Rename(old, s.Dest)
		return err
	}
	_ = os.RemoveAll(old)
	return nil
}

// Abort removes the staging folder and releases the lock; the previous
// output stays as it was. After Commit it only releases the lock.
func (s *Staging) Abort() error {
	s.awaitRecycle()
	s.closeFds()
	s.waitRemoved()
	var err error
	if s.Tmp != "" && s.recycled && unix.Rename(s.Tmp, s.prevDir) == nil {
		// A recycled tree goes back where it was: the next Recycle prunes
		// and checks it as it does any kept tree.
		s.Tmp = ""
	}
	if s.Tmp != "" {
		err = os.RemoveAll(s.Tmp)
	}
	if uerr := s.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}

// waitRemoved waits until the previous output swapped out by Commit is
// removed.
func (s *Staging) waitRemoved() {
	if s.removed != nil {
		<-s.removed
	}
}

// removeTree removes the folder dir and all below it, the folders of its
// largest folders several at a time: removing is system calls, and while
// one waits on the disk another can run.
func removeTree(dir string) {
	var sub []string
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if inner, err := os.ReadDir(p); err == nil && len(inner) > 64 {
				for _, ie := range inner {
					sub = append(sub, filepath.Join(p, ie.Name()))
				}
			}
		}
	}
	work := make(chan string, 64)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				_ = os.RemoveAll(p)
			}
		}()
	}
	for _, p := range sub {
		work <- p
	}
	close(work)
	wg.Wait()
	_ = os.RemoveAll(dir)
}

// Close releases the lock when a run stops between Commit and
// SaveManifest; it is Abort, and safe to call after either.
func (s *Staging) Close() error { return s.Abort() }

func (s *Staging) closeFds() {
	if s.tmpFd >= 0 {
		unix.Close(s.tmpFd)
		s.tmpFd = -1
	}
	if s.keep != nil {
		s.keep.closeDest()
	}
}
