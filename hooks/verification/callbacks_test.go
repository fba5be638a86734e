package verification_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/internal/testapp"
)

// TestCallbacks: last month's sample is drawn once, only for the office
// and the presidium, with the household's phone to call; results are
// recorded against the visit and a denial raises a flag the deputy sees.
func TestCallbacks(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	start := chinatime.PrevMonthStart(time.Now())
	month := start.Format("2006-01")
	first := time.Date(start.Year(), start.Month(), 10, 10, 0, 0, 0, chinatime.Location())
	var visits []string
	for i := range 4 {
		h, v := testapp.ClientID(), testapp.ClientID()
		hh := testapp.HouseholdRec(h, f.VillageA, "舒桂花", "5组"+h[:4]+"号")
		hh["data"].(map[string]any)["phone"] = "1391234000" + string(rune('5'+i))
		testapp.WantOutcomes(t, s.Push(deputy, hh, testapp.VisitRec(v, h, iso(first.Add(time.Duration(i)*24*time.Hour)), nil)), "created", "created")
		visits = append(visits, v)
	}
	url := "/api/verification/callbacks?month=" + month
	for _, c := range []struct {
		role, url string
		status    int
	}{
		{guest, url, 401},
		{deputy, url, 403},
		{unit, url, 403},
		{formerStaff, url, 403},
		{staff, "/api/verification/callbacks?month=2026-13", 400},
		{staff, "/api/verification/callbacks?month=" + chinatime.In(time.Now()).Format("2006-01"), 400},
	} {
		if status, out := s.Do(c.role, http.MethodGet, c.url, nil); status != c.status {
			t.Errorf("%s %s: %d %v, want %d", c.role, c.url, status, out, c.status)
		}
	}
	if n := testapp.CountWhere(t, s.App, "callback_samples", "id != ''"); n != 0 {
		t.Fatalf("refused requests drew %d samples", n)
	}

	status, out := s.Do(staff, http.MethodGet, url, nil)
	if status != 200 {
		t.Fatalf("sample: %d %v", status, out)
	}
	items := out["items"].([]any)
	sampled := map[string]bool{}
	for _, it := range items {
		sampled[it.(map[string]any)["visit"].(string)] = true
	}
	for _, v := range visits {
		if !sampled[v] { // fewer candidates than the size (20): all are drawn
			t.Fatalf("visit %s not sampled: %v", v, out)
		}
	}
	_, again := s.Do(presidium, http.MethodGet, url, nil)
	if again["seed"] != out["seed"] || testapp.CountWhere(t, s.App, "callback_samples", "month = '"+month+"'") != 1 {
		t.Fatalf("the sample was drawn twice: %v %v", out["seed"], again["seed"])
	}
	var item map[string]any
	for _, it := range items {
		if it.(map[string]any)["visit"] == visits[0] {
			item = it.(map[string]any)
		}
	}
	if p, _ := item["phone"].(string); len(p) != 11 {
		t.Errorf("the caller does not see the phone: %v", item)
	}
	cb, visit := item["id"].(string), item["visit"].(string)
	if !slices.Contains(visits, visit) {
		t.Fatalf("sampled %s, not one of the month's visits", visit)
	}
	post := "/api/verification/callbacks/" + cb
	for _, c := range []struct {
		role   string
		body   map[string]any
		status int
		field  string
	}{
		{guest, map[string]any{"result": "confirmed"}, 401, ""},
		{deputy, map[string]any{"result": "confirmed"}, 403, ""},
		{unit, map[string]any{"result": "confirmed"}, 403, ""},
		{staff, map[string]any{"result": "maybe"}, 400, "result"},
		{staff, map[string]any{"result": "denied"}, 400, "note"},
	} {
		status, out := s.Do(c.role, http.MethodPost, post, c.body)
		if status != c.status {
			t.Errorf("%s %v: %d %v, want %d", c.role, c.body, status, out, c.status)
		} else if c.field != "" && out["data"].(map[string]any)[c.field] == nil {
			t.Errorf("%s %v: %v does not name %s", c.role, c.body, out, c.field)
		}
	}
	if status, out := s.Do(staff, http.MethodPost, post, map[string]any{"result": "denied", "note": "农户说那天没人来过"}); status != 200 {
		t.Fatalf("denied: %d %v", status, out)
	}
	if kinds := flagKinds(t, s, deputy, visit); !slices.Contains(kinds, "callback_denied") {
		t.Errorf("a denial raised %v, want callback_denied", kinds)
	}
	// a later confirmation resolves the denial; the visit then counts as confirmed
	if status, out := s.Do(presidium, http.MethodPost, post, map[string]any{"result": "confirmed", "note": "再次联系，农户记起来了"}); status != 200 {
		t.Fatalf("confirmed: %d %v", status, out)
	}
	if kinds := flagKinds(t, s, deputy, visit); slices.Contains(kinds, "callback_denied") {
		t.Errorf("the denial stays open after a confirmation: %v", kinds)
	}
	// the resolved denial stays in the visit's history, once
	_, checks := s.Do(presidium, http.MethodGet, "/api/verification/visits/"+visit, nil)
	var denials []any
	for _, f := range checks["flags"].([]any) {
		if f.(map[string]any)["kind"] == "callback_denied" {
			denials = append(denials, f)
		}
	}
	if len(denials) != 1 || denials[0].(map[string]any)["status"] != "resolved" {
		t.Errorf("the visit's checks show the denial as %v, want it once, resolved", denials)
	}
	if n := testapp.CountWhere(t, s.App, "visit_flags", "visit = '"+visit+"' AND kind = 'callback_denied' AND status = 'resolved' AND raised_at != '' AND resolved_at != ''"); n != 1 {
		t.Errorf("%d resolved denial rows, want 1", n)
	}
	// a visit never denied, confirmed or unreachable at the first call
	for _, it := range items {
		m := it.(map[string]any)
		if m["visit"] == visits[1] || m["visit"] == visits[2] {
			result := map[string]any{"result": "confirmed"}
			if m["visit"] == visits[2] {
				result = map[string]any{"result": "unreachable", "note": "无人接听"}
			}
			if status, out := s.Do(staff, http.MethodPost, "/api/verification/callbacks/"+m["id"].(string), result); status != 200 {
				t.Errorf("%v on %v: %d %v", result, m["visit"], status, out)
			}
		}
	}
	if n := testapp.CountWhere(t, s.App, "audit_log", "action = 'callback' AND record_id = '"+visit+"'"); n != 2 {
		t.Errorf("%d callback audit entries, want 2", n)
	}
	if n := testapp.CountWhere(t, s.App, "audit_log", "action = 'draw' AND collection = 'callback_samples'"); n != 1 {
		t.Errorf("%d draw audit entries, want 1", n)
	}
}
