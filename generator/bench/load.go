package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Load drives the server at target (an http URL on a loopback address:
// versus never sends load anywhere else) with conns concurrent keep-alive
// connections for d, and returns the requests per second it completed and
// the 99th-percentile latency. Any request that fails or answers other than
// 200 fails the round: a benchmark of errors measures nothing.
func Load(ctx context.Context, target string, conns int, d time.Duration) (rps float64, p99 time.Duration, err error) {
	u, err := url.Parse(target)
	if err != nil {
		return 0, 0, err
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme != "http" || ip == nil || !ip.IsLoopback() {
		return 0, 0, fmt.Errorf("load target %s: only http:// on a loopback address is allowed", target)
	}
	if conns < 1 {
		conns = 1
	}
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu      sync.Mutex
		lat     []time.Duration
		first   error
		wg      sync.WaitGroup
		started = time.Now()
	)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						first = cmpErr(first, err)
						mu.Unlock()
						cancel()
					}
					break
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					mu.Lock()
					first = cmpErr(first, fmt.Errorf("%s answered %s", target, resp.Status))
					mu.Unlock()
					cancel()
					break
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if first != nil {
		return 0, 0, first
	}
	elapsed := time.Since(started)
	if len(lat) == 0 {
		return 0, 0, fmt.Errorf("%s completed no request in %s", target, d)
	}
	slices.Sort(lat)
	idx := (len(lat)*99 + 99) / 100
	if idx > len(lat) {
		idx = len(lat)
	}
	return float64(len(lat)) / elapsed.Seconds(), lat[idx-1], nil
}

func cmpErr(old, err error) error {
	if old != nil {
		return old
	}
	return err
}

// MeasureServe loads each subject's server (targets[i], already started by
// the caller) in interleaved rounds, the starting subject rotating, after
// warm-up rounds that are not recorded.
func MeasureServe(ctx context.Context, p Plan, targets []string, conns int, round time.Duration) (*Result, error) {
	if len(targets) != len(p.Subjects) || len(targets) < 2 {
		return nil, fmt.Errorf("a serve benchmark needs a server per subject (at least two), have %d", len(targets))
	}
	if p.MinRuns < 1 {
		p.MinRuns = 1
	}
	now := p.Now
	if now == nil {
		now = time.Now
	}
	r := &Result{Format: FormatVersion, Sample: p.Sample, Kind: KindServe, Hash: p.Hash, Machine: p.Machine,
		Settings: Settings{Warmup: p.Warmup, Runs: p.MinRuns, Conns: conns, Seconds: round.Seconds()}}
	for _, s := range p.Subjects {
		r.Subjects = append(r.Subjects, Subject{ID: s.ID, Runtime: s.Runtime, Series: map[string][]float64{MetricRPS: nil, MetricP99: nil}})
	}
	n := len(targets)
	for k := range p.Warmup + p.MinRuns {
		for j := range n {
			i := (k + j) % n
			rps, p99, err := Load(ctx, targets[i], conns, round)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.Subjects[i].ID, err)
			}
			if k >= p.Warmup {
				r.Subjects[i].Series[MetricRPS] = append(r.Subjects[i].Series[MetricRPS], rps)
				r.Subjects[i].Series[MetricP99] = append(r.Subjects[i].Series[MetricP99], float64(p99.Nanoseconds()))
			}
		}
	}
	r.Measured = now().UTC().Truncate(time.Second)
	return r, nil
}
