package county_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/demand/sample"
	"simeng/hooks"
	"simeng/hooks/analysis"
	"simeng/internal/county"
	"simeng/internal/testapp"
	"simeng/internal/testbin"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// BenchmarkCounty serves a whole county (county.County: 1,500 deputies,
// 500,000 visits over two years, 100,000 suggestions) from the real binary
// and, in the same run, a tenth of it, and measures what the county's
// people do most: a deputy's push and pull, the presidium's progress and
// ranking, a deputy's 履职档案, the recompute and the ledger export, and
// the server's memory. The data dirs are seeded in SQL once per run
// (county.Seed, testapp.DerivedDir) before anything is measured.
//
//	go test ./internal/county -run '^$' -bench County -benchtime 1x -timeout 30m
func BenchmarkCounty(b *testing.B) {
	sizes := []struct {
		name string
		size county.Size
	}{{"tenth", county.County.Tenth()}, {"county", county.County}}
	var figs []figures
	for range b.N {
		figs = measure(b, sizes)
	}
	for i, s := range sizes {
		for _, f := range figs[i] {
			b.ReportMetric(f.value, s.name+"_"+f.name)
		}
	}
	// Growth, county over tenth: 10 is linear.
	for j, f := range figs[1] {
		if strings.HasSuffix(f.name, "_ms") && figs[0][j].value > 0 {
			b.ReportMetric(f.value/figs[0][j].value, "x10_"+f.name)
		}
	}
}

// TestCountyBenchmarkRuns runs the benchmark's measurements on a small
// county, so `go test ./...` proves they work without timing anything.
func TestCountyBenchmarkRuns(t *testing.T) {
	small := county.Size{Villages: 4, Deputies: 20, Households: 5, Visits: 2000, Suggestions: 400,
		Hazards: 50, Tombstones: 40, Meetings: 2, Activities: 2}
	figs := measure(t, []struct {
		name string
		size county.Size
	}{{"smoke", small}})[0]
	for _, f := range figs {
		if !(f.value > 0) {
			t.Errorf("%s = %v", f.name, f.value)
		}
	}
	t.Log(figs)
	if len(figs) < 10 {
		t.Fatalf("%d figures: %v", len(figs), figs)
	}
}

type figure struct {
	name  string
	value float64
}

type figures []figure

// repeats of each timed read; the median is reported, and the slowest as
// _max_ms.
const repeats = 9

// views are the analysis of residents' demands (高频诉求分析, #17) as the
// presidium asks it, over the county's suggestions (their texts and
// categories written by demand/sample, indexed and their terms extracted
// before anything is measured: withDemands), each a GET path.
func views() []struct{ name, path string } {
	year := strconv.Itoa(chinatime.CurrentYear())
	last := strconv.Itoa(chinatime.CurrentYear() - 1)
	quarter := last + "-Q4"
	village := "cl0000000000000" // the first seeded village
	q := url.QueryEscape
	a := "/api/simeng/analysis"
	return []struct{ name, path string }{
		{"analysis_overview_year", a + "/overview?period=" + last},
		{"analysis_overview_quarter", a + "/overview?period=" + quarter},
		{"analysis_terms_year", a + "/terms?period=" + last},
		{"analysis_terms_village_quarter", a + "/terms?period=" + quarter + "&village=" + village},
		{"analysis_terms_by_village_year", a + "/terms/villages?period=" + last},
		{"analysis_recurring_quarter", a + "/recurring?period=" + quarter},
		{"analysis_recurring_year", a + "/recurring?period=" + last + "&min=5"},
		{"analysis_search_common_word", a + "/search?period=" + last + "&q=" + q("停水")},
		{"analysis_search_filtered", a + "/search?period=" + last + "&q=" + q("路灯") + "&village=" + village + "&status=closed"},
		// A page deep in the matches that is full at both sizes (the
		// tenth's year holds about 300 of them): page 20 was empty at the
		// tenth, so its growth compared no items with 50 (checked below).
		{"analysis_search_page_5", a + "/search?period=" + last + "&q=" + q("自来水") + "&page=5&perPage=50"},
		{"analysis_search_this_year", a + "/search?period=" + year + "&q=" + q("道路")},
		{"analysis_chart_trend", a + "/charts/trend.svg?period=" + last},
	}
}

