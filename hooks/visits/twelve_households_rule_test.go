package visits_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/internal/testapp"
	"simeng/visitpace"
)

// closableYear is the last year that may be closed now (China time): last
// year, or the year before it while last year's grace period (the first
// days of January, for late offline syncs) runs. A test closing "last
// year" failed in those days.
func closableYear() int {
	year := chinatime.CurrentYear() - 1
	if time.Now().Before(visitpace.Rule{Year: year}.ClosableFrom()) {
		year--
	}
	return year
}

// progressOf returns the one deputy entry of a progress answer.
func progressOf(t testing.TB, s *testapp.Server, role string, year int) map[string]any {
	t.Helper()
	status, out := s.Do(role, http.MethodGet, fmt.Sprintf("/api/visits/progress?year=%d", year), nil)
	if status != 200 {
		t.Fatalf("progress: %d %v", status, out)
	}
	list := out["deputies"].([]any)
	if len(list) != 1 {
		t.Fatalf("a deputy sees %d entries", len(list))
	}
	return list[0].(map[string]any)
}

func TestVisitsTwelveToOneHouseholdCountOnce(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	year := chinatime.CurrentYear() - 1
	var recs []map[string]any
	for m := 1; m <= 12; m++ {
		recs = append(recs, testapp.VisitRec(testapp.ClientID(), f.IDs["household_b"], fmt.Sprintf("%d-%02d-10T10:00:00+08:00", year, m), nil))
	}
	s.Push(deputy, recs...)
	p := progressOf(t, s, deputy, year)
	if p["households"].(float64) != 1 || p["visits"].(float64) != 12 || p["months_visited"].(float64) != 12 {
		t.Fatalf("12 visits to one household: %v", p)
	}
	if p["met"] != false || p["behind"] != true {
		t.Fatalf("one household is not 12: %v", p)
	}
}

func TestVisitsProgressAccess(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	if status, _ := s.Do(guest, http.MethodGet, "/api/visits/progress", nil); status != 401 {
		t.Fatalf("guest: %d", status)
	}
	if status, _ := s.Do(inactive, http.MethodGet, "/api/visits/progress", nil); status != 403 {
		t.Fatalf("inactive: %d", status)
	}
	if status, _ := s.Do(deputy2, http.MethodGet, "/api/visits/progress?deputy="+f.Deputy, nil); status != 403 {
		t.Fatalf("a deputy reading another's progress: %d", status)
	}
	if status, _ := s.Do(deputy, http.MethodGet, "/api/visits/progress?year=abc", nil); status != 400 {
		t.Fatalf("bad year: %d", status)
	}
	visit, _ := s.App.FindRecordById("visits", f.IDs["visit_a"])
	p := progressOf(t, s, deputy, visit.GetDateTime("visited_at").Time().In(time.FixedZone("CST", 8*3600)).Year())
	if p["deputy"] != f.Deputy || p["households"].(float64) != 1 {
		t.Fatalf("own progress: %v", p)
	}
	for _, role := range []string{presidium, superuser} {
		status, out := s.Do(role, http.MethodGet, "/api/visits/progress", nil)
		if status != 200 || len(out["deputies"].([]any)) != 3 { // the 3 active deputies
			t.Fatalf("%s sees everyone: %d %v", role, status, out)
		}
	}
}

