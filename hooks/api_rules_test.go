package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
)

// ruleCase is one cell of the role × collection × operation matrix.
type ruleCase struct {
	role     string
	method   string
	url      string
	body     string
	status   int
	contains []string // substrings the response must contain
	absent   []string // substrings it must not contain; both empty: empty body
	after    func(t testing.TB, app *tests.TestApp)
}

func (c ruleCase) scenario(t *testing.T) tests.ApiScenario {
	name := c.role + " " + c.method + " " + c.url
	if c.body != "" {
		name += " " + c.body
	}
	s := tests.ApiScenario{
		Name:               name,
		Method:             c.method,
		URL:                c.url,
		Headers:            testapp.Headers(t, c.role),
		ExpectedStatus:     c.status,
		ExpectedContent:    c.contains,
		NotExpectedContent: c.absent,
		TestAppFactory:     testapp.Factory,
	}
	if c.body != "" {
		s.Body = strings.NewReader(c.body)
		s.Headers = withJSON(s.Headers)
	}
	if c.after != nil {
		s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { c.after(t, app) }
	}
	return s
}

func withJSON(h map[string]string) map[string]string {
	out := map[string]string{"Content-Type": "application/json"}
	for k, v := range h {
		out[k] = v
	}
	return out
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		s := c.scenario(t)
		s.Test(t)
	}
}

const (
	guest     = testapp.RoleGuest
	deputy    = testapp.RoleDeputy
	deputy2   = testapp.RoleDeputy2
	presidium = testapp.RolePresidium
	inactive  = testapp.RoleInactive
	superuser = testapp.RoleSuperuser
)

var (
	emptyList    = []string{`"totalItems":0`}
	notFoundBody = []string{`"status":404`}
	forbidden    = []string{`"status":403`}
)

func TestRulesVillages(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/villages/records"
	one := list + "/" + f.VillageA
	create := `{"name":"新村","code":"xc"}`
	update := `{"name":"改名村"}`
	runRuleCases(t, []ruleCase{
		// denied first
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: one, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: one, body: update, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPatch, url: one, body: update, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: one, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: one, status: 403, contains: forbidden},
		// allowed
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":2`, "思蒙湾村"}},
		{role: presidium, method: http.MethodGet, url: one, status: 200, contains: []string{"思蒙湾村"}},
		{role: superuser, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{"新村"}},
		{role: superuser, method: http.MethodPatch, url: one, body: update, status: 200, contains: []string{"改名村"}},
		// a village that deputies still belong to cannot be deleted
		{role: superuser, method: http.MethodDelete, url: "/api/collections/villages/records/" + f.VillageB, status: 400, contains: []string{`"status":400`}},
	})
}

func TestRulesDeputies(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/deputies/records"
	self := list + "/" + f.Deputy
	other := list + "/" + f.Deputy2
	create := `{"name":"新代表","phone":"13900009999","password":"12345678x","passwordConfirm":"12345678x","village":"` + f.VillageA + `","level":"township","active":true}`
	phone := f.DeputyPhone
	runRuleCases(t, []ruleCase{
		// denied first
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: self, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: self, status: 404, contains: notFoundBody},
		{role: guest, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: other, body: `{"intro":"改别人"}`, status: 404, contains: notFoundBody},
		{role: presidium, method: http.MethodPatch, url: other, body: `{"intro":"改别人"}`, status: 404, contains: notFoundBody},
		// a deputy cannot promote themself or change who they are
		{role: deputy, method: http.MethodPatch, url: self, body: `{"presidium":true}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPatch, url: self, body: `{"active":true}`, status: 404, contains: notFoundBody},
		// phone is a hidden field: PocketBase ignores it in a deputy's body
		{role: deputy, method: http.MethodPatch, url: self, body: `{"phone":"13912345678"}`, status: 200, contains: []string{phone}, absent: []string{"13912345678"},
			after: func(t testing.TB, app *tests.TestApp) {
				if r, err := app.FindRecordById("deputies", f.Deputy); err != nil || r.GetString("phone") != phone {
					t.Fatalf("phone changed by its owner: %v %v", r, err)
				}
			}},
		{role: deputy, method: http.MethodPatch, url: self, body: `{"code":"abcdefghij"}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPatch, url: self, body: `{"village":"` + f.VillageB + `"}`, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodPatch, url: list + "/" + f.Inactive, body: `{"intro":"x"}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodDelete, url: self, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: other, status: 403, contains: forbidden},
		// personal data: another deputy's phone is never shown, nor searchable
		{role: deputy, method: http.MethodGet, url: other, status: 200, contains: []string{"李四"}, absent: []string{"13800000002", `"phone"`}},
		{role: presidium, method: http.MethodGet, url: self, status: 200, contains: []string{"张三"}, absent: []string{phone}},
		{role: deputy2, method: http.MethodGet, url: list + "?filter=" + urlQuery(`phone="`+phone+`"`), status: 400, contains: []string{`"status":400`}, absent: []string{phone}},
		// allowed
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":4`}, absent: []string{"13800000002", "13800000003"}},
		{role: deputy, method: http.MethodGet, url: self, status: 200, contains: []string{phone, f.DeputyCode}},
		{role: deputy, method: http.MethodPatch, url: self, body: `{"intro":"我负责思蒙湾村一组到三组"}`, status: 200, contains: []string{"一组到三组"}},
		{role: superuser, method: http.MethodGet, url: other, status: 200, contains: []string{"13800000002"}},
		{role: superuser, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{"新代表", `"code":"`}},
		{role: superuser, method: http.MethodPatch, url: other, body: `{"presidium":true}`, status: 200, contains: []string{`"presidium":true`}},
		{role: superuser, method: http.MethodDelete, url: other, status: 204, after: func(t testing.TB, app *tests.TestApp) {
			if _, err := app.FindRecordById("deputies", f.Deputy2); err == nil {
				t.Fatal("deputy still there after delete")
			}
		}},
	})
}

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "=", "%3D").Replace(s)
}
