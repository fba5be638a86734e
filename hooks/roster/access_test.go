package roster_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// The role × collection × operation matrix of the roster: villages and
// deputies, denied cases first.
func TestRulesVillages(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/villages/records"
	one := list + "/" + f.VillageA
	create := `{"name":"新村","code":"xc"}`
	update := `{"name":"改名村"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: update, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: update, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: one, Status: 403, Contains: testapp.Forbidden},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`, "思蒙湾村"}},
		{Role: presidium, Method: http.MethodGet, URL: one, Status: 200, Contains: []string{"思蒙湾村"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"新村"}},
		{Role: superuser, Method: http.MethodPatch, URL: one, Body: update, Status: 200, Contains: []string{"改名村"}},
		// a village that deputies still belong to cannot be deleted
		{Role: superuser, Method: http.MethodDelete, URL: "/api/collections/villages/records/" + f.VillageB, Status: 400, Contains: []string{`"status":400`}},
	})
}

func TestRulesDeputies(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/deputies/records"
	self := list + "/" + f.Deputy
	other := list + "/" + f.Deputy2
	create := `{"name":"新代表","phone":"13900009999","password":"12345678x","passwordConfirm":"12345678x","village":"` + f.VillageA + `","level":"township","active":true}`
	phone := f.DeputyPhone
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPatch, URL: other, Body: `{"intro":"改别人"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: other, Body: `{"intro":"改别人"}`, Status: 404, Contains: testapp.NotFoundBody},
		// a deputy cannot promote themself or change who they are
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"presidium":true}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"active":true}`, Status: 404, Contains: testapp.NotFoundBody},
		// phone is a hidden field: PocketBase ignores it in a deputy's body
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"phone":"13912345678"}`, Status: 200, Contains: []string{phone}, Absent: []string{"13912345678"},
			After: func(t testing.TB, app *tests.TestApp) {
				if r, err := app.FindRecordById("deputies", f.Deputy); err != nil || r.GetString("phone") != phone {
					t.Fatalf("phone changed by its owner: %v %v", r, err)
				}
			}},
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"code":"abcdefghij"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"village":"` + f.VillageB + `"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodPatch, URL: list + "/" + f.Inactive, Body: `{"intro":"x"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: self, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodDelete, URL: other, Status: 403, Contains: testapp.Forbidden},
		// personal data: another deputy's phone is never shown, nor searchable
		{Role: deputy, Method: http.MethodGet, URL: other, Status: 200, Contains: []string{"李四"}, Absent: []string{"13800000002", `"phone"`}},
		{Role: presidium, Method: http.MethodGet, URL: self, Status: 200, Contains: []string{"张三"}, Absent: []string{phone}},
		{Role: deputy2, Method: http.MethodGet, URL: list + "?filter=" + testapp.URLQuery(`phone="`+phone+`"`), Status: 400, Contains: []string{`"status":400`}, Absent: []string{phone}},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}, Absent: []string{"13800000002", "13800000003"}},
		{Role: deputy, Method: http.MethodGet, URL: self, Status: 200, Contains: []string{phone, f.DeputyCode}},
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"intro":"我负责思蒙湾村一组到三组"}`, Status: 200, Contains: []string{"一组到三组"}},
		{Role: superuser, Method: http.MethodGet, URL: other, Status: 200, Contains: []string{"13800000002"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"新代表", `"code":"`}},
		{Role: superuser, Method: http.MethodPatch, URL: other, Body: `{"presidium":true}`, Status: 200, Contains: []string{`"presidium":true`}},
		{Role: superuser, Method: http.MethodDelete, URL: other, Status: 204, After: func(t testing.TB, app *tests.TestApp) {
			if _, err := app.FindRecordById("deputies", f.Deputy2); err == nil {
				t.Fatal("deputy still there after delete")
			}
		}},
	})
}
