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
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPatch, URL: one, Body: update, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: one, Body: update, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: one, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPatch, URL: one, Body: update, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`, "思蒙湾村"}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":2`, "思蒙湾村"}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"新村"}},
		{Role: staff, Method: http.MethodPatch, URL: one, Body: update, Status: 200, Contains: []string{"改名村"}},
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
	create := `{"name":"新代表","phone":"13900009999","password":"qiaotou-2026x","passwordConfirm":"qiaotou-2026x","village":"` + f.VillageA + `","level":"township","active":true}`
	phone := f.DeputyPhone
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
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
		{Role: deputy, Method: http.MethodDelete, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodDelete, URL: other, Status: 404, Contains: testapp.NotFoundBody},
		// personal data: another deputy's phone is never shown, nor searchable
		{Role: deputy, Method: http.MethodGet, URL: other, Status: 200, Contains: []string{"李四"}, Absent: []string{"13800000002", `"phone"`}},
		{Role: presidium, Method: http.MethodGet, URL: self, Status: 200, Contains: []string{"张三"}, Absent: []string{phone}},
		{Role: deputy2, Method: http.MethodGet, URL: list + "?filter=" + testapp.URLQuery(`phone="`+phone+`"`), Status: 400, Contains: []string{`"status":400`}, Absent: []string{phone}},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: other, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPatch, URL: other, Body: `{"active":false}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodGet, URL: other, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodPatch, URL: other, Body: `{"active":false}`, Status: 404, Contains: testapp.NotFoundBody},
		// allowed
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`}, Absent: []string{"13800000002", "13800000003"}},
		// staff read phones in full, as superusers do, and keep the roster
		{Role: staff, Method: http.MethodGet, URL: other, Status: 200, Contains: []string{"13800000002"}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":4`, "13800000003"}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"新代表", `"code":"`, "13900009999"}},
		{Role: staff, Method: http.MethodPatch, URL: other, Body: `{"phone":"13912345678"}`, Status: 200, Contains: []string{"13912345678"}},
		{Role: staff, Method: http.MethodPatch, URL: other, Body: `{"presidium":true,"active":false}`, Status: 200, Contains: []string{`"presidium":true`, `"active":false`}},
		// a password reset without the old password (ManageRule)
		{Role: staff, Method: http.MethodPatch, URL: other, Body: `{"password":"new-pass-2026","passwordConfirm":"new-pass-2026"}`, Status: 200, Contains: []string{f.Deputy2},
			After: func(t testing.TB, app *tests.TestApp) {
				if r, err := app.FindRecordById("deputies", f.Deputy2); err != nil || !r.ValidatePassword("new-pass-2026") {
					t.Fatal("staff could not reset a deputy's password")
				}
			}},
		{Role: staff, Method: http.MethodDelete, URL: other, Status: 204},
		{Role: deputy, Method: http.MethodGet, URL: self, Status: 200, Contains: []string{phone, f.DeputyCode}},
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"intro":"我负责思蒙湾村一组到三组"}`, Status: 200, Contains: []string{"一组到三组"}},
		// a deputy still cannot reset another's password, nor their own without the old one
		{Role: deputy, Method: http.MethodPatch, URL: self, Body: `{"password":"new-pass-2026","passwordConfirm":"new-pass-2026"}`, Status: 400, Contains: []string{"oldPassword"}},
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

