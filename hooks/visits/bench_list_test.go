package visits_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/internal/testapp"
)

// BenchmarkListFilters prices PocketBase's list API (API rules, filter
// parsing, JSON) against the same query straight through dbx, over the
// 2,000 visits and 50 households of one deputy, with the filters a deputy
// and the presidium would use. The two run interleaved in rounds so the
// machine's noise falls on both alike. Figures go in BENCHMARKS.md ("List
// endpoints vs dbx"):
//
//	go test ./hooks/visits -run '^$' -bench ListFilters -benchtime 1x -count 3
func BenchmarkListFilters(b *testing.B) {
	const seeded, rounds, perRound = 2000, 10, 30
	s, households := testapp.BenchServer(b)
	for start := 0; start < seeded; start += 100 {
		testapp.SaveVisits(b, s.App, "visits", households, start, time.Minute)
	}
	f := testapp.F(b)
	since := time.Now().Add(-10 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
	deputyToken, presidiumToken := testapp.Token(b, deputy), testapp.Token(b, presidium)

	type query struct {
		name, token, collection, filter, sort string
		// dbx is the same page: the rule's condition written out, the filter, the order.
		dbx func() *dbx.SelectQuery
	}
	queries := []query{
		{
			// A deputy's own road-traffic visits of the last ten days.
			name: "own_visits_by_topic", token: deputyToken, collection: "visits",
			filter: fmt.Sprintf("visited_at >= '%s' && topics ~ '道路交通'", since), sort: "-visited_at",
			dbx: func() *dbx.SelectQuery {
				return s.App.DB().Select("visits.*").From("visits").
					Where(dbx.HashExp{"deputy": f.Deputy}).
					AndWhere(dbx.NewExp("visited_at >= {:since}", dbx.Params{"since": since})).
					AndWhere(dbx.Like("topics", "道路交通")).
					OrderBy("visited_at DESC").Limit(50)
			},
		},
		{
			// The presidium's view of one deputy's visits to one household.
			name: "presidium_visits_of_household", token: presidiumToken, collection: "visits",
			filter: fmt.Sprintf("deputy = '%s' && household = '%s'", f.Deputy, households[7]), sort: "-visited_at",
			dbx: func() *dbx.SelectQuery {
				return s.App.DB().Select("visits.*").From("visits").
					Where(dbx.HashExp{"deputy": f.Deputy, "household": households[7]}).
					OrderBy("visited_at DESC").Limit(50)
			},
		},
		{
			// A deputy searching their village's households by name.
			name: "village_households_by_name", token: deputyToken, collection: "households",
			filter: "head_name ~ '户主1'", sort: "address",
			dbx: func() *dbx.SelectQuery {
				return s.App.DB().Select("households.*").From("households").
					Where(dbx.HashExp{"village": f.VillageA}).
					AndWhere(dbx.Like("head_name", "户主1")).
					OrderBy("address").Limit(50)
			},
		},
	}

	apiGet := func(q query) int {
		u := "/api/collections/" + q.collection + "/records?perPage=50&skipTotal=1&filter=" + url.QueryEscape(q.filter) + "&sort=" + q.sort
		status, raw := s.DoRaw(q.token, http.MethodGet, u, "", nil)
		if status != 200 {
			b.Fatalf("%s: %d %s", q.name, status, raw)
		}
		var out struct{ Items []json.RawMessage }
		if err := json.Unmarshal(raw, &out); err != nil {
			b.Fatal(err)
		}
		return len(out.Items)
	}
	dbxGet := func(q query) int {
		var rows []dbx.NullStringMap
		if err := q.dbx().All(&rows); err != nil {
			b.Fatalf("%s via dbx: %v", q.name, err)
		}
		return len(rows)
	}
	for _, q := range queries {
		if a, d := apiGet(q), dbxGet(q); a != d || a == 0 {
			b.Fatalf("%s: the API returns %d rows, dbx %d: not the same query", q.name, a, d)
		}
	}

	b.ResetTimer()
	for range b.N {
		api := make([][]time.Duration, len(queries))
		direct := make([][]time.Duration, len(queries))
		for range rounds {
			for i, q := range queries {
				for range perRound {
					t0 := time.Now()
					apiGet(q)
					api[i] = append(api[i], time.Since(t0))
					t0 = time.Now()
					dbxGet(q)
					direct[i] = append(direct[i], time.Since(t0))
				}
			}
		}
		for i, q := range queries {
			a, d := sum(api[i]), sum(direct[i])
			b.ReportMetric(float64(len(api[i]))/a.Seconds(), q.name+"_api_req/s")
			b.ReportMetric(float64(len(direct[i]))/d.Seconds(), q.name+"_dbx_q/s")
			b.ReportMetric(a.Seconds()/d.Seconds(), q.name+"_api/dbx")
			b.ReportMetric(ms(percentile(api[i], 50)), q.name+"_api_p50_ms")
			b.ReportMetric(ms(percentile(api[i], 99)), q.name+"_api_p99_ms")
			b.ReportMetric(ms(percentile(direct[i], 50)), q.name+"_dbx_p50_ms")
		}
	}
}

func sum(ds []time.Duration) (t time.Duration) {
	for _, d := range ds {
		t += d
	}
	return t
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
