package pagecache_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/internal/testapp"
)

// BenchmarkPublicPages loads, over loopback and in one run, PocketBase's
// /api/health (the ceiling) and every kept public page but the deputy's
// (BenchmarkResidentPages has that one): the liaison station's /s/{code},
// the year's 民生实事 /projects/{year}, a topic /topic/{code} and a survey
// /survey/{code}, each asked for gzip (as browsers ask) and plain (as wrk
// asks), in two interleaved passes of a bounded number of requests; each
// rate is reported as a ratio to the health check's (target ≥ 0.5).
//
//	go test ./hooks/internal/pagecache -run '^$' -bench PublicPages -benchtime 1x -count 3
func BenchmarkPublicPages(b *testing.B) {
	const requests, workers = 2000, 8
	f := testapp.F(b)
	app := testapp.New(b)
	settings := app.Settings()
	settings.RateLimits.Enabled = false // PocketBase's per-IP limits would cap /api/health
	if err := app.Save(settings); err != nil {
		b.Fatal(err)
	}
	srv := testapp.Serve(b, app, nil).URL
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	pages := []struct{ name, path string }{
		{"station", "/s/" + testapp.StationCode},
		{"projects", "/projects/" + strconv.Itoa(chinatime.CurrentYear())},
		{"topic", "/topic/" + f.IDs["topic_open_code"]},
		{"survey", "/survey/" + f.IDs["survey_open_code"]},
	}
	type target struct {
		name string
		req  func() *http.Request
	}
	get := func(path, encoding string) func() *http.Request {
		return func() *http.Request {
			req, _ := http.NewRequest("GET", srv+path, nil)
			req.Header.Set("Accept-Encoding", encoding)
			return req
		}
	}
	targets := []target{{"health", get("/api/health", "identity")}}
	for _, p := range pages {
		targets = append(targets, target{p.name, get(p.path, "gzip")}, target{p.name + "_plain", get(p.path, "identity")})
		// Each page is there and served compressed from what is kept.
		res, err := client.Do(get(p.path, "gzip")())
		if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
			b.Fatalf("%s: %v %v", p.path, err, res)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}

	got := make([][]time.Duration, len(targets))
	elapsed := make([]time.Duration, len(targets))
	b.ResetTimer()
	for range b.N {
		for range 2 {
			for i, tg := range targets {
				took, lat := load(b, client, tg.req, tg.name, requests, workers)
				elapsed[i] += took
				got[i] = append(got[i], lat...)
			}
		}
	}
	rate := func(i int) float64 { return float64(len(got[i])) / elapsed[i].Seconds() }
	for i, tg := range targets {
		slices.Sort(got[i])
		b.ReportMetric(rate(i), tg.name+"_req/s")
		if i > 0 {
			b.ReportMetric(rate(i)/rate(0), tg.name+"/health")
		}
	}
}

// load sends requests requests made by req from workers concurrent
// clients and returns the time they took and each one's latency.
func load(b *testing.B, client *http.Client, req func() *http.Request, name string, requests, workers int) (time.Duration, []time.Duration) {
	lat := make([]time.Duration, requests)
	var next int
	var mu sync.Mutex
	var failed error
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= requests {
					return
				}
				t0 := time.Now()
				res, err := client.Do(req())
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", name, res.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
	return time.Since(start), lat
}
