package output

import (
	"io/fs"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// Every file of an output tree is opened relative to the tree's folder
// without following a symbolic link anywhere on its path, so a link that
// some process planted in the tree can never lead a write (or a hard link)
// outside it: the open fails instead.

// resolveBeneath is what openat2 is told: stay under the folder, follow no
// link at all.
const resolveBeneath = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS

// openBeneath opens name (slash-separated, relative) under the folder dirfd
// without following symbolic links. Where openat2 is missing (old kernels,
// some sandboxes) it walks the path one folder at a time with O_NOFOLLOW.
func openBeneath(dirfd int, name string, flags int, mode uint32) (int, error) {
	flags |= unix.O_CLOEXEC | unix.O_NOFOLLOW
	for {
		fd, err := unix.Openat2(dirfd, name, &unix.OpenHow{Flags: uint64(flags), Mode: uint64(mode), Resolve: resolveBeneath})
		switch err {
		case nil:
			return fd, nil
		case unix.EINTR, unix.EAGAIN:
			continue
		case unix.ENOSYS, unix.EPERM:
			return walkOpen(dirfd, name, flags, mode)
		}
		return -1, err
	}
}

// walkOpen is openBeneath one component at a time.
func walkOpen(dirfd int, name string, flags int, mode uint32) (int, error) {
	dir, base := path.Split(name)
	fd := dirfd
	closeFd := func() {
		if fd != dirfd {
			unix.Close(fd)
		}
	}
	for _, c := range strings.Split(strings.TrimSuffix(dir, "/"), "/") {
		if c == "" {
			continue
		}
		if c == ".." {
			closeFd()
			return -1, unix.EXDEV
		}
		next, err := unix.Openat(fd, c, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		closeFd()
		if err != nil {
			return -1, err
		}
		fd = next
	}
	if base == ".." {
		closeFd()
		return -1, unix.EXDEV
	}
	out, err := unix.Openat(fd, base, flags, mode)
	closeFd()
	return out, err
}

// openDir opens the folder dir under dirfd for use as a dirfd ("." is
// dirfd's own folder, opened anew).
func openDir(dirfd int, dir string) (int, error) {
	return openBeneath(dirfd, dir, unix.O_PATH|unix.O_DIRECTORY, 0)
}

// pathErr names the output file a system call failed on.
func pathErr(op, name string, err error) error {
	if err == unix.ELOOP || err == unix.EXDEV {
		// openat2 says a link was in the way.
		return &fs.PathError{Op: op, Path: name, Err: errLink}
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// errLink is what writing through a planted symbolic link fails with.
var errLink = linkError{}

type linkError struct{}

func (linkError) Error() string {
	return "a symbolic link is in the way (something other than versus changed the output folder); versus never writes through links"
}
