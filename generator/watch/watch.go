// Package watch reports changes to a site's sources: it watches the
// settings file (site.yaml, site.yml or site.toml), content/ (samples included), layouts/, assets/ and data/ with fsnotify,
// drops what editors and tools leave behind (backup, swap and lock files,
// chmod-only events, .git), follows folders as they appear and go, and
// turns each burst of events into one batch of changed paths, so that a
// `git checkout` touching hundreds of files causes one rebuild.
package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/versus-ssg/versus/generator"
)

// Defaults for Options.
const (
	// DefaultQuiet is how long the sources must stay still before a batch
	// is sent: long enough to gather an editor's save (temporary file,
	// rename, backup) or a checkout into one batch, short enough not to be
	// felt.
	DefaultQuiet = 20 * time.Millisecond
	// DefaultMaxWait bounds how long a steady stream of events holds a
	// batch back.
	DefaultMaxWait = 2 * time.Second
)

// Options tune a Watcher.
type Options struct {
	// Quiet and MaxWait: see DefaultQuiet and DefaultMaxWait; zero means
	// the default.
	Quiet   time.Duration
	MaxWait time.Duration
	// Ignore are folders (absolute, or relative to the root) whose changes
	// are never reported, such as the output folder.
	Ignore []string
}

// Watcher watches one site root.
type Watcher struct {
	root    string
	opts    Options
	ignore  []string // cleaned, relative to root, slash-separated
	fw      *fsnotify.Watcher
	batches chan []string
	errs    chan error
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once

	mu   sync.Mutex
	dirs map[string]bool // watched folders, relative to root
}

// Watched are the folders under the root whose trees are watched: every
// folder a build reads.
var Watched = generator.SourceDirs()

// New starts watching the site at root.
func New(root string, opts Options) (*Watcher, error) {
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = DefaultMaxWait
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		root: abs, opts: opts, fw: fw,
		batches: make(chan []string), errs: make(chan error, 16), done: make(chan struct{}),
		dirs: map[string]bool{},
	}
	for _, ig := range opts.Ignore {
		p := ig
		if filepath.IsAbs(p) {
			if r, err := filepath.Rel(abs, p); err == nil && !strings.HasPrefix(r, "..") {
				p = r
			} else {
				continue // outside the watched tree anyway
			}
		}
		w.ignore = append(w.ignore, filepath.ToSlash(filepath.Clean(p)))
	}
	// The root itself (not its tree) for the settings file and for content/
	// or layouts/ appearing later.
	if err := w.add("."); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range Watched {
		if fi, err := os.Stat(filepath.Join(abs, d)); err == nil && fi.IsDir() {
			if err := w.addTree(d); err != nil {
				fw.Close()
				return nil, err
			}
		}
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Batches delivers the changed paths of each burst, relative to the root,
// with forward slashes, sorted. A folder stands for everything in it (it
// appeared or went away). "." means the watcher lost track (its event queue
// overflowed): treat everything as changed.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Errors delivers problems the watcher met and survived (a folder it could
// not watch, say). Reading them is optional.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and closes Batches.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		err = w.fw.Close()
		w.wg.Wait()
	})
	return err
}

// Dirs lists the folders being watched, relative to the root.
func (w *Watcher) Dirs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.dirs))
	for d := range w.dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

func (w *Watcher) add(rel string) error {
	if err := w.fw.Add(filepath.Join(w.root, filepath.FromSlash(rel))); err != nil {
		return err
	}
	w.mu.Lock()
	w.dirs[rel] = true
	w.mu.Unlock()
	return nil
}

// addTree watches a folder and every folder below it that is not ignored.
func (w *Watcher) addTree(rel string) error {
	var errs []error
	err := filepath.WalkDir(filepath.Join(w.root, filepath.FromSlash(rel)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already
			}
			errs = append(errs, err)
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		r, _ := filepath.Rel(w.root, p)
		r = filepath.ToSlash(r)
		if w.Ignored(r) {
			return filepath.SkipDir
		}
		if err := w.add(r); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// forget stops watching a folder that went away, and those below it.
func (w *Watcher) forget(rel string) {
	w.mu.Lock()
	var gone []string
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			gone = append(gone, d)
			delete(w.dirs, d)
		}
	}
	w.mu.Unlock()
	for _, d := range gone {
		// inotify drops the watch of a removed folder by itself; this only
		// keeps fsnotify's list in step, so its error is of no interest.
		_ = w.fw.Remove(filepath.Join(w.root, filepath.FromSlash(d)))
	}
}

