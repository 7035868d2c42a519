package generator

import (
	"html/template"
	"net/url"
	"strings"
	"time"
)

// Subject is one technology a site compares, as declared in site.yaml.
type Subject struct {
	ID       string
	Name     string
	Language string // chroma lexer name or alias used for its code
	// Extensions match sample files to this subject (".js", ".py").
	Extensions []string
	// Run is the argv that runs a sample file; {file} and {dir} are substituted.
	Run []string
	// VersionCommand is the argv that prints the runtime's real version;
	// empty means Run[0] --version.
	VersionCommand []string
	Version        string // the version the prose is about, e.g. "24 LTS"
	Homepage       string
	Color          string
	// URL is the subject's own page, relative to the site root ("/subjects/node/").
	URL string
	Pos Pos

	// VersionPos is where the settings give Version, for the warnings
	// about samples verified with an older runtime.
	VersionPos Pos
}

// Config is the site's settings from site.yaml or site.toml.
type Config struct {
	// File is the settings file relative to the site root, or "" when the site
	// has none and the defaults apply.
	File  string
	Title string
	// TitlePos is where the settings give the title.
	TitlePos    Pos
	Description string
	BaseURL     string
	Language    string
	// Favicon is the site's icon, a file under content/ named by its path
	// there; empty means the theme's default icon.
	Favicon    string
	FaviconPos Pos
	// FrontMatterKeys are front matter keys of the site's own, which versus
	// then does not warn about (frontMatterKeys: [hero, icon]).
	FrontMatterKeys []string
	// Strict turns every warning into an error (strict: true).
	Strict bool
	// SocialCards draws a card image per page for og:image
	// (socialCards: true, the default).
	SocialCards bool
	Subjects    []*Subject
	Highlight   HighlightConfig
	Markdown    MarkdownConfig
	Params      map[string]any
	Limits      Limits
	// Samples holds the site's defaults for running samples (samples: in
	// site.yaml); a sample's own sample.yaml overrides them.
	Samples SampleSettings
	// Menus are the menu entries the settings declare (menus:), in the
	// order written; the build resolves them into Site.Menus.
	Menus []*MenuSpec
	// CSS and JS are the site's own stylesheets and scripts (css:, js:),
	// files under the site's assets/ folder linked from every page.
	CSS, JS []AssetRef
	// RedirectsFile writes a _redirects file (Netlify, Cloudflare Pages)
	// with a 301 line for every alias (redirectsFile: true).
	RedirectsFile    bool
	RedirectsFilePos Pos
	// Pagination splits long lists into pages (pagination: in site.yaml).
	Pagination Pagination
}

// DefaultPagerSize is how many pages a list shows per pager when the
// settings do not say: 20 cards keep the home page of a large site light
// while a small site's lists stay on one page.
const DefaultPagerSize = 20

// DefaultPagerPath is the folder of pager pages 2..N below a list's URL.
const DefaultPagerPath = "page"

// Pagination are the settings of paginated lists, with Hugo's names.
type Pagination struct {
	// PagerSize is how many pages each pager of a list shows (always > 0).
	PagerSize int
	// Path is the folder the pagers 2..N are under: /blog/page/2/.
	Path string
	// DisableAliases leaves out the page/1/ redirect to the list's URL.
	DisableAliases bool
}

// AssetRef names a file under the site's assets/ folder, as written in
// settings or front matter.
type AssetRef struct {
	Name string
	Pos  Pos
}

// MenuSpec is one menu entry as written, in site settings (menus:) or in
// a page's front matter (menu:), before it is resolved against the pages.
type MenuSpec struct {
	// Menu is the menu's name ("main").
	Menu       string
	Identifier string
	Name       string
	// URL is an address as written (a site path or an absolute URL);
	// PageRef names a page by its file under content/ or its URL path.
	URL, PageRef string
	Title        string
	Weight       int
	Parent       string
	// Pos is where the entry is written; PageRefPos and ParentPos where
	// its pageRef and parent are, for errors about them.
	Pos, PageRefPos, ParentPos Pos
}

// MenuEntry is one entry of a resolved menu, what layouts see in
// .Site.Menus (Hugo's names).
type MenuEntry struct {
	Menu       string
	Identifier string
	Name       string
	// URL is the entry's link, with the site's base path; "" for an entry
	// that only groups its children.
	URL    string
	Title  string
	Weight int
	// Parent is the parent entry's identifier, "" at the top.
	Parent string
	// Page is the page the entry stands for; nil for a plain URL.
	Page     *Page
	Children Menu
}

