package visits_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the visit-log collections.
// Deputies never write households, visits or the bookkeeping through the
// REST API: they push through /api/sync (hooks/syncengine/contract_test.go).
func TestRulesVisitCollections(t *testing.T) {
	f := testapp.F(t)
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	hA := col("households") + "/" + f.IDs["household_a"]
	vA := col("visits") + "/" + f.IDs["visit_a"]
	newHousehold := `{"village":"` + f.VillageA + `","head_name":"新户","address":"8组1号","deputy":"` + f.Deputy + `"}`
	share := `{"household":"` + f.IDs["household_a"] + `","deputy":"` + f.Deputy2 + `","note":"户主在桥头村居住"}`
	newVisit := `{"household":"` + f.IDs["household_a"] + `","visited_at":"2026-01-05 10:00:00Z","deputy":"` + f.Deputy + `"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: col("households"), Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: col("households"), Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: hA, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodGet, URL: hA, Status: 404, Contains: testapp.NotFoundBody}, // other village, never visited
		{Role: deputy, Method: http.MethodPost, URL: col("households"), Body: newHousehold, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: col("households"), Body: newHousehold, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: hA, Body: `{"address":"改"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: hA, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: col("visits"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: col("visits"), Status: 200, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: col("visits"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: vA, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPost, URL: col("visits"), Body: newVisit, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: vA, Body: `{"notes":"改"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: vA, Body: `{"notes":"改"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: vA, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy2, Method: http.MethodGet, URL: col("visit_year_results"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: col("visit_year_results"), Body: `{"deputy":"` + f.Deputy + `","year":2025,"households":99,"met":true,"closed_at":"2026-01-20 00:00:00Z"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: col("visit_years"), Body: `{"year":2025,"grace_days":1}`, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPost, URL: col("household_aliases"), Body: `{"alias_id":"aaaaaaaaaaaaaaa","household":"` + f.IDs["household_a"] + `"}`, Status: 403, Contains: testapp.Forbidden},
		// household shares (issue 12): staff share a household with a deputy of another village
		{Role: guest, Method: http.MethodGet, URL: col("household_shares"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: col("household_shares"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodPost, URL: col("household_shares"), Body: share, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: col("household_shares"), Body: share, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPost, URL: col("household_shares"), Body: share, Status: 400, Contains: testapp.DeniedCreate},
		{Role: formerStaff, Method: http.MethodPost, URL: col("household_shares"), Body: share, Status: 400, Contains: testapp.DeniedCreate},
		// a deputy's visit of a household elsewhere no longer opens it (issue 12)
		{Role: deputy2, Method: http.MethodGet, URL: hA, Status: 404, Contains: testapp.NotFoundBody, Before: func(t testing.TB, app *tests.TestApp) {
			visitOf(t, app, f.Deputy2, f.IDs["household_a"])
		}},
		// staff read the field records but never write them (the phones' sync owns them)
		{Role: staff, Method: http.MethodPost, URL: col("households"), Body: newHousehold, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPatch, URL: vA, Body: `{"notes":"改"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodDelete, URL: vA, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("visit_year_results"), Body: `{"deputy":"` + f.Deputy + `","year":2025,"households":99,"met":true,"closed_at":"2026-01-20 00:00:00Z"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("household_aliases"), Body: `{"alias_id":"aaaaaaaaaaaaaaa","household":"` + f.IDs["household_a"] + `"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: col("households"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: vA, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: col("visit_years"), Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: hA, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: "/api/visits/progress", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: "/api/visits/years/2025/close", Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: "/api/visits/years/2025/close", Status: 403, Contains: testapp.Forbidden},
		// phone is personal data: only the recording deputy and staff see it
		{Role: presidium, Method: http.MethodGet, URL: hA, Status: 200, Contains: []string{"向德胜"}, Absent: []string{"13912340001"}},
		// allowed
		{Role: staff, Method: http.MethodPost, URL: col("household_shares"), Body: share, Status: 200, Contains: []string{`"deputy":"` + f.Deputy2 + `"`}},
		{Role: deputy2, Method: http.MethodGet, URL: hA, Status: 200, Contains: []string{"向德胜"}, Absent: []string{"13912340001"}, Before: func(t testing.TB, app *tests.TestApp) {
			shareWith(t, app, f.IDs["household_a"], f.Deputy2)
		}},
		{Role: deputy, Method: http.MethodGet, URL: hA, Status: 200, Contains: []string{"向德胜", "13912340001"}},
		{Role: deputy2, Method: http.MethodGet, URL: col("households"), Status: 200, Contains: []string{`"totalItems":1`, "舒玉兰"}}, // village B
		{Role: deputy, Method: http.MethodGet, URL: vA, Status: 200, Contains: []string{"春耕"}},
		{Role: presidium, Method: http.MethodGet, URL: vA, Status: 200, Contains: []string{"春耕"}},
		{Role: superuser, Method: http.MethodGet, URL: hA, Status: 200, Contains: []string{"13912340001"}},
		{Role: staff, Method: http.MethodGet, URL: hA, Status: 200, Contains: []string{"向德胜", "13912340001"}},
		{Role: staff, Method: http.MethodGet, URL: col("visits"), Status: 200, Contains: []string{"春耕"}},
		{Role: staff, Method: http.MethodGet, URL: "/api/visits/progress?year=2026", Status: 200, Contains: []string{"张三", "李四"}},
		{Role: staff, Method: http.MethodPost, URL: col("visit_years"), Body: `{"year":2025,"grace_days":20,"households_required":12}`, Status: 200, Contains: []string{`"grace_days":20`}},
		{Role: superuser, Method: http.MethodPatch, URL: vA, Body: `{"notes":"工作人员更正"}`, Status: 200, Contains: []string{"工作人员更正", `"version":2`}},
		{Role: superuser, Method: http.MethodDelete, URL: vA, Status: 204, After: func(t testing.TB, app *tests.TestApp) {
			if n := testapp.CountWhere(t, app, "sync_tombstones", "record_id = '"+f.IDs["visit_a"]+"'"); n != 1 {
				t.Fatalf("deleting a visit left %d tombstones, want 1", n)
			}
		}},
	})
}
