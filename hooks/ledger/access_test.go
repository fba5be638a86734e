package ledger_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

func TestRulesInspectionSites(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/inspection_sites/records"
	one := list + "/" + f.IDs["site_school"]
	create := `{"name":"思蒙镇卫生院","kind":"other","quarterly":true,"active":true}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"quarterly":false}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"quarterly":false}`, Status: 404, Contains: testapp.NotFoundBody},
		// allowed: the plan's four sites are seeded by the migration
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"address":"思蒙镇正街1号"}`, Status: 200, Contains: []string{"正街1号"}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"思蒙镇卫生院"}},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`, "思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"}},
		{Role: deputy2, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"思蒙镇学校"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"思蒙镇卫生院"},
			After: func(t testing.TB, app *tests.TestApp) {
				// a new quarterly site is due this quarter at once
				site, _ := app.FindFirstRecordByData("inspection_sites", "name", "思蒙镇卫生院")
				if site == nil {
					t.Fatal("site not saved")
				}
				if _, err := app.FindFirstRecordByData("inspection_plan", "site", site.Id); err != nil {
					t.Fatal("no plan entry for the new quarterly site:", err)
				}
			}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"name":"思蒙镇学校","kind":"school"}`, Status: 400, Contains: []string{`"name":{"code":"validation_not_unique"`}},
	})
}

func TestRulesInspections(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/inspections/records"
	mine := list + "/" + f.IDs["inspection_a"]
	other := list + "/" + f.IDs["inspection_b"]
	create := `{"kind":"safety","site":"` + f.IDs["site_shop"] + `","inspected_at":"2026-03-02 02:00:00.000Z","deputy":"` + f.Deputy2 + `","findings":"未发现问题","status":"completed"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first: residents and former deputies see nothing of the ledger
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: mine, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: other, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: mine, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{`"status":400`}},
		{Role: inactive, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPatch, URL: other, Body: `{"findings":"改别人的"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: mine, Body: `{"findings":"改别人的"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: mine, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: other, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{`"status":400`}},
		{Role: formerStaff, Method: http.MethodGet, URL: other, Status: 404, Contains: testapp.NotFoundBody},
		// what deputies recorded is never deleted by staff
		{Role: staff, Method: http.MethodDelete, URL: other, Status: 403, Contains: testapp.Forbidden},
		// bad input names the field
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"kind":"safety","inspected_at":"2099-01-01 00:00:00.000Z","status":"completed"}`, Status: 400,
			Contains: []string{`"site":{"code":"validation_required"`, `"inspected_at":{"code":"validation_in_future"`, `"findings":{"code":"validation_required"`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"kind":"project","inspected_at":"2026-03-02 02:00:00.000Z"}`, Status: 400,
			Contains: []string{`"subject":{"code":"validation_required"`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"kind":"inspect","inspected_at":"2019-03-02 02:00:00.000Z"}`, Status: 400,
			Contains: []string{`"kind":{"code":"validation_invalid_value"`, `"inspected_at":{"code":"validation_too_early"`}},
		// allowed: the recorder, the participants and the presidium
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`, f.IDs["inspection_a"], `"quarter":"2026-Q1"`}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: presidium, Method: http.MethodGet, URL: other, Status: 200, Contains: []string{"溆水河道"}},
		// the owner comes from the token, not the body
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"deputy":"` + f.Deputy + `"`, `"quarter":"2026-Q1"`}},
		{Role: deputy, Method: http.MethodPatch, URL: mine, Body: `{"findings":"补充：楼梯扶手松动","deputy":"` + f.Deputy2 + `"}`, Status: 200,
			Contains: []string{"楼梯扶手松动", `"deputy":"` + f.Deputy + `"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"deputy":"` + f.Deputy2 + `"`}},
		{Role: superuser, Method: http.MethodDelete, URL: other, Status: 204},
		// staff read the whole ledger and record for a deputy
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"deputy":"` + f.Deputy2 + `"`}},
		{Role: staff, Method: http.MethodPatch, URL: other, Body: `{"findings":"补录：河道垃圾已清理"}`, Status: 200, Contains: []string{"补录"}},
	})
}

