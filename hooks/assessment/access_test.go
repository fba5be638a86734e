package assessment_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the assessment's scores
// (the rules and settings: TestAssessmentRulesAreValidatedData; dossiers
// and ranking: TestDossierRankingAndAccess).
func TestRulesAssessmentScores(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	// The fixtures' year: the inspection ledger's are dated 2026 and give
	// a row of 2026 in any later year.
	year := testapp.AssessmentDate().Year()
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}", map[string]any{"d": f.Deputy, "y": year})
	if err != nil {
		t.Fatal(err)
	}
	one := "/api/collections/assessment_scores/records/" + row.Id
	list := "/api/collections/assessment_scores/records?filter=" + url.QueryEscape(fmt.Sprintf("year=%d", year))
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"deputy":"` + f.Deputy + `","year":2001,"total":100}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"total":100}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"total":100}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"total":100}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"deputy":"` + f.Deputy + `","year":2001,"total":100}`, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: "/api/assessment/ranking", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: "/api/assessment/recompute", Body: `{"year":2026}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: "/api/assessment/recompute", Body: `{"year":2026}`, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`, `"deputy":"` + f.Deputy + `"`}},
		{Role: deputy2, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}, Absent: []string{f.Deputy}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}},
		{Role: superuser, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{`"grade":"`, `"facts":{`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}},
		{Role: staff, Method: http.MethodGet, URL: fmt.Sprintf("/api/assessment/ranking?year=%d", year), Status: 200, Contains: []string{"张三"}},
		{Role: staff, Method: http.MethodPost, URL: "/api/assessment/recompute", Body: fmt.Sprintf(`{"year":%d}`, year), Status: 200, Contains: []string{fmt.Sprintf(`"year":%d`, year)}},
	})
}
