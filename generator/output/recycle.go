package output

// Recycling the previous output. An incremental build changes a few files
// of tens of thousands, but a new staging folder has to be made whole:
// every folder created, every unchanged file hard-linked into it, and
// after the swap the old tree removed — on a 10,000-article site about
// three seconds of system calls for one edited page. So the tree a swap
// takes out of service is not removed: it is kept (in the cache folder,
// KeepPrevious) and the next incremental build starts from it (Recycle),
// bringing it up to date with what changed since. That costs work in
// proportion to the change, plus one stat of each kept file.
//
// The kept tree is the output of the build before the current one: most
// of its files are the current output's very files (same inodes, since
// unchanged files are linked from build to build), the rest are older
// versions. Nothing of it is trusted blindly:
//   - the manifest written after it records where it is and which of its
//     files the new output no longer has ("gone");
//   - when it is recycled, it is first pruned to the files those two
//     lists name: anything else (a file planted in it, a link) goes;
//   - a recycling build keeps a file only when the kept tree's entry is
//     the current output's file itself (same inode), which the manifest
//     vouches for; any other entry is replaced by a link to it;
//   - every file written replaces the kept tree's entry (unlinked first):
//     a file shared with the live output is never written into.
// A recycled staging folder that fails is removed like any other (Abort),
// and the next build starts a new one.

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

// KeepPrevious makes Commit keep the output it swaps out in dir, for the
// next build's Recycle, instead of removing it. dir must be on the
// destination's file system (where it is not, the old output is removed
// as without KeepPrevious); whatever dir held is replaced. Only a build
// that also keeps unchanged files (KeepUnchanged), with a trusted
// manifest, can say what the old output holds; otherwise it is removed,
// and so is dir.
func (s *Staging) KeepPrevious(dir string) { s.prevDir = dir }

// Recycle starts making the staging folder, before anything is written to
// it, the output kept by the previous build (KeepPrevious), when the
// manifest says it is there. It works in the background: Write, KeepAll,
// Commit and Abort wait for it. Recycled says whether it did, and if not,
// why; then the staging folder is the empty one Stage made, and the build
// goes on as without Recycle.
func (s *Staging) Recycle() {
	if s.recycling != nil {
		return
	}
	done := make(chan struct{})
	s.recycling = done
	go func() {
		defer close(done)
		s.recycleErr = s.recycle()
	}()
}

// awaitRecycle waits for Recycle to finish.
func (s *Staging) awaitRecycle() {
	if s.recycling != nil {
		<-s.recycling
	}
}

// Recycled reports whether the staging folder is a recycled one, and if
// Recycle was called but could not, why.
func (s *Staging) Recycled() (bool, error) {
	s.awaitRecycle()
	return s.recycled, s.recycleErr
}

func (s *Staging) recycle() error {
	k := s.keep
	switch {
	case s.prevDir == "" || k == nil:
		return errors.New("no previous output kept")
	case !k.trusted || k.prevTree == "":
		return errors.New("the manifest names no kept previous output")
	case k.prevTree != s.prevDir:
		return fmt.Errorf("the kept previous output is in %s, not %s", k.prevTree, s.prevDir)
	case s.tmpFd < 0 || s.recycled || len(k.next) > 0:
		return errors.New("the staging folder is already in use")
	}
	fi, err := os.Lstat(s.prevDir)
	if err != nil || !fi.IsDir() {
		return fmt.Errorf("the kept previous output %s is gone", s.prevDir)
	}
	// The kept tree takes the place of the empty staging folder, in one
	// rename.
	// rename(2) replaces an empty folder; os.Rename refuses to.
	if err := unix.Rename(s.prevDir, s.Tmp); err != nil {
		return fmt.Errorf("recycling the previous output: %w", err)
	}
	unix.Close(s.tmpFd)
	s.tmpFd, err = unix.Open(s.Tmp, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		s.tmpFd = -1
		return &fs.PathError{Op: "open", Path: s.Tmp, Err: err}
	}
	s.recycled = true
	if err := s.prune(); err != nil {
		// Back to an empty staging folder.
		s.recycled = false
		unix.Close(s.tmpFd)
		s.tmpFd = -1
		if rerr := os.RemoveAll(s.Tmp); rerr != nil {
			return errors.Join(err, rerr)
		}
		if rerr := os.Mkdir(s.Tmp, 0o755); rerr != nil {
			return errors.Join(err, rerr)
		}
		if s.tmpFd, err = unix.Open(s.Tmp, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0); err != nil {
			s.tmpFd = -1
			return &fs.PathError{Op: "open", Path: s.Tmp, Err: err}
		}
		return fmt.Errorf("recycling the previous output: %w", err)
	}
	return nil
}

