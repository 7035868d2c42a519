package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts in testdata/script run "versus" in-process, as a
// user runs the real binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"versus": func() {
			dir, err := os.Getwd()
			if err != nil {
				panic(err)
			}
			os.Exit(run(context.Background(), &env{stdout: os.Stdout, stderr: os.Stderr, dir: dir}, os.Args[1:]))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", Cmds: map[string]func(*testscript.TestScript, bool, []string){
		"mkimage": mkimage,
	}})
}

// mkimage FILE WIDTH HEIGHT writes a PNG or JPEG (by FILE's extension) of
// that size, for scripts about pictures: a gradient, so that copies made
// of it are not trivially small.
func mkimage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: mkimage FILE WIDTH HEIGHT")
	}
	w, err1 := strconv.Atoi(args[1])
	h, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil {
		ts.Fatalf("mkimage: width and height are whole numbers")
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	var buf bytes.Buffer
	if strings.HasSuffix(args[0], ".png") {
		ts.Check(png.Encode(&buf, m))
	} else {
		ts.Check(jpeg.Encode(&buf, m, nil))
	}
	file := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(file), 0o755))
	ts.Check(os.WriteFile(file, buf.Bytes(), 0o644))
}

// TestGCTuning checks that a batch command runs under the soft memory limit
// and watch, which holds the whole site for as long as it serves, does not
// (under the limit its collector ran without pause at 10,000 articles).
func TestGCTuning(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the environment wins")
	}
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	defer func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}()
	for _, c := range []struct {
		args    []string
		limit   int64
		percent int
	}{
		{[]string{"watch", "--port", "0"}, math.MaxInt64, 100},
		{[]string{"generate"}, 1 << 30, 400},
		{nil, 1 << 30, 400},
	} {
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(100)
		tuneGC(c.args)
		got := debug.SetMemoryLimit(-1)
		gotPercent := debug.SetGCPercent(100)
		if got != c.limit || gotPercent != c.percent {
			t.Errorf("versus %v: memory limit %d, GOGC %d; want %d, %d", c.args, got, gotPercent, c.limit, c.percent)
		}
	}
}