// Ignored reports whether a path (relative to the root, forward slashes)
// is never reported: anything outside the settings file, content/,
// layouts/, assets/ and data/; hidden files and folders (.git, .#lock files, .name.swp);
// backups (name~); vim's 4913 write test; emacs's #autosave#; JetBrains'
// ___jb_tmp___ and ___jb_old___; and the Ignore folders.
func (w *Watcher) Ignored(rel string) bool {
	if rel == "." {
		return false
	}
	if generator.IsSettingsFile(rel) {
		return false
	}
	top, _, _ := strings.Cut(rel, "/")
	if !slices.Contains(Watched, top) {
		return true
	}
	for _, ig := range w.ignore {
		if rel == ig || strings.HasPrefix(rel, ig+"/") {
			return true
		}
	}
	return editorFile(rel)
}

// editorFile reports whether any part of the path is a file or folder that
// editors, version control or the system leave behind.
func editorFile(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		switch {
		case seg == "":
		case strings.HasPrefix(seg, "."),
			strings.HasSuffix(seg, "~"),
			seg == "4913",
			strings.HasPrefix(seg, "#") && strings.HasSuffix(seg, "#"),
			strings.HasSuffix(seg, "___jb_tmp___"), strings.HasSuffix(seg, "___jb_old___"):
			return true
		}
	}
	return false
}

func (w *Watcher) loop() {
	defer w.wg.Done()
	defer close(w.batches)
	pending := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	ready := false
	var batch []string
	for {
		var send chan<- []string
		if ready && len(pending) > 0 {
			if batch == nil {
				batch = make([]string, 0, len(pending))
				for p, created := range pending {
					if created && !w.exists(p) {
						// Come and gone within the batch: an editor's or a
						// tool's temporary file (sed -i writes sedXXXXXX and
						// renames it over the file), which changes nothing.
						continue
					}
					batch = append(batch, p)
				}
				sort.Strings(batch)
			}
			if len(batch) > 0 {
				send = w.batches
			} else {
				clear(pending)
				batch = nil
				first = time.Time{}
				ready = false
			}
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if !w.handle(ev, pending) {
				continue
			}
			batch = nil
			if first.IsZero() {
				first = time.Now()
			}
			// Wait for quiet, but not past MaxWait from the first event.
			wait := min(w.opts.Quiet, w.opts.MaxWait-time.Since(first))
			ready = false
			timer.Reset(max(wait, 0))
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending["."] = false
				batch = nil
				if first.IsZero() {
					first = time.Now()
				}
				timer.Reset(w.opts.Quiet)
			}
			w.report(err)
		case <-timer.C:
			ready = true
		case send <- batch:
			clear(pending)
			batch = nil
			first = time.Time{}
			ready = false
		}
	}
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default: // nobody reads them; never block watching for it
	}
}

// handle records one event; it reports whether the event counts.
func (w *Watcher) handle(ev fsnotify.Event, pending map[string]bool) bool {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 {
		return false // attributes only: a build reads contents
	}
	r, err := filepath.Rel(w.root, ev.Name)
	if err != nil || strings.HasPrefix(r, "..") {
		return false
	}
	rel := filepath.ToSlash(r)
	if w.Ignored(rel) {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.mu.Lock()
		wasDir := w.dirs[rel]
		w.mu.Unlock()
		if wasDir {
			w.forget(rel)
		}
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			// A new folder: watch it and everything already in it; the batch
			// names the folder, which stands for its contents.
			if err := w.addTree(rel); err != nil {
				w.report(err)
			}
		}
	}
	if _, seen := pending[rel]; !seen {
		// Whether the path was new in this batch: one that is gone again
		// when the batch is sent was a temporary file.
		pending[rel] = ev.Has(fsnotify.Create)
	}
	return true
}

func (w *Watcher) exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	return err == nil
}
