package assessment_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
	"simeng/internal/testapp"
)

// A closed year that turns out wrong (a station duty back-entered after
// the close) is reopened by staff only, with a written reason; the frozen
// snapshot stays in the year's history, the recompute takes the duty in,
// the year closes again, and the deputy's dossier says it was reopened
// and why, with their total before and after.
func TestReopenACloseYearKeepsItsHistory(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	year := testapp.AssessmentDate().Year()
	base := fmt.Sprintf("/api/assessment/years/%d", year)
	if res := testapp.Request(t, app, http.MethodPost, base+"/close", `{"reason":"年终考核"}`, superuser); res.Code != 200 {
		t.Fatalf("close: %d %s", res.Code, res.Body)
	}
	closedTotal := testapp.Score(t, app, f.Deputy).Total

	col, _ := app.FindCollectionByNameOrId("deputy_activities")
	duty := core.NewRecord(col)
	duty.Load(map[string]any{"deputy": f.Deputy, "kind": "station_duty", "occurred_on": testapp.AssessmentDate().Add(48 * time.Hour), "title": "补录：联络站逢四接待"})
	if err := app.Save(duty); err != nil {
		t.Fatal(err)
	}
	if res := testapp.Request(t, app, http.MethodPost, "/api/assessment/recompute", fmt.Sprintf(`{"year":%d}`, year), superuser); res.Code != 400 {
		t.Fatalf("recompute of a closed year: %d", res.Code)
	}

	reason := `{"reason":"补录12月值班记录"}`
	for _, c := range []struct {
		role, body string
		code       int
		want       string
	}{
		{guest, reason, 401, ""},
		{deputy, reason, 403, ""},
		{presidium, reason, 403, ""},
		{inactive, reason, 403, ""},
		{unit, reason, 403, ""},
		{formerStaff, reason, 403, ""},
		{staff, `{}`, 400, `"reason":{`},
		{staff, `{"reason":"  "}`, 400, `"reason":{`},
		{superuser, `{"reason":"` + strings.Repeat("长", 1001) + `"}`, 400, `"reason":{`},
	} {
		res := testapp.Request(t, app, http.MethodPost, base+"/reopen", c.body, c.role)
		if res.Code != c.code || !strings.Contains(res.Body.String(), c.want) {
			t.Fatalf("%s reopen %s: %d %s, want %d %s", c.role, c.body, res.Code, res.Body, c.code, c.want)
		}
	}
	if res := testapp.Request(t, app, http.MethodPost, "/api/assessment/years/2019/reopen", reason, superuser); res.Code != 400 || !strings.Contains(res.Body.String(), "validation_year_open") {
		t.Fatalf("reopen of a year never closed: %d %s", res.Code, res.Body)
	}
	res := testapp.Request(t, app, http.MethodPost, base+"/reopen", reason, staff)
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"reopened":true`) {
		t.Fatalf("reopen: %d %s", res.Code, res.Body)
	}
	reopened := testapp.Score(t, app, f.Deputy)
	if reopened.Total <= closedTotal || !slices.Contains(testapp.Item(t, reopened, "station_duties").RecordIDs, duty.Id) {
		t.Fatalf("the back-entered duty is not in the recomputed score: %v → %+v", closedTotal, testapp.Item(t, reopened, "station_duties"))
	}
	if res := testapp.Request(t, app, http.MethodPost, base+"/reopen", reason, superuser); res.Code != 400 {
		t.Fatalf("reopen of an open year: %d", res.Code)
	}
	if res := testapp.Request(t, app, http.MethodPost, base+"/close", `{"reason":"更正后重新关账"}`, staff); res.Code != 200 {
		t.Fatalf("close again: %d %s", res.Code, res.Body)
	}
	assessment.Flush(app)

	var history struct {
		Closed bool
		Items  []struct {
			Ledger, Action, Reason string
			ActorLabel             string `json:"actor_label"`
			Changes                []struct {
				Deputy        string
				Before, After float64
				HadBefore     bool `json:"had_before"`
			}
		}
	}
	res = testapp.Request(t, app, http.MethodGet, base+"/history", "", presidium)
	if err := json.Unmarshal(res.Body.Bytes(), &history); err != nil || res.Code != 200 {
		t.Fatalf("history: %d %s", res.Code, res.Body)
	}
	var actions []string
	for _, it := range history.Items {
		if it.Ledger == "assessment" {
			actions = append(actions, it.Action+":"+it.Reason)
		}
	}
	if strings.Join(actions, "|") != "close:年终考核|reopen:补录12月值班记录|close:更正后重新关账" || !history.Closed {
		t.Fatalf("history %v (closed %v)", actions, history.Closed)
	}
	last := history.Items[len(history.Items)-1]
	found := false
	for _, c := range last.Changes {
		if c.Deputy == f.Deputy {
			found = true
			if !c.HadBefore || c.Before != closedTotal || c.After != reopened.Total {
				t.Fatalf("second close: %+v, want %v → %v", c, closedTotal, reopened.Total)
			}
		}
	}
	if !found {
		t.Fatal("the second close lists no change for the deputy")
	}
	var snapshot []map[string]any
	row, err := app.FindFirstRecordByFilter("year_events", "action = 'reopen' && ledger = 'assessment'")
	if err != nil || json.Unmarshal([]byte(row.GetString("snapshot")), &snapshot) != nil || len(snapshot) < 4 {
		t.Fatalf("the closed snapshot was not kept: %v %d", err, len(snapshot))
	}

	// The deputy sees it in their dossier, with their own figures only.
	body := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, "", deputy).Body.String()
	if !strings.Contains(body, `"action":"reopen"`) || !strings.Contains(body, "补录12月值班记录") || strings.Contains(body, f.Deputy2) {
		t.Fatalf("dossier history: %s", body)
	}
	// Nobody edits the history through the API.
	if res := testapp.Request(t, app, http.MethodDelete, "/api/collections/year_events/records/"+row.Id, "", presidium); res.Code != 403 {
		t.Fatalf("presidium deleted history: %d", res.Code)
	}
	for _, role := range []string{deputy, unit, formerStaff} {
		if res := testapp.Request(t, app, http.MethodGet, "/api/collections/year_events/records", "", role); !strings.Contains(res.Body.String(), `"totalItems":0`) {
			t.Fatalf("%s lists the whole history: %s", role, res.Body)
		}
	}
	if res := testapp.Request(t, app, http.MethodDelete, "/api/collections/year_events/records/"+row.Id, "", staff); res.Code != 403 {
		t.Fatalf("staff deleted history: %d", res.Code)
	}
	if res := testapp.Request(t, app, http.MethodGet, "/api/collections/year_events/records", "", staff); !strings.Contains(res.Body.String(), `"totalItems":3`) {
		t.Fatalf("staff do not read the history: %s", res.Body)
	}
	// The reopen and both closes are in the audit trail, with the reason.
	entries, err := app.FindRecordsByFilter("audit_log", "collection = 'assessment_scores' && (action = 'reopen' || action = 'close')", "seq", 0, 0)
	if err != nil || len(entries) != 3 || entries[1].GetString("reason") != "补录12月值班记录" || entries[1].GetString("actor_kind") != "staff" {
		t.Fatalf("audit trail of the year: %v %v", entries, err)
	}
}
