package reports_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

var unauthorized = []string{`"status":401`}

// withDutyReport adds Deputy's 2025 述职 draft (id dutyreport00001).
func withDutyReport(t testing.TB, app *tests.TestApp) {
	f := testapp.F(t)
	col, _ := app.FindCollectionByNameOrId("duty_reports")
	r := core.NewRecord(col)
	r.Id = "dutyreport00001"
	r.Set("deputy", f.Deputy)
	r.Set("year", 2025)
	r.Set("body", "张三2025年度履职情况报告（述职初稿）\n\n各位选民：")
	r.Set("status", "draft")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	col, _ = app.FindCollectionByNameOrId("annual_reports")
	a := core.NewRecord(col)
	a.Id = "annualreport001"
	a.Set("year", 2025)
	a.Set("body", "思蒙镇人民代表大会主席团2025年工作报告（初稿）")
	a.Set("status", "draft")
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
}

func runWithReports(t *testing.T, cases []testapp.RuleCase) {
	t.Helper()
	t.Run("cases", func(t *testing.T) {
		for i, c := range cases {
			s := c.Scenario(t)
			s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { withDutyReport(t, app) }
			t.Run(string(rune('a'+i%26))+c.Role, func(t *testing.T) {
				t.Parallel()
				s.Test(t)
			})
		}
	})
}

