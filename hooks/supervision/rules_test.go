package supervision_test

import (
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of 专题询问 and 监督通报
// (denied cases first): drafts are the presidium's and the office's; a
// unit sees what is addressed to it once issued.
func TestSupervisionRules(t *testing.T) {
	f := testapp.F(t)
	list := func(c string) string { return "/api/collections/" + c + "/records" }
	total := func(n string) []string { return []string{`"totalItems":` + n} }
	inquiry := `{"year":2026,"topic":"集镇污水管网建设进度","status":"planned"}`
	report := `{"year":2026,"title":"监督通报","summary":"发现的问题","status":"issued","number":"伪造"}`
	cases := []testapp.RuleCase{
		{Role: guest, Method: "GET", URL: list("inquiries"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: "GET", URL: list("inquiries"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "GET", URL: list("inquiries"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("inquiries"), Body: inquiry, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: "POST", URL: list("inquiries"), Body: inquiry, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: "GET", URL: list("inquiries"), Status: 200, Contains: total("1")},
		{Role: unit, Method: "GET", URL: list("inquiries"), Status: 200, Contains: total("1")},
		{Role: presidium, Method: "POST", URL: list("inquiries"), Body: inquiry, Status: 200, Contains: []string{`"topic":"集镇污水管网建设进度"`}},
		{Role: staff, Method: "POST", URL: list("inquiries"), Body: inquiry, Status: 200, Contains: []string{`"status":"planned"`}},

		{Role: guest, Method: "GET", URL: list("inquiry_items"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "GET", URL: list("inquiry_items"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: "GET", URL: list("inquiry_items"), Status: 200, Contains: total("1")},
		{Role: unit, Method: "GET", URL: list("inquiry_items"), Status: 200, Contains: total("1")},

		{Role: guest, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: "POST", URL: list("supervision_reports"), Body: report, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit2, Method: "POST", URL: list("supervision_reports"), Body: report, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: total("1")},
		{Role: unit2, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: total("1")},
		{Role: presidium, Method: "GET", URL: list("supervision_reports"), Status: 200, Contains: total("2")},
		{Role: staff, Method: "POST", URL: list("supervision_reports"), Body: report, Status: 200, Contains: []string{`"status":"draft"`, `"number":""`}},

		{Role: guest, Method: "GET", URL: list("rectification_items"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: "GET", URL: list("rectification_items"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit2, Method: "POST", URL: list("rectification_items"), Body: `{"report":"` + f.IDs["report_draft"] + `","problem_text":"单位自列","unit":"` + f.IDs["unit2"] + `","deadline":"2099-01-01 00:00:00Z"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: "GET", URL: list("rectification_items"), Status: 200, Contains: total("1")},
		{Role: unit2, Method: "GET", URL: list("rectification_items"), Status: 200, Contains: total("1")},
		{Role: staff, Method: "GET", URL: list("rectification_items"), Status: 200, Contains: total("2")},
		{Role: presidium, Method: "POST", URL: list("rectification_items"), Body: `{"report":"` + f.IDs["report_draft"] + `","problem_text":"资金公示不及时","unit":"` + f.IDs["unit2"] + `","deadline":"2099-01-01 00:00:00Z"}`, Status: 200, Contains: []string{`"status":"open"`}},
	}
	testapp.RunRuleCases(t, cases)
}
