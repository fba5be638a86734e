package visits_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/internal/testapp"
	"simeng/visitpace"
)

// The year kept in memory (kept.go) follows every write, whichever door
// and in whatever order reads come between them: after random creates,
// moves (household, day, deputy), deletes, writes rolled back, a year
// closed, review decisions and callback results (issue 21) and changes of
// the township's counting setting, the progress and the counted visits it
// serves, and the year counted in SQL (the pace flags, the year close),
// are those of the rule counting the stored visits afresh.
func TestKeptYearEqualsTheStoredVisits(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			s := testapp.NewServer(t)
			f := testapp.F(t)
			rnd := rand.New(rand.NewPCG(seed, 11))
			year := chinatime.CurrentYear()
			years := []int{year - 1, year}
			deputies := []string{f.Deputy, f.Deputy2, f.Presidium}
			var households []string
			col := testapp.Collection(t, s.App, "households")
			for i := range 5 {
				h := core.NewRecord(col)
				h.Load(map[string]any{"village": f.VillageA, "deputy": f.Deputy, "head_name": fmt.Sprint("户主", i), "address": fmt.Sprint(i, "组1号")})
				if err := s.App.Save(h); err != nil {
					t.Fatal(err)
				}
				households = append(households, h.Id)
			}
			pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
			date := func() time.Time {
				y := years[rnd.IntN(len(years))]
				at := time.Date(y, time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), 10, 0, 0, 0, chinatime.Location())
				if rnd.IntN(4) == 0 {
					at = time.Date(y, 1, 1, 0, 30, 0, 0, chinatime.Location()) // still the year before in UTC
				}
				if now := time.Now(); at.After(now) {
					at = now.Add(-time.Duration(1+rnd.IntN(48)) * time.Hour)
				}
				return at
			}
			randomVisit := func(app core.App) *core.Record {
				var ids []string
				if err := app.DB().NewQuery("SELECT id FROM visits").Column(&ids); err != nil || len(ids) == 0 {
					return nil
				}
				r, err := app.FindRecordById("visits", pick(ids))
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			save := func(app core.App, r *core.Record) {
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
			}
			newVisit := func(app core.App) {
				r := core.NewRecord(testapp.Collection(t, app, "visits"))
				r.Load(map[string]any{"deputy": pick(deputies), "household": pick(households), "visited_at": date(), "schema_version": 1})
				save(app, r)
			}
			for step := 1; step <= 150; step++ {
				switch rnd.IntN(10) {
				case 0, 1, 2:
					newVisit(s.App)
				case 3:
					if r := randomVisit(s.App); r != nil {
						switch rnd.IntN(3) {
						case 0:
							r.Set("household", pick(households))
						case 1:
							r.Set("visited_at", date())
						default:
							r.Set("deputy", pick(deputies))
						}
						save(s.App, r)
					}
				case 4:
					if r := randomVisit(s.App); r != nil {
						if err := s.App.Delete(r); err != nil {
							t.Fatal(err)
						}
					}
				case 5:
					err := s.App.RunInTransaction(func(tx core.App) error {
						newVisit(tx)
						if r := randomVisit(tx); r != nil {
							r.Set("household", pick(households))
							save(tx, r)
						}
						return errors.New("rollback")
					})
					if err == nil {
						t.Fatal("the transaction committed")
					}
				case 8: // the presidium's review, or a callback's result
					if r := randomVisit(s.App); r != nil {
						if rnd.IntN(2) == 0 {
							r.Set("review", pick([]string{"", "accepted", "not_counted"}))
						} else {
							r.Set("callback", pick([]string{"", "confirmed", "denied", "unreachable"}))
						}
						save(s.App, r)
					}
				case 9: // the township changes which visits count
					settings, err := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
					if err != nil || len(settings) != 1 {
						t.Fatal("no verification settings", err)
					}
					settings[0].Set("count_mode", pick([]string{"all", "not_excluded", "confirmed"}))
					save(s.App, settings[0])
				case 6: // a read between writes
					progress(t, s, years[rnd.IntN(2)])
				case 7:
					if step > 100 && rnd.IntN(3) == 0 { // last year closes: its visits from now on are late
						yc := core.NewRecord(testapp.Collection(t, s.App, "visit_years"))
						yc.Load(map[string]any{"year": year - 1, "closed_at": time.Now(), "closed_by": "test"})
						if _, err := s.App.FindFirstRecordByFilter("visit_years", "year = {:y}", map[string]any{"y": year - 1}); err != nil {
							save(s.App, yc)
						}
					}
				}
				if step%25 == 0 {
					for _, y := range years {
						compare(t, s, y, deputies)
					}
				}
			}
		})
	}
}

