// Package i18n holds the words the theme shows ("On this page", "min
// read", month names) in the site's language: the theme's strings file for
// that language, i18n/<lang>.yaml in layouts/, under the site's own
// i18n/<lang>.yaml, which overrides it key by key.
//
// A strings file maps keys to text. A value is a string, or a map of CLDR
// plural forms (zero, one, two, few, many, other; other is required) chosen
// by a count. {name} in a text is replaced by the argument of that name;
// {count} by the count. The key dates holds the date formats and names:
//
//	onThisPage: On this page
//	minRead: {one: "{count} min read", other: "{count} min read"}
//	chooseWhen: Choose {name} when
//	dates:
//	  long: "{day} {month} {year}"
//	  short: "{day} {monthShort} {year}"
//	  months: [January, February, …]
//	  monthsShort: [Jan, Feb, …]
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/versus-ssg/versus/generator"
	"github.com/versus-ssg/versus/generator/meta"
	"github.com/versus-ssg/versus/generator/sitefs"
)

// Dir is the folder of strings files, in the theme and in the site.
const Dir = "i18n"

// Default is the language every theme string exists in.
const Default = "en"

// Strings are the theme's words in one language.
type Strings struct {
	// Lang is the site's language, as its settings name it.
	Lang  string
	tag   language.Tag
	msgs  map[string]*message
	dates dates
}

type message struct {
	forms map[plural.Form]string
	text  string
	pos   generator.Pos
}

type dates struct {
	formats     map[string]string
	months      []string
	monthsShort []string
}

var formNames = map[string]plural.Form{"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other}

// Load reads the strings for lang (the site's language setting; "" means
// English) from the theme and the site. A key the language lacks falls
// back to English with a warning, so a partial translation still builds
// but does not pass unnoticed.
func Load(theme, site fs.FS, lang string) (s *Strings, warnings generator.ErrorList, err error) {
	if lang == "" {
		lang = Default
	}
	tag, terr := language.Parse(lang)
	if terr != nil {
		tag = language.English
	}
	base, _ := tag.Base()
	chain := []string{lang}
	if b := base.String(); b != lang && b != "und" {
		chain = append(chain, b)
	}
	s = &Strings{Lang: lang, tag: tag, msgs: map[string]*message{}, dates: dates{formats: map[string]string{}}}
	var errs generator.ErrorList
	english := map[string]bool{}
	read := func(fsys fs.FS, file string, isEnglish bool) bool {
		if fsys == nil {
			return false
		}
		data, rerr := sitefs.ReadFile(fsys, file, generator.DefaultPageLimit, "")
		if errors.Is(rerr, fs.ErrNotExist) {
			return false
		}
		if rerr != nil {
			errs.Add(generator.Pos{File: file}, "%v", sitefs.Reason(rerr))
			return false
		}
		root, derr := meta.Decode(meta.Source{Format: meta.YAML, Data: data, File: file, Line: 1})
		if derr != nil {
			errs.Append(generator.Pos{File: file}, derr)
			return false
		}
		s.merge(root, &errs, english, isEnglish)
		return true
	}
	// Lowest layer first: the theme's English, then the language's base,
	// then the language itself, the site's file above the theme's each time.
	themeFile := func(l string) string { return path.Join(Dir, l+".yaml") }
	read(theme, themeFile(Default), true)
	if lang == Default || chain[len(chain)-1] == Default {
		read(site, themeFile(Default), true)
	}
	found := lang == Default || chain[len(chain)-1] == Default
	for i := len(chain) - 1; i >= 0; i-- {
		if chain[i] == Default {
			continue
		}
		if read(theme, themeFile(chain[i]), false) {
			found = true
		}
		if read(site, themeFile(chain[i]), false) {
			found = true
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}
	switch {
	case !found:
		warnings.Add(generator.Pos{File: themeFile(lang)}, "the theme has no strings in language %q, so its words are English: add %s to the site to translate them (the keys are in the theme's %s)", lang, themeFile(lang), themeFile(Default))
	case lang != Default:
		var missing []string
		for k := range english {
			missing = append(missing, k)
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			warnings.Add(generator.Pos{File: themeFile(lang)}, "no %s text for %s, so English is shown: add %s to %s", lang, strings.Join(quote(missing), ", "), plural1(len(missing), "it", "them"), themeFile(lang))
		}
	}
	return s, warnings, nil
}

func plural1(n int, one, other string) string {
	if n == 1 {
		return one
	}
	return other
}

func quote(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

// merge lays one file's keys over what is there. english records the keys
// whose text is English, to warn about in another language.
func (s *Strings) merge(root *generator.Node, errs *generator.ErrorList, english map[string]bool, isEnglish bool) {
	if root == nil || root.Kind == generator.NullValue {
		return
	}
	if root.Kind != generator.MapValue {
		errs.Add(root.Pos, "a strings file maps keys to text, like onThisPage: On this page")
		return
	}
	for _, k := range root.Keys {
		v := root.Map[k]
		if k == "dates" {
			s.mergeDates(v, errs, english, isEnglish)
			continue
		}
		m := &message{pos: v.KeyPos}
		switch v.Kind {
		case generator.StringValue:
			m.text = v.Str
		case generator.MapValue:
			m.forms = map[plural.Form]string{}
			for _, f := range v.Keys {
				fv := v.Map[f]
				form, ok := formNames[f]
				if !ok {
					errs.Add(fv.KeyPos, "%s: %q is not a plural form (zero, one, two, few, many, other)", k, f)
					continue
				}
				if fv.Kind != generator.StringValue {
					errs.Add(fv.Pos, "%s.%s must be text", k, f)
					continue
				}
				m.forms[form] = fv.Str
			}
			if _, ok := m.forms[plural.Other]; !ok {
				errs.Add(v.Pos, "%s: plural forms need other:, the form used when no other one fits", k)
			}
		default:
			errs.Add(v.Pos, "%s must be text, or plural forms (one: …, other: …), not a %s", k, v.Kind)
			continue
		}
		s.msgs[k] = m
		english[k] = isEnglish
		if !isEnglish {
			delete(english, k)
		}
	}
}

func (s *Strings) mergeDates(v *generator.Node, errs *generator.ErrorList, english map[string]bool, isEnglish bool) {
	if v.Kind != generator.MapValue {
		errs.Add(v.Pos, "dates must be a map of formats (long, short) and names (months, monthsShort)")
		return
	}
	for _, k := range v.Keys {
		c := v.Map[k]
		key := "dates." + k
		switch k {
		case "months", "monthsShort":
			names := c.TextList(errs)
			if len(names) != 12 {
				errs.Add(c.Pos, "%s must list the 12 months, January first; it has %d", key, len(names))
				continue
			}
			if k == "months" {
				s.dates.months = names
			} else {
				s.dates.monthsShort = names
			}
		default:
			if c.Kind != generator.StringValue {
				errs.Add(c.Pos, "%s must be a format like \"{day} {month} {year}\"", key)
				continue
			}
			s.dates.formats[k] = c.Str
		}
		if isEnglish {
			english[key] = true
		} else {
			delete(english, key)
		}
	}
}

// T returns the text of key. args are an optional count (an int, which
// chooses the plural form and fills {count}) followed by name, value
// pairs for the other placeholders.
func (s *Strings) T(key string, args ...any) (string, error) {
	m, ok := s.msgs[key]
	if !ok {
		// Suggest compares in lower case; keys are camelCase.
		lower := map[string]string{}
		var cands []string
		for _, k := range s.keys() {
			lower[strings.ToLower(k)] = k
			cands = append(cands, strings.ToLower(k))
		}
		if sug := generator.Suggest(key, cands); sug != "" {
			return "", fmt.Errorf("no theme string %q (did you mean %q?) in %s", key, lower[sug], s.where())
		}
		return "", fmt.Errorf("no theme string %q in %s: add %s: … to the site's %s", key, s.where(), key, path.Join(Dir, s.Lang+".yaml"))
	}
	vars := map[string]string{}
	text := m.text
	if len(args) > 0 {
		if n, ok := toInt(args[0]); ok {
			args = args[1:]
			vars["count"] = strconv.Itoa(n)
			if m.forms != nil {
				text = m.form(s.tag, n)
			}
		}
	}
	if m.forms != nil && text == "" {
		return "", fmt.Errorf("theme string %q has plural forms: give a count, as in T %q 3", key, key)
	}
	if len(args)%2 != 0 {
		return "", fmt.Errorf("T %q: arguments after the count come in name, value pairs", key)
	}
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("T %q: argument name %v is not text", key, args[i])
		}
		vars[name] = fmt.Sprint(args[i+1])
	}
	return fill(key, text, vars, m.pos)
}

func (m *message) form(tag language.Tag, n int) string {
	f := plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)
	if t, ok := m.forms[f]; ok {
		return t
	}
	return m.forms[plural.Other]
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	}
	return 0, false
}

