package analysis_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

var (
	unauthorized = []string{`"status":401`}
	badRequest   = []string{`"status":400`}
)

// The township dictionary: the presidium reads it, staff edit it (a rule
// that admits only staff answers others' writes with PocketBase's 400),
// with bad entries refused naming the field.
func TestRulesAnalysisWords(t *testing.T) {
	list := "/api/collections/analysis_words/records"
	create := `{"text":"溆水河","kind":"word","pos":"ns"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: badRequest},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: badRequest},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: badRequest},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: badRequest},
		{Role: formerStaff, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: badRequest},
		{Role: dept, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		// bad input names the field, in Chinese
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"text":"思蒙,湾村","kind":"word"}`, Status: 400,
			Contains: []string{`"text":{"code":"validation_invalid_word"`, "不能有空格或标点"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"text":"湾村","kind":"word","weight":20000000}`, Status: 400,
			Contains: []string{`"weight":{`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"text":"湾村","kind":"word","pos":"NS"}`, Status: 400,
			Contains: []string{`"pos":{`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"text":"湾村","kind":"stop"}`, Status: 400,
			Contains: []string{`"kind":{`}},
		// allowed: the presidium reads, staff write (village names were added by themselves)
		{Role: presidium, Method: http.MethodGet, URL: list + "?perPage=100", Status: 200, Contains: []string{"桥思公路", "思蒙湾村", "桥头村"}},
		{Role: staff, Method: http.MethodGet, URL: list + "?perPage=100", Status: 200, Contains: []string{"桥思公路", "思蒙湾村"}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{`"text":"溆水河"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"text":"ＸＳ河","kind":"word"}`, Status: 200,
			Contains: []string{`"text":"xs河"`}},
	})
}

// Department keys are staff's: nobody else lists them, and none is made
// without the route that shows its token once.
func TestRulesDeptKeys(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/analysis_dept_keys/records"
	one := list + "/" + f.IDs["key_dept"]
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: `{"active":false}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodPatch, URL: one, Body: `{"active":false}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: dept, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"name":"某部门","scope":["overview"],"expires":"2099-01-01 00:00:00.000Z","active":true}`,
			Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"name":"某部门","scope":["overview"],"expires":"2099-01-01 00:00:00.000Z","active":true}`,
			Status: 400, Contains: []string{`"key_hash":{"code":"validation_use_route"`}},
		{Role: superuser, Method: http.MethodPatch, URL: one, Body: `{"key_hash":"abc"}`, Status: 400, Contains: []string{`"key_hash"`}},
		// allowed: staff list them and switch one off
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{"镇信访办", "镇综治中心", `"totalItems":4`}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"active":false}`, Status: 200, Contains: []string{`"active":false`}},
		{Role: superuser, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}},
	})
}

// The access log is staff's to read and nobody's to change.
func TestRulesAccessLog(t *testing.T) {
	list := "/api/collections/analysis_access_log/records"
	withEntry := func(t testing.TB, app *tests.TestApp) {
		col, _ := app.FindCollectionByNameOrId("analysis_access_log")
		r := newRecord(col, map[string]any{"at": "2025-06-01 00:00:00.000Z", "actor_kind": "department", "actor_name": "镇信访办", "action": "view"})
		r.Id = "log000000000001"
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	one := list + "/log000000000001"
	cases := []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"at":"2025-06-01 00:00:00.000Z","actor_kind":"staff","action":"view"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: `{"actor_name":"改过"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: `{"at":"2025-06-01 00:00:00.000Z","actor_kind":"staff","action":"view"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: superuser, Method: http.MethodPatch, URL: one, Body: `{"actor_name":"改过"}`, Status: 400, Contains: badRequest},
		{Role: superuser, Method: http.MethodDelete, URL: one, Status: 400, Contains: badRequest},
		{Role: superuser, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"镇信访办"}},
		{Role: staff, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"镇信访办"}},
	}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			s := c.Scenario(t)
			s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { withEntry(t, app) }
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				r, err := app.FindRecordById("analysis_access_log", "log000000000001")
				if err != nil || r.GetString("actor_name") != "镇信访办" {
					t.Errorf("the entry changed or went: %v %v", r, err)
				}
			}
			t.Run(c.Method+" "+c.Role, func(t *testing.T) { s.Test(t) })
		}
	})
}

