package problems_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hooks/problems"
	"simeng/internal/testapp"
	"simeng/workdays"
)

// The lifecycle holds at the records API (the PWA and scripts) and the
// admin UI (a superuser through the same API): no step skipped, the
// unit named on a forward, a reply on an answer, a reason on a reopen, and
// the server's fields (deadline, stamps, reopen count, escalation) never
// taken from a body.
func TestLifecycleOverTheRecordsAPI(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	s := testapp.Serve(t, app, nil)
	url := "/api/collections/problems/records/" + f.IDs["problem_a"]
	patch := func(role string, body map[string]any, want int, field string) map[string]any {
		t.Helper()
		status, out := s.Do(role, http.MethodPatch, url, body)
		if status != want {
			t.Fatalf("%s PATCH %v: %d %v, want %d", role, body, status, out, want)
		}
		if field != "" {
			if data, _ := out["data"].(map[string]any); data[field] == nil {
				t.Fatalf("%s PATCH %v: the refusal does not name %s: %v", role, body, field, out)
			}
		}
		return out
	}
	for _, role := range []string{presidium, superuser} {
		patch(role, map[string]any{"status": "closed"}, 400, "status")
		patch(role, map[string]any{"status": "answered", "reply": "已修好"}, 400, "status")
	}
	patch(presidium, map[string]any{"status": "forwarded"}, 400, "forwarded_to")
	before := time.Now()
	out := patch(presidium, map[string]any{"status": "forwarded", "forwarded_to": "镇水利站",
		"deadline": "2099-01-01 00:00:00.000Z", "reopens": 7, "overdue": true, "escalation": "supervised"}, 200, "")
	want := deadline.Due(workdays.New(), before, 15).Truncate(time.Millisecond)
	got, _ := time.Parse("2006-01-02 15:04:05.000Z", out["deadline"].(string))
	if !got.Equal(want) || out["reopens"].(float64) != 0 || out["overdue"] != false || out["escalation"] != "none" || out["forwarded_at"] == "" {
		t.Fatalf("forwarded: deadline %v (want %v) %v", got, want, out)
	}
	patch(presidium, map[string]any{"status": "closed"}, 400, "status")
	patch(presidium, map[string]any{"status": "answered"}, 400, "reply")
	patch(presidium, map[string]any{"status": "answered", "reply": "已更换水泵，恢复供水"}, 200, "")
	patch(superuser, map[string]any{"status": "closed"}, 200, "")
	patch(presidium, map[string]any{"status": "open"}, 400, "reopen_reason")
	out = patch(presidium, map[string]any{"status": "open", "reopen_reason": "群众反映水压仍不足"}, 200, "")
	if out["reopens"].(float64) != 1 || out["reply"] != "" || out["deadline"] != "" {
		t.Fatalf("reopened: %v", out)
	}
	patch(deputy, map[string]any{"status": "forwarded", "forwarded_to": "镇水利站"}, 404, "")

	// The deputy who raised it sees every step, by whom.
	status, tl := s.Do(deputy, http.MethodGet, "/api/problems/"+f.IDs["problem_a"]+"/timeline", nil)
	if status != 200 {
		t.Fatalf("timeline: %d %v", status, tl)
	}
	var steps []string
	for _, ev := range tl["events"].([]any) {
		e := ev.(map[string]any)
		steps = append(steps, e["action"].(string))
		if e["actor_label"] == "" || e["at"] == "" {
			t.Fatalf("step without who or when: %v", e)
		}
	}
	if strings.Join(steps, ",") != "raise,forward,answer,close,reopen" {
		t.Fatalf("timeline %v", steps)
	}
	if status, _ := s.Do(deputy2, http.MethodGet, "/api/problems/"+f.IDs["problem_a"]+"/timeline", nil); status != 404 {
		t.Fatalf("another deputy read the timeline: %d", status)
	}
	if status, _ := s.Do(guest, http.MethodGet, "/api/problems/"+f.IDs["problem_a"]+"/timeline", nil); status != 401 {
		t.Fatalf("a guest read the timeline: %d", status)
	}
}

