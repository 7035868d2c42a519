package output

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// site is one build's output: path → content.
type site map[string]string

// builder builds sites into one destination with a manifest, as generate
// does with a cache folder.
type builder struct {
	t          *testing.T
	src, dest  string
	manifest   string
	failSave   bool // the manifest write fails, as on a full disk
	killBefore bool // the run dies between the swap and the manifest
}

func newBuilder(t *testing.T) *builder {
	src := t.TempDir()
	return &builder{t: t, src: src, dest: filepath.Join(src, "public"), manifest: filepath.Join(src, ".versus-cache", "output.manifest")}
}

func (b *builder) build(files site) (*Staging, error) {
	b.t.Helper()
	s, err := Stage(b.dest, b.src)
	if err != nil {
		b.t.Fatal(err)
	}
	_ = s.KeepUnchanged(b.manifest)
	for p, c := range files {
		if err := s.Write(p, []byte(c)); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		b.t.Fatal(err)
	}
	if b.killBefore {
		// What a SIGKILL leaves: no manifest, the lock gone with the
		// process.
		s.lock.Unlock()
		return s, nil
	}
	if b.failSave {
		s.saveErr = syscall.ENOSPC
	}
	err = s.SaveManifest("digest", Stats{Pages: len(files)})
	return s, err
}

// same fails unless dest holds exactly files.
func same(t *testing.T, dest string, files site) {
	t.Helper()
	got := site{}
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(p[len(dest)+1:])] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, c := range files {
		if got[p] != c {
			t.Errorf("%s = %q, a clean build writes %q", p, got[p], c)
		}
	}
	for p := range got {
		if _, ok := files[p]; !ok {
			t.Errorf("%s is in the output; a clean build does not write it", p)
		}
	}
}

var (
	the = site{"post/index.html": "<p>one of the posts</p>", "index.html": "home"}
	THE = site{"post/index.html": "<p>one of THE posts</p>", "index.html": "home"}
)

// A manifest that could not be saved (a full disk) is reported, and the
// next builds are still exactly right: the old manifest was invalidated
// before the swap, so its hash of " the " is never trusted for " THE ".
func TestFailedManifestSaveNeverPublishesStaleBytes(t *testing.T) {
	b := newBuilder(t)
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	b.failSave = true
	if _, err := b.build(THE); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("a failed manifest save must be an error, got %v", err)
	}
	same(t, b.dest, THE)
	b.failSave = false
	s, err := b.build(the)
	if err != nil {
		t.Fatal(err)
	}
	same(t, b.dest, the)
	if s.Compared() != 1 {
		t.Errorf("with no manifest, the unchanged home page is compared byte by byte: compared %d", s.Compared())
	}
	// And once saved again, the manifest is trusted.
	if s, _ = b.build(the); s.Linked() != 2 || s.Compared() != 0 {
		t.Errorf("linked %d, compared %d; want 2 linked on the manifest's word", s.Linked(), s.Compared())
	}
	same(t, b.dest, the)
}

// A run killed between the swap and the manifest leaves no manifest that
// describes another output.
func TestKillBetweenSwapAndManifest(t *testing.T) {
	b := newBuilder(t)
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	b.killBefore = true
	b.build(THE)
	if _, err := os.Stat(b.manifest); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the manifest must be gone from the swap on: %v", err)
	}
	b.killBefore = false
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	same(t, b.dest, the)
}

// Same-size edits of the output (even with the modification time put
// back) are repaired by the next build, and the output is no longer
// "unchanged".
func TestSameSizeEditInOutputIsRepaired(t *testing.T) {
	b := newBuilder(t)
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(b.dest, "post", "index.html")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("THE"), int64(strings.Index(the["post/index.html"], "the"))); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(b.dest, b.src)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.KeepUnchanged(b.manifest)
	if _, ok := s.Unchanged("digest"); ok {
		t.Error("an output edited in place is not unchanged")
	}
	s.Abort()
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	same(t, b.dest, the)
}

