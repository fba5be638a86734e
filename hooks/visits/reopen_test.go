package visits_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"
)

// A closed visit year is reopened by staff only, with a reason; its stored
// results are kept in the year's history; visits synced after the close
// count once staff choose so; closing again stores fresh results and
// records each deputy's households before and after.
func TestVisitsYearReopenCountsLateRecordsWhenChosen(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	year := closableYear()
	var recs []map[string]any
	for i := range 11 {
		h := testapp.ClientID()
		recs = append(recs, testapp.HouseholdRec(h, f.VillageA, "户主"+fmt.Sprint(i), fmt.Sprintf("8组%d号", i+1)),
			testapp.VisitRec(testapp.ClientID(), h, fmt.Sprintf("%d-%02d-15T09:00:00+08:00", year, i+1), nil))
	}
	s.Push(deputy, recs...)
	close := fmt.Sprintf("/api/visits/years/%d/close", year)
	reopen := fmt.Sprintf("/api/visits/years/%d/reopen", year)
	if status, out := s.Do(superuser, http.MethodPost, close, nil); status != 200 {
		t.Fatalf("close: %d %v", status, out)
	}
	// The twelfth household, synced a week after the close: late.
	h, v := testapp.ClientID(), testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "迟到户", "10组1号"),
		testapp.VisitRec(v, h, fmt.Sprintf("%d-12-20T09:00:00+08:00", year), nil)), "created", "created")

	for _, c := range []struct {
		role string
		body any
		code int
	}{
		{guest, map[string]any{"reason": "补录迟报走访"}, 401},
		{deputy, map[string]any{"reason": "补录迟报走访"}, 403},
		{presidium, map[string]any{"reason": "补录迟报走访"}, 403},
		{unit, map[string]any{"reason": "补录迟报走访"}, 403},
		{formerStaff, map[string]any{"reason": "补录迟报走访"}, 403},
		{staff, map[string]any{}, 400},
		{superuser, map[string]any{"reason": "补"}, 400},
	} {
		if status, out := s.Do(c.role, http.MethodPost, reopen, c.body); status != c.code {
			t.Fatalf("%s reopen %v: %d %v, want %d", c.role, c.body, status, out, c.code)
		}
	}
	status, out := s.Do(staff, http.MethodPost, reopen, map[string]any{"reason": "补录迟报走访", "count_late": true})
	if status != 200 || out["late_counted"].(float64) != 1 {
		t.Fatalf("reopen: %d %v", status, out)
	}
	if en, err := s.App.FindFirstRecordByFilter("audit_log", "collection = 'visit_years' && action = 'reopen'"); err != nil ||
		en.GetString("reason") != "补录迟报走访" || en.GetString("actor_kind") != "staff" {
		t.Fatalf("the reopen is not in the audit trail: %v %v", en, err)
	}
	if rec, _ := s.App.FindRecordById("visits", v); rec.GetBool("late") {
		t.Fatal("the late visit is still apart although staff chose to count it")
	}
	if n := testapp.CountWhere(t, s.App, "visit_year_results", fmt.Sprintf("year = %d", year)); n != 0 {
		t.Fatalf("%d stored results left in a reopened year", n)
	}
	if p := progressOf(t, s, deputy, year); p["closed"] != false || p["households"].(float64) != 12 {
		t.Fatalf("progress of the reopened year: %v", p)
	}
	if status, _ := s.Do(superuser, http.MethodPost, reopen, map[string]any{"reason": "再次重新开账"}); status != 400 {
		t.Fatalf("reopen of an open year: %d", status)
	}
	if status, out := s.Do(superuser, http.MethodPost, close, nil); status != 200 {
		t.Fatalf("close again: %d %v", status, out)
	}
	r, err := s.App.FindFirstRecordByFilter("visit_year_results", "deputy = {:d} && year = {:y}", map[string]any{"d": f.Deputy, "y": year})
	if err != nil || r.GetInt("households") != 12 || !r.GetBool("met") {
		t.Fatalf("result after closing again: %v %v", r, err)
	}

	events, err := s.App.FindRecordsByFilter("year_events", "ledger = 'visits'", "at", 0, 0)
	if err != nil || len(events) != 3 {
		t.Fatalf("history: %d entries, %v", len(events), err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.GetString("action"))
	}
	if strings.Join(actions, ",") != "close,reopen,close" || events[1].GetString("reason") != "补录迟报走访" || !events[1].GetBool("count_late") {
		t.Fatalf("history %v", actions)
	}
	var changes []struct {
		Deputy        string
		Before, After float64
		HadBefore     bool   `json:"had_before"`
		GradeAfter    string `json:"grade_after"`
	}
	if err := json.Unmarshal([]byte(events[2].GetString("changes")), &changes); err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Deputy == f.Deputy && (!c.HadBefore || c.Before != 11 || c.After != 12 || c.GradeAfter != "达到要求") {
			t.Fatalf("the second close: %+v, want 11 → 12", c)
		}
	}
	if !strings.Contains(events[1].GetString("snapshot"), `"households":11`) {
		t.Fatalf("the closed results were not kept: %s", events[1].GetString("snapshot"))
	}
}
