package roster_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

func TestDeputyLoginByPhone(t *testing.T) {
	f := testapp.F(t)
	url := "/api/collections/deputies/auth-with-password"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodPost, URL: url, Body: `{"identity":"13800000001","password":"wrong-pass"}`, Status: 400, Contains: []string{`"status":400`}, Absent: []string{"token"}},
		// a deputy whose term ended cannot log in
		{Role: guest, Method: http.MethodPost, URL: url, Body: `{"identity":"13800000004","password":"` + testapp.Password + `"}`, Status: 403, Absent: []string{"token"}, Contains: []string{`"status":403`}},
		{Role: guest, Method: http.MethodPost, URL: url, Body: `{"identity":"13800000001","password":"` + testapp.Password + `"}`, Status: 200, Contains: []string{`"token":`, f.Deputy, f.DeputyPhone}},
	})
}

func TestDeputyValidation(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/deputies/records"
	body := func(phone string) string {
		return `{"name":"新代表","phone":"` + phone + `","password":"qiaotou-2026x","passwordConfirm":"qiaotou-2026x","village":"` + f.VillageA + `","level":"township","active":true}`
	}
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: superuser, Method: http.MethodPost, URL: list, Body: body("12345"), Status: 400, Contains: []string{`"phone":{"code":"validation_invalid_format"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: body("12812345678"), Status: 400, Contains: []string{`"phone":{`}},
		// the same number written another way is still a duplicate
		{Role: superuser, Method: http.MethodPost, URL: list, Body: body("+86 138-0000-0001"), Status: 400, Contains: []string{`"phone":{"code":"validation_not_unique"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"phone":"13911112222","password":"qiaotou-2026x","passwordConfirm":"qiaotou-2026x","level":"mayor"}`, Status: 400,
			Contains: []string{`"name":{"code":"validation_required"`, `"village":{"code":"validation_required"`, `"level":{"code":"validation_invalid_value"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"name":`, Status: 400, Contains: []string{`"status":400`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: body("+86 139 1111 2222"), Status: 200, Contains: []string{`"phone":"13911112222"`},
			After: func(t testing.TB, app *tests.TestApp) {
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