// Staff accounts: each sees only itself; only superusers create, change or
// remove them; a staff member changes only their own password.
func TestRulesStaffAccounts(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/staff/records"
	self := list + "/" + f.Staff
	former := list + "/" + f.FormerStaff
	create := `{"name":"新同事","phone":"13700009999","role":"clerk","active":true,"password":"staff-pass-2026","passwordConfirm":"staff-pass-2026"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: staff, Method: http.MethodGet, URL: former, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPatch, URL: self, Body: `{"active":true,"role":"clerk"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodPatch, URL: former, Body: `{"active":true}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: formerStaff, Method: http.MethodPatch, URL: former, Body: `{"title":"复职"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: staff, Method: http.MethodDelete, URL: self, Status: 403, Contains: testapp.Forbidden},
		// a password needs 10 characters, and the old one
		{Role: staff, Method: http.MethodPatch, URL: self, Body: `{"password":"short-1","passwordConfirm":"short-1","oldPassword":"` + testapp.AccountPassword + `"}`, Status: 400, Contains: []string{`"password"`}},
		{Role: staff, Method: http.MethodPatch, URL: self, Body: `{"password":"staff-pass-2026","passwordConfirm":"staff-pass-2026"}`, Status: 400, Contains: []string{"oldPassword"}},
		// allowed
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`, "刘联络", f.StaffPhone}},
		{Role: staff, Method: http.MethodPatch, URL: self, Body: `{"password":"staff-pass-2026","passwordConfirm":"staff-pass-2026","oldPassword":"` + testapp.AccountPassword + `"}`, Status: 200, Contains: []string{f.Staff}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"新同事"}},
		{Role: superuser, Method: http.MethodPatch, URL: self, Body: `{"active":false}`, Status: 200, Contains: []string{`"active":false`}},
		// the phone is stored normalised, and unique
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"name":"新同事","phone":"+86 137-0000-9999","role":"clerk","active":true,"password":"staff-pass-2026","passwordConfirm":"staff-pass-2026"}`,
			Status: 200, Contains: []string{`"phone":"13700009999"`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"name":"重复","phone":"` + f.StaffPhone + `","role":"clerk","active":true,"password":"staff-pass-2026","passwordConfirm":"staff-pass-2026"}`,
			Status: 400, Contains: []string{`"phone"`}},
	})
}

// Handling units (承办单位): staff create and manage them; a unit sees only
// its own account.
func TestRulesUnits(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/units/records"
	self := list + "/" + f.Unit
	create := `{"name":"桥头村村委会","kind":"village_committee","village":"` + f.VillageB + `","contact_name":"向书记","phone":"13700008888","active":true,"password":"unit-pass-2026","passwordConfirm":"unit-pass-2026"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		// denied first
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: guest, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: formerStaff, Method: http.MethodPost, URL: list, Body: create, Status: 400, Contains: testapp.DeniedCreate},
		{Role: unit, Method: http.MethodPatch, URL: self, Body: `{"name":"改名"}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPatch, URL: self, Body: `{"active":true}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPatch, URL: self, Body: `{"active":false}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodDelete, URL: self, Status: 404, Contains: testapp.NotFoundBody},
		// a village committee names its village; a password has 10 characters
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"name":"x村委会","kind":"village_committee","phone":"13700007777","active":true,"password":"unit-pass-2026","passwordConfirm":"unit-pass-2026"}`,
			Status: 400, Contains: []string{`"village"`, "村委会请选择所在的村"}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: `{"name":"x所","kind":"station","phone":"13700007777","active":true,"password":"short-1","passwordConfirm":"short-1"}`,
			Status: 400, Contains: []string{`"password"`}},
		// allowed
		{Role: unit, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":1`, "镇应急办", f.UnitPhone}},
		{Role: staff, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{"镇应急办", f.UnitPhone}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: create, Status: 200, Contains: []string{"桥头村村委会", "13700008888"}},
		{Role: staff, Method: http.MethodPatch, URL: self, Body: `{"contact_name":"吴主任","password":"unit-reset-2026","passwordConfirm":"unit-reset-2026"}`, Status: 200, Contains: []string{"吴主任"},
			After: func(t testing.TB, app *tests.TestApp) {
				if r, err := app.FindRecordById("units", f.Unit); err != nil || !r.ValidatePassword("unit-reset-2026") {
					t.Fatal("staff could not reset a unit's password")
				}
			}},
		{Role: unit, Method: http.MethodPatch, URL: self, Body: `{"password":"unit-pass-2026","passwordConfirm":"unit-pass-2026","oldPassword":"` + testapp.AccountPassword + `"}`, Status: 200, Contains: []string{f.Unit}},
		{Role: staff, Method: http.MethodDelete, URL: self, Status: 204},
	})
}

// Staff do the office's work without superuser powers: PocketBase keeps its
// settings, collections (schema), backups, logs, crons and superusers to
// superusers, whatever the collections' rules say.
func TestStaffHaveNoSuperuserPowers(t *testing.T) {
	var cases []testapp.RuleCase
	for _, role := range []string{staff, unit} {
		cases = append(cases,
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/settings", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodPatch, URL: "/api/settings", Body: `{"meta":{"appName":"x"}}`, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/collections", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodPatch, URL: "/api/collections/deputies", Body: `{"listRule":""}`, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodDelete, URL: "/api/collections/audit_log", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/backups", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodPost, URL: "/api/backups", Body: `{"name":"x.zip"}`, Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/logs", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/crons", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodGet, URL: "/api/collections/_superusers/records", Status: 403, Contains: testapp.Forbidden},
			testapp.RuleCase{Role: role, Method: http.MethodPost, URL: "/api/collections/_superusers/records",
				Body: `{"email":"x@example.cn","password":"1234567890","passwordConfirm":"1234567890"}`, Status: 403, Contains: testapp.Forbidden},
		)
	}
	// the technician keeps them
	cases = append(cases, testapp.RuleCase{Role: superuser, Method: http.MethodGet, URL: "/api/settings", Status: 200, Contains: []string{`"meta"`}})
	testapp.RunRuleCases(t, cases)
}
