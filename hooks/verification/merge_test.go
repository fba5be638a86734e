package verification_test

import (
	"net/http"
	"testing"
	"time"

	"simeng/internal/testapp"
)

// TestHouseholdMerge: two households that turn out to be one are merged by
// the presidium; the visits move, the count follows, the old id becomes an
// alias a phone's later push is redirected through, and it is audited.
func TestHouseholdMerge(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	// Hours ago, but in this year, whose households are counted (on
	// 1 January the hours before are last year's).
	ago := func(d time.Duration) time.Time { return testapp.InThisYear(time.Now().Add(-d)).Truncate(time.Minute) }
	h1, h2 := testapp.ClientID(), testapp.ClientID()
	v1, v2 := testapp.ClientID(), testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy,
		testapp.HouseholdRec(h1, f.VillageA, "田永福", "7组4号"), testapp.HouseholdRec(h2, f.VillageA, "田永富", "七组4号"),
		testapp.VisitRec(v1, h1, iso(ago(8*time.Hour)), nil), testapp.VisitRec(v2, h2, iso(ago(5*time.Hour)), nil)),
		"created", "created", "created", "created")
	before := households(t, s)
	url := "/api/verification/households/" + h2 + "/merge"
	into := map[string]any{"into": h1}
	for _, c := range []struct {
		role   string
		url    string
		body   any
		status int
	}{
		{guest, url, into, 401},
		{deputy, url, into, 403},
		{unit, url, into, 403},
		{formerStaff, url, into, 403},
		{presidium, url, map[string]any{"into": h2}, 400},
		{presidium, url, map[string]any{"into": "nosuchhousehold"}, 400},
		{presidium, "/api/verification/households/nosuchhousehold/merge", into, 404},
	} {
		if status, out := s.Do(c.role, http.MethodPost, c.url, c.body); status != c.status {
			t.Errorf("%s %v: %d %v, want %d", c.role, c.body, status, out, c.status)
		}
	}
	if status, out := s.Do(presidium, http.MethodPost, url, into); status != 200 || out["visits_moved"] != 1.0 {
		t.Fatalf("merge: %d %v", status, out)
	}
	if after := households(t, s); after != before-1 {
		t.Errorf("households %v after the merge, want %v", after, before-1)
	}
	if n := testapp.CountWhere(t, s.App, "visits", "household = '"+h1+"'"); n != 2 {
		t.Errorf("%d visits on the kept household, want 2", n)
	}
	if n := testapp.CountWhere(t, s.App, "households", "id = '"+h2+"'"); n != 0 {
		t.Errorf("the duplicate household is still there")
	}
	// a phone that still names the old id is redirected
	v3 := testapp.ClientID()
	testapp.WantOutcomes(t, s.Push(deputy, testapp.VisitRec(v3, h2, iso(ago(2*time.Hour)), nil)), "created")
	if n := testapp.CountWhere(t, s.App, "visits", "id = '"+v3+"' AND household = '"+h1+"'"); n != 1 {
		t.Errorf("a visit naming the merged id did not follow the alias")
	}
	if n := testapp.CountWhere(t, s.App, "audit_log", "action = 'merge' AND record_id = '"+h2+"'"); n != 1 {
		t.Errorf("%d merge audit entries, want 1", n)
	}
}
