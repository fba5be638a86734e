package returns_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × operation matrix of unit_returns (denied cases first): only
// the routes write it; a unit reads its own requests, the presidium and
// staff all of them.
func TestUnitReturnsRules(t *testing.T) {
	f := testapp.F(t)
	const id = "ur0000000000001"
	seed := func(t testing.TB, app *tests.TestApp) {
		_, err := app.DB().NewQuery(`INSERT INTO unit_returns (id, kind, record_id, title, unit, reason, status)
			VALUES ({:id}, 'rectification', {:rec}, '施工现场安全警示标志缺失', {:u}, '不属于本单位职责，建议交镇应急办', 'pending')`).
			Bind(dbx.Params{"id": id, "rec": f.IDs["rect_item_a"], "u": f.IDs["unit2"]}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
	list := "/api/collections/unit_returns/records"
	one := list + "/" + id
	body := `{"kind":"hazard","record_id":"` + f.IDs["rect_item_a"] + `","unit":"` + f.Unit + `","reason":"自己写一条退办申请","status":"reassigned"}`
	total := func(n string) []string { return []string{`"totalItems":` + n} }
	var cases []testapp.RuleCase
	for _, role := range []string{guest, deputy, unit, testapp.RoleFormerStaff} {
		cases = append(cases, testapp.RuleCase{Role: role, Method: "GET", URL: list, Status: 200, Contains: testapp.EmptyList, Before: seed})
	}
	for _, role := range []string{guest, deputy, presidium, unit, unit2, staff} {
		cases = append(cases,
			testapp.RuleCase{Role: role, Method: "POST", URL: list, Body: body, Status: 403, Contains: testapp.Forbidden, Before: seed},
			testapp.RuleCase{Role: role, Method: "PATCH", URL: one, Body: `{"status":"reassigned"}`, Status: 403, Contains: testapp.Forbidden, Before: seed},
			testapp.RuleCase{Role: role, Method: "DELETE", URL: one, Status: 403, Contains: testapp.Forbidden, Before: seed},
		)
	}
	for _, role := range []string{unit2, presidium, staff} {
		cases = append(cases, testapp.RuleCase{Role: role, Method: "GET", URL: list, Status: 200, Contains: total("1"), Before: seed})
	}
	testapp.RunRuleCases(t, cases)
}
