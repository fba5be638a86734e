package proposals_test

import (
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of 议案建议 (denied cases
// first): a deputy reads what they sponsor or were invited to co-sponsor,
// a presidium member what was submitted, a unit what it handles or helps
// with; every write is a route's.
func TestProposalsRules(t *testing.T) {
	f := testapp.F(t)
	list := func(c string) string { return "/api/collections/" + c + "/records" }
	one := func(c, key string) string { return list(c) + "/" + f.IDs[key] }
	total := func(n string) []string { return []string{`"totalItems":` + n} }
	body := `{"type":"suggestion","title":"直接写入的建议","body":"绕过路由直接写入记录的建议内容，应被拒绝。","status":"closed"}`
	cases := []testapp.RuleCase{
		{Role: guest, Method: "GET", URL: list("proposals"), Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: "GET", URL: list("proposals"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: "GET", URL: list("proposals"), Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: "GET", URL: one("proposals", "proposal_assigned"), Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: "GET", URL: one("proposals", "proposal_assigned"), Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: "GET", URL: one("proposals", "proposal_submitted"), Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: "POST", URL: list("proposals"), Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: "POST", URL: list("proposals"), Body: body, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: "PATCH", URL: one("proposals", "proposal_assigned"), Body: `{"status":"answered"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: "DELETE", URL: one("proposals", "proposal_inviting"), Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("3")},
		{Role: deputy2, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("1")}, // invited to co-sponsor one
		{Role: presidium, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("4")},
		{Role: unit, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("2")},
		{Role: unit2, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("2")}, // 协办
		{Role: staff, Method: "GET", URL: list("proposals"), Status: 200, Contains: total("4")},

		{Role: guest, Method: "GET", URL: list("proposal_events"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("proposal_events"), Body: `{"proposal":"` + f.IDs["proposal_assigned"] + `","action":"answer"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: "GET", URL: list("golden_rounds"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: "GET", URL: list("golden_rounds"), Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: "GET", URL: list("supervision_settings"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "GET", URL: list("supervision_settings"), Status: 200, Contains: total("1")},
		{Role: unit, Method: "GET", URL: list("supervision_settings"), Status: 200, Contains: total("1")},
	}
	testapp.RunRuleCases(t, cases)
}
