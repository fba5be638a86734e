package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the visit-log collections.
// Deputies never write households, visits or the bookkeeping through the
// REST API: they push through /api/sync (tested in api_sync_test.go).
func TestRulesVisitCollections(t *testing.T) {
	f := testapp.F(t)
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	hA := col("households") + "/" + f.IDs["household_a"]
	vA := col("visits") + "/" + f.IDs["visit_a"]
	pA := col("problems") + "/" + f.IDs["problem_a"]
	newHousehold := `{"village":"` + f.VillageA + `","head_name":"新户","address":"8组1号","deputy":"` + f.Deputy + `"}`
	newVisit := `{"household":"` + f.IDs["household_a"] + `","visited_at":"2026-01-05 10:00:00Z","deputy":"` + f.Deputy + `"}`
	runRuleCases(t, []ruleCase{
		// denied first
		{role: guest, method: http.MethodGet, url: col("households"), status: 200, contains: emptyList},
		{role: inactive, method: http.MethodGet, url: col("households"), status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: hA, status: 404, contains: notFoundBody},
		{role: deputy2, method: http.MethodGet, url: hA, status: 404, contains: notFoundBody}, // other village, never visited
		{role: deputy, method: http.MethodPost, url: col("households"), body: newHousehold, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: col("households"), body: newHousehold, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: hA, body: `{"address":"改"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: hA, status: 403, contains: forbidden},
		{role: guest, method: http.MethodGet, url: col("visits"), status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: col("visits"), status: 200, contains: emptyList},
		{role: inactive, method: http.MethodGet, url: col("visits"), status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: vA, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPost, url: col("visits"), body: newVisit, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: vA, body: `{"notes":"改"}`, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPatch, url: vA, body: `{"notes":"改"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: vA, status: 403, contains: forbidden},
		{role: deputy2, method: http.MethodGet, url: col("problems"), status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: pA, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPost, url: col("problems"), body: `{"category":"其他","description":"x","source":"visit"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: pA, body: `{"status":"closed"}`, status: 404, contains: notFoundBody},
		{role: presidium, method: http.MethodPatch, url: pA, body: `{"source":"hotline"}`, status: 404, contains: notFoundBody},
		{role: presidium, method: http.MethodDelete, url: pA, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: col("sync_counters"), status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: col("sync_tombstones"), status: 403, contains: forbidden},
		{role: deputy2, method: http.MethodGet, url: col("visit_year_results"), status: 200, contains: emptyList},
		{role: deputy, method: http.MethodPost, url: col("visit_year_results"), body: `{"deputy":"` + f.Deputy + `","year":2025,"households":99,"met":true,"closed_at":"2026-01-20 00:00:00Z"}`, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: col("visit_years"), body: `{"year":2025,"grace_days":1}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPost, url: col("household_aliases"), body: `{"alias_id":"aaaaaaaaaaaaaaa","household":"` + f.IDs["household_a"] + `"}`, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPatch, url: pA, body: `{"status":"forwarded"}`, status: 400, contains: []string{`"forwarded_to"`}},
		// phone is personal data: only the recording deputy and staff see it
		{role: presidium, method: http.MethodGet, url: hA, status: 200, contains: []string{"向德胜"}, absent: []string{"13912340001"}},
		// allowed
		{role: deputy, method: http.MethodGet, url: hA, status: 200, contains: []string{"向德胜", "13912340001"}},
		{role: deputy2, method: http.MethodGet, url: col("households"), status: 200, contains: []string{`"totalItems":1`, "舒玉兰"}}, // village B
		{role: deputy, method: http.MethodGet, url: vA, status: 200, contains: []string{"春耕"}},
		{role: presidium, method: http.MethodGet, url: vA, status: 200, contains: []string{"春耕"}},
		{role: deputy, method: http.MethodGet, url: pA, status: 200, contains: []string{"自来水", `"status":"open"`, `"source":"visit"`}},
		{role: presidium, method: http.MethodPatch, url: pA, body: `{"status":"forwarded","forwarded_to":"镇水利站"}`, status: 200, contains: []string{`"status":"forwarded"`, "镇水利站", `"forwarded_at":"2`}},
		{role: superuser, method: http.MethodGet, url: hA, status: 200, contains: []string{"13912340001"}},
		{role: superuser, method: http.MethodPatch, url: vA, body: `{"notes":"工作人员更正"}`, status: 200, contains: []string{"工作人员更正", `"version":2`}},
		{role: superuser, method: http.MethodDelete, url: vA, status: 204, after: func(t testing.TB, app *tests.TestApp) {
			if n := countWhere(t, app, "sync_tombstones", "record_id = '"+f.IDs["visit_a"]+"'"); n != 1 {
				t.Fatalf("deleting a visit left %d tombstones, want 1", n)
			}
		}},
	})
}