// A file planted in the output, or a manifest cut short, means the output
// is not unchanged.
func TestUnchangedNeedsTheExactOutput(t *testing.T) {
	b := newBuilder(t)
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	unchanged := func() bool {
		s, err := Stage(b.dest, b.src)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Abort()
		_ = s.KeepUnchanged(b.manifest)
		_, ok := s.Unchanged("digest")
		return ok
	}
	if !unchanged() {
		t.Fatal("an untouched output is unchanged")
	}
	planted := filepath.Join(b.dest, "planted.html")
	if err := os.WriteFile(planted, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if unchanged() {
		t.Error("an output with a planted file is not unchanged")
	}
	os.Remove(planted)
	data, err := os.ReadFile(b.manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.manifest, data[:len(data)-len("end 2\n")], 0o644); err != nil {
		t.Fatal(err)
	}
	if unchanged() {
		t.Error("a manifest cut short is not trusted")
	}
}

// Links planted in the staging folder or in the previous output never
// lead a write or a hard link outside the destination.
func TestPlantedLinksChangeNothing(t *testing.T) {
	b := newBuilder(t)
	if _, err := b.build(the); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	secret := filepath.Join(outside, "index.html")
	if err := os.WriteFile(secret, []byte("<p>one of the posts</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The previous output's post/ becomes a link to a folder outside that
	// holds a file with the very bytes the build writes.
	if err := os.RemoveAll(filepath.Join(b.dest, "post")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(b.dest, "post")); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(b.dest, b.src)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.KeepUnchanged(b.manifest)
	// And something plants a link in the staging folder too.
	if err := os.Symlink(outside, filepath.Join(s.Tmp, "docs")); err != nil {
		t.Fatal(err)
	}
	if err := s.Write("post/index.html", []byte(the["post/index.html"])); err != nil {
		t.Fatal(err)
	}
	err = s.Write("docs/index.html", []byte("written through a link"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("writing through a planted link must fail and say why, got %v", err)
	}
	if err := s.Write("index.html", []byte("home")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(s.Tmp, "docs")); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveManifest("digest", Stats{}); err != nil {
		t.Fatal(err)
	}
	same(t, b.dest, the)
	a, _ := os.Stat(secret)
	c, _ := os.Stat(filepath.Join(b.dest, "post", "index.html"))
	if os.SameFile(a, c) {
		t.Error("a file outside the destination was linked into the output")
	}
	if fi, err := os.Lstat(filepath.Join(b.dest, "post")); err != nil || !fi.IsDir() {
		t.Error("post/ must be a real folder of the new output")
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("the folder outside holds %d entries; nothing may be written there", len(entries))
	}
}

// What killed runs left beside the destination is removed by the next.
func TestLeftoversRemoved(t *testing.T) {
	b := newBuilder(t)
	left := []string{".public.versus-new-123", ".public.versus-new-456.old"}
	for _, l := range left {
		if err := os.MkdirAll(filepath.Join(b.src, l, "posts"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(b.src, l, "posts", "index.html"), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(b.src, ".other.versus-new-1")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := b.build(the)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cleaned) != 2 {
		t.Errorf("Cleaned = %v, want the two leftovers", s.Cleaned)
	}
	for _, l := range left {
		if _, err := os.Lstat(filepath.Join(b.src, l)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there", l)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("another destination's staging folder is not this run's to remove")
	}
}

// Two runs for one destination take turns.
func TestStageLock(t *testing.T) {
	b := newBuilder(t)
	s, err := Stage(b.dest, b.src)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	waited := false
	if _, err := StageContext(ctx, b.dest, b.src, func() { waited = true }); !errors.Is(err, context.DeadlineExceeded) || !waited {
		t.Fatalf("a second run must wait for the first (waited %v, err %v)", waited, err)
	}
	if _, err := os.Stat(s.Tmp); err != nil {
		t.Fatal("the waiting run removed the first run's staging folder")
	}
	done := make(chan error)
	go func() {
		s2, err := StageContext(context.Background(), b.dest, b.src, nil)
		if err == nil {
			s2.Abort()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	s.Abort()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second run never got the lock")
	}
}

// A destination that is a mount point cannot be swapped; it is updated in
// place: new and changed files written, stale ones removed, links in it
// removed rather than followed. The test runs itself again in a mount
// namespace of its own (unshare -rm) to mount a tmpfs there.
func TestMountPointUpdatedInPlace(t *testing.T) {
	dest := os.Getenv("VERSUS_TEST_MOUNTED_DEST")
	if dest == "" {
		unshare, err := exec.LookPath("unshare")
		if err != nil {
			t.Skip("no unshare(1)")
		}
		src := t.TempDir()
		dest := filepath.Join(src, "public")
		if err := os.Mkdir(dest, 0o755); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(unshare, "-rm", "true").CombinedOutput(); err != nil {
			t.Skipf("no mount namespaces here: %v %s", err, out)
		}
		cmd := exec.Command(unshare, "-rm", os.Args[0], "-test.run=^TestMountPointUpdatedInPlace$", "-test.v")
		cmd.Env = append(os.Environ(), "VERSUS_TEST_MOUNTED_DEST="+dest)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("in the namespace: %v\n%s", err, out)
		}
		return
	}
	if err := syscall.Mount("tmpfs", dest, "tmpfs", 0, ""); err != nil {
		t.Fatalf("mount: %v", err)
	}
	src := filepath.Dir(dest)
	b := &builder{t: t, src: src, dest: dest, manifest: filepath.Join(src, ".versus-cache", "output.manifest")}
	old := site{"index.html": "home", "gone/index.html": "stale", "post": "a file, then a folder"}
	s, err := b.build(old)
	if err != nil || !s.InPlace {
		t.Fatalf("the first build into the mount point: in place %v, %v", s.InPlace, err)
	}
	same(t, dest, old)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dest, "docs")); err != nil {
		t.Fatal(err)
	}
	next := site{"index.html": "home", "post/index.html": "<p>one of the posts</p>", "docs/index.html": "docs"}
	s, err = b.build(next)
	if err != nil || !s.InPlace {
		t.Fatalf("the second build: in place %v, %v", s.InPlace, err)
	}
	same(t, dest, next)
	if s.Synced.Written != 2 {
		t.Errorf("wrote %d files, want the 2 new ones (index.html did not change)", s.Synced.Written)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Error("a link in the destination was followed")
	}
	if left, _ := filepath.Glob(filepath.Join(src, ".public.versus-new-*")); len(left) != 0 {
		t.Errorf("beside the destination: %v; the staging folder must be gone", left)
	}
}
