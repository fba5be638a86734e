package station_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"

	"simeng/internal/testapp"
)

// The office's routes answer the office only (staff and the technician):
// 401 without a login, 403 for deputies, the presidium, handling units and
// former staff.
func TestOfficeRoutesAreStaffOnly(t *testing.T) {
	f := testapp.F(t)
	st := f.IDs["station"]
	routes := []struct{ method, url, body string }{
		{http.MethodPost, "/api/station/" + st + "/roster/preview", `{"from":"2026-04-01","to":"2026-06-30"}`},
		{http.MethodPost, "/api/station/" + st + "/roster", `{"from":"2026-04-01","to":"2026-06-30"}`},
		{http.MethodPost, "/api/station/rosters/" + f.IDs["roster_draft"] + "/publish", `{}`},
		{http.MethodPost, "/api/station/rosters/" + f.IDs["roster"] + "/duties", `{"date":"` + testapp.StationDates(testapp.AssessmentDate()).Today + `","deputy":"` + f.Deputy2 + `"}`},
		{http.MethodPost, "/api/station/duties/" + f.IDs["duty_next"] + "/reassign", `{"deputy":"` + f.Presidium + `"}`},
		{http.MethodPost, "/api/station/duties/" + f.IDs["duty_missed"] + "/confirm", `{}`},
		{http.MethodDelete, "/api/station/duties/" + f.IDs["duty_next"], ``},
		{http.MethodGet, "/api/station/duties?status=missed", ``},
		{http.MethodGet, "/api/station/" + st + "/checkin-code", ``},
		{http.MethodGet, "/api/station/" + st + "/posters", ``},
		{http.MethodPost, "/api/station/hotline-calls", `{"category":"其他","content":"电话反映的问题"}`},
	}
	var cases []testapp.RuleCase
	for _, r := range routes {
		cases = append(cases,
			testapp.RuleCase{Role: guest, Method: r.method, URL: r.url, Body: r.body, Status: 401, Contains: []string{`"status":401`}},
			testapp.RuleCase{Role: inactive, Method: r.method, URL: r.url, Body: r.body, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: deputy, Method: r.method, URL: r.url, Body: r.body, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: presidium, Method: r.method, URL: r.url, Body: r.body, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: unit, Method: r.method, URL: r.url, Body: r.body, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: formerStaff, Method: r.method, URL: r.url, Body: r.body, Status: 403, Contains: testapp.Forbidden})
	}
	cases = append(cases,
		testapp.RuleCase{Role: superuser, Method: http.MethodGet, URL: "/api/station/duties?status=missed", Status: 200, Contains: []string{f.IDs["duty_missed"], `"status":"missed"`}, Absent: []string{f.IDs["duty_attended"]}},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: "/api/station/rosters/" + f.IDs["roster_draft"] + "/publish", Body: `{}`, Status: 200, Contains: []string{`"status":"published"`}},
		testapp.RuleCase{Role: staff, Method: http.MethodGet, URL: "/api/station/duties?status=missed", Status: 200, Contains: []string{f.IDs["duty_missed"]}},
		testapp.RuleCase{Role: staff, Method: http.MethodPost, URL: "/api/station/rosters/" + f.IDs["roster_draft"] + "/publish", Body: `{}`, Status: 200, Contains: []string{`"status":"published"`}},
		testapp.RuleCase{Role: staff, Method: http.MethodPost, URL: "/api/station/duties/" + f.IDs["duty_missed"] + "/confirm", Body: `{}`, Status: 200, Contains: []string{`"status":"attended"`}},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: "/api/station/" + st + "/roster/preview", Body: `{"from":"2026-06-30","to":"2026-04-01"}`, Status: 400, Contains: badField("to")},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: "/api/station/" + st + "/roster/preview", Body: `{"from":"2026/04/01","to":"2026-06-30"}`, Status: 400, Contains: badField("from")},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: "/api/station/" + st + "/roster/preview", Body: `not json`, Status: 400, Contains: badField("body")},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: "/api/station/nosuchstation00/roster/preview", Body: `{"from":"2026-04-01","to":"2026-06-30"}`, Status: 404, Contains: testapp.NotFoundBody},
	)
	testapp.RunRuleCases(t, cases)
}