// fill replaces {name} placeholders; one without a value is an error, so
// a translation that asks for an argument the layout does not give is
// found at build time.
func fill(key, text string, vars map[string]string, pos generator.Pos) (string, error) {
	if !strings.Contains(text, "{") {
		return text, nil
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		name := text[i+1 : i+j]
		v, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("theme string %q (%s) uses {%s}, which this layout does not give", key, pos, name)
		}
		b.WriteString(text[:i])
		b.WriteString(v)
		text = text[i+j+1:]
	}
}

func (s *Strings) keys() []string {
	var out []string
	for k := range s.msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Strings) where() string {
	if s.Lang == Default {
		return "the theme's and the site's " + path.Join(Dir, "en.yaml")
	}
	return path.Join(Dir, s.Lang+".yaml") + " or " + path.Join(Dir, "en.yaml")
}

// Date formats t in the style named (long, short) with the language's
// month names.
func (s *Strings) Date(style string, t time.Time) (string, error) {
	f, ok := s.dates.formats[style]
	if !ok {
		return "", fmt.Errorf("no date format %q in dates: of %s", style, s.where())
	}
	if len(s.dates.months) != 12 || len(s.dates.monthsShort) != 12 {
		return "", fmt.Errorf("dates: needs months and monthsShort in %s", s.where())
	}
	vars := map[string]string{
		"day":        strconv.Itoa(t.Day()),
		"day2":       fmt.Sprintf("%02d", t.Day()),
		"month":      s.dates.months[t.Month()-1],
		"monthShort": s.dates.monthsShort[t.Month()-1],
		"monthNum":   fmt.Sprintf("%02d", int(t.Month())),
		"year":       strconv.Itoa(t.Year()),
	}
	return fill("dates."+style, f, vars, generator.Pos{})
}

// JS returns the texts the theme's scripts show, for a data attribute.
func (s *Strings) JS(keys ...string) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range keys {
		m, ok := s.msgs[k]
		if !ok {
			return nil, fmt.Errorf("no theme string %q in %s", k, s.where())
		}
		if m.forms != nil {
			for name, f := range formNames {
				if t, ok := m.forms[f]; ok {
					out[k+"."+name] = t
				}
			}
			continue
		}
		out[k] = m.text
	}
	return out, nil
}