func TestVisitsYearCloseWithLateRecord(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	year := closableYear()
	var recs []map[string]any
	for i := range 12 {
		h := testapp.ClientID()
		recs = append(recs, testapp.HouseholdRec(h, f.VillageA, "户主"+fmt.Sprint(i), fmt.Sprintf("9组%d号", i+1)),
			testapp.VisitRec(testapp.ClientID(), h, fmt.Sprintf("%d-%02d-15T09:00:00+08:00", year, i+1), nil))
	}
	s.Push(deputy, recs...)

	// Not yet: the current year is inside its grace period until next January.
	status, out := s.Do(superuser, http.MethodPost, fmt.Sprintf("/api/visits/years/%d/close", chinatime.CurrentYear()), nil)
	if status != 400 || out["data"].(map[string]any)["year"] == nil {
		t.Fatalf("closing the current year: %d %v", status, out)
	}
	if status, _ := s.Do(presidium, http.MethodPost, fmt.Sprintf("/api/visits/years/%d/close", year), nil); status != 403 {
		t.Fatalf("a deputy closing a year: %d", status)
	}
	for range 2 { // closing twice is harmless
		status, out = s.Do(superuser, http.MethodPost, fmt.Sprintf("/api/visits/years/%d/close", year), nil)
		if status != 200 {
			t.Fatalf("close: %d %v", status, out)
		}
	}
	r, err := s.App.FindFirstRecordByFilter("visit_year_results", "deputy = {:d} && year = {:y}", map[string]any{"d": f.Deputy, "y": year})
	if err != nil || r.GetInt("households") != 12 || !r.GetBool("met") || r.GetInt("required") != 12 {
		t.Fatalf("stored result: %v %v", r, err)
	}
	if n := testapp.CountWhere(t, s.App, "visit_year_results", fmt.Sprintf("year = %d", year)); n != 3 {
		t.Fatalf("%d results, want one per active deputy", n)
	}

	// A late offline sync of a visit dated in the closed year: stored,
	// flagged late, not counted.
	h, v := testapp.ClientID(), testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "迟到户", "10组1号"), testapp.VisitRec(v, h, fmt.Sprintf("%d-12-30T09:00:00+08:00", year), nil)), "created", "created")
	if rec, _ := s.App.FindRecordById("visits", v); !rec.GetBool("late") {
		t.Fatal("a visit in a closed year is not flagged late")
	}
	p := progressOf(t, s, deputy, year)
	if p["households"].(float64) != 12 || p["late_visits"].(float64) != 1 || p["closed"] != true {
		t.Fatalf("progress of the closed year: %v", p)
	}
	r, _ = s.App.FindRecordById("visit_year_results", r.Id)
	if r.GetInt("households") != 12 {
		t.Fatal("a late visit changed the closed result")
	}
}

func TestVisitsMonthlyPaceFlags(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	year := chinatime.CurrentYear() - 1
	h, err := app.FindRecordById("households", f.IDs["household_b"])
	if err != nil {
		t.Fatal(err)
	}
	// Deputy visits in January and March only.
	for _, m := range []int{1, 3} {
		v := core.NewRecord(testapp.Collection(t, app, "visits"))
		v.Set("deputy", f.Deputy)
		v.Set("household", h.Id)
		v.Set("visited_at", time.Date(year, time.Month(m), 5, 10, 0, 0, 0, chinatime.Location()))
		if err := app.Save(v); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 { // idempotent
		if _, err := visits.FlagBehindPace(app, year, 2); err != nil {
			t.Fatal(err)
		}
	}
	flag, err := app.FindFirstRecordByFilter("visit_pace_flags", "deputy = {:d} && year = {:y} && month = 2", map[string]any{"d": f.Deputy, "y": year})
	if err != nil {
		t.Fatal(err)
	}
	if reasons := flag.GetStringSlice("reasons"); len(reasons) != 2 || flag.GetInt("households") != 1 || flag.GetInt("expected") != 2 {
		t.Fatalf("February flag: %v %d %d", reasons, flag.GetInt("households"), flag.GetInt("expected"))
	}
	if n := testapp.CountWhere(t, app, "visit_pace_flags", fmt.Sprintf("year = %d AND month = 2", year)); n != 3 {
		t.Fatalf("%d flags for February, want 3 (every active deputy is behind)", n)
	}
	// January: deputy visited and 1 household meets a pace of 1.
	if _, err := visits.FlagBehindPace(app, year, 1); err != nil {
		t.Fatal(err)
	}
	if testapp.CountWhere(t, app, "visit_pace_flags", fmt.Sprintf("deputy = '%s' AND year = %d AND month = 1", f.Deputy, year)) != 0 {
		t.Fatal("deputy flagged in a month on pace")
	}
}