// The same rules hold for another capability's Go code (the admin UI's
// and the routes' saves end there too).
func TestLifecycleInGo(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	p, _ := app.FindRecordById("problems", f.IDs["problem_a"])
	p.Set("status", "closed")
	if err := app.Save(p); err == nil || !strings.Contains(err.Error(), "status") {
		t.Fatalf("open → closed in Go: %v", err)
	}
	col, _ := app.FindCachedCollectionByNameOrId("problems")
	n := core.NewRecord(col)
	n.Load(map[string]any{"category": "其他", "description": "新登记就办结", "source": "hotline", "status": "closed"})
	if err := app.Save(n); err == nil {
		t.Fatal("a new problem was stored closed")
	}
	if err := problems.Forward(app, f.IDs["problem_a"], "镇水利站"); err != nil {
		t.Fatal(err)
	}
	p, _ = app.FindRecordById("problems", f.IDs["problem_a"])
	if p.GetString("status") != "forwarded" || p.GetDateTime("deadline").IsZero() {
		t.Fatalf("forwarded by the system: %v", p.PublicExport())
	}
}

// The offline sync door: a visit pushed again with its problem marked
// closed, or with a status, leaves the problem where the lifecycle has it.
func TestLifecycleOverTheSync(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	id, h := testapp.ClientID(), f.IDs["household_a"]
	pid := testapp.ClientID()
	rec := testapp.VisitRec(id, h, time.Now().Add(-time.Hour).Format(time.RFC3339), map[string]any{
		"problems": []map[string]any{{"id": pid, "category": "道路交通", "description": "村道塌陷", "status": "closed", "reply": "已修"}}})
	testapp.WantOutcomes(t, s.Push(deputy, rec), "created")
	p, err := s.App.FindRecordById("problems", pid)
	if err != nil || p.GetString("status") != "open" || p.GetString("reply") != "" {
		t.Fatalf("synced problem: %v %v", p, err)
	}
	if n, _ := s.App.CountRecords("problem_events"); n == 0 {
		t.Fatal("the synced problem's raise is not on its timeline")
	}
}

// The action routes: who may take which step, in the rules' words; the
// step lands on the timeline with who took it.
func TestActionRoutes(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	s := testapp.Serve(t, app, nil)
	base := "/api/problems/" + f.IDs["problem_a"]
	for _, c := range []struct {
		role, action string
		body         any
		status       int
		field        string
	}{
		{guest, "forward", map[string]any{"forwarded_to": "镇水利站"}, 401, ""},
		{deputy2, "forward", map[string]any{"forwarded_to": "镇水利站"}, 404, ""},
		{inactive, "forward", map[string]any{"forwarded_to": "镇水利站"}, 404, ""},
		{deputy, "forward", map[string]any{"forwarded_to": "镇水利站"}, 403, "forwarded_to"},
		{presidium, "escalate", nil, 404, ""},
		{presidium, "close", nil, 400, "status"},
		{presidium, "answer", map[string]any{"reply": "已处理"}, 400, "status"},
		{presidium, "forward", map[string]any{}, 400, "forwarded_to"},
		{presidium, "forward", map[string]any{"unit": "nosuchunit0000"}, 400, "unit"},
		{presidium, "forward", map[string]any{"forwarded_to": "镇水利站"}, 200, ""},
		{presidium, "forward", map[string]any{"forwarded_to": "镇水利站"}, 400, "forwarded_to"},
		{deputy, "answer", map[string]any{"reply": "我来答复"}, 403, "reply"},
		{superuser, "answer", map[string]any{"reply": "  "}, 400, "reply"},
		{superuser, "answer", map[string]any{"reply": "已更换水泵"}, 200, ""},
		{presidium, "reopen", map[string]any{}, 400, "reopen_reason"},
		{presidium, "close", nil, 200, ""},
		{presidium, "close", nil, 400, "status"},
		{presidium, "reopen", map[string]any{"reason": "群众反映仍未解决"}, 200, ""},
	} {
		status, out := s.Do(c.role, http.MethodPost, base+"/"+c.action, c.body)
		if status != c.status {
			t.Fatalf("%s %s %v: %d %v, want %d", c.role, c.action, c.body, status, out, c.status)
		}
		if c.field != "" {
			if data, _ := out["data"].(map[string]any); data[c.field] == nil {
				t.Fatalf("%s %s: the refusal does not name %s: %v", c.role, c.action, c.field, out)
			}
		}
	}
	_, tl := s.Do(presidium, http.MethodGet, base+"/timeline", nil)
	raw, _ := json.Marshal(tl["events"])
	for _, want := range []string{`"action":"forward"`, "镇水利站", "王主席（主席团）", `"action":"answer"`, "已更换水泵", `"action":"reopen"`, "群众反映仍未解决"} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("timeline lacks %s: %s", want, raw)
		}
	}
}

