package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// AccountPassword is the password of the demo's office and unit accounts:
// their collections want at least 10 characters. (The superuser keeps
// admin@demo.simeng / demo12345 and deputies demo12345: checks outside
// this repository log in with them.)
const AccountPassword = "demo-simeng-2026"

// The demo's office staff (联络员、工作人员).
var demoStaff = []struct{ name, phone, role, title string }{
	{"田联络", "13700000001", "liaison", "镇人大办主任"},
	{"龙文书", "13700000002", "clerk", "镇人大办工作人员"},
}

// The demo's handling units (承办单位): township departments and stations;
// each village's committee (村委会) follows.
var demoUnits = []struct{ name, kind, contact string }{
	{"镇应急办", "department", "杨主任"},
	{"镇村建设办", "department", "曾主任"},
	{"市场监管所", "station", "易所长"},
	{"农业综合服务中心", "station", "向主任"},
	{"派出所", "station", "全所长"},
	{"镇卫生院", "station", "覃院长"},
	{"自然资源所", "station", "丁所长"},
}

// StaffPhone is the login of the i-th demo staff account.
func StaffPhone(i int) string { return demoStaff[i].phone }

// UnitPhone is the login of the i-th handling unit (departments and
// stations first, then the village committees).
func UnitPhone(i int) string { return fmt.Sprintf("136000000%02d", i+1) }

func seedAccounts(app core.App) error {
	staff, err := app.FindCollectionByNameOrId("staff")
	if err != nil {
		return err
	}
	for _, s := range demoStaff {
		r := core.NewRecord(staff)
		r.Set("name", s.name)
		r.Set("phone", s.phone)
		r.Set("role", s.role)
		r.Set("title", s.title)
		r.Set("active", true)
		r.SetPassword(AccountPassword)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("staff %s: %w", s.name, err)
		}
	}

	units, err := app.FindCollectionByNameOrId("units")
	if err != nil {
		return err
	}
	villages, err := app.FindRecordsByFilter("villages", "", "code", 0, 0)
	if err != nil {
		return err
	}
	type unit struct{ name, kind, contact, village string }
	all := make([]unit, 0, len(demoUnits)+len(villages))
	for _, u := range demoUnits {
		all = append(all, unit{u.name, u.kind, u.contact, ""})
	}
	for _, v := range villages {
		all = append(all, unit{v.GetString("name") + "村委会", "village_committee", "", v.Id})
	}
	for i, u := range all {
		r := core.NewRecord(units)
		r.Set("name", u.name)
		r.Set("kind", u.kind)
		r.Set("contact_name", u.contact)
		r.Set("village", u.village)
		r.Set("phone", UnitPhone(i))
		r.Set("active", true)
		r.SetPassword(AccountPassword)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("unit %s: %w", u.name, err)
		}
	}
	return nil
}

// accountLogins are the office's and two units' logins, as printed.
func accountLogins(app core.App) ([]Login, error) {
	var out []Login
	for i := range demoStaff {
		out = append(out, Login{Role: "工作人员", Name: demoStaff[i].name, Phone: StaffPhone(i), Password: AccountPassword})
	}
	for _, i := range []int{0, len(demoUnits)} { // 镇应急办 and the first village committee
		u, err := app.FindFirstRecordByData("units", "phone", UnitPhone(i))
		if err != nil {
			return nil, err
		}
		out = append(out, Login{Role: "承办单位", Name: u.GetString("name"), Phone: UnitPhone(i), Password: AccountPassword})
	}
	return out, nil
}
