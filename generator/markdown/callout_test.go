package markdown

import (
	"strings"
	"testing"
)

func TestAlerts(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"note", "> [!NOTE]\n> Read *this* first.\n", []string{
			`<aside class="callout callout-note" aria-label="Note"><p class="callout-title" aria-hidden="true"><svg class="callout-icon" aria-hidden="true"`,
			`<span>Note</span></p><div class="callout-body"><p>Read <em>this</em> first.</p>`, "</div></aside>",
		}, []string{"[!NOTE]", "<blockquote>"}},
		{"lower case and a title", "> [!warning] Breaking in **v2**\n> Old code stops.\n", []string{
			`class="callout callout-warning" aria-label="Breaking in v2"`, `<span>Breaking in <strong>v2</strong></span>`, "<p>Old code stops.</p>",
		}, []string{"[!warning]"}},
		{"marker alone then paragraphs", "> [!TIP]\n>\n> One.\n>\n> - two\n", []string{
			`callout-tip`, "<p>One.</p>", "<li>two</li>",
		}, nil},
		{"foldable closed", "> [!CAUTION]- Danger zone\n> Body.\n", []string{
			`<details class="callout callout-caution"><summary class="callout-title">`, `<span>Danger zone</span></summary><div class="callout-body"><p>Body.</p>` + "\n" + `</div></details>`,
		}, []string{" open", "<aside"}},
		{"foldable open", "> [!IMPORTANT]+\n> Body.\n", []string{
			`<details class="callout callout-important" open><summary class="callout-title">`, `<span>Important</span>`,
		}, nil},
		{"ordinary blockquote", "> Just a quote [!NOTE] here.\n", []string{"<blockquote>"}, []string{"callout"}},
		{"shortcode", "{{< callout type=\"warning\" title=\"Mind the gap\" >}}\nText with a [link](https://example.org).\n{{< /callout >}}\n", []string{
			`<aside class="callout callout-warning" aria-label="Mind the gap">`, `<p>Text with a <a href="https://example.org">link</a>.</p>` + "\n" + `</div></aside>`,
		}, []string{"\x00"}},
		{"shortcode collapsible", "{{< callout type=tip collapsible=true >}}\nHidden.\n{{< /callout >}}\n", []string{
			`<details class="callout callout-tip"><summary`, "<p>Hidden.</p>",
		}, []string{" open"}},
		{"shortcode open", "{{< callout note open=true >}}\nShown.\n{{< /callout >}}\n", []string{
			`<details class="callout callout-note" open>`,
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := render(t, Options{}, tc.src)
			got := string(res.HTML)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("should not hold %q:\n%s", w, got)
				}
			}
			if len(res.Shortcodes) != 0 {
				t.Errorf("a callout is not left for the shortcode stage: %v", res.Shortcodes)
			}
		})
	}
}

func TestAlertHeadingsAndWordsCount(t *testing.T) {
	res := render(t, Options{}, "> [!NOTE]\n> ## Inside\n> three more words\n")
	if len(res.Headings) != 1 || res.Headings[0].ID != "inside" {
		t.Errorf("headings %+v", res.Headings)
	}
	if res.WordCount != 4 {
		t.Errorf("word count %d, want 4 (the marker is not a word)", res.WordCount)
	}
}

func TestCalloutErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"Intro.\n\n> [!NTOE]\n> Body.\n", `content/a.md:7:3: unknown callout type "ntoe" (known: note, tip, important, warning, caution); did you mean note?`},
		{"{{< callout type=\"danger\" >}}\nx\n{{< /callout >}}\n", `content/a.md:5:1: unknown callout type "danger" (known: note, tip, important, warning, caution)`},
		{"{{< callout type=\"tip\" colour=red >}}\nx\n{{< /callout >}}\n", `content/a.md:5:1: {{< callout >}} has no argument colour`},
		{"{{< callout type=\"tip\" >}}\nx\n", `content/a.md:5:1: {{< callout >}} is never closed`},
		{"{{< callout collapsible=yes >}}\nx\n{{< /callout >}}\n", `collapsible must be true, false or open, not "yes"`},
	} {
		res := New(Options{}).Render("content/a.md", 5, []byte(tc.src))
		err := res.Errors.Err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}
