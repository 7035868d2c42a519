package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// pagedSite has 25 posts, newest first post00 … post24, five to a pager:
// the home page, posts/ and tags/all/ each have pagers 1..5.
func pagedSite() map[string]string {
	files := map[string]string{
		"site.yaml":               "title: Paged\nbaseURL: https://example.org/\npagination:\n  pagerSize: 5\n",
		"content/posts/_index.md": "---\ntitle: Posts\n---\nEvery post.\n",
	}
	for i := range 25 {
		files[fmt.Sprintf("content/posts/post%02d.md", i)] = pagedPost(i, fmt.Sprintf("Post %02d", i), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -i))
	}
	return files
}

func pagedPost(i int, title string, date time.Time) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: %s\ntags: [all]\n---\nBody of post %d.\n", title, date.Format("2006-01-02"), i)
}

func TestRebuildRendersOnlyThePagersAnEditReaches(t *testing.T) {
	dir := writeSite(t, pagedSite())
	st := NewState(incOptions(dir))
	rebuild(t, st)
	for _, f := range []string{"index.html", "page/5/index.html", "posts/page/5/index.html", "tags/all/page/5/index.html", "page/1/index.html", "posts/page/1/index.html"} {
		if _, ok := st.Files()[f]; !ok {
			t.Fatalf("no %s", f)
		}
	}
	if _, ok := st.Files()["page/6/index.html"]; ok {
		t.Fatal("a sixth pager of 25 posts")
	}

	// Post 12 is on pager 3 of each list: a new title renders those pagers,
	// not the other twelve.
	write(t, dir, "content/posts/post12.md", pagedPost(12, "Post twelve", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -12)))
	u := rebuild(t, st, "content/posts/post12.md")
	for _, f := range []string{"posts/post12/index.html", "page/3/index.html", "posts/page/3/index.html", "tags/all/page/3/index.html"} {
		if !slices.Contains(u.Rendered, f) {
			t.Errorf("title edit: %s not rendered (rendered %v)", f, u.Rendered)
		}
	}
	for _, list := range []string{"", "posts/", "tags/all/"} {
		for _, n := range []string{"index.html", "page/2/index.html", "page/4/index.html", "page/5/index.html"} {
			if f := list + n; slices.Contains(u.Rendered, f) {
				t.Errorf("title edit rendered %s, which does not show post 12", f)
			}
		}
	}
	if !strings.Contains(string(st.Files()["page/3/index.html"]), "Post twelve") {
		t.Error("page/3/ does not show the new title")
	}
	t.Logf("title edit: %d pages rendered: %v", len(u.Rendered), u.Rendered)
	sameAsBuild(t, st, dir)

	// A new newest post moves one card onto every next pager, and a sixth
	// pager appears.
	write(t, dir, "content/posts/new.md", pagedPost(99, "Newest", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)))
	u = rebuild(t, st, "content/posts/new.md")
	for _, f := range []string{"index.html", "page/5/index.html", "page/6/index.html", "posts/page/6/index.html", "tags/all/page/6/index.html"} {
		if !slices.Contains(u.Rendered, f) {
			t.Errorf("new post: %s not rendered", f)
		}
	}
	sameAsBuild(t, st, dir)

	// Moving a post's date from pager 1 to the end moves cards back.
	write(t, dir, "content/posts/post01.md", pagedPost(1, "Post 01", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
	rebuild(t, st, "content/posts/post01.md")
	sameAsBuild(t, st, dir)

	// Two posts gone: back to five pagers, and the sixth is removed.
	for _, f := range []string{"content/posts/new.md", "content/posts/post07.md"} {
		if err := removeFile(dir, f); err != nil {
			t.Fatal(err)
		}
	}
	u = rebuild(t, st, "content/posts/new.md", "content/posts/post07.md")
	for _, f := range []string{"page/6/index.html", "posts/page/6/index.html", "tags/all/page/6/index.html"} {
		if !slices.Contains(u.Removed, f) {
			t.Errorf("deleted posts: %s not removed (removed %v)", f, u.Removed)
		}
	}
	sameAsBuild(t, st, dir)

	// The section going away takes its pagers and its page/1/ redirect.
	for i := range 25 {
		removeFile(dir, fmt.Sprintf("content/posts/post%02d.md", i))
	}
	removeFile(dir, "content/posts/_index.md")
	write(t, dir, "content/about.md", "---\ntitle: About\n---\nAbout.\n")
	u = rebuild(t, st, "content/posts", "content/about.md")
	for _, f := range []string{"posts/page/1/index.html", "posts/page/2/index.html", "page/1/index.html"} {
		if f == "page/1/index.html" {
			// The home page is still paginated, with one pager.
			if _, ok := st.Files()[f]; !ok {
				t.Errorf("the home page lost its page/1/")
			}
			continue
		}
		if !slices.Contains(u.Removed, f) {
			t.Errorf("removed section: %s not removed (removed %v)", f, u.Removed)
		}
	}
	sameAsBuild(t, st, dir)
}

func removeFile(dir, name string) error {
	return os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
}
