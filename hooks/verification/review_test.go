package verification_test

import (
	"net/http"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// pushFlagged pushes a new household and a visit without a fix (raising
// no_fix) as role, and returns the visit's id.
func pushFlagged(t *testing.T, s *testapp.Server, role, village string, at time.Time) string {
	t.Helper()
	h, v := testapp.ClientID(), testapp.ClientID()
	res := s.Push(role, testapp.HouseholdRec(h, village, "向德胜", "3组"+h[:4]+"号"), testapp.VisitRec(v, h, iso(at), nil))
	testapp.WantOutcomes(t, res, "created", "created")
	return v
}

func households(t *testing.T, s *testapp.Server) float64 {
	t.Helper()
	status, out := s.Do(deputy, http.MethodGet, "/api/visits/progress", nil)
	if status != http.StatusOK {
		t.Fatalf("progress: %d %v", status, out)
	}
	return out["deputies"].([]any)[0].(map[string]any)["households"].(float64)
}

// TestReviewDecisions: who may decide, what a decision needs, and what it
// does: the visit stays, the count follows, the deputy sees the reason and
// answers, and each step is in the audit trail.
func TestReviewDecisions(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	// In this year, whose households are counted, on 1 January too.
	v := pushFlagged(t, s, deputy, f.VillageA, testapp.InThisYear(time.Now().Add(-2*time.Hour)))
	own := pushFlagged(t, s, presidium, f.VillageA, testapp.InThisYear(time.Now().Add(-3*time.Hour)))
	url := "/api/verification/visits/" + v + "/review"
	notCounted := map[string]any{"decision": "not_counted", "note": "同一时间录入多户，请说明"}
	before := households(t, s)

	denied := []struct {
		role, url string
		body      any
		status    int
		field     string
	}{
		{guest, url, notCounted, 401, ""},
		{deputy, url, notCounted, 403, ""}, // the deputy who raised the visit
		{deputy2, url, notCounted, 403, ""},
		{inactive, url, notCounted, 403, ""},
		{unit, url, notCounted, 403, ""},
		{formerStaff, url, notCounted, 403, ""},
		{presidium, "/api/verification/visits/" + own + "/review", notCounted, 403, "visit"}, // own visit
		{presidium, url, map[string]any{"decision": "deleted", "note": "x"}, 400, "decision"},
		{presidium, url, map[string]any{"decision": "not_counted", "note": "  "}, 400, "note"},
		{presidium, url, map[string]any{"decision": "accepted"}, 400, "note"},
		{staff, "/api/verification/visits/nosuchvisit0000/review", notCounted, 404, ""},
		{guest, "/api/verification/review", nil, 401, ""},
		{deputy, "/api/verification/review", nil, 403, ""},
		{unit, "/api/verification/review", nil, 403, ""},
		{staff, "/api/verification/review?status=bogus", nil, 400, "status"},
		{deputy2, "/api/verification/visits/" + v, nil, 403, ""},
		{unit, "/api/verification/visits/" + v, nil, 403, ""},
		{deputy2, "/api/verification/visits/" + v + "/answer", map[string]any{"text": "不是我的"}, 403, ""},
		{presidium, "/api/verification/visits/" + v + "/answer", map[string]any{"text": "代答"}, 403, ""},
	}
	for _, c := range denied {
		status, out := s.Do(c.role, http.MethodPost, c.url, c.body)
		if c.body == nil {
			status, out = s.Do(c.role, http.MethodGet, c.url, nil)
		}
		if status != c.status {
			t.Errorf("%s %s: %d %v, want %d", c.role, c.url, status, out, c.status)
			continue
		}
		if c.field != "" {
			if data, _ := out["data"].(map[string]any); data[c.field] == nil {
				t.Errorf("%s %s: %v does not name %s", c.role, c.url, out, c.field)
			}
		}
	}
	if n := testapp.CountWhere(t, s.App, "visit_reviews", "id != ''"); n != 0 {
		t.Fatalf("refused decisions left %d reviews", n)
	}

	// the review list shows the visit with its reason, to the presidium and staff
	for _, role := range []string{presidium, staff} {
		status, out := s.Do(role, http.MethodGet, "/api/verification/review?kind=no_fix", nil)
		if status != 200 || !containsVisit(out, v) {
			t.Fatalf("%s review list: %d %v", role, status, out)
		}
	}

	// not counted: the count drops, the visit stays, the deputy sees why
	if status, out := s.Do(staff, http.MethodPost, url, notCounted); status != 200 {
		t.Fatalf("staff not_counted: %d %v", status, out)
	}
	if after := households(t, s); after != before-1 {
		t.Errorf("households %v after not_counted, want %v", after, before-1)
	}
	if n := testapp.CountWhere(t, s.App, "visits", "id = '"+v+"'"); n != 1 {
		t.Fatalf("the visit is gone")
	}
	status, out := s.Do(deputy, http.MethodGet, "/api/verification/visits/"+v, nil)
	if status != 200 || out["review"] != "not_counted" || out["review_note"] != notCounted["note"] {
		t.Fatalf("the deputy sees %d %v", status, out)
	}
	// the deputy answers; the presidium accepts with a note; the count returns
	if status, out := s.Do(deputy, http.MethodPost, "/api/verification/visits/"+v+"/answer", map[string]any{"text": "当天下雨在村委会集中走访"}); status != 200 {
		t.Fatalf("answer: %d %v", status, out)
	}
	if status, out := s.Do(presidium, http.MethodPost, url, map[string]any{"decision": "accepted", "note": "已电话核实"}); status != 200 {
		t.Fatalf("accept: %d %v", status, out)
	}
	if after := households(t, s); after != before {
		t.Errorf("households %v after accepted, want %v", after, before)
	}
	_, out = s.Do(deputy, http.MethodGet, "/api/verification/visits/"+v, nil)
	if h := out["history"].([]any); len(h) != 3 {
		t.Errorf("history %v, want not_counted, answer, accepted", h)
	}
	// accepted visits leave the pending list, and show under decided
	_, out = s.Do(presidium, http.MethodGet, "/api/verification/review", nil)
	if containsVisit(out, v) {
		t.Errorf("a decided visit is still pending")
	}
	_, out = s.Do(presidium, http.MethodGet, "/api/verification/review?status=decided", nil)
	if !containsVisit(out, v) {
		t.Errorf("a decided visit is not under decided")
	}
	if n := testapp.CountWhere(t, s.App, "audit_log", "collection = 'visits' AND record_id = '"+v+"' AND action IN ('review', 'answer')"); n != 3 {
		t.Errorf("audit trail has %d review entries, want 3", n)
	}
	if n := testapp.CountWhere(t, s.App, "visits", "id = '"+v+"' AND flags LIKE '%no_fix%'"); n != 1 {
		t.Errorf("the flag is gone after the review")
	}
}

func containsVisit(out map[string]any, id string) bool {
	items, _ := out["items"].([]any)
	for _, it := range items {
		if it.(map[string]any)["visit"] == id {
			return true
		}
	}
	return false
}
