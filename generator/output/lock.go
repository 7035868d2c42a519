package output

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// Lock is an exclusive lock on a folder (flock on the folder itself, so no
// lock file is left behind), held by one versus run at a time. The kernel
// drops it when the process ends, however it ends, so a killed build never
// leaves a stale lock.
type Lock struct {
	f *os.File
}

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 50 * time.Millisecond

// LockDir takes the lock on dir, waiting while another run holds it;
// waiting, when not nil, is called once if it has to wait. It creates dir
// when missing.
func LockDir(ctx context.Context, dir string, waiting func()) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	return lock(ctx, f, dir, waiting)
}

// LockFile is LockDir on a lock file, created (with its folder) when
// missing: a cache folder is locked through a file inside it, so that its
// lock never is the lock of a destination's parent folder, whatever
// folders a writer names.
func LockFile(ctx context.Context, file string, waiting func()) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(file, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return lock(ctx, f, file, waiting)
}

func lock(ctx context.Context, f *os.File, dir string, waiting func()) (*Lock, error) {
	told := false
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &Lock{f: f}, nil
		}
		if err != unix.EWOULDBLOCK && err != unix.EINTR {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", dir, err)
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// Unlock releases the lock; it is safe to call more than once, and on nil.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
