package suggestions_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
)

// BenchmarkResidentPages loads, over loopback and in one run, PocketBase's
// /api/health (the ceiling), the resident page GET /d/{code}, the status page
// GET /t/{tracking} and the submit path POST /d/{code} (a stored suggestion
// each time), with a bounded number of requests per target, in two
// interleaved passes; each rate is also reported as a ratio to the health
// check's (the figure is deputy_page/health ≥ 0.5).
//
//	go test ./hooks/suggestions -run '^$' -bench ResidentPages -benchtime 1x
func BenchmarkResidentPages(b *testing.B) {
	const requests, workers = 2000, 8
	f := testapp.F(b)
	app := testapp.New(b)
	l := suggestions.DefaultSubmitLimits
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard, l.PerIPSoft, l.PerIPHard, l.PerCodeSoft = 0, 1e9, 1e9, 1e9, 1e9, 1e9
	suggestions.SetSubmitLimits(app, l)
	// PocketBase's own per-IP limits would cap /api/health at a few hundred.
	settings := app.Settings()
	settings.RateLimits.Enabled = false
	if err := app.Save(settings); err != nil {
		b.Fatal(err)
	}
	srv := testapp.Serve(b, app, nil).URL
	r := newResident(b, srv)
	token := r.form(f.DeputyCode, nil)["t"]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}

	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	w.WriteField("t", token)
	w.WriteField("content", "压测：村口路灯坏了，晚上出行不安全。")
	w.WriteField("category", "道路交通")
	w.Close()

	targets := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"health", func() *http.Request { req, _ := http.NewRequest("GET", srv+"/api/health", nil); return req }, 200},
		// Asked for gzip as browsers ask (set by hand, so the client reads
		// the compressed bytes as they come instead of inflating them on
		// the cores the server runs on); wrk (the acceptance check) does
		// not ask, which the plain variant measures.
		{"deputy_page", func() *http.Request {
			req, _ := http.NewRequest("GET", srv+"/d/"+f.DeputyCode, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			return req
		}, 200},
		{"deputy_page_plain", func() *http.Request {
			req, _ := http.NewRequest("GET", srv+"/d/"+f.DeputyCode, nil)
			req.Header.Set("Accept-Encoding", "identity")
			return req
		}, 200},
		{"status_page", func() *http.Request {
			req, _ := http.NewRequest("GET", srv+"/t/"+f.IDs["tracking_a"], nil)
			return req
		}, 200},
		{"submit", func() *http.Request {
			req, _ := http.NewRequest("POST", srv+"/d/"+f.DeputyCode, bytes.NewReader(form.Bytes()))
			req.Header.Set("Content-Type", w.FormDataContentType())
			return req
		}, http.StatusSeeOther},
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	// The gzip variant is served compressed (the kept page's own stream).
	if res, err := client.Do(targets[1].req()); err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		b.Fatalf("deputy page not gzipped: %v", err)
	} else {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}

	// Two passes over the targets, so that the machine's noise falls on
	// each alike; rates and the ratios to /api/health are over both.
	type tally struct {
		elapsed time.Duration
		lat     []time.Duration
	}
	got := make([]tally, len(targets))
	b.ResetTimer()
	for range b.N {
		for range 2 {
			for i, tg := range targets {
				elapsed, lat := load(b, client, tg.req, tg.want, tg.name, requests, workers)
				got[i].elapsed += elapsed
				got[i].lat = append(got[i].lat, lat...)
			}
		}
	}
	rate := func(i int) float64 { return float64(len(got[i].lat)) / got[i].elapsed.Seconds() }
	for i, tg := range targets {
		slices.Sort(got[i].lat)
		b.ReportMetric(rate(i), tg.name+"_req/s")
		b.ReportMetric(float64(got[i].lat[len(got[i].lat)*99/100].Microseconds())/1000, tg.name+"_p99_ms")
		if i > 0 {
			b.ReportMetric(rate(i)/rate(0), tg.name+"/health")
		}
	}
}

// load sends requests requests made by req from workers concurrent
// clients and returns the time they took and each one's latency.
func load(b *testing.B, client *http.Client, req func() *http.Request, want int, name string, requests, workers int) (time.Duration, []time.Duration) {
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
					if res.StatusCode != want {
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
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatal(failed)
	}
	return elapsed, lat
}