// A forward not answered by its deadline is flagged and escalated to the
// presidium member paired with the village, then listed for supervision
// five working days later; the answer ends it. A forward stored without a
// deadline gets one.
func TestOverdueProblemsAreEscalated(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	if err := problems.Forward(app, f.IDs["problem_a"], "镇水利站"); err != nil {
		t.Fatal(err)
	}
	p, _ := app.FindRecordById("problems", f.IDs["problem_a"])
	p.Set("village", f.VillageA)
	p.Set("deadline", "")
	p.Set("forwarded_at", time.Date(2026, 3, 2, 9, 0, 0, 0, chinatime.Location()))
	if err := app.SaveNoValidate(p); err != nil {
		t.Fatal(err)
	}
	cal := workdays.New()
	due := deadline.Due(cal, time.Date(2026, 3, 2, 9, 0, 0, 0, chinatime.Location()), 15).Truncate(time.Millisecond)
	if n, err := problems.FlagOverdue(app, due.Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("backfilling the deadline: %d %v", n, err)
	}
	p, _ = app.FindRecordById("problems", p.Id)
	if !p.GetDateTime("deadline").Time().Equal(due) || p.GetBool("overdue") {
		t.Fatalf("deadline %v, want %v; overdue %v", p.GetDateTime("deadline"), due, p.GetBool("overdue"))
	}
	if n, _ := problems.FlagOverdue(app, due.Add(time.Minute)); n != 1 {
		t.Fatal("not flagged after the deadline")
	}
	p, _ = app.FindRecordById("problems", p.Id)
	if !p.GetBool("overdue") || p.GetString("escalation") != "presidium" || p.GetString("escalated_to") != f.Presidium {
		t.Fatalf("overdue: %v %q → %q", p.GetBool("overdue"), p.GetString("escalation"), p.GetString("escalated_to"))
	}
	if n, _ := problems.FlagOverdue(app, due.Add(2*time.Minute)); n != 0 {
		t.Fatal("escalated twice")
	}
	later := deadline.Due(cal, due, deadline.EscalateAfterWorkdays).Add(time.Minute)
	if n, _ := problems.FlagOverdue(app, later); n != 1 {
		t.Fatal("not listed for supervision")
	}
	p, _ = app.FindRecordById("problems", p.Id)
	if p.GetString("escalation") != "supervised" {
		t.Fatalf("escalation %q", p.GetString("escalation"))
	}
	s := testapp.Serve(t, app, nil)
	if status, out := s.Do(superuser, http.MethodPost, "/api/problems/"+p.Id+"/answer", map[string]any{"reply": "已更换水泵"}); status != 200 || out["overdue"] != false || out["escalation"] != "none" {
		t.Fatalf("answered: %d %v", status, out)
	}
	events, _ := problems.Timeline(app, p.Id)
	escalations := 0
	for _, e := range events {
		if e.Action == "escalate" {
			escalations++
		}
	}
	if escalations != 2 {
		t.Fatalf("%d escalations on the timeline, want 2", escalations)
	}
}

// The deadline is a setting staff change (problem_settings), checked;
// nobody else changes it.
func TestForwardDeadlineSetting(t *testing.T) {
	app := testapp.New(t)
	s := testapp.Serve(t, app, nil)
	row, err := app.FindFirstRecordByFilter("problem_settings", "")
	if err != nil || row.GetInt("forward_workdays") != 15 {
		t.Fatalf("default setting: %v %v", row, err)
	}
	url := "/api/collections/problem_settings/records/" + row.Id
	for _, c := range []struct {
		role string
		body any
		want int
	}{
		// denied first: deputies and the presidium read the setting, units do not
		{deputy, map[string]any{"forward_workdays": 5}, 404},
		{presidium, map[string]any{"forward_workdays": 5}, 404},
		{unit, map[string]any{"forward_workdays": 5}, 404},
		{formerStaff, map[string]any{"forward_workdays": 5}, 404},
		{staff, map[string]any{"forward_workdays": 0}, 400},
		{superuser, map[string]any{"forward_workdays": 300}, 400},
		{staff, map[string]any{"forward_workdays": 10}, 200},
	} {
		if status, out := s.Do(c.role, http.MethodPatch, url, c.body); status != c.want {
			t.Fatalf("%s %v: %d %v", c.role, c.body, status, out)
		}
	}
	if status, _ := s.Do(superuser, http.MethodPost, "/api/collections/problem_settings/records", map[string]any{"forward_workdays": 9}); status != 400 {
		t.Fatalf("a second settings row: %d", status)
	}
	f := testapp.F(t)
	before := time.Now()
	_, out := s.Do(presidium, http.MethodPost, fmt.Sprintf("/api/problems/%s/forward", f.IDs["problem_a"]), map[string]any{"forwarded_to": "镇水利站"})
	got, _ := time.Parse("2006-01-02 15:04:05.000Z", out["deadline"].(string))
	if want := deadline.Due(workdays.New(), before, 10).Truncate(time.Millisecond); !got.Equal(want) {
		t.Fatalf("deadline %v, want %v (10 working days)", got, want)
	}
}

