package assessment_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
	"simeng/scoring"
	"simeng/visitpace"
)

func saveVisit(t testing.TB, app core.App, deputyID, household string, at time.Time) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("visits")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"deputy": deputyID, "household": household, "visited_at": at, "schema_version": 1})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

func saveHousehold(t testing.TB, app core.App, deputyID, village string, i int) string {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("households")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"village": village, "deputy": deputyID, "head_name": fmt.Sprintf("户主%02d", i),
		"address": fmt.Sprintf("%d组%d号", i%9+1, i), "schema_version": 1})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r.Id
}

// 12 visits to one household count once; 12 households score 12 and lift
// the households cap on the grade.
func TestVisitsFeedTheHouseholdsItem(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	at := testapp.InThisYear(time.Now().Add(-time.Hour)) // the year scored, on 1 January too
	for range 11 {
		saveVisit(t, app, f.Deputy, f.IDs["household_a"], at)
	}
	res := testapp.Score(t, app, f.Deputy)
	if it := testapp.Item(t, res, "households"); it.Points != 1 || !strings.Contains(it.Explanation, "走访农户 1 户") {
		t.Fatalf("12 visits to one household: %+v", it)
	}
	for i := range 11 {
		saveVisit(t, app, f.Deputy, saveHousehold(t, app, f.Deputy, f.VillageA, i), at)
	}
	res = testapp.Score(t, app, f.Deputy)
	if it := testapp.Item(t, res, "households"); it.Points != 12 || len(it.RecordIDs) != 12 {
		t.Fatalf("12 households: %+v", it)
	}
	if res.GradeCapped || res.CapReason != "" {
		t.Fatalf("grade capped with 12 households: %+v", res)
	}
	body := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, "", deputy).Body.String()
	if !strings.Contains(body, `"source":"走访"`) || strings.Contains(body, "向德胜") || !strings.Contains(body, "向**") {
		t.Fatalf("dossier must list visits with the resident's name masked: %s", body)
	}
}

// closableYear is the last year the visit logs may close now: last year,
// or the year before while last year's grace period for late offline
// syncs (the first days of January) runs.
func closableYear() int {
	year := chinatime.CurrentYear() - 1
	if time.Now().Before(visitpace.Rule{Year: year}.ClosableFrom()) {
		year--
	}
	return year
}

// Closing a year of the visit logs freezes that year's assessment.
func TestVisitYearCloseFreezesAssessment(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	last := closableYear()
	at := time.Date(last, 6, 1, 10, 0, 0, 0, time.UTC)
	saveVisit(t, app, f.Deputy, f.IDs["household_a"], at)
	res := testapp.Request(t, app, http.MethodPost, fmt.Sprintf("/api/visits/years/%d/close", last), "", superuser)
	if res.Code != 200 {
		t.Fatalf("close: %d %s", res.Code, res.Body)
	}
	assessment.Flush(app)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}", map[string]any{"d": f.Deputy, "y": last})
	if err != nil || !row.GetBool("frozen") {
		t.Fatalf("score of %d not frozen: %v %v", last, row, err)
	}
	before := row.GetFloat("total")
	saveVisit(t, app, f.Deputy, f.IDs["household_b"], at.Add(time.Hour))
	assessment.Flush(app)
	row, _ = app.FindRecordById("assessment_scores", row.Id)
	if row.GetFloat("total") != before {
		t.Fatalf("frozen score moved: %v → %v", before, row.GetFloat("total"))
	}
	if n, err := assessment.RecomputeYear(app, last); err != nil || n != 0 {
		t.Fatalf("recompute of a closed year: %d %v", n, err)
	}
}

// The households a deputy must visit to escape the grade cap are the ≥12
// households rule's own setting for the year (visit_years), not a second
// number; an empty capped grade switches the cap off.
func TestGradeCapFollowsTheVisitRule(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	year := testapp.AssessmentDate().Year()
	// Any score earns 优秀, so only the cap can lower the grade.
	settings, err := app.FindFirstRecordByFilter("assessment_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("grades", []map[string]any{{"min": 1, "name": "优秀"}, {"min": 0, "name": "基本称职"}})
	settings.Set("capped_grade", "基本称职")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	check := func(what string, capped bool, reason string) {
		t.Helper()
		if _, err := assessment.RecomputeYear(app, year); err != nil {
			t.Fatal(err)
		}
		res := testapp.Score(t, app, f.Deputy)
		if res.GradeCapped != capped || !strings.Contains(res.CapReason, reason) {
			t.Fatalf("%s: capped %v (%q), want %v (%q)", what, res.GradeCapped, res.CapReason, capped, reason)
		}
	}
	// The fixture's deputy visited one household.
	check("1 household, the default rule", true, "未达 12 户要求")

	y := core.NewRecord(testapp.Collection(t, app, "visit_years"))
	y.Set("year", year)
	y.Set("households_required", 1)
	if err := app.Save(y); err != nil {
		t.Fatal(err)
	}
	check("1 household of a required 1", false, "")
	y.Set("households_required", 5)
	if err := app.Save(y); err != nil {
		t.Fatal(err)
	}
	check("1 household of a required 5", true, "未达 5 户要求")

	settings.Set("capped_grade", "")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	check("the cap switched off", false, "")
}

// The first visit of a year changes what the year recorded, for everyone:
// only visits changed (the rescore gathers only their facts again), yet
// every deputy's row of the year is scored with visits recorded.
func TestFirstVisitOfAYearRescoresEveryone(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	year := chinatime.CurrentYear() - 3
	day := chinatime.YearStart(year).AddDate(0, 5, 0)
	for _, d := range []string{f.Deputy, f.Deputy2} {
		if err := saveActivity(app, d, day); err != nil {
			t.Fatal(err)
		}
	}
	visitsUnrecorded := func(deputy string) bool {
		t.Helper()
		facts, _, err := assessment.ScoreOf(app, deputy, year)
		if err != nil {
			t.Fatal(err)
		}
		_, unrecorded := facts.Unrecorded[scoring.MetricHouseholds]
		return unrecorded
	}
	if !visitsUnrecorded(f.Deputy2) {
		t.Fatalf("%d has no visit, yet households are not unrecorded", year)
	}
	assessment.Flush(app) // the visit below is the worker's next run, alone
	saveVisit(t, app, f.Deputy, f.IDs["household_a"], day)
	if visitsUnrecorded(f.Deputy2) || visitsUnrecorded(f.Deputy) {
		t.Fatalf("after the first visit of %d, a deputy's row still says no visit was recorded", year)
	}
}
