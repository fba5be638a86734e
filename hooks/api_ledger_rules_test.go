package hooks_test

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
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: one, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPatch, url: one, body: `{"quarterly":false}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: one, status: 403, contains: forbidden},
		// allowed: the plan's four sites are seeded by the migration
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":4`, "思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"}},
		{role: deputy2, method: http.MethodGet, url: one, status: 200, contains: []string{"思蒙镇学校"}},
		{role: superuser, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{"思蒙镇卫生院"},
			after: func(t testing.TB, app *tests.TestApp) {
				// a new quarterly site is due this quarter at once
				site, _ := app.FindFirstRecordByData("inspection_sites", "name", "思蒙镇卫生院")
				if site == nil {
					t.Fatal("site not saved")
				}
				if _, err := app.FindFirstRecordByData("inspection_plan", "site", site.Id); err != nil {
					t.Fatal("no plan entry for the new quarterly site:", err)
				}
			}},
		{role: superuser, method: http.MethodPost, url: list, body: `{"name":"思蒙镇学校","kind":"school"}`, status: 400, contains: []string{`"name":{"code":"validation_not_unique"`}},
	})
}

func TestRulesInspections(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/inspections/records"
	mine := list + "/" + f.IDs["inspection_a"]
	other := list + "/" + f.IDs["inspection_b"]
	create := `{"kind":"safety","site":"` + f.IDs["site_shop"] + `","inspected_at":"2026-03-02 02:00:00.000Z","deputy":"` + f.Deputy2 + `","findings":"未发现问题","status":"completed"}`
	runRuleCases(t, []ruleCase{
		// denied first: residents and former deputies see nothing of the ledger
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: mine, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: inactive, method: http.MethodGet, url: other, status: 404, contains: notFoundBody},
		{role: deputy2, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: mine, status: 404, contains: notFoundBody},
		{role: guest, method: http.MethodPost, url: list, body: create, status: 400, contains: []string{`"status":400`}},
		{role: inactive, method: http.MethodPost, url: list, body: create, status: 400, contains: []string{`"status":400`}},
		{role: deputy, method: http.MethodPatch, url: other, body: `{"findings":"改别人的"}`, status: 404, contains: notFoundBody},
		{role: presidium, method: http.MethodPatch, url: mine, body: `{"findings":"改别人的"}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodDelete, url: mine, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: other, status: 403, contains: forbidden},
		// bad input names the field
		{role: deputy, method: http.MethodPost, url: list, body: `{"kind":"safety","inspected_at":"2099-01-01 00:00:00.000Z","status":"completed"}`, status: 400,
			contains: []string{`"site":{"code":"validation_required"`, `"inspected_at":{"code":"validation_in_future"`, `"findings":{"code":"validation_required"`}},
		{role: deputy, method: http.MethodPost, url: list, body: `{"kind":"project","inspected_at":"2026-03-02 02:00:00.000Z"}`, status: 400,
			contains: []string{`"subject":{"code":"validation_required"`}},
		{role: deputy, method: http.MethodPost, url: list, body: `{"kind":"inspect","inspected_at":"2019-03-02 02:00:00.000Z"}`, status: 400,
			contains: []string{`"kind":{"code":"validation_invalid_value"`, `"inspected_at":{"code":"validation_too_early"`}},
		// allowed: the recorder, the participants and the presidium
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":1`, f.IDs["inspection_a"], `"quarter":"2026-Q1"`}},
		{role: presidium, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":2`}},
		{role: presidium, method: http.MethodGet, url: other, status: 200, contains: []string{"溆水河道"}},
		// the owner comes from the token, not the body
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{`"deputy":"` + f.Deputy + `"`, `"quarter":"2026-Q1"`}},
		{role: deputy, method: http.MethodPatch, url: mine, body: `{"findings":"补充：楼梯扶手松动","deputy":"` + f.Deputy2 + `"}`, status: 200,
			contains: []string{"楼梯扶手松动", `"deputy":"` + f.Deputy + `"`}},
		{role: superuser, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{`"deputy":"` + f.Deputy2 + `"`}},
		{role: superuser, method: http.MethodDelete, url: other, status: 204},
	})
}

func TestRulesHazards(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/hazards/records"
	mine := list + "/" + f.IDs["hazard_a"]
	other := list + "/" + f.IDs["hazard_b"]
	create := `{"title":"楼梯扶手松动","description":"教学楼二楼扶手松动","source":"inspection","inspection":"` + f.IDs["inspection_a"] +
		`","responsible_unit":"思蒙镇中心学校","deadline":"2026-04-01 00:00:00.000Z"}`
	runRuleCases(t, []ruleCase{
		// denied first
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: mine, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: mine, status: 404, contains: notFoundBody},
		{role: guest, method: http.MethodPost, url: list, body: create, status: 400, contains: []string{`"status":400`}},
		{role: deputy, method: http.MethodPatch, url: other, body: `{"title":"x"}`, status: 404, contains: notFoundBody},
		{role: deputy2, method: http.MethodPatch, url: mine, body: `{"title":"x"}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodDelete, url: mine, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: mine, status: 403, contains: forbidden},
		// only in one's own inspections
		{role: deputy2, method: http.MethodPost, url: list, body: create, status: 400, contains: []string{`"inspection":{"code":"validation_not_yours"`}},
		// only the presidium and staff list a hazard for supervision (挂牌督办)
		{role: deputy, method: http.MethodPatch, url: mine, body: `{"supervised":true}`, status: 403,
			contains: []string{`"supervised":{"code":"validation_forbidden"`, "只有主席团成员或工作人员可以挂牌督办"}},
		// a hazard is registered open; no shortcut to closed
		{role: deputy, method: http.MethodPost, url: list, body: create[:len(create)-1] + `,"status":"closed"}`, status: 400,
			contains: []string{`"status":{"code":"validation_invalid_status_change"`, "待整改"}},
		{role: deputy, method: http.MethodPost, url: list, body: `{"source":"inspection","severity":"tiny"}`, status: 400,
			contains: []string{`"title":{"code":"validation_required"`, `"responsible_unit":{"code":"validation_required"`, `"deadline":{"code":"validation_required"`, `"severity":{"code":"validation_invalid_value"`}},
		// server-owned fields are ignored in a body
		{role: deputy, method: http.MethodPatch, url: mine, body: `{"overdue":true,"escalation":"supervised","closed_by":"我"}`, status: 200,
			contains: []string{`"overdue":false`, `"escalation":"none"`, `"closed_by":""`}},
		// allowed
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":1`, "食堂灭火器过期"}},
		{role: presidium, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":2`}},
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 200,
			contains: []string{`"status":"open"`, `"deputy":"` + f.Deputy + `"`, `"site":"` + f.IDs["site_school"] + `"`}},
		{role: presidium, method: http.MethodPatch, url: mine, body: `{"supervised":true,"supervised_by":"假冒"}`, status: 200,
			contains: []string{`"supervised":true`, `"supervised_by":"王主席（主席团）"`}, absent: []string{`"supervised_at":""`, "假冒"}},
		{role: superuser, method: http.MethodPatch, url: other, body: `{"supervised":true}`, status: 200,
			contains: []string{`"supervised_by":"工作人员 staff@test.simeng"`}},
	})
}

func TestRulesInspectionPlan(t *testing.T) {
	list := "/api/collections/inspection_plan/records"
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: deputy, method: http.MethodPost, url: list, body: `{"quarter":"2026-Q1"}`, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: list, body: `{"quarter":"2026-Q1"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"quarter":"2026-Q1"`, `"status":"done"`}},
	})
}

func TestRulesLedgerRoutes(t *testing.T) {
	var cases []ruleCase
	for _, url := range []string{"/api/ledger/plan", "/api/ledger/plan.xlsx", "/api/ledger/hazards.xlsx"} {
		cases = append(cases,
			ruleCase{role: guest, method: http.MethodGet, url: url, status: 401, contains: []string{`"status":401`}},
			ruleCase{role: inactive, method: http.MethodGet, url: url, status: 403, contains: forbidden},
			ruleCase{role: deputy, method: http.MethodGet, url: url, status: 403, contains: forbidden},
			ruleCase{role: presidium, method: http.MethodGet, url: url + "?year=abc", status: 400, contains: []string{`"year":{"code":"validation_invalid_year"`}},
		)
	}
	cases = append(cases,
		ruleCase{role: presidium, method: http.MethodGet, url: "/api/ledger/hazards.xlsx?status=done", status: 400, contains: []string{`"status":{"code":"validation_invalid_value"`}},
		ruleCase{role: presidium, method: http.MethodGet, url: "/api/ledger/hazards.xlsx?overdue=maybe", status: 400, contains: []string{`"overdue":{"code":"validation_invalid_value"`}},
		ruleCase{role: presidium, method: http.MethodGet, url: "/api/ledger/plan?year=2026", status: 200, contains: []string{`"year":2026`, "思蒙镇学校", "2026年第一季度"}},
		ruleCase{role: superuser, method: http.MethodGet, url: "/api/ledger/plan?year=2026", status: 200, contains: []string{"思蒙湾村集镇"}},
	)
	runRuleCases(t, cases)
}

// A deputy who took part in an inspection sees it and the hazards found in
// it, without being able to edit them.
func TestParticipantSeesTheInspectionAndItsHazards(t *testing.T) {
	f := testapp.F(t)
	c := newLedgerClient(t)
	insp := "/api/collections/inspections/records/" + f.IDs["inspection_a"]
	hz := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	c.must(http.StatusNotFound, deputy2, http.MethodGet, insp, nil)
	c.must(http.StatusOK, superuser, http.MethodPatch, insp, `{"participants+":"`+f.Deputy2+`"}`)
	c.must(http.StatusOK, deputy2, http.MethodGet, insp, nil)
	c.must(http.StatusOK, deputy2, http.MethodGet, hz, nil)
	c.must(http.StatusNotFound, deputy2, http.MethodPatch, insp, `{"findings":"改"}`)
	c.must(http.StatusNotFound, deputy2, http.MethodPatch, hz, `{"title":"改"}`)
}
