package assessment_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/station"
	"simeng/internal/testapp"
)

// 值班接待 comes from the station's duty records: an attended duty of a
// published roster counts, a missed one is listed as 缺岗 and counts
// nothing, a draft roster counts nothing; a staff-typed station_duty row
// on a day the deputy has a duty record is not counted twice, and new
// typed rows are refused.
func TestStationDutiesFeedTheAssessment(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	day := chinatime.Date(testapp.AssessmentDate()) // the day of the typed activity_station
	// The station's clock the day after the last duty: a duty is missed
	// once its day is over, and 25 March is still ahead until then.
	year := testapp.AssessmentDate().Year()
	station.SetClock(app, func() time.Time { return time.Date(year, 3, 26, 9, 0, 0, 0, chinatime.Location()) })
	save := func(collection string, fields map[string]any) *core.Record {
		t.Helper()
		col, _ := app.FindCollectionByNameOrId(collection)
		r := core.NewRecord(col)
		r.Load(fields)
		if err := app.Save(r); err != nil {
			t.Fatalf("%s: %v", collection, err)
		}
		return r
	}
	roster := save("station_rosters", map[string]any{"station": f.IDs["station"], "first_day": day[:4] + "-01-01", "last_day": day[:4] + "-12-31", "status": "draft"})
	same := save("station_duties", map[string]any{"roster": roster.Id, "date": day, "deputy": f.Deputy, "source": "generated", "checkin_method": "qr"})
	other := save("station_duties", map[string]any{"roster": roster.Id, "date": day[:4] + "-03-20", "deputy": f.Deputy, "source": "generated", "checkin_method": "staff"})
	missed := save("station_duties", map[string]any{"roster": roster.Id, "date": day[:4] + "-03-25", "deputy": f.Deputy, "source": "generated"})

	item := func() []string {
		it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "station_duties")
		ids := slices.Clone(it.RecordIDs)
		slices.Sort(ids)
		return ids
	}
	// Draft: the typed row still counts alone.
	if ids := item(); !slices.Equal(ids, []string{f.IDs["activity_station"]}) {
		t.Fatalf("with a draft roster: %v", ids)
	}
	roster.Set("status", "published")
	if err := app.Save(roster); err != nil {
		t.Fatal(err)
	}
	want := []string{same.Id, other.Id}
	slices.Sort(want)
	if ids := item(); !slices.Equal(ids, want) {
		t.Fatalf("published: counted %v, want the two attended duties %v (the typed row of the same day left out, the miss not counted)", ids, want)
	}
	res := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, "", testapp.RoleDeputy)
	body := res.Body.String()
	for _, want := range []string{"联络站值班", "缺岗", missed.Id, "扫码签到", "工作人员确认", "不重复计分"} {
		if !strings.Contains(body, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	// A late staff confirmation turns the miss into a counted duty.
	missed.Set("checkin_method", "staff")
	if err := app.Save(missed); err != nil {
		t.Fatal(err)
	}
	if ids := item(); len(ids) != 3 {
		t.Fatalf("after confirming the miss: %v", ids)
	}

	// New typed station duty rows are refused; other kinds still typed.
	typed := `{"deputy":"` + f.Deputy + `","kind":"station_duty","occurred_on":"` + day + ` 01:00:00.000Z","title":"手工登记值班"}`
	if res := testapp.Request(t, app, http.MethodPost, "/api/collections/deputy_activities/records", typed, testapp.RoleSuperuser); res.Code != 400 || !strings.Contains(res.Body.String(), `"kind":{"code"`) {
		t.Fatalf("typed station duty: %d %s", res.Code, res.Body)
	}
	report := strings.Replace(typed, "station_duty", "report_to_voters", 1)
	if res := testapp.Request(t, app, http.MethodPost, "/api/collections/deputy_activities/records", report, testapp.RoleSuperuser); res.Code != 200 {
		t.Fatalf("typed report to voters: %d %s", res.Code, res.Body)
	}
	if res := testapp.Request(t, app, http.MethodPatch, "/api/collections/deputy_activities/records/"+f.IDs["activity_station"], `{"title":"更正标题"}`, testapp.RoleSuperuser); res.Code != 200 {
		t.Fatalf("editing an old typed station duty: %d %s", res.Code, res.Body)
	}
}
