package research_test

import (
	"net/http"
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of research reports, denied
// cases first: authors (and co-authors) and the presidium read a report,
// every deputy reads accepted ones; the author edits, the presidium
// reviews, never their own.
func TestRulesResearchReports(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/research_reports/records"
	submitted := list + "/" + f.IDs["report_submitted"]
	accepted := list + "/" + f.IDs["report_accepted"]
	create := func(dep string) string {
		return `{"title":"集镇停车难调研","summary":"` + testapp.ResearchSummary + `","deputy":"` + dep + `"}`
	}
	refusedCreate := []string{`"status":400`, `"data":{}`}
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create(f.Deputy), Status: 400, Contains: refusedCreate},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodPost, URL: list, Body: create(f.Inactive), Status: 400, Contains: refusedCreate},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create(f.Deputy2), Status: 400, Contains: refusedCreate},
		{Role: deputy2, Method: http.MethodPatch, URL: submitted, Body: `{"title":"合著者改题目"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: submitted, Body: `{"status":"accepted"}`, Status: 400, Contains: []string{`"status":{`}},
		{Role: deputy, Method: http.MethodPatch, URL: submitted, Body: `{"filed_at":"2020-01-01 00:00:00.000Z"}`, Status: 400, Contains: []string{`"filed_at":{`}},
		{Role: deputy2, Method: http.MethodPatch, URL: accepted, Body: `{"summary":"` + testapp.ResearchSummary + `改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: accepted, Body: `{"summary":"` + testapp.ResearchSummary + `改"}`, Status: 400, Contains: []string{`"summary":{`, "已被采纳"}},
		{Role: presidium, Method: http.MethodDelete, URL: accepted, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: submitted, Body: `{"title":"主席团改题目"}`, Status: 400, Contains: []string{`"title":{`}},
		{Role: presidium, Method: http.MethodPatch, URL: submitted, Body: `{"status":"returned"}`, Status: 400, Contains: []string{`"review_note":{`}},
		{Role: presidium, Method: http.MethodDelete, URL: submitted, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create(f.Deputy), Status: 400, Contains: []string{`"document":{`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"title":"短","summary":"太短了","deputy":"` + f.Deputy + `"}`, Status: 400,
			Contains: []string{`"summary":{`, `"document":{`}},
		// who reads what
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: deputy2, Method: http.MethodGet, URL: submitted, Status: 200, Contains: []string{"关于留守儿童"}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: presidium, Method: http.MethodPatch, URL: submitted, Body: `{"status":"accepted","review_note":"调研扎实"}`, Status: 200,
			Contains: []string{`"status":"accepted"`, `"reviewed_by":"王主席（主席团）"`}},
		{Role: presidium, Method: http.MethodPatch, URL: submitted, Body: `{"status":"returned","review_note":"请补充走访数据"}`, Status: 200,
			Contains: []string{`"status":"returned"`}},
		{Role: deputy, Method: http.MethodDelete, URL: submitted, Status: 204},
		{Role: superuser, Method: http.MethodPatch, URL: accepted, Body: `{"title":"工作人员更正题目"}`, Status: 200, Contains: []string{"工作人员更正题目"}},
	})
}