// HasChildren reports whether the entry has entries below it.
func (e *MenuEntry) HasChildren() bool { return len(e.Children) > 0 }

// KeyName is the entry's identifier, or its name when it has none.
func (e *MenuEntry) KeyName() string {
	if e.Identifier != "" {
		return e.Identifier
	}
	return e.Name
}

// Menu is a menu's entries (or an entry's children) in order: weight
// (unweighted last), then name.
type Menu []*MenuEntry

// Menus are a site's menus by name.
type Menus map[string]Menu

// SampleSettings are the site-wide defaults for sample runs. A zero field
// means versus's default.
type SampleSettings struct {
	Timeout time.Duration
	Bounds  SampleBounds
	// ReadOnly lists extra folders a sample sees, read-only (a runtime
	// installed outside /usr, /opt and the PATH folders).
	ReadOnly []string
	// MaxAge is how old a recorded result (a verified run, a measured
	// benchmark) may be before the build warns of it and verification
	// runs it again (samples.maxAge); 0 means any age. MaxAgePos is where
	// the settings give it.
	MaxAge    time.Duration
	MaxAgePos Pos
}

// SampleBounds limit one run of one sample file. A zero field means the
// default (or the site's default, for a sample).
type SampleBounds struct {
	// CPU is the processor time each process may use.
	CPU time.Duration
	// Memory bounds each process's private writable memory (RLIMIT_DATA), in bytes.
	Memory int64
	// Processes bounds the processes and threads of the run.
	Processes int
	// OpenFiles bounds the files each process may hold open.
	OpenFiles int
	// FileSize bounds each file the run writes, in bytes.
	FileSize int64
	// Output bounds stdout and stderr, each, in bytes.
	Output int64
}

// Or fills the zero fields of b from d.
func (b SampleBounds) Or(d SampleBounds) SampleBounds {
	if b.CPU <= 0 {
		b.CPU = d.CPU
	}
	if b.Memory <= 0 {
		b.Memory = d.Memory
	}
	if b.Processes <= 0 {
		b.Processes = d.Processes
	}
	if b.OpenFiles <= 0 {
		b.OpenFiles = d.OpenFiles
	}
	if b.FileSize <= 0 {
		b.FileSize = d.FileSize
	}
	if b.Output <= 0 {
		b.Output = d.Output
	}
	return b
}

// Limits bound the size of what a build reads, so that one huge or
// special file fails at once with an error naming it, instead of filling
// memory. A zero field means its default.
type Limits struct {
	// Page bounds one Markdown page, and each layout and settings file.
	Page int64
	// File bounds one other file under content/, copied as it is.
	File int64
	// Sample bounds all the files of one sample folder together.
	Sample int64
	// Render bounds the time one page takes to render; a page over it
	// fails the build with its file named. Zero means DefaultRenderLimit.
	Render time.Duration
}

// DefaultRenderLimit is far above what any real page takes.
const DefaultRenderLimit = 30 * time.Second

// Default sizes of Limits: far above any real page or sample, far below
// what would strain the machine.
const (
	DefaultPageLimit   = 8 << 20
	DefaultFileLimit   = 64 << 20
	DefaultSampleLimit = 64 << 20
)

// WithDefaults fills the zero fields with the defaults.
func (l Limits) WithDefaults() Limits {
	if l.Page <= 0 {
		l.Page = DefaultPageLimit
	}
	if l.File <= 0 {
		l.File = DefaultFileLimit
	}
	if l.Sample <= 0 {
		l.Sample = DefaultSampleLimit
	}
	if l.Render <= 0 {
		l.Render = DefaultRenderLimit
	}
	return l
}

// HighlightConfig selects the chroma styles for light and dark mode.
type HighlightConfig struct {
	Style     string
	DarkStyle string
}

// MarkdownConfig holds the Markdown options a site may change.
type MarkdownConfig struct {
	// Unsafe lets raw HTML in Markdown through instead of escaping it.
	Unsafe bool
	// Math turns $…$ and $$…$$ into MathML at build time.
	Math bool
}