// Who may open which analysis route: logins by role, department keys by
// their scope; denied first.
func TestRulesAnalysisRoutes(t *testing.T) {
	f := testapp.F(t)
	base := "/api/simeng/analysis"
	ids := "ids=suggestions/" + f.IDs["demand_road_b1"]
	var cases []testapp.RuleCase
	views := []string{"/overview?" + q, "/terms?" + q, "/terms/villages?" + q, "/recurring?" + q, "/charts/categories.svg?" + q, "/export.xlsx?" + q}
	open := []string{"/search?" + q, "/records?" + ids}
	for _, u := range append(views, open...) {
		cases = append(cases,
			testapp.RuleCase{Role: guest, Method: http.MethodGet, URL: base + u, Status: 401, Contains: unauthorized},
			testapp.RuleCase{Role: inactive, Method: http.MethodGet, URL: base + u, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: formerStaff, Method: http.MethodGet, URL: base + u, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: unit, Method: http.MethodGet, URL: base + u, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: deptExpired, Method: http.MethodGet, URL: base + u, Status: 401, Contains: unauthorized},
			testapp.RuleCase{Role: deptOff, Method: http.MethodGet, URL: base + u, Status: 401, Contains: unauthorized},
		)
	}
	for _, u := range views {
		cases = append(cases, testapp.RuleCase{Role: deputy, Method: http.MethodGet, URL: base + u, Status: 403, Contains: testapp.Forbidden})
		if !strings.HasPrefix(u, "/overview") {
			cases = append(cases, testapp.RuleCase{Role: deptNarrow, Method: http.MethodGet, URL: base + u, Status: 403, Contains: []string{"无权访问该功能"}})
		}
	}
	for _, u := range []string{"/rebuild", "/dept-keys", "/segment", "/words/import"} {
		for _, role := range []string{guest, deputy, presidium, dept, unit, formerStaff} {
			status, want := 403, testapp.Forbidden
			if role == guest {
				status, want = 401, unauthorized
			}
			cases = append(cases, testapp.RuleCase{Role: role, Method: http.MethodPost, URL: base + u, Body: `{}`, Status: status, Contains: want})
		}
	}
	// allowed
	for _, u := range views[:4] {
		for _, role := range []string{presidium, staff, superuser, dept} {
			cases = append(cases, testapp.RuleCase{Role: role, Method: http.MethodGet, URL: base + u, Status: 200, Contains: []string{`"period":{`}})
		}
	}
	cases = append(cases,
		testapp.RuleCase{Role: deptNarrow, Method: http.MethodGet, URL: base + "/overview?" + q, Status: 200, Contains: []string{`"total":3`}},
		testapp.RuleCase{Role: presidium, Method: http.MethodGet, URL: base + "/charts/categories.svg?" + q, Status: 200, Contains: []string{"<svg", "饮水安全"}},
		testapp.RuleCase{Role: dept, Method: http.MethodGet, URL: base + "/charts/trend.svg?" + q, Status: 200, Contains: []string{"<svg"}},
		testapp.RuleCase{Role: deputy2, Method: http.MethodGet, URL: base + "/records?" + ids, Status: 200, Contains: []string{"桥思公路"}},
		testapp.RuleCase{Role: deputy, Method: http.MethodGet, URL: base + "/records?" + ids, Status: 200, Contains: []string{`"items":[]`}},
		testapp.RuleCase{Role: deptNarrow, Method: http.MethodGet, URL: base + "/search?" + q, Status: 200, Contains: []string{`"totalItems":3`}},
		testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: base + "/rebuild", Status: 200, Contains: []string{`"demands":`}},
		testapp.RuleCase{Role: staff, Method: http.MethodPost, URL: base + "/rebuild", Status: 200, Contains: []string{`"demands":`}},
		testapp.RuleCase{Role: staff, Method: http.MethodPost, URL: base + "/segment", Body: `{"text":"桥思公路坑洼"}`, Status: 200, Contains: []string{"桥思公路"}},
		testapp.RuleCase{Role: staff, Method: http.MethodGet, URL: base + "/search?" + q, Status: 200, Contains: []string{`"totalItems":`}},
	)
	testapp.RunRuleCases(t, cases)
}
