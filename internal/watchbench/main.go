// Command watchbench measures a watch server's latency from a file write to
// the new content being served: it starts the server command given after
// "--", waits until it serves the page, then repeatedly edits the page's
// source and polls the page until the edit shows, and prints the median.
// The same measurement works for `versus watch` and `hugo server`:
//
//	go run ./internal/watchbench -file /tmp/corpus-10000/content/posts/05000.md \
//	    -url http://127.0.0.1:1313/posts/05000/ -- \
//	    versus watch --source /tmp/corpus-10000 --port 1313
//
// The file is restored afterwards and the server stopped with SIGINT.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "watchbench:", err)
		os.Exit(1)
	}
}

func run() error {
	file := flag.String("file", "", "the Markdown file to edit")
	url := flag.String("url", "", "the URL of its page")
	edits := flag.Int("n", 21, "how many edits to time")
	modes := flag.String("mode", "body,title", "what to edit, in turn: body (adds a paragraph), title (changes the title)")
	pause := flag.Duration("pause", 500*time.Millisecond, "wait between edits, so each starts from a settled server")
	startup := flag.Duration("startup", 15*time.Minute, "how long the first build may take")
	flag.Parse()
	argv := flag.Args()
	if *file == "" || *url == "" || len(argv) == 0 {
		flag.Usage()
		return errors.New("need -file, -url and a command after --")
	}
	orig, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	defer os.WriteFile(*file, orig, 0o644)

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()

	client := &http.Client{Timeout: 10 * time.Second}
	fetch := func() ([]byte, error) {
		res, err := client.Get(*url)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", *url, res.Status)
		}
		return b, err
	}
	start := time.Now()
	for {
		if _, err := fetch(); err == nil {
			break
		}
		if time.Since(start) > *startup {
			return fmt.Errorf("%s not served after %v", *url, *startup)
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Printf("first build served after %.1f s\n", time.Since(start).Seconds())
	time.Sleep(2 * time.Second)

	for _, mode := range strings.Split(*modes, ",") {
		if err := measure(fetch, *file, orig, mode, *edits, *pause); err != nil {
			return err
		}
		fmt.Printf("  — %s\n", strings.Join(argv, " "))
	}
	return nil
}

// measure times edits of one kind.
func measure(fetch func() ([]byte, error), file string, orig []byte, mode string, edits int, pause time.Duration) error {
	var times []time.Duration
	for i := 0; i < edits; i++ {
		marker := fmt.Sprintf("watchbench%d%d", time.Now().UnixNano(), i)
		var data []byte
		switch mode {
		case "title":
			data = bytes.Replace(orig, []byte("title: \""), []byte("title: \""+marker+" "), 1)
		default:
			data = append(slices.Clip(orig), []byte("\n\nA paragraph added by "+marker+".\n")...)
		}
		if bytes.Equal(data, orig) {
			return fmt.Errorf("cannot make a %s edit to %s", mode, file)
		}
		t0 := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		for {
			b, err := fetch()
			if err == nil && bytes.Contains(b, []byte(marker)) {
				break
			}
			if ctx.Err() != nil {
				cancel()
				return fmt.Errorf("edit %d never showed", i)
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		d := time.Since(t0)
		times = append(times, d)
		fmt.Printf("edit %2d: %6.1f ms\n", i+1, float64(d.Microseconds())/1000)
		time.Sleep(pause)
	}
	slices.Sort(times)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Printf("%s edit, %d edits: median %s (min %s, max %s)\n", mode, len(times),
		ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]))
	return os.WriteFile(file, orig, 0o644)
}