// Subject returns the subject with the given id, or nil.
func (c *Config) Subject(id string) *Subject {
	for _, s := range c.Subjects {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// BasePath is the path part of BaseURL, always starting and ending with "/".
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// RelURL turns a site path ("/a/b/", "css/x.css") into a URL path under the
// base path, leaving absolute URLs and fragments alone.
func (c *Config) RelURL(p string) string {
	if p == "" {
		return c.BasePath()
	}
	if strings.Contains(p, "://") || strings.HasPrefix(p, "#") || strings.HasPrefix(p, "mailto:") || strings.HasPrefix(p, "//") {
		return p
	}
	base := c.BasePath()
	if strings.HasPrefix(p, base) && base != "/" {
		return p
	}
	return base + strings.TrimPrefix(p, "/")
}

// AbsURL turns a site path into an absolute URL under BaseURL.
func (c *Config) AbsURL(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return c.RelURL(p)
	}
	return u.Scheme + "://" + u.Host + c.RelURL(p)
}

// Page kinds, as Hugo names them where Hugo has a name.
const (
	KindHome     = "home"
	KindSection  = "section"
	KindPage     = "page"
	KindTaxonomy = "taxonomy" // the tag index
	KindTerm     = "term"     // one tag's page
	KindSubject  = "subject"  // one subject's page
	Kind404      = "404"
)

// Site is what layouts see as .Site.
type Site struct {
	Config      *Config
	Title       string
	Description string
	BaseURL     string
	Language    string
	Params      map[string]any
	// Pages are the regular pages (articles), newest first.
	Pages []*Page
	// Sections are the section list pages, by path.
	Sections []*Page
	Subjects []*Subject
	Tags     []*Term
	// Menus are the site's menus by name (.Site.Menus.main).
	Menus Menus
	// CSS and JS are the URLs of the site's own stylesheets and scripts.
	CSS, JS []string
	// Data are the data files (data/versions.yaml is .Site.Data.versions).
	Data map[string]any
	// Home is the home page.
	Home *Page
	// Generated are the pages no source file stands for: the tag index, tag
	// pages, subject pages and the 404 page.
	Generated []*Page
	// Pagers are the pager pages 2..N of paginated lists, each list's in
	// order, lists in site order.
	Pagers []*Page
	// Build is when the site was built (the newest page date, so output is
	// reproducible).
	BuildDate time.Time
}

// Term is a tag with the pages that carry it.
type Term struct {
	Name  string
	Slug  string
	URL   string // relative to the site root, with the base path
	Pages []*Page
	Count int
}

// Heading is an entry of a page's table of contents.
type Heading struct {
	Level    int
	ID       string
	Text     string
	Children []*Heading
}

// Page is one output page and what layouts see as the dot.
type Page struct {
	Kind string
	// File is the source file relative to the site root, "" for generated pages.
	File string
	// Path is the page's URL path relative to the base ("/a/b/"); OutFile is
	// the output file ("a/b/index.html").
	Path    string
	OutFile string

	Title       string
	Description string
	Date        time.Time
	Lastmod     time.Time
	Draft       bool
	Authors     []string
	Tags        []*Term
	TagNames    []string
	Slug        string
	Weight      int
	Layout      string
	// Params is the whole front matter as plain values (Hugo's .Params).
	Params map[string]any
	// Meta is the front matter with positions, for stages that report errors.
	Meta *Node
	// Section is the first folder of the page's path ("" at the root).
	Section string
	// Body is the Markdown after the front matter; BodyLine is the line of the
	// source file where it starts.
	Body     []byte
	BodyLine int

	// Filled by the build.
	Content         template.HTML
	Summary         template.HTML
	TableOfContents template.HTML
	Headings        []*Heading
	ReadingTime     int
	WordCount       int
	RelPermalink    string
	Permalink       string
	Prev            *Page
	Next            *Page
	Related         []*Page
	Pages           []*Page // on lists: the pages listed
	Parent          *Page   // the section page the page belongs to
	Ancestors       []*Page // home first, for breadcrumbs
	Comparison      *Comparison
	// Placed records which comparison blocks the body placed itself, so the
	// default layout shows the rest after the body.
	Placed map[string]bool
	// Links are the links and images written in the body's Markdown, with
	// their source positions, so a link checker can point at the line.
	Links []Link
	// Image is the picture social sites show for the page (og:image): the
	// card the build draws, or the front matter's image:; nil for none.
	Image *Image
	// ImageFile is the front matter's image: as written, and ImagePos
	// where; the build resolves it into Image.
	ImageFile string
	ImagePos  Pos
	// MenuSpecs are the menu entries the front matter declares (menu:).
	MenuSpecs []*MenuSpec
	// CSSRefs and JSRefs are the front matter's css: and js:; the build
	// resolves them into CSS and JS, the URLs the page links.
	CSSRefs, JSRefs []AssetRef
	CSS, JS         []string
	// Aliases are the URL paths that redirect to the page (aliases:).
	Aliases []Alias
	// Subject is set on a subject's page.
	Subject *Subject
	// Criteria is set on a subject's page: every criterion it was compared on.
	SubjectCriteria []*SubjectCriterion
	// Paginator is set on the pages of a list whose layout shows
	// .Paginator: the pager this page shows.
	Paginator *Pager
	// PagerOf is set on a list's pager pages 2..N: the list page (pager 1)
	// they continue. Each is a copy of it with its own URL and Paginator.
	PagerOf *Page
	Site    *Site
}

// Pager is one page of a paginated list, what layouts see as .Paginator,
// with Hugo's names.
type Pager struct {
	// PageNumber counts from 1.
	PageNumber int
	// URL is the pager's URL path with the base path ("/blog/page/2/");
	// the first pager's is the list's own.
	URL string
	// Pages are the pages this pager shows.
	Pages []*Page
	// PagerSize is the most pages a pager shows.
	PagerSize int
	// TotalNumberOfElements counts the pages of the whole list.
	TotalNumberOfElements int
	// Pagers are every pager of the list, first to last.
	Pagers []*Pager
}

// NumberOfElements counts the pages this pager shows.
func (p *Pager) NumberOfElements() int { return len(p.Pages) }

// TotalPages counts the pagers of the list.
func (p *Pager) TotalPages() int { return len(p.Pagers) }

// HasPrev reports whether a pager comes before this one.
func (p *Pager) HasPrev() bool { return p.PageNumber > 1 }

// HasNext reports whether a pager comes after this one.
func (p *Pager) HasNext() bool { return p.PageNumber < len(p.Pagers) }

// Prev is the pager before this one, or nil.
func (p *Pager) Prev() *Pager {
	if !p.HasPrev() {
		return nil
	}
	return p.Pagers[p.PageNumber-2]
}

// Next is the pager after this one, or nil.
func (p *Pager) Next() *Pager {
	if !p.HasNext() {
		return nil
	}
	return p.Pagers[p.PageNumber]
}

// First is the list's first pager.
func (p *Pager) First() *Pager { return p.Pagers[0] }

// Last is the list's last pager.
func (p *Pager) Last() *Pager { return p.Pagers[len(p.Pagers)-1] }

// Nearby are the pagers a pager nav links to, so that a list of hundreds
// of pagers fits a phone: the first, the last, and those within k of this
// one, in order, with a nil where pagers are left out.
func (p *Pager) Nearby(k int) []*Pager {
	var out []*Pager
	gap := false
	for _, o := range p.Pagers {
		d := o.PageNumber - p.PageNumber
		if o.PageNumber == 1 || o.PageNumber == len(p.Pagers) || (d >= -k && d <= k) {
			out = append(out, o)
			gap = false
		} else if !gap {
			out = append(out, nil)
			gap = true
		}
	}
	return out
}

// IsHome reports whether the page is the home page.
func (p *Page) IsHome() bool { return p.Kind == KindHome }

// IsMenuCurrent reports whether e, an entry of the menu named menu, is
// this page (Hugo's .IsMenuCurrent).
func (p *Page) IsMenuCurrent(menu string, e *MenuEntry) bool {
	if e == nil || e.Menu != menu {
		return false
	}
	if e.Page != nil {
		return e.Page == p
	}
	return e.URL != "" && e.URL == p.RelPermalink
}

// HasMenuCurrent reports whether this page is below e: one of e's
// descendants is the page, or e stands for a section the page is in
// (Hugo's .HasMenuCurrent).
func (p *Page) HasMenuCurrent(menu string, e *MenuEntry) bool {
	if e == nil || e.Menu != menu {
		return false
	}
	for _, c := range e.Children {
		if p.IsMenuCurrent(menu, c) || p.HasMenuCurrent(menu, c) {
			return true
		}
	}
	if e.Page != nil && e.Page != p && e.Page.Kind != KindHome {
		for _, a := range p.Ancestors {
			if a == e.Page {
				return true
			}
		}
	}
	return false
}

// IsPage reports whether the page is a regular article.
func (p *Page) IsPage() bool { return p.Kind == KindPage }

// HasComparison reports whether the page's front matter has comparison data.
func (p *Page) HasComparison() bool {
	return p.Comparison != nil && (len(p.Comparison.Criteria) > 0 || len(p.Comparison.Verdict) > 0 || len(p.Comparison.FAQ) > 0)
}

// Comparison is the comparison a page states in its front matter.
type Comparison struct {
	Subjects []*Subject
	Criteria []*Criterion
	Score    []*Score
	Verdict  []*VerdictColumn
	FAQ      []*QA
	// Unfilled are subjects the page compares only because it names no
	// subjects: (so it compares every subject of the site) and gives no
	// value in any row: most often a subject added to site settings after
	// the page was written. The build warns of them, once for the site.
	Unfilled []*Subject
}

// Criterion is one row of a comparison table.
type Criterion struct {
	Name string
	// Cells are in the order of the comparison's subjects.
	Cells []*Cell
	// Winners are the subject ids named by winner; several share the point.
	Winners []string
	Note    template.HTML
	Pos     Pos
	// Evidence is the benchmark the criterion names with bench:, whose
	// recorded result its winner agrees with; nil when it names none.
	Evidence *Evidence
}

// Evidence is a recorded benchmark result backing a criterion.
type Evidence struct {
	// Sample names the benchmark sample; Anchor is the id of its chart on
	// a page that shows it ({{< benchmark >}}).
	Sample, Anchor string
	// Phrase says the result in words ("Node.js 3.2× faster (95% CI …)").
	Phrase string
	// Figures are each subject's median, formatted, by subject id.
	Figures map[string]string
	// Measured says where and when: "2026-12-02 on AMD EPYC, 2 cores".
	Measured string
	Stale    bool
}

// Cell value kinds.
const (
	CellText   = "text"
	CellBool   = "bool"
	CellNumber = "number"
	CellEmpty  = "empty"
)

// Cell is one subject's value for a criterion.
type Cell struct {
	Subject *Subject
	Kind    string
	HTML    template.HTML // rendered inline Markdown, or the number
	Bool    bool
	Winner  bool
}

// Score is one subject's points on a page.
type Score struct {
	Subject *Subject
	Points  int
	Won     []string // names of the criteria it won or shared
}

// VerdictColumn is the "Choose X when" list of one subject.
type VerdictColumn struct {
	Subject *Subject
	Items   []template.HTML
}

// QA is one entry of a page's FAQ.
type QA struct {
	Question string
	Answer   template.HTML
	// AnswerText is the answer as plain text, for FAQPage JSON-LD.
	AnswerText string
}

// SubjectCriterion is one criterion a subject was compared on somewhere on
// the site, as listed on the subject's page.
type SubjectCriterion struct {
	Page      *Page
	Criterion *Criterion
	Cell      *Cell
	// Result is "won", "shared", "lost" or "" (no verdict on that row).
	Result string
}

// Image is a page's picture for social sites.
type Image struct {
	// URL is a site path ("/posts/x/card.png") or an absolute URL.
	URL string
	// Width and Height are in pixels; 0 when unknown.
	Width, Height int
	// Alt describes the picture for those who cannot see it.
	Alt string
	// Card is set when the build draws the picture (the page's card.png).
	Card bool
}

// Alias is an old URL of a page, which the build makes redirect to it.
type Alias struct {
	// Path is the URL path ("/old/url/", "/old.html"); OutFile the file
	// written for it ("old/url/index.html").
	Path, OutFile string
	Pos           Pos
}

// Link is a link or image written in Markdown.
type Link struct {
	// Dest is the destination as written; URL is what the page links to
	// once links to Markdown files and copied files were resolved.
	Dest  string
	URL   string
	Image bool
	Pos   Pos
}

// Shortcode is one use of a shortcode in a page body.
type Shortcode struct {
	Name string
	// Args are the named arguments; Positional the unnamed ones, in order.
	Args       map[string]string
	Positional []string
	Pos        Pos
	// Closed reports whether a paired shortcode had its closing tag.
	Closed bool
	Paired bool
	// Inner is the raw text between the opening and closing tags.
	Inner string
	// Blocks are the fenced code blocks inside a paired shortcode (compare).
	Blocks []*CodeBlock
	// Stray are the positions of anything else inside a paired shortcode.
	Stray []Pos
}

// Get returns a named argument, or the positional argument when name is a
// number ("0"), as Hugo's .Get does.
func (s *Shortcode) Get(name string) string {
	if v, ok := s.Args[name]; ok {
		return v
	}
	for i, v := range s.Positional {
		if name == itoa(i) {
			return v
		}
	}
	return ""
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + itoa(i%10)
}

// CodeBlock is a fenced code block with its attributes.
type CodeBlock struct {
	Lang  string
	Code  string
	Attrs map[string]string
	Pos   Pos
}

// CodeGroup is code from several subjects shown side by side: a compare
// shortcode or a sample. When the code carries step markers, each pane is
// cut into the same steps so the theme can align them row by row.
type CodeGroup struct {
	// ID is unique within the page, for ARIA ids and anchors.
	ID          string
	Title       string
	Description template.HTML
	// Sample is the sample's name, for samples.
	Sample string
	Panes  []*Pane
	// Steps are the step labels in order; empty when the code has none.
	Steps []string
	// HasOutput reports whether any pane shows output.
	HasOutput bool
}

// Pane is one subject's code in a group.
type Pane struct {
	Subject *Subject
	ID      string // unique within the page
	File    string // a file name or block title shown above the code
	Lang    string
	// Code is the code as shown (markers removed), for the copy button.
	Code string
	// Segments hold the highlighted code: one per step when the group has
	// steps (empty HTML where this pane lacks the step), else a single one.
	Segments []*Segment
	Output   *Output
}

// Segment is a run of highlighted lines belonging to one step.
type Segment struct {
	Step string
	// N numbers the labelled steps from 1; 0 for code before the first step.
	N    int
	HTML template.HTML
	// Empty is true when the pane has no code for this step.
	Empty bool
}

// Output is what running a sample printed, and the proof of it.
type Output struct {
	Text string
	// Verified is true when the output was checked by running the code;
	// Runtime ("Node.js v24.11.1") and Date say with what and when.
	Verified bool
	Runtime  string
	Date     string
	// Served is set for server samples: the URL path requested and the
	// text the response had to contain.
	Served string
	// Stderr is what the run printed on stderr, kept when the sample
	// expects it (expected.stderr.txt), so the page can show it.
	Stderr string
	// Exit is the run's exit status (sample.yaml's exit:, 0 by default).
	Exit int
	// Checked: the run was compared with an expectation (expected output,
	// a served response, an exit status); a run without one only ran.
	Checked bool
	// Same counts the subjects checked against one shared expected.txt
	// (0 when this subject has its own), so the page can say "both print
	// the same".
	Same int
	// Shown are files of the sample folder the page shows with the output
	// (sample.yaml's show:).
	Shown []ShownFile
	// Declared is the version the site describes for the subject
	// (subjects.ID.version) when Runtime is older than it, so the page can
	// say that the output is from an older runtime; "" otherwise.
	Declared string
}

// ShownFile is a file of a sample folder shown with its output.
type ShownFile struct {
	Name string
	Text string
}

// SettingsFiles are the names a site's settings file may have at the site
// root, in the order they are looked for. Every stage that cares (config,
// watch, rebuilds) asks IsSettingsFile, so all accept the same names.
func SettingsFiles() []string { return []string{"site.yaml", "site.yml", "site.toml"} }

// SourceDirs are the folders under a site's root that a build reads:
// content/ (pages, samples, copied files), layouts/, i18n/ (the theme's
// strings), data/ (data files) and assets/ (css: and js:). Watch mode
// watches them; the nothing-changed check and an incremental generate hash
// them.
func SourceDirs() []string { return []string{"content", "layouts", "i18n", "data", "assets"} }

// IsSettingsFile reports whether rel (relative to the site root, forward
// slashes) is a settings file.
func IsSettingsFile(rel string) bool {
	switch rel {
	case "site.yaml", "site.yml", "site.toml":
		return true
	}
	return false
}
