package verification_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the verification
// collections: flags, reviews and callbacks are written by the server
// only; the deputy reads their own, the presidium and staff read all;
// staff keep the settings.
func TestRulesVerificationCollections(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	settings, err := app.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(settings) != 1 {
		t.Fatalf("settings row: %v %d", err, len(settings))
	}
	col := func(name string) string { return "/api/collections/" + name + "/records" }
	set := col("verification_settings") + "/" + settings[0].Id
	visitA := f.IDs["visit_a"]
	// A flag no longer open is the visit's history row (open ones are on
	// the visit itself): every read of visit_flags has one to find or not.
	withResolved := func(t testing.TB, app *tests.TestApp) {
		flags, err := app.FindCollectionByNameOrId("visit_flags")
		if err != nil {
			t.Fatal(err)
		}
		resolved := core.NewRecord(flags)
		resolved.Load(map[string]any{"visit": visitA, "deputy": f.Deputy, "kind": "no_fix", "reason": "未定位",
			"status": "resolved", "raised_at": types.NowDateTime(), "resolved_at": types.NowDateTime()})
		if err := app.Save(resolved); err != nil {
			t.Fatal(err)
		}
	}
	flag := `{"visit":"` + visitA + `","deputy":"` + f.Deputy + `","kind":"no_fix","status":"resolved"}`
	review := `{"visit":"` + visitA + `","deputy":"` + f.Deputy + `","decision":"accepted","note":"好"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: testapp.EmptyList},
		{Role: deputy2, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: testapp.EmptyList},
		{Role: inactive, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPost, URL: col("visit_flags"), Body: flag, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: col("visit_flags"), Body: flag, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("visit_flags"), Body: flag, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: col("visit_reviews"), Body: review, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: col("visit_reviews"), Body: review, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: col("visit_reviews"), Body: review, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: col("callback_samples"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: col("callbacks"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: col("callbacks"), Status: 200, Contains: testapp.EmptyList},
		{Role: staff, Method: http.MethodPost, URL: col("callbacks"), Body: `{"visit":"` + visitA + `"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: col("visit_photo_hashes"), Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: col("visit_photo_hashes"), Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: col("verification_settings"), Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: col("verification_settings"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPatch, URL: set, Body: `{"count_mode":"all"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: set, Body: `{"count_mode":"all"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: set, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPatch, URL: set, Body: `{"confirmation":"off","count_mode":"confirmed"}`, Status: 400, Contains: []string{"count_mode", "农户确认已关闭"}},
		{Role: staff, Method: http.MethodPatch, URL: set, Body: `{"thresholds":[1,2]}`, Status: 400, Contains: []string{"thresholds"}},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: []string{visitA, "no_fix"}},
		{Role: presidium, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: []string{visitA}},
		{Role: staff, Method: http.MethodGet, URL: col("visit_flags"), Status: 200, Before: withResolved, Contains: []string{visitA}},
		{Role: deputy, Method: http.MethodGet, URL: col("visit_reviews"), Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: col("callback_samples"), Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: col("verification_settings"), Status: 200, Contains: []string{"offered", "not_excluded"}},
		{Role: staff, Method: http.MethodPatch, URL: set, Body: `{"count_mode":"all","thresholds":{"offline_period_h":120}}`, Status: 200, Contains: []string{`"count_mode":"all"`}},
	})
}
