package problems_test

import (
	"net/http"
	"testing"

	"simeng/internal/testapp"
)

// The role × operation matrix of the problems list (急难愁盼): deputies read
// the problems they raised, the presidium reads and forwards all of them
// (代表直通车), nobody rewrites where a problem came from, and only staff
// create or delete one through the REST API.
func TestRulesProblems(t *testing.T) {
	f := testapp.F(t)
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	pA := col("problems") + "/" + f.IDs["problem_a"]
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: deputy2, Method: http.MethodGet, URL: col("problems"), Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: pA, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: col("problems"), Body: `{"category":"其他","description":"x","source":"visit"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPatch, URL: pA, Body: `{"status":"closed"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: pA, Body: `{"source":"hotline"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: pA, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: pA, Body: `{"status":"forwarded"}`, Status: 400, Contains: []string{`"forwarded_to"`}},
		{Role: unit, Method: http.MethodGet, URL: col("problems"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPatch, URL: pA, Body: `{"status":"answered","reply":"已处理"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodGet, URL: pA, Status: 404, Contains: testapp.NotFoundBody},
		// staff never delete what was raised: its history counts
		{Role: staff, Method: http.MethodDelete, URL: pA, Status: 403, Contains: testapp.Forbidden},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: pA, Status: 200, Contains: []string{"自来水", `"status":"open"`, `"source":"visit"`}},
		{Role: presidium, Method: http.MethodPatch, URL: pA, Body: `{"status":"forwarded","forwarded_to":"镇水利站"}`, Status: 200, Contains: []string{`"status":"forwarded"`, "镇水利站", `"forwarded_at":"2`}},
		{Role: staff, Method: http.MethodGet, URL: col("problems"), Status: 200, Contains: []string{`"totalItems":1`, "自来水"}},
		{Role: staff, Method: http.MethodPatch, URL: pA, Body: `{"status":"forwarded","forwarded_to":"镇水利站"}`, Status: 200, Contains: []string{`"status":"forwarded"`}},
		{Role: staff, Method: http.MethodPost, URL: col("problems"), Body: `{"category":"其他","description":"民情直通车来电：村口垃圾无人清运","village":"` + f.VillageA + `","source":"hotline"}`, Status: 200, Contains: []string{"垃圾无人清运"}},
	})
}

// The matrix of a problem's steps (problem_events) and the forward
// deadline setting (problem_settings): whoever reads a problem reads its
// steps, a unit only those of what was forwarded to it; only the server
// writes steps; only staff change the setting.
func TestRulesProblemStepsAndSettings(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	ev, err := app.FindFirstRecordByFilter("problem_events", "problem = {:p}", map[string]any{"p": f.IDs["problem_a"]})
	if err != nil {
		t.Fatal(err)
	}
	row, err := app.FindFirstRecordByFilter("problem_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	events := "/api/collections/problem_events/records"
	one := events + "/" + ev.Id
	settings := "/api/collections/problem_settings/records"
	step := `{"problem":"` + f.IDs["problem_a"] + `","action":"close","status":"closed","at":"2026-01-01 00:00:00.000Z"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: events, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: events, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: events, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: events, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: events, Body: step, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"note":"改写"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: events, Body: step, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: settings, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodPost, URL: settings, Body: `{"forward_workdays":5}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: settings + "/" + row.Id, Status: 403, Contains: testapp.Forbidden},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: events, Status: 200, Contains: []string{`"totalItems":1`, `"action":"raise"`}},
		{Role: presidium, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{`"action":"raise"`}},
		{Role: staff, Method: http.MethodGet, URL: events, Status: 200, Contains: []string{`"action":"raise"`}},
		{Role: deputy, Method: http.MethodGet, URL: settings, Status: 200, Contains: []string{`"forward_workdays":15`}},
		{Role: staff, Method: http.MethodPatch, URL: settings + "/" + row.Id, Body: `{"forward_workdays":10}`, Status: 200, Contains: []string{`"forward_workdays":10`}},
	})
}