// A handling unit (承办单位) reads only what was forwarded to it and records
// its answer, over the records API and the action route alike; it cannot
// close, reopen, forward elsewhere or rewrite the problem, and the step
// lands on the timeline the raising deputy reads, with the unit's name.
func TestUnitAnswersWhatWasForwardedToIt(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	s := testapp.Serve(t, app, nil)
	rec := "/api/collections/problems/records/" + f.IDs["problem_a"]
	route := "/api/problems/" + f.IDs["problem_a"]
	// denied first: nothing forwarded to the unit yet
	if status, _ := s.Do(unit, http.MethodGet, rec, nil); status != 404 {
		t.Fatalf("the unit read a problem not forwarded to it: %d", status)
	}
	if status, _ := s.Do(unit, http.MethodPost, route+"/answer", map[string]any{"reply": "已处理"}); status != 404 {
		t.Fatalf("the unit answered a problem not forwarded to it: %d", status)
	}
	// A unit no longer active cannot be named, by any door.
	u, _ := app.FindRecordById("units", f.Unit)
	u.Set("active", false)
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	if status, out := s.Do(presidium, http.MethodPatch, rec, map[string]any{"status": "forwarded", "unit": f.Unit}); status != 400 || out["data"].(map[string]any)["unit"] == nil {
		t.Fatalf("forwarded to an inactive unit: %d %v", status, out)
	}
	u.Set("active", true)
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	if status, out := s.Do(presidium, http.MethodPost, route+"/forward", map[string]any{"unit": f.Unit}); status != 200 || out["unit"] != f.Unit || out["forwarded_to"] != "镇应急办" {
		t.Fatalf("forward to the unit: %d %v", status, out)
	}
	if got := must(problems.AssignedTo(app, f.Unit)); len(got) != 1 || got[0].Id != f.IDs["problem_a"] {
		t.Fatalf("AssignedTo: %v", got)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"status": "closed"}, "status"},
		{map[string]any{"description": "改写问题"}, "description"},
		{map[string]any{"unit": ""}, "unit"},
		{map[string]any{"status": "answered", "reply": "已处理", "category": "其他"}, "category"},
	} {
		status, out := s.Do(unit, http.MethodPatch, rec, c.body)
		data, _ := out["data"].(map[string]any)
		if status != 400 || data[c.field] == nil {
			t.Fatalf("unit PATCH %v: %d %v, want a 400 naming %s", c.body, status, out, c.field)
		}
	}
	if status, out := s.Do(unit, http.MethodPost, route+"/close", nil); status != 403 {
		t.Fatalf("the unit closed: %d %v", status, out)
	}
	if status, out := s.Do(unit, http.MethodPatch, rec, map[string]any{"status": "answered", "reply": "已协调抢修，恢复供水"}); status != 200 || out["status"] != "answered" {
		t.Fatalf("unit answer: %d %v", status, out)
	}
	status, out := s.Do(unit, http.MethodGet, "/api/collections/problem_events/records?filter=problem%3D%27"+f.IDs["problem_a"]+"%27", nil)
	raw, _ := json.Marshal(out)
	if status != 200 || !strings.Contains(string(raw), "已协调抢修") || !strings.Contains(string(raw), "镇应急办") {
		t.Fatalf("the unit's steps: %d %s", status, raw)
	}
	_, tl := s.Do(deputy, http.MethodGet, route+"/timeline", nil)
	raw, _ = json.Marshal(tl["events"])
	if !strings.Contains(string(raw), `"action":"answer"`) || !strings.Contains(string(raw), "镇应急办") {
		t.Fatalf("the raising deputy does not see the unit's answer: %s", raw)
	}
	// Both status changes are in the audit trail: the route's and the records API's.
	kinds := map[string]bool{}
	for _, en := range must(app.FindRecordsByFilter("audit_log", "collection = 'problems' && record_id = {:id}", "seq", 0, 0, map[string]any{"id": f.IDs["problem_a"]})) {
		kinds[en.GetString("actor_kind")] = true
	}
	if !kinds["presidium"] || !kinds["unit"] {
		t.Fatalf("audit trail of the problem: %v", kinds)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