// Staff generate a quarter: every market day gets its two deputies, the
// rotation is fair (counts within one of each other), nobody is on a day
// they marked unavailable; the draft is hidden from deputies until
// published; a published roster is not regenerated and periods do not
// overlap; the next quarter starts from the duties already served.
func TestRosterIsFairAndPublished(t *testing.T) {
	e := newEnv(t, china(2026, 3, 20, 9, 0))
	ids := []string{}
	for _, n := range []string{"甲代表", "乙代表", "丙代表", "丁代表", "戊代表"} {
		id, _ := e.addDeputy(n)
		ids = append(ids, id)
	}
	stRec, _ := e.app.FindRecordById("stations", e.station)
	stRec.Set("deputies", ids)
	if err := e.app.Save(stRec); err != nil {
		t.Fatal(err)
	}
	days := marketDays(t, "2026-04-01", "2026-06-30")
	away := days[3]
	e.save("duty_unavailability", map[string]any{"deputy": ids[0], "date": away, "reason": "外出"})

	url := "/api/station/" + e.station + "/roster"
	period := map[string]string{"from": "2026-04-01", "to": "2026-06-30"}
	prev := e.must(200, superuser, http.MethodPost, url+"/preview", period)
	if got := len(prev["days"].([]any)); got != len(days) {
		t.Fatalf("preview has %d days, want the %d market days", got, len(days))
	}
	if n, _ := e.app.CountRecords("station_rosters", dbx.HashExp{"station": e.station}); n != 0 {
		t.Fatalf("preview saved %d rosters", n)
	}

	saved := e.must(200, superuser, http.MethodPost, url, period)
	rosterID := saved["roster"].(string)
	counts := map[string]int{}
	for _, d := range saved["days"].([]any) {
		day := d.(map[string]any)
		deps := day["deputies"].([]any)
		if len(deps) != 2 {
			t.Errorf("%s has %d deputies, want 2", day["date"], len(deps))
		}
		for _, x := range deps {
			id := x.(map[string]any)["id"].(string)
			counts[id]++
			if id == ids[0] && day["date"] == away {
				t.Errorf("%s rostered on %s, the day they marked unavailable", id, away)
			}
			if x.(map[string]any)["name"] == "" {
				t.Errorf("a duty without the deputy's name: %v", x)
			}
		}
	}
	lo, hi := len(days), 0
	for _, id := range ids {
		lo, hi = min(lo, counts[id]), max(hi, counts[id])
	}
	if hi-lo > 1 {
		t.Errorf("counts %v spread %d, want at most 1", counts, hi-lo)
	}
	if n, _ := e.app.CountRecords("station_duties", dbx.HashExp{"station": e.station}); int(n) != 2*len(days) {
		t.Errorf("%d duty rows, want %d", n, 2*len(days))
	}

	// Draft: deputies see nothing of it.
	_, tok := e.addDeputy("己代表")
	list := "/api/collections/station_duties/records?filter=" + testapp.URLQuery("roster='"+rosterID+"'")
	if out := e.must(200, tok, http.MethodGet, list, nil); out["totalItems"].(float64) != 0 {
		t.Fatalf("a deputy sees %v duties of a draft", out["totalItems"])
	}
	// Regenerating the draft after a staff edit keeps the edited day.
	edited := days[len(days)-1]
	first := e.must(200, superuser, http.MethodGet, "/api/station/duties?station="+e.station+"&from="+edited+"&to="+edited, nil)["items"].([]any)
	dutyID := first[0].(map[string]any)["id"].(string)
	replaced := first[0].(map[string]any)["deputy"].(string)
	var other string
	for _, id := range ids {
		if id != replaced && id != first[1].(map[string]any)["deputy"].(string) {
			other = id
			break
		}
	}
	e.must(200, superuser, http.MethodPost, "/api/station/duties/"+dutyID+"/reassign", map[string]string{"deputy": other})
	again := e.must(200, superuser, http.MethodPost, url, period)
	for _, d := range again["days"].([]any) {
		day := d.(map[string]any)
		if day["date"] != edited {
			continue
		}
		var got []string
		for _, x := range day["deputies"].([]any) {
			got = append(got, x.(map[string]any)["id"].(string))
		}
		if !slices.Contains(got, other) || day["fixed"] != true {
			t.Errorf("the staff-edited day was regenerated: %v", day)
		}
	}

	e.must(200, superuser, http.MethodPost, "/api/station/rosters/"+rosterID+"/publish", `{}`)
	if out := e.must(200, tok, http.MethodGet, list, nil); int(out["totalItems"].(float64)) != 2*len(days) {
		t.Fatalf("after publishing a deputy sees %v duties", out["totalItems"])
	}
	if _, out := e.do(superuser, http.MethodPost, url, period); fieldMessage(out, "from") == "" {
		t.Errorf("a published roster was regenerated: %v", out)
	}
	if _, out := e.do(superuser, http.MethodPost, url, map[string]string{"from": "2026-06-01", "to": "2026-08-31"}); fieldMessage(out, "from") == "" {
		t.Errorf("an overlapping roster was accepted: %v", out)
	}

	// The next quarter starts from the duties served: priors are this
	// quarter's counts, and the totals stay within one.
	next := e.must(200, superuser, http.MethodPost, url+"/preview", map[string]string{"from": "2026-07-01", "to": "2026-09-30"})
	lo, hi = 1000, 0
	for _, x := range next["tallies"].([]any) {
		tl := x.(map[string]any)
		prior, assigned := int(tl["prior"].(float64)), int(tl["assigned"].(float64))
		if id := tl["deputy"].(string); slices.Contains(ids, id) && prior == 0 {
			t.Errorf("deputy %s starts the next quarter with no prior duties", id)
		}
		lo, hi = min(lo, prior+assigned), max(hi, prior+assigned)
	}
	if hi-lo > 1 {
		t.Errorf("totals after two quarters spread %d: %v", hi-lo, next["tallies"])
	}
}

// A roster on the skip policy closes the market days on statutory
// holidays: nobody is rostered, the station page says 暂停接待.
func TestHolidayPolicySkip(t *testing.T) {
	e := newEnv(t, china(2026, 3, 20, 9, 0))
	rec, _ := e.app.FindRecordById("stations", e.station)
	rec.Set("holiday_policy", "skip")
	if err := e.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	out := e.must(200, superuser, http.MethodPost, "/api/station/"+e.station+"/roster/preview", map[string]string{"from": "2026-04-01", "to": "2026-05-15"})
	seen := 0
	for _, d := range out["days"].([]any) {
		day := d.(map[string]any)
		switch day["date"] {
		case "2026-04-06", "2026-05-05": // 清明节, 劳动节
			seen++
			if day["skipped"] != true || len(day["deputies"].([]any)) != 0 || day["holiday"] == "" {
				t.Errorf("holiday market day not skipped: %v", day)
			}
		default:
			if len(day["deputies"].([]any)) != 2 {
				t.Errorf("ordinary market day %v", day)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("saw %d of the 2 holiday market days", seen)
	}
}
