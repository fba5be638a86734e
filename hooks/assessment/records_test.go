package assessment_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
	"simeng/scoring"
)

// An open year's score row stores counts only, so that rescoring a busy
// deputy after a write does not rewrite every record id they hold; the
// dossier and assessment.ScoreOf still name every record that counted,
// and closing the year stores them in the frozen row.
func TestOpenRowStoresCountsAndRecordsAreListedOnDemand(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	year := chinatime.CurrentYear()
	at := testapp.InThisYear(time.Now().Add(-time.Hour)) // in year on 1 January too
	var visitIDs, households []string
	for i := range 3 {
		h := saveHousehold(t, app, f.Deputy, f.VillageA, 40+i)
		households = append(households, h)
		visitIDs = append(visitIDs, saveVisit(t, app, f.Deputy, h, at).Id)
	}
	assessment.Flush(app)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}", map[string]any{"d": f.Deputy, "y": year})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(slices.Clone(visitIDs), households...) {
		if strings.Contains(row.GetString("facts"), id) || strings.Contains(row.GetString("result"), id) {
			t.Fatalf("the open row stores record id %s: %s", id, row.GetString("facts"))
		}
	}

	facts, res, err := assessment.ScoreOf(app, f.Deputy, year)
	if err != nil {
		t.Fatal(err)
	}
	counted := facts.Metrics[scoring.MetricVisits]
	for _, id := range visitIDs {
		if !slices.Contains(counted.RecordIDs, id) {
			t.Fatalf("visit %s not listed among %v", id, counted.RecordIDs)
		}
	}
	if int(counted.Value) != len(counted.RecordIDs) {
		t.Fatalf("value %v but %d ids", counted.Value, len(counted.RecordIDs))
	}
	item := testapp.Item(t, res, "households")
	for _, h := range households {
		if !slices.Contains(item.RecordIDs, h) {
			t.Fatalf("household %s not listed in the item: %+v", h, item)
		}
	}
	if stored := row.GetFloat("total"); stored != res.Total {
		t.Fatalf("ScoreOf total %v, stored %v", res.Total, stored)
	}

	body := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, "", deputy).Body.String()
	for _, h := range households {
		if !strings.Contains(body, h) {
			t.Fatalf("the dossier does not name household %s: %s", h, body)
		}
	}

	if _, err := assessment.CloseYear(app, year); err != nil {
		t.Fatal(err)
	}
	row, err = app.FindRecordById("assessment_scores", row.Id)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range visitIDs {
		if !strings.Contains(row.GetString("facts"), id) {
			t.Fatalf("the closed year's row does not keep visit %s: %s", id, row.GetString("facts"))
		}
	}
}