func TestRulesHazards(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/hazards/records"
	mine := list + "/" + f.IDs["hazard_a"]
	other := list + "/" + f.IDs["hazard_b"]
	create := `{"title":"楼梯扶手松动","description":"教学楼二楼扶手松动","source":"inspection","inspection":"` + f.IDs["inspection_a"] +
		`","responsible_unit":"思蒙镇中心学校","deadline":"2026-04-01 00:00:00.000Z"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: mine, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: mine, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{`"status":400`}},
		{Role: deputy, Method: http.MethodPatch, URL: other, Body: `{"title":"x"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodPatch, URL: mine, Body: `{"title":"x"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: mine, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: mine, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: mine, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPatch, URL: mine, Body: `{"rectification":"已整改"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodPatch, URL: mine, Body: `{"supervised":true}`, Status: 404, Contains: testapp.NotFoundBody},
		// only in one's own inspections
		{Role: deputy2, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: []string{`"inspection":{"code":"validation_not_yours"`}},
		// only the presidium and staff list a hazard for supervision (挂牌督办)
		{Role: deputy, Method: http.MethodPatch, URL: mine, Body: `{"supervised":true}`, Status: 403,
			Contains: []string{`"supervised":{"code":"validation_forbidden"`, "只有主席团成员或工作人员可以挂牌督办"}},
		// a hazard is registered open; no shortcut to closed
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create[:len(create)-1] + `,"status":"closed"}`, Status: 400,
			Contains: []string{`"status":{"code":"validation_invalid_status_change"`, "待整改"}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"source":"inspection","severity":"tiny"}`, Status: 400,
			Contains: []string{`"title":{"code":"validation_required"`, `"responsible_unit":{"code":"validation_required"`, `"deadline":{"code":"validation_required"`, `"severity":{"code":"validation_invalid_value"`}},
		// server-owned fields are ignored in a body
		{Role: deputy, Method: http.MethodPatch, URL: mine, Body: `{"overdue":true,"escalation":"supervised","closed_by":"我"}`, Status: 200,
			Contains: []string{`"overdue":false`, `"escalation":"none"`, `"closed_by":""`}},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`, "食堂灭火器过期"}},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 200,
			Contains: []string{`"status":"open"`, `"deputy":"` + f.Deputy + `"`, `"site":"` + f.IDs["site_school"] + `"`}},
		{Role: presidium, Method: http.MethodPatch, URL: mine, Body: `{"supervised":true,"supervised_by":"假冒"}`, Status: 200,
			Contains: []string{`"supervised":true`, `"supervised_by":"王主席（主席团）"`}, Absent: []string{`"supervised_at":""`, "假冒"}},
		{Role: superuser, Method: http.MethodPatch, URL: other, Body: `{"supervised":true}`, Status: 200,
			Contains: []string{`"supervised_by":"工作人员 staff@test.simeng"`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`}},
		{Role: staff, Method: http.MethodPatch, URL: other, Body: `{"supervised":true}`, Status: 200,
			Contains: []string{`"supervised_by":"刘联络（工作人员）"`}},
	})
}

func TestRulesInspectionPlan(t *testing.T) {
	list := "/api/collections/inspection_plan/records"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: `{"quarter":"2026-Q1"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"quarter":"2026-Q1"}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"quarter":"2026-Q1"`, `"status":"done"`}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"quarter":"2026-Q1"`, `"status":"done"`}},
	})
}

func TestRulesLedgerRoutes(t *testing.T) {
	var cases []testapp.RuleCase
	for _, url := range []string{"/api/ledger/plan", "/api/ledger/plan.xlsx", "/api/ledger/hazards.xlsx"} {
		cases = append(cases,
			testapp.RuleCase{Role: guest, Method: http.MethodGet, URL: url, Status: 401, Contains: []string{`"status":401`}},
			testapp.RuleCase{Role: inactive, Method: http.MethodGet, URL: url, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: deputy, Method: http.MethodGet, URL: url, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: presidium, Method: http.MethodGet, URL: url + "?year=abc", Status: 400, Contains: []string{`"year":{"code":"validation_invalid_year"`}},
		)
	}
	cases = append(cases,
		testapp.RuleCase{Role: presidium, Method: http.MethodGet, URL: "/api/ledger/hazards.xlsx?status=done", Status: 400, Contains: []string{`"status":{"code":"validation_invalid_value"`}},
		testapp.RuleCase{Role: presidium, Method: http.MethodGet, URL: "/api/ledger/hazards.xlsx?overdue=maybe", Status: 400, Contains: []string{`"overdue":{"code":"validation_invalid_value"`}},
		testapp.RuleCase{Role: presidium, Method: http.MethodGet, URL: "/api/ledger/plan?year=2026", Status: 200, Contains: []string{`"year":2026`, "思蒙镇学校", "2026年第一季度"}},
		testapp.RuleCase{Role: superuser, Method: http.MethodGet, URL: "/api/ledger/plan?year=2026", Status: 200, Contains: []string{"思蒙湾村集镇"}},
		testapp.RuleCase{Role: unit, Method: http.MethodGet, URL: "/api/ledger/plan?year=2026", Status: 403, Contains: testapp.Forbidden},
		testapp.RuleCase{Role: formerStaff, Method: http.MethodGet, URL: "/api/ledger/hazards.xlsx", Status: 403, Contains: testapp.Forbidden},
		testapp.RuleCase{Role: staff, Method: http.MethodGet, URL: "/api/ledger/plan?year=2026", Status: 200, Contains: []string{"思蒙湾村集镇"}},
	)
	testapp.RunRuleCases(t, cases)
}

// A deputy who took part in an inspection sees it and the hazards found in
// it, without being able to edit them.
func TestParticipantSeesTheInspectionAndItsHazards(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	insp := "/api/collections/inspections/records/" + f.IDs["inspection_a"]
	hz := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	c.Must(http.StatusNotFound, deputy2, http.MethodGet, insp, nil)
	c.Must(http.StatusOK, superuser, http.MethodPatch, insp, `{"participants+":"`+f.Deputy2+`"}`)
	c.Must(http.StatusOK, deputy2, http.MethodGet, insp, nil)
	c.Must(http.StatusOK, deputy2, http.MethodGet, hz, nil)
	c.Must(http.StatusNotFound, deputy2, http.MethodPatch, insp, `{"findings":"改"}`)
	c.Must(http.StatusNotFound, deputy2, http.MethodPatch, hz, `{"title":"改"}`)
}