// withDemands gives the county's suggestions the generated texts and
// categories of demand/sample (hotspots, recurring problems) in place of
// the one sentence county.Seed writes, then indexes them and extracts
// their terms as `simeng analysis rebuild` does.
func withDemands(app core.App, size county.Size) error {
	demands := sample.Generate(size.Suggestions, sample.Config{Seed: 17})
	err := app.RunInTransaction(func(tx core.App) error {
		for i, d := range demands {
			_, err := tx.DB().NewQuery("UPDATE suggestions SET content = {:text}, category = {:category} WHERE id = printf('cs%013d', {:i})").
				Bind(dbx.Params{"text": d.Text, "category": d.Category, "i": i}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The capabilities' hooks name the analysis's sources (a derived
	// template's app has none of its own).
	hooks.Register(app)
	cmd := analysis.NewCommand(app)
	cmd.SetArgs([]string{"rebuild"})
	cmd.SetOut(io.Discard)
	return cmd.Execute()
}

// site is one size of the county served by its own process, with the
// tokens of the people who ask it and the figures measured of it.
type site struct {
	name                     string
	size                     county.Size
	names                    county.Seeded
	srv                      *server
	staff, presidium, deputy string
	figs                     figures
}

func (s *site) add(name string, v float64) { s.figs = append(s.figs, figure{name, v}) }

// seededName and seed are the data dir of a county of size, seeded in
// SQL once per run and shared by the benchmarks of this package.
func seededName(size county.Size) string { return fmt.Sprintf("county-indexed-%d", size.Visits) }

func seed(tb testing.TB, size county.Size) func(app core.App) error {
	return func(app core.App) error {
		if err := county.Seed(app, testapp.F(tb).Deputy2, size); err != nil {
			return err
		}
		return withDemands(app, size)
	}
}

// measure serves every size at once and times each request on each in
// turn (tenth, county, tenth, county, …), so that what else the machine
// is doing weighs on both alike and their ratio is the growth, not the
// minute each was measured in. It returns each size's figures, in the
// order of sizes.
func measure(tb testing.TB, sizes []struct {
	name string
	size county.Size
}) []figures {
	tb.Helper()
	var sites []*site
	for _, sz := range sizes {
		size := sz.size
		dir := testapp.DerivedDir(tb, seededName(size), seed(tb, size))
		srv := serve(tb, dir)
		defer srv.stop()
		sites = append(sites, &site{name: sz.name, size: size, names: size.Names(), srv: srv,
			staff:     srv.login(tb, "staff", "13700000001", testapp.AccountPassword), // 刘联络, the office's fixture
			presidium: srv.login(tb, "deputies", "13900000000", testapp.Password),     // seeded deputy 0, in the presidium
			deputy:    srv.login(tb, "deputies", "13900000001", testapp.Password)})
	}
	// A server reads this year's visits into memory as it starts, in the
	// background (a few seconds at the county's size): what is timed
	// starts once every server has done so.
	for _, s := range sites {
		s.srv.settle(tb)
	}
	year := chinatime.CurrentYear()
	// timed asks do of every site n times in turn and adds each site's
	// median (label_ms) and slowest (label_max_ms).
	timed := func(label string, n int, do func(s *site)) {
		ms := make([][]float64, len(sites))
		for range n {
			for i, s := range sites {
				start := time.Now()
				do(s)
				ms[i] = append(ms[i], float64(time.Since(start).Microseconds())/1000)
			}
		}
		for i, s := range sites {
			slices.Sort(ms[i])
			s.add(label+"_ms", ms[i][len(ms[i])/2])
			s.add(label+"_max_ms", ms[i][len(ms[i])-1])
		}
	}

	// The recompute writes every deputy's score, which the ranking reads.
	timed("recompute", 5, func(s *site) {
		s.srv.must(tb, s.staff, http.MethodPost, "/api/assessment/recompute", map[string]any{"year": year})
	})
	timed("ranking", repeats, func(s *site) {
		s.srv.must(tb, s.presidium, http.MethodGet, fmt.Sprintf("/api/assessment/ranking?year=%d", year), nil)
	})
	timed("progress_all", repeats, func(s *site) {
		s.srv.must(tb, s.presidium, http.MethodGet, "/api/visits/progress", nil)
	})
	timed("progress_own", repeats, func(s *site) {
		s.srv.must(tb, s.deputy, http.MethodGet, "/api/visits/progress", nil)
	})
	timed("dossier", repeats, func(s *site) {
		s.srv.must(tb, s.presidium, http.MethodGet, "/api/assessment/dossiers/"+s.names.Deputies[1], nil)
	})
	timed("export", 3, func(s *site) { s.srv.must(tb, s.presidium, http.MethodGet, "/api/ledger/hazards.xlsx", nil) })
	// Every demand is indexed and its terms extracted before the views
	// are timed (a server started on another dictionary would extract
	// them all first, in the background and in each view).
	for _, s := range sites {
		var terms struct {
			Pending int `json:"pending"`
			Top     struct {
				Records int `json:"records"`
			} `json:"top"`
		}
		s.srv.decode(tb, s.srv.must(tb, s.presidium, http.MethodGet, "/api/simeng/analysis/terms?period="+strconv.Itoa(year-1), nil), &terms)
		if terms.Pending != 0 || terms.Top.Records == 0 {
			tb.Fatalf("%s: the analysis is not ready: %d pending, %d records last year", s.name, terms.Pending, terms.Top.Records)
		}
	}
	for _, v := range views() {
		// The first ask fills what later ones reuse (the corpus, a month's
		// counts, a quarter's recurrence flags): reported apart.
		for _, s := range sites {
			start := time.Now()
			first := s.srv.must(tb, s.presidium, http.MethodGet, v.path, nil)
			s.add(v.name+"_first_ms", float64(time.Since(start).Microseconds())/1000)
			if strings.Contains(v.path, "perPage=50") && s.size.Suggestions >= county.County.Tenth().Suggestions {
				var page struct {
					Items []json.RawMessage `json:"items"`
				}
				if s.srv.decode(tb, first, &page); len(page.Items) != 50 {
					tb.Fatalf("%s %s: %d items, want a full page of 50 at every size timed", s.name, v.name, len(page.Items))
				}
			}
		}
		timed(v.name, repeats, func(s *site) { s.srv.must(tb, s.presidium, http.MethodGet, v.path, nil) })
	}

	// A deputy's first pull, page by page, as a new phone does; repeated,
	// since the deputy's ~430 changes are one page at either size and one
	// sample is at the mercy of the machine's load.
	pulled := make([]int, len(sites))
	timed("pull_page", repeats, func(s *site) {
		n := 0
		for since, more := 0, true; more; {
			var page struct {
				Changes []json.RawMessage `json:"changes"`
				Cursor  int               `json:"cursor"`
				More    bool              `json:"more"`
			}
			s.srv.decode(tb, s.srv.must(tb, s.deputy, http.MethodGet, fmt.Sprintf("/api/sync/pull?since=%d&limit=500", since), nil), &page)
			n += len(page.Changes)
			since, more = page.Cursor, page.More
			if more {
				tb.Fatalf("%s: a deputy's first pull takes more than one page of 500", s.name)
			}
		}
		pulled[slices.Index(sites, s)] = n
	})
	for i, s := range sites {
		s.add("pull_records", float64(pulled[i]))
	}

	// Pushes of 100 new visits by that deputy, to their own households.
	took := make([]time.Duration, len(sites))
	p := make([]int, len(sites))
	timed("push", 10, func(s *site) {
		i := slices.Index(sites, s)
		recs := make([]map[string]any, 0, 100)
		for j := range 100 {
			k := p[i]*100 + j
			recs = append(recs, testapp.VisitRec(testapp.ClientID(), s.size.HouseholdID(1, k),
				time.Now().Add(-time.Duration(k)*time.Minute).UTC().Format(time.RFC3339), nil))
		}
		p[i]++
		t0 := time.Now()
		var res struct {
			Results []map[string]any `json:"results"`
		}
		s.srv.decode(tb, s.srv.must(tb, s.deputy, http.MethodPost, "/api/sync/push", map[string]any{"device": "county", "records": recs}), &res)
		took[i] += time.Since(t0)
		testapp.WantOutcomes(tb, res.Results, slices.Repeat([]string{"created"}, 100)...)
	})
	for i, s := range sites {
		s.add("push_rec/s", float64(100*p[i])/took[i].Seconds())
		rss, peak := s.srv.memory(tb)
		s.add("rss_MB", rss)
		s.add("peak_rss_MB", peak)
		s.add("records", float64(s.size.Records()))
	}
	out := make([]figures, len(sites))
	for i, s := range sites {
		out[i] = s.figs
	}
	return out
}

// server is the real binary serving a copy of a data dir on loopback.
type server struct {
	url  string
	cmd  *exec.Cmd
	done chan struct{}
	log  bytes.Buffer
}

func serve(tb testing.TB, template string) *server {
	tb.Helper()
	bin, err := testbin.Server()
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := os.CopyFS(dir, os.DirFS(template)); err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &server{url: "http://" + addr, done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", dir)
	s.cmd.Env = os.Environ() // the PII key testapp set
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	if err := s.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	for deadline := time.Now().Add(time.Minute); ; {
		if res, err := http.Get(s.url + "/api/health"); err == nil {
			res.Body.Close()
			break
		}
		select {
		case <-s.done:
			tb.Fatalf("server exited:\n%s", s.log.String())
		default:
		}
		if time.Now().After(deadline) {
			s.stop()
			tb.Fatalf("server did not come up:\n%s", s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// settle waits until the server is idle: it used under a tenth of a core
// over the last half second.
func (s *server) settle(tb testing.TB) {
	tb.Helper()
	last := s.cpu(tb)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		now := s.cpu(tb)
		if now-last < 50*time.Millisecond {
			return
		}
		last = now
	}
	tb.Fatalf("the server at %s was still busy two minutes after it started", s.url)
}

// cpu is the processor time the server has used (user and system).
func (s *server) cpu(tb testing.TB) time.Duration {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.cmd.Process.Pid), "stat"))
	if err != nil {
		tb.Fatal(err)
	}
	// The fields after the command's name, which is in parentheses and
	// may hold spaces: utime and stime are the 12th and 13th of them.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's times: 100 on
// every Linux the project runs on.
const clockTicks = 100

// memory is the server's resident memory now and at its peak, in MB.
func (s *server) memory(tb testing.TB) (rss, peak float64) {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.cmd.Process.Pid), "status"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

func (s *server) login(tb testing.TB, collection, identity, password string) string {
	tb.Helper()
	var out struct {
		Token string `json:"token"`
	}
	s.decode(tb, s.must(tb, "", http.MethodPost, "/api/collections/"+collection+"/auth-with-password",
		map[string]any{"identity": identity, "password": password}), &out)
	return out.Token
}

// must sends a request and fails unless it answers 200; it returns the body.
func (s *server) must(tb testing.TB, token, method, path string, body any) []byte {
	tb.Helper()
	var in io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		in = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.url+path, in)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("%s %s: %d %.300s", method, path, res.StatusCode, out)
	}
	return out
}

func (s *server) decode(tb testing.TB, raw []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		tb.Fatalf("%v: %.300s", err, raw)
	}
}