// 述职 drafts: the deputy reads and edits their own (not its year or
// figures); the presidium and staff read all; others see nothing.
func TestRulesDutyReports(t *testing.T) {
	list := "/api/collections/duty_reports/records"
	one := list + "/dutyreport00001"
	runWithReports(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodPatch, URL: one, Body: `{"body":"改别人的"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"body":"工作人员改代表的"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"body":"主席团改代表的"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"year":2024}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"figures":[]}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"deputy":"x","year":2025,"status":"draft"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"status":"sent"}`, Status: 400, Contains: []string{`"status":{`}},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: presidium, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"张三2025年度"}},
		{Role: superuser, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"张三2025年度"}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{"张三2025年度"}},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"body":"我是张三。本年度走访农户14户。","status":"final"}`, Status: 200,
			Contains: []string{"本年度走访农户14户", `"status":"final"`}},
	})
}

// The annual report draft: the presidium and staff read and edit its text;
// deputies and residents see nothing.
func TestRulesAnnualReports(t *testing.T) {
	list := "/api/collections/annual_reports/records"
	one := list + "/annualreport001"
	runWithReports(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"body":"代表改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"body":"离职后改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"figures":[]}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"year":2024,"status":"draft"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"year":2024}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		// allowed
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"body":"修改后的报告"}`, Status: 200,
			Contains: []string{"修改后的报告", `"updated_by":"王主席"`}},
		{Role: superuser, Method: http.MethodPatch, URL: one, Body: `{"status":"final"}`, Status: 200, Contains: []string{`"status":"final"`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"body":"工作人员修改的报告"}`, Status: 200,
			Contains: []string{"工作人员修改的报告", `"updated_by":"刘联络"`}},
	})
}

// 述职评议 results: recorded by the presidium and staff; a deputy reads
// their own; the meeting must be a 述职评议会 and the votes must add up.
func TestRulesDutyReviews(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/duty_reviews/records"
	one := list + "/" + f.IDs["duty_review_a"]
	create := func(meeting string, s, b, u, present int) string {
		return `{"deputy":"` + f.Deputy2 + `","meeting":"` + meeting + `","evaluators":"voters","satisfied":` + itoa(s) +
			`,"basic":` + itoa(b) + `,"unsatisfied":` + itoa(u) + `,"voters_present":` + itoa(present) + `}`
	}
	ok := create(f.IDs["meeting_duty_review"], 30, 10, 2, 45)
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: ok, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: ok, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: `{"satisfied":46}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPost, URL: list, Body: ok, Status: 400, Contains: []string{`"status":400`}},
		{Role: formerStaff, Method: http.MethodPost, URL: list, Body: ok, Status: 400, Contains: []string{`"status":400`}},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"satisfied":46}`, Status: 404, Contains: testapp.NotFoundBody},
		// bad input names the field
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create(f.IDs["meeting_congress"], 30, 10, 2, 0), Status: 400,
			Contains: []string{`"meeting":{"code":"validation_wrong_kind"`, "述职评议会"}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create(f.IDs["meeting_duty_review"], 30, 10, 2, 20), Status: 400,
			Contains: []string{`"voters_present":{"code":"validation_too_many_votes"`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create(f.IDs["meeting_duty_review"], 0, 0, 0, 0), Status: 400,
			Contains: []string{`"satisfied":{"code":"validation_no_votes"`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create(f.IDs["meeting_duty_review"], -1, 10, 2, 0), Status: 400,
			Contains: []string{`"satisfied":{`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"deputy":"` + f.Deputy + `","meeting":"` + f.IDs["meeting_duty_review"] + `","evaluators":"voters","satisfied":1}`,
			Status: 400, Contains: []string{`"validation_not_unique"`}},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{`"satisfied":40`}},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: ok, Status: 200, Contains: []string{`"recorded_by":"王主席"`}},
		{Role: superuser, Method: http.MethodPatch, URL: one, Body: `{"basic":6}`, Status: 200, Contains: []string{`"basic":6`}},
		{Role: staff, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{`"satisfied":40`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: ok, Status: 200, Contains: []string{`"recorded_by":"刘联络"`}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"basic":7}`, Status: 200, Contains: []string{`"basic":7`}},
	})
}

// Who may open which reports route, denied first.
func TestRulesReportRoutes(t *testing.T) {
	base := "/api/simeng/reports"
	runWithReports(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 401, Contains: unauthorized},
		{Role: deputy, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: inactive, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: base + "/duty?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodPost, URL: base + "/annual?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print", Status: 403, Contains: testapp.Forbidden},
		{Role: testapp.RoleDept, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 401, Contains: unauthorized},
		{Role: deputy, Method: http.MethodGet, URL: base + "/stats/suggestions_received/records?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: base + "/annual?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: base + "/annual/2025/print", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: base + "/annual/2025.xlsx", Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodPost, URL: base + "/duty?year=2025", Status: 401, Contains: unauthorized},
		{Role: inactive, Method: http.MethodPost, URL: base + "/duty?year=2025", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy2, Method: http.MethodPost, URL: base + "/duty?year=2025&deputy=" + testapp.F(t).Deputy, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy2, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print", Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodGet, URL: base + "/duty/dutyreport00001.xlsx", Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print?t=deputies.x.1.y", Status: 401, Contains: unauthorized},
		{Role: deputy, Method: http.MethodPost, URL: base + "/print-link", Body: `{"path":"/api/collections/users/records"}`, Status: 400, Contains: []string{`"path":{`}},
		// allowed
		{Role: presidium, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 200, Contains: []string{`"figures":[`}},
		{Role: superuser, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 200, Contains: []string{`"figures":[`}},
		{Role: staff, Method: http.MethodGet, URL: base + "/stats?year=2025", Status: 200, Contains: []string{`"figures":[`}},
		{Role: staff, Method: http.MethodGet, URL: base + "/stats/suggestions_received/records?year=2025", Status: 200, Contains: []string{`"items":`}},
		{Role: staff, Method: http.MethodGet, URL: base + "/annual/2025/print", Status: 200, Contains: []string{"<h1>思蒙镇人民代表大会主席团2025年工作报告</h1>"}},
		{Role: staff, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print", Status: 200, Contains: []string{"张三代表履职情况报告"}},
		{Role: staff, Method: http.MethodPost, URL: base + "/print-link", Body: `{"path":"/api/simeng/reports/annual/2025/print"}`, Status: 200,
			Contains: []string{`"url":"/api/simeng/reports/annual/2025/print?t=staff.`}},
		{Role: presidium, Method: http.MethodGet, URL: base + "/annual/2025/print", Status: 200, Contains: []string{"<h1>思蒙镇人民代表大会主席团2025年工作报告</h1>"}},
		{Role: deputy, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print", Status: 200, Contains: []string{"张三代表履职情况报告"}},
		{Role: presidium, Method: http.MethodGet, URL: base + "/duty/dutyreport00001/print", Status: 200, Contains: []string{"张三代表履职情况报告"}},
		{Role: deputy, Method: http.MethodPost, URL: base + "/print-link", Body: `{"path":"/api/simeng/reports/duty/dutyreport00001/print"}`, Status: 200,
			Contains: []string{`"url":"/api/simeng/reports/duty/dutyreport00001/print?t=deputies.`}},
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