// unlinkBeneath removes the file name under dirfd, if there is one. A
// folder in its place is an error: the caller builds in full.
func unlinkBeneath(dirfd int, name string) error {
	dir, base := path.Split(name)
	pfd := dirfd
	if dir != "" {
		fd, err := openDir(dirfd, strings.TrimSuffix(dir, "/"))
		if err == unix.ENOENT || err == unix.ENOTDIR {
			return nil
		}
		if err != nil {
			return pathErr("unlink", name, err)
		}
		defer unix.Close(fd)
		pfd = fd
	}
	err := unix.Unlinkat(pfd, base, 0)
	if err != nil && err != unix.ENOENT {
		return pathErr("unlink", name, err)
	}
	return nil
}

// dropStale removes from a recycled staging folder the files the new
// build does not have (those of the current output and those the previous
// build had already dropped), and the folders that leaves empty.
func (s *Staging) dropStale() error {
	k := s.keep
	names := make([]string, 0, len(k.gone))
	names = append(names, k.gone...)
	for n := range k.prev {
		names = append(names, n)
	}
	for _, n := range names {
		if _, ok := k.next[n]; ok || !fs.ValidPath(n) || n == "." {
			continue
		}
		if err := unlinkBeneath(s.tmpFd, n); err != nil {
			return err
		}
		for dir := path.Dir(n); dir != "."; dir = path.Dir(dir) {
			parent, base := path.Split(dir)
			pfd := s.tmpFd
			if parent != "" {
				fd, err := openDir(s.tmpFd, strings.TrimSuffix(parent, "/"))
				if err != nil {
					break
				}
				pfd = fd
			}
			err := unix.Unlinkat(pfd, base, unix.AT_REMOVEDIR)
			if pfd != s.tmpFd {
				unix.Close(pfd)
			}
			if err != nil {
				break // not empty, or gone
			}
		}
	}
	return nil
}

// keepOld keeps old, the output Commit swapped out, in s.prevDir for the
// next build's Recycle. It reports whether it did; if not, old is removed.
func (s *Staging) keepOld(old string) bool {
	// Whatever an earlier build kept there is of no more use.
	if _, err := os.Lstat(s.prevDir); err == nil {
		removeTree(s.prevDir)
	}
	err := os.MkdirAll(filepath.Dir(s.prevDir), 0o755)
	if err == nil {
		err = unix.Rename(old, s.prevDir)
	}
	if err != nil {
		removeTree(old)
		return false
	}
	return true
}

// prune removes from the recycled staging folder whatever is neither a
// file the previous output's manifest lists nor one it says is gone
// (planted files, links, anything but files and folders), so that nothing
// the builds did not write reaches the new output. The files it leaves
// are checked one by one later, when kept or written.
func (s *Staging) prune() error {
	k := s.keep
	files := make(map[string]bool, len(k.prev)+len(k.gone))
	for n := range k.prev {
		files[n] = true
	}
	for _, n := range k.gone {
		files[n] = true
	}
	dirs := map[string]bool{}
	for name := range files {
		for d := path.Dir(name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// The folders one level down (posts/…, tags/…) are many: they are
	// pruned several at a time, each by one worker.
	var deeper []string
	top, err := pruneDir(s.Tmp, "", files, dirs)
	if err != nil {
		return err
	}
	for _, d := range top {
		sub, err := pruneDir(s.Tmp, d, files, dirs)
		if err != nil {
			return err
		}
		deeper = append(deeper, sub...)
	}
	work := make(chan string)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for d := range work {
				if first == nil {
					first = pruneTree(s.Tmp, d, files, dirs)
				}
			}
			errs <- first
		}()
	}
	for _, d := range deeper {
		work <- d
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// pruneDir removes from the folder rel of the tree at root what prune
// removes, and returns the folders it keeps.
func pruneDir(root, rel string, files, dirs map[string]bool) ([]string, error) {
	p := filepath.Join(root, filepath.FromSlash(rel))
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	var keep []string
	for _, e := range entries {
		name := e.Name()
		if rel != "" {
			name = rel + "/" + name
		}
		switch {
		case e.IsDir() && dirs[name]:
			keep = append(keep, name)
			continue
		case e.IsDir():
			err = os.RemoveAll(filepath.Join(p, e.Name()))
		case e.Type().IsRegular() && files[name]:
			continue
		default:
			err = os.Remove(filepath.Join(p, e.Name()))
		}
		if err != nil {
			return nil, err
		}
	}
	return keep, nil
}

// pruneTree is pruneDir for the folder rel and all below it.
func pruneTree(root, rel string, files, dirs map[string]bool) error {
	sub, err := pruneDir(root, rel, files, dirs)
	for _, d := range sub {
		if err != nil {
			break
		}
		err = pruneTree(root, d, files, dirs)
	}
	return err
}
