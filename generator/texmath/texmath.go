// Package texmath converts TeX math to MathML at build time, so pages show
// formulas without any JavaScript in the browser. It runs Temml (TeX to
// MathML, MIT licence, temml.min.js 0.13.5 from the npm registry, embedded
// here) in goja, a JavaScript engine written in Go, so a build needs no
// Node.js either.
package texmath

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"
)

//go:embed temml.min.js
var temmlJS string

// Version is the embedded Temml's version.
const Version = "0.13.5"

// Error is a TeX syntax error: Offset is the byte offset in the TeX source
// where Temml stopped.
type Error struct {
	Offset  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// Engine renders TeX. It is safe for concurrent use: each goroutine borrows
// a JavaScript runtime of its own (one costs about 30 ms to start, so they
// are kept), and results are cached by source, so a formula used on many
// pages or in many rebuilds is converted once.
type Engine struct {
	mu    sync.Mutex
	idle  []*runtime
	cache map[key]result
	prog  *goja.Program
	err   error
	once  sync.Once
}

type key struct {
	tex     string
	display bool
}

type result struct {
	html string
	err  error
}

type runtime struct {
	vm     *goja.Runtime
	render goja.Callable
}

// New returns an Engine; runtimes start on first use.
func New() *Engine { return &Engine{cache: map[key]result{}} }

// glue calls Temml with the options versus uses: errors are thrown (so
// they can be reported at their line), not drawn in red on the page.
const glue = `(function (tex, display) {
  try {
    return [temml.renderToString(tex, {displayMode: display, throwOnError: true, annotate: true}), null, -1];
  } catch (e) {
    return [null, String(e.message), typeof e.position === "number" ? e.position : -1];
  }
})`

func (e *Engine) get() (*runtime, error) {
	e.once.Do(func() {
		e.prog, e.err = goja.Compile("temml.min.js", temmlJS+"\n;"+glue, true)
	})
	if e.err != nil {
		return nil, e.err
	}
	e.mu.Lock()
	if n := len(e.idle); n > 0 {
		rt := e.idle[n-1]
		e.idle = e.idle[:n-1]
		e.mu.Unlock()
		return rt, nil
	}
	e.mu.Unlock()
	vm := goja.New()
	v, err := vm.RunProgram(e.prog)
	if err != nil {
		return nil, fmt.Errorf("starting Temml: %v", err)
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return nil, fmt.Errorf("starting Temml: no render function")
	}
	return &runtime{vm: vm, render: fn}, nil
}

func (e *Engine) put(rt *runtime) {
	e.mu.Lock()
	e.idle = append(e.idle, rt)
	e.mu.Unlock()
}

// Render converts tex to a <math> element, display (block) or inline. A
// syntax error is an *Error.
func (e *Engine) Render(tex string, display bool) (string, error) {
	k := key{tex, display}
	e.mu.Lock()
	r, ok := e.cache[k]
	e.mu.Unlock()
	if ok {
		return r.html, r.err
	}
	rt, err := e.get()
	if err != nil {
		return "", err
	}
	defer e.put(rt)
	v, err := rt.render(goja.Undefined(), rt.vm.ToValue(tex), rt.vm.ToValue(display))
	if err != nil {
		return "", fmt.Errorf("Temml: %v", err)
	}
	var out []any
	if err := rt.vm.ExportTo(v, &out); err != nil || len(out) != 3 {
		return "", fmt.Errorf("Temml returned %v", v)
	}
	if html, ok := out[0].(string); ok {
		r = result{html: html}
	} else {
		msg, _ := out[1].(string)
		pos := -1
		switch p := out[2].(type) {
		case int64:
			pos = int(p)
		case float64:
			pos = int(p)
		}
		r = result{err: parseError(tex, msg, pos)}
	}
	e.mu.Lock()
	e.cache[k] = r
	e.mu.Unlock()
	return r.html, r.err
}

// parseError turns Temml's message and UTF-16 position into an Error with
// a byte offset. Temml appends " at position N: " and the source with the
// spot underlined; the position is reported separately, so that tail is
// dropped where Temml's own code puts it.
func parseError(tex, msg string, pos int) *Error {
	msg = strings.TrimSpace(msg)
	off := 0
	if pos >= 0 {
		off = utf16ToByte(tex, pos)
		tail := " at position " + fmt.Sprint(pos+1) + ":"
		if off == len(tex) {
			tail = " at end of input:"
		}
		if i := strings.LastIndex(msg, tail); i >= 0 {
			msg = msg[:i]
		}
	}
	return &Error{Offset: off, Message: msg}
}

func utf16ToByte(s string, units int) int {
	n := 0
	for i, r := range s {
		if n >= units {
			return i
		}
		if r >= 0x10000 && r != utf8.RuneError {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}
