// Package layouts embeds the built-in theme: page layouts, partials,
// shortcode templates and the theme's CSS and JavaScript. A site's own
// layouts/ folder overrides these file by file.
package layouts

import "embed"

// FS holds the theme, rooted at this folder.
//
//go:embed *.html partials shortcodes assets i18n
var FS embed.FS
