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
