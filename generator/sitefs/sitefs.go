// Package sitefs opens a site's folder as the fs.FS every build reads its
// sources through. It follows symbolic links that stay inside the site and
// refuses, at the file, every path that resolves outside it, however many
// links (file or folder, relative or absolute) the way there takes. One
// mechanism for every source read (settings, content, samples, layouts)
// means no stage can be tricked into publishing /etc/passwd by a link.
//
// It also reads files with a size limit checked before any byte is read, so
// a huge or special file (a 256 MB sparse page, a named pipe) fails at once
// instead of filling memory or blocking the build.
package sitefs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxHops bounds how many links one path may go through, as the kernel's
// own limit (40 on Linux) does; a loop of links fails instead of spinning.
const maxHops = 40

// FS is a site folder opened for reading. It is safe for concurrent use.
// Reads go through an os.Root, which the kernel confines to the folder;
// only when the root refuses a path does FS work out where the path leads,
// to name it in the error or, for an absolute link that points back inside
// the site, to read it by its real path.
type FS struct {
	root *os.Root
	fsys fs.FS
	// real is the folder with every link resolved; given is the folder as
	// named (absolute), which an absolute link may use instead.
	real, given string
}

// Open opens the site folder dir.
func Open(dir string) (*FS, error) {
	given, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(given)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, err
	}
	return &FS{root: root, fsys: root.FS(), real: real, given: given}, nil
}

// Close releases the folder.
func (f *FS) Close() error { return f.root.Close() }

// Dir is the site folder with every link in its own path resolved.
func (f *FS) Dir() string { return f.real }

// Open opens a file of the site; see fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	return retry(f, "open", name, func(n string) (fs.File, error) { return f.fsys.Open(n) })
}

// Stat describes a file, following links that stay inside the site.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	return retry(f, "stat", name, func(n string) (fs.FileInfo, error) { return fs.Stat(f.fsys, n) })
}

// ReadFile reads a whole file; callers that must bound memory use the
// package's ReadFile with a limit instead.
func (f *FS) ReadFile(name string) ([]byte, error) {
	return retry(f, "open", name, func(n string) ([]byte, error) { return fs.ReadFile(f.fsys, n) })
}

// ReadDir lists a folder, sorted by name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	return retry(f, "open", name, func(n string) ([]fs.DirEntry, error) { return fs.ReadDir(f.fsys, n) })
}

// Lstat describes a file without following a link in its last element.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	return retry(f, "lstat", name, func(n string) (fs.FileInfo, error) { return fs.Lstat(f.fsys, n) })
}

// ReadLink returns a link's target as written.
func (f *FS) ReadLink(name string) (string, error) {
	return retry(f, "readlink", name, func(n string) (string, error) { return fs.ReadLink(f.fsys, n) })
}

// retry runs op on name; when the root refuses it, it finds out why. A path
// that leads outside the site becomes an *EscapeError; one that leads back
// inside through an absolute link (which os.Root never follows) is read by
// its real path.
func retry[T any](f *FS, opName, name string, op func(string) (T, error)) (T, error) {
	v, err := op(name)
	if err == nil || errors.Is(err, fs.ErrNotExist) || !fs.ValidPath(name) {
		return v, err
	}
	rel, rerr := f.Resolve(name)
	var esc *EscapeError
	if errors.As(rerr, &esc) {
		var zero T
		return zero, &fs.PathError{Op: opName, Path: name, Err: esc}
	}
	if rerr == nil && rel != name {
		return op(rel)
	}
	return v, err
}

// Resolve follows every link on the way to name and returns where it
// really is, relative to the site folder ("content/a.txt"), or an
// *EscapeError when that is outside the site.
func (f *FS) Resolve(name string) (string, error) {
	rel, inside, err := resolve(rawLinks{f.fsys}, name, f.insideAbs)
	if err != nil {
		return "", &fs.PathError{Op: "resolve", Path: name, Err: err}
	}
	if !inside {
		return "", &EscapeError{Name: name, Target: f.target(name), Site: f.given}
	}
	return rel, nil
}

// insideAbs maps an absolute link target to a path in the site, if it is
// in the site by the folder's real name or by the name it was opened with.
func (f *FS) insideAbs(target string) (string, bool) {
	target = filepath.Clean(filepath.FromSlash(target))
	for _, base := range []string{f.real, f.given} {
		rel, err := filepath.Rel(base, target)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel), true
		}
	}
	return "", false
}

// target is where name leads, for the error message: the operating
// system's full resolution when the chain ends at an existing file, else
// the path as far as it can be followed.
func (f *FS) target(name string) string {
	p := filepath.Join(f.real, filepath.FromSlash(name))
	if t, err := filepath.EvalSymlinks(p); err == nil {
		return t
	}
	// A chain that ends nowhere: follow it by hand as far as it goes.
	cur := p
	for range maxHops {
		t, err := os.Readlink(cur)
		if err != nil {
			break
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(cur), t)
		}
		cur = t
	}
	return cur
}