// progress is GET /api/visits/progress?year= as the presidium, by deputy.
func progress(t *testing.T, s *testapp.Server, year int) map[string]visitpace.Standing {
	t.Helper()
	r := s.Must(http.StatusOK, testapp.RolePresidium, http.MethodGet, fmt.Sprintf("/api/visits/progress?year=%d", year), nil)
	var out struct {
		Deputies []struct {
			Deputy string `json:"deputy"`
			visitpace.Standing
		} `json:"deputies"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]visitpace.Standing{}
	for _, d := range out.Deputies {
		m[d.Deputy] = d.Standing
	}
	return m
}

func compare(t *testing.T, s *testapp.Server, year int, deputies []string) {
	t.Helper()
	stored, err := visits.YearVisits(s.App, year, "", false)
	if err != nil {
		t.Fatal(err)
	}
	byDeputy := visits.ByDeputy(stored)
	rule, err := visits.Rule(s.App, year)
	if err != nil {
		t.Fatal(err)
	}
	served := progress(t, s, year)
	tallied, err := visits.TallyYear(s.App, year, "")
	if err != nil {
		t.Fatal(err)
	}
	type listed struct{ ids, households []string }
	counted := map[string]listed{}
	if err := visits.EachCounted(s.App, year, func(d string, ids, households []string) {
		counted[d] = listed{ids, households}
	}); err != nil {
		t.Fatal(err)
	}
	totals := map[string][2]int{}
	if err := visits.EachCountedTotal(s.App, year, func(d string, visits, households int) {
		totals[d] = [2]int{visits, households}
	}); err != nil {
		t.Fatal(err)
	}
	for _, d := range deputies {
		want := visitpace.Assess(rule, visitpace.Count(year, byDeputy[d]), time.Now())
		got := served[d]
		if got.Households != want.Households || got.Visits != want.Visits || got.LateVisits != want.LateVisits ||
			got.ExcludedVisits != want.ExcludedVisits || !slices.Equal(got.Months, want.Months) {
			t.Fatalf("%d %s: progress served %+v\nthe stored visits give %+v", year, d, got, want)
		}
		if sql := visitpace.Assess(rule, tallied[d], time.Now()); sql.Households != want.Households || sql.Visits != want.Visits ||
			sql.LateVisits != want.LateVisits || sql.ExcludedVisits != want.ExcludedVisits || !slices.Equal(sql.Months, want.Months) {
			t.Fatalf("%d %s: the year counted in SQL %+v\nthe stored visits give %+v", year, d, sql, want)
		}
		ids, households := counted[d].ids, counted[d].households
		wantIDs, wantHouseholds := visitpace.Counted(year, byDeputy[d])
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) || !slices.Equal(households, wantHouseholds) {
			t.Fatalf("%d %s: counted %v %v, want %v %v", year, d, ids, households, wantIDs, wantHouseholds)
		}
		nv, nh, err := visits.CountedTotals(s.App, year, d)
		if err != nil {
			t.Fatal(err)
		}
		if nv != len(wantIDs) || nh != len(wantHouseholds) {
			t.Fatalf("%d %s: counted totals %d visits %d households, want %d %d", year, d, nv, nh, len(wantIDs), len(wantHouseholds))
		}
		if got := totals[d]; got != [2]int{len(wantIDs), len(wantHouseholds)} {
			t.Fatalf("%d %s: each counted total %v, want %d visits %d households", year, d, got, len(wantIDs), len(wantHouseholds))
		}
	}
}
