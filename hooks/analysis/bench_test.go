package analysis_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/demand/sample"
	"simeng/hooks/analysis"
	"simeng/internal/testapp"
)

// BenchmarkAnalysisViews seeds 10,000 and then 100,000 suggestions and
// problems (package demand/sample: two years, twelve villages, hotspots and
// recurring problems) into a fresh township each, indexes them with
// analysis.Rebuild and extracts every record's terms, then times every
// analysis view and search through the router, as the presidium asks
// them (the corpus is built once beforehand, as a server does at its
// first view), and the export of a village's quarter. Setup figures are
// reported as metrics of the "setup" run; each view also reports the
// process's CPU time per request (the machine is shared).
//
//	go test ./hooks/analysis -run '^$' -bench AnalysisViews -benchtime 20x -timeout 30m
func BenchmarkAnalysisViews(b *testing.B) {
	for _, n := range benchSizes {
		_, h, village := seededViews(b, n)
		year := "2025"
		quarter := "2025-Q2"
		q := url.QueryEscape
		views := []struct{ name, path string }{
			{"overview_year", "/overview?period=" + year},
			{"overview_quarter", "/overview?period=" + quarter},
			{"terms_year", "/terms?period=" + year},
			{"terms_village_quarter", "/terms?period=" + quarter + "&village=" + village},
			{"terms_by_village_year", "/terms/villages?period=" + year},
			{"recurring_quarter", "/recurring?period=" + quarter},
			{"recurring_year", "/recurring?period=" + year + "&min=5"},
			{"search_common_word_year", "/search?period=" + year + "&q=" + q("停水")},
			{"search_two_words_filtered", "/search?period=" + year + "&q=" + q("路灯 不亮") + "&village=" + village + "&status=closed"},
			{"search_rare_phrase", "/search?period=" + year + "&q=" + q("化粪池")},
			{"search_no_words_filtered", "/search?period=" + quarter + "&village=" + village + "&category=" + q("饮水安全")},
			{"search_page_50", "/search?period=" + year + "&q=" + q("自来水") + "&page=20&perPage=50"},
			{"chart_trend", "/charts/trend.svg?period=" + year},
			{"chart_categories", "/charts/categories.svg?period=" + year},
		}
		views = append(views, struct{ name, path string }{"export_quarter_village", "/export.xlsx?period=" + quarter + "&village=" + village})
		for _, v := range views {
			b.Run(fmt.Sprintf("n=%dk/%s", n/1000, v.name), func(b *testing.B) {
				// The first request fills what later ones reuse (a month's
				// counts, a quarter's recurrence flags): reported apart.
				start := time.Now()
				get(b, h, "/api/simeng/analysis"+v.path)
				first := time.Since(start)
				cpu := processCPU()
				for b.Loop() {
					get(b, h, "/api/simeng/analysis"+v.path)
				}
				// The machine is shared: the process's own CPU time per
				// request says what the view costs whatever else runs.
				b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
			})
		}
	}
}

// processCPU is the CPU time this process used so far (user and system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSizes are the townships' sizes, 10,000 and 100,000 demands.
var benchSizes = []int{10_000, 100_000}

func get(b *testing.B, h http.Handler, path string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", testapp.Token(b, testapp.RolePresidium))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
}

// seededViews is a township with n demands, indexed and extracted, and
// the corpus built; a "setup" run reports how long each step took.
func seededViews(b *testing.B, n int) (*tests.TestApp, http.Handler, string) {
	b.Helper()
	app := testapp.New(b)
	start := time.Now()
	ids := seedDemands(b, app, n)
	seeded := time.Since(start)

	start = time.Now()
	got, err := analysis.Rebuild(app)
	if err != nil || got < n {
		b.Fatalf("rebuild: %d %v", got, err)
	}
	rebuilt := time.Since(start)

	start = time.Now()
	if err := analysis.ExtractAll(app); err != nil {
		b.Fatal(err)
	}
	extracted := time.Since(start)

	start = time.Now()
	if err := analysis.BuildCorpus(app); err != nil {
		b.Fatal(err)
	}
	corpus := time.Since(start)
	b.Run(fmt.Sprintf("n=%dk/setup", n/1000), func(b *testing.B) {
		for b.Loop() {
		}
		b.ReportMetric(seeded.Seconds(), "s-insert")
		b.ReportMetric(rebuilt.Seconds(), "s-rebuild")
		b.ReportMetric(extracted.Seconds(), "s-extract")
		b.ReportMetric(corpus.Seconds(), "s-corpus")
	})
	return app, testapp.Handler(b, app), ids[sample.Villages[0]]
}

// seedDemands writes n generated demands straight into suggestions and
// problems (no hooks: the rebuild indexes them) and returns the villages'
// ids by name.
func seedDemands(b *testing.B, app *tests.TestApp, n int) map[string]string {
	b.Helper()
	f := testapp.F(b)
	ids := map[string]string{}
	col, err := app.FindCollectionByNameOrId("villages")
	if err != nil {
		b.Fatal(err)
	}
	for i, name := range sample.Villages {
		v := core.NewRecord(col)
		v.Set("name", "压测"+name)
		v.Set("code", fmt.Sprintf("b%02d", i))
		if err := app.Save(v); err != nil {
			b.Fatal(err)
		}
		ids[name] = v.Id
	}
	problemState := map[string]string{"received": "open", "acknowledged": "forwarded", "answered": "answered", "closed": "closed"}
	now := time.Now().UTC().Format(chinatime.StoredLayout)
	err = app.RunInTransaction(func(tx core.App) error {
		for i, d := range sample.Generate(n, sample.Config{Seed: 19}) {
			at := d.At.UTC().Format(chinatime.StoredLayout)
			deputy := ""
			if i%20 == 0 {
				deputy = f.Deputy
			}
			var q string
			p := map[string]any{"id": d.ID, "village": ids[d.Village], "category": d.Category, "text": d.Text, "at": at,
				"deputy": deputy, "now": now, "source": d.Source, "status": d.Status, "tracking": strings.ToLower(d.ID[5:])}
			if d.Source == "visit" {
				p["status"] = problemState[d.Status]
				q = `INSERT INTO problems (id, category, description, village, deputy, status, source, created, updated)
					VALUES ({:id}, {:category}, {:text}, {:village}, {:deputy}, {:status}, 'visit', {:at}, {:now})`
			} else {
				q = `INSERT INTO suggestions (id, tracking, source, deputy, village, category, content, received_at, status, moderation, created, updated)
					VALUES ({:id}, {:tracking}, {:source}, {:deputy}, {:village}, {:category}, {:text}, {:at}, {:status}, 'ok', {:now}, {:now})`
			}
			if _, err := tx.DB().NewQuery(q).Bind(p).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}
