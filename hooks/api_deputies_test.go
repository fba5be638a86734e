package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

func TestDeputyLoginByPhone(t *testing.T) {
	f := testapp.F(t)
	url := "/api/collections/deputies/auth-with-password"
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodPost, url: url, body: `{"identity":"13800000001","password":"wrong-pass"}`, status: 400, contains: []string{`"status":400`}, absent: []string{"token"}},
		// a deputy whose term ended cannot log in
		{role: guest, method: http.MethodPost, url: url, body: `{"identity":"13800000004","password":"` + testapp.Password + `"}`, status: 403, absent: []string{"token"}, contains: []string{`"status":403`}},
		{role: guest, method: http.MethodPost, url: url, body: `{"identity":"13800000001","password":"` + testapp.Password + `"}`, status: 200, contains: []string{`"token":`, f.Deputy, f.DeputyPhone}},
	})
}

func TestDeputyValidation(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/deputies/records"
	body := func(phone string) string {
		return `{"name":"新代表","phone":"` + phone + `","password":"12345678x","passwordConfirm":"12345678x","village":"` + f.VillageA + `","level":"township","active":true}`
	}
	runRuleCases(t, []ruleCase{
		{role: superuser, method: http.MethodPost, url: list, body: body("12345"), status: 400, contains: []string{`"phone":{"code":"validation_invalid_format"`}},
		{role: superuser, method: http.MethodPost, url: list, body: body("12812345678"), status: 400, contains: []string{`"phone":{`}},
		// the same number written another way is still a duplicate
		{role: superuser, method: http.MethodPost, url: list, body: body("+86 138-0000-0001"), status: 400, contains: []string{`"phone":{"code":"validation_not_unique"`}},
		{role: superuser, method: http.MethodPost, url: list, body: `{"phone":"13911112222","password":"12345678x","passwordConfirm":"12345678x","level":"mayor"}`, status: 400,
			contains: []string{`"name":{"code":"validation_required"`, `"village":{"code":"validation_required"`, `"level":{"code":"validation_invalid_value"`}},
		{role: superuser, method: http.MethodPost, url: list, body: `{"name":`, status: 400, contains: []string{`"status":400`}},
		{role: superuser, method: http.MethodPost, url: list, body: body("+86 139 1111 2222"), status: 200, contains: []string{`"phone":"13911112222"`},
			after: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("deputies", "phone", "13911112222")
				if err != nil {
					t.Fatal(err)
				}
				if code := r.GetString("code"); len(code) != 10 || code == r.Id {
					t.Fatalf("public code %q: want 10 random characters, not the id", code)
				}
			}},
	})
}