// rawLinks gives resolve the root's own Lstat and ReadLink, which never
// recurse into FS.retry.
type rawLinks struct{ fsys fs.FS }

func (r rawLinks) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(r.fsys, name) }
func (r rawLinks) ReadLink(name string) (string, error)   { return fs.ReadLink(r.fsys, name) }

type linkReader interface {
	Lstat(name string) (fs.FileInfo, error)
	ReadLink(name string) (string, error)
}

// resolve walks name element by element in fsys, replacing each link by
// its target, as the kernel does. It reports whether the result is still
// inside fsys; abs maps an absolute target into fsys when it can.
func resolve(fsys linkReader, name string, abs func(string) (string, bool)) (string, bool, error) {
	todo := strings.Split(name, "/")
	var cur []string
	hops := 0
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return "", false, nil
			}
			cur = cur[:len(cur)-1]
			continue
		}
		next := path.Join(path.Join(cur...), elem)
		fi, err := fsys.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			// Nothing below a missing element can be a link; the rest
			// only moves by name.
			cur = append(cur, elem)
			continue
		}
		if err != nil {
			return "", false, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = append(cur, elem)
			continue
		}
		if hops++; hops > maxHops {
			return "", false, fmt.Errorf("more than %d links in a row (a loop of links?)", maxHops)
		}
		t, err := fsys.ReadLink(next)
		if err != nil {
			return "", false, err
		}
		if filepath.IsAbs(t) || path.IsAbs(t) {
			rel, ok := abs(t)
			if !ok {
				return "", false, nil
			}
			cur, t = nil, rel
		}
		todo = append(strings.Split(filepath.ToSlash(t), "/"), todo...)
	}
	if len(cur) == 0 {
		return ".", true, nil
	}
	return path.Join(cur...), true, nil
}

// Resolve is FS.Resolve for any file system: a link-aware one (os.DirFS)
// is followed link by link, any absolute target counting as outside; one
// without links (an in-memory test site) returns name as it is.
func Resolve(fsys fs.FS, name string) (string, error) {
	switch r := fsys.(type) {
	case *FS:
		return r.Resolve(name)
	case fs.ReadLinkFS:
		rel, inside, err := resolve(r, name, func(string) (string, bool) { return "", false })
		if err != nil {
			return "", &fs.PathError{Op: "resolve", Path: name, Err: err}
		}
		if !inside {
			t, rerr := r.ReadLink(name)
			if rerr != nil {
				t = "a place outside it"
			}
			return "", &EscapeError{Name: name, Target: t}
		}
		return rel, nil
	}
	return name, nil
}

// EscapeError is a path that leads outside the site through links.
type EscapeError struct {
	Name   string // as asked for, relative to the site
	Target string // where it leads
	Site   string // the site folder, when known
}

func (e *EscapeError) Error() string {
	where := "the site"
	if e.Site != "" {
		where = "the site (" + e.Site + ")"
	}
	return fmt.Sprintf("resolves through links to %s, outside %s; versus reads nothing outside the site: copy the file into the site, or make the link point inside it", e.Target, where)
}

// Reason strips the *fs.PathError around err, whose operation and path
// only repeat what a positioned error already says.
func Reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// SizeError is a file over a size limit.
type SizeError struct {
	Size, Max int64
	// Key is the site.yaml setting that raises the limit; "" for a limit
	// no setting changes.
	Key string
}

func (e *SizeError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("is %s, over the %s limit; make it smaller", FormatSize(e.Size), FormatSize(e.Max))
	}
	return fmt.Sprintf("is %s, over the %s limit; make it smaller, or raise %s in site.yaml", FormatSize(e.Size), FormatSize(e.Max), e.Key)
}

// ReadFile reads name from fsys when it is a regular file of at most max
// bytes. Size and kind are checked with Stat before anything is read, and
// the read itself stops at max, so neither a huge file nor one that grows
// meanwhile can fill memory; key names the setting that raises max.
func ReadFile(fsys fs.FS, name string, max int64, key string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := Regular(fi); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if fi.Size() > max {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SizeError{Size: fi.Size(), Max: max, Key: key}}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + 1)
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(buf.Len()) > max {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SizeError{Size: int64(buf.Len()), Max: max, Key: key}}
	}
	return buf.Bytes(), nil
}

// Regular refuses anything but a regular file: reading a named pipe would
// block the build forever, and a device could be endless.
func Regular(fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return errors.New("is a folder, not a file")
	case m&fs.ModeNamedPipe != 0:
		return errors.New("is a named pipe, not a file; reading it would wait forever: remove it")
	case m&fs.ModeSocket != 0:
		return errors.New("is a socket, not a file: remove it")
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return errors.New("is a device, not a file: remove it")
	}
	return fmt.Errorf("is not a regular file (%v): remove it", m.Type())
}

// FormatSize writes a byte count the way limits are written: "8 MiB",
// "1.5 GiB", "300 bytes".
func FormatSize(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	v := float64(n)
	u := ""
	for _, u = range units {
		v /= 1024
		if v < 1024 {
			break
		}
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + u
}
