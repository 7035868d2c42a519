package socialcard

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDirCacheKeepsOnlyWhatWasUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cards")
	png := []byte("\x89PNG\r\n\x1a\nrest")
	a, b := Card{Title: "A"}.Key(), Card{Title: "B"}.Key()

	c := NewDirCache(dir)
	if _, ok := c.Get(a); ok {
		t.Fatal("an empty cache served a card")
	}
	c.Put(a, png)
	c.Put(b, png)
	if err := c.Err(); err != nil {
		t.Fatal(err)
	}
	// Something of someone else's stays; a half-written card goes.
	os.WriteFile(filepath.Join(dir, "README"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, a+".new-123"), []byte("half"), 0o644)

	// The next build uses only a: b is pruned.
	c2 := NewDirCache(dir)
	if got, ok := c2.Get(a); !ok || string(got) != string(png) {
		t.Fatalf("Get(a) = %q, %v", got, ok)
	}
	if err := c2.Prune(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"README", a + ".png"}; !slices.Equal(names, want) {
		t.Errorf("after Prune the folder holds %v, want %v", names, want)
	}
	// A damaged file is not served, and a key from elsewhere never names a path.
	os.WriteFile(filepath.Join(dir, a+".png"), []byte("junk"), 0o644)
	if _, ok := NewDirCache(dir).Get(a); ok {
		t.Error("a damaged card was served")
	}
	if _, ok := NewDirCache(dir).Get("../../etc/passwd"); ok {
		t.Error("a path was served")
	}
}
