package testapp

import (
	"github.com/pocketbase/pocketbase/core"
)

func seed(app core.App) error {
	fixture.tokens = map[string]string{}
	fixture.IDs = map[string]string{}

	su := core.NewRecord(mustCollection(app, core.CollectionNameSuperusers))
	su.SetEmail("staff@test.simeng")
	su.SetPassword(Password)
	if err := app.Save(su); err != nil {
		return err
	}
	if err := addToken(su, RoleSuperuser); err != nil {
		return err
	}

	var err error
	if fixture.VillageA, err = saveVillage(app, "思蒙湾村", "smw"); err != nil {
		return err
	}
	if fixture.VillageB, err = saveVillage(app, "桥头村", "qt"); err != nil {
		return err
	}

	deputies := []struct {
		role, name, phone, village string
		presidium, active          bool
		id                         *string
	}{
		{RoleDeputy, "张三", "13800000001", fixture.VillageA, false, true, &fixture.Deputy},
		{RoleDeputy2, "李四", "13800000002", fixture.VillageB, false, true, &fixture.Deputy2},
		{RolePresidium, "王主席", "13800000003", fixture.VillageA, true, true, &fixture.Presidium},
		{RoleInactive, "赵卸任", "13800000004", fixture.VillageB, false, false, &fixture.Inactive},
	}
	for _, d := range deputies {
		r := core.NewRecord(mustCollection(app, "deputies"))
		r.Set("name", d.name)
		r.Set("phone", d.phone)
		r.SetPassword(Password)
		r.Set("village", d.village)
		r.Set("level", "township")
		r.Set("presidium", d.presidium)
		r.Set("active", d.active)
		r.Set("term", "第十九届")
		if err := app.Save(r); err != nil {
			return err
		}
		*d.id = r.Id
		if err := addToken(r, d.role); err != nil {
			return err
		}
		if d.role == RoleDeputy {
			fixture.DeputyPhone = d.phone
			fixture.DeputyCode = r.GetString("code")
		}
	}

	village, err := app.FindRecordById("villages", fixture.VillageA)
	if err != nil {
		return err
	}
	village.Set("liaison", fixture.Presidium)
	if err := app.Save(village); err != nil {
		return err
	}
	return seedAccounts(app)
}

// seedAccounts adds the office's and a handling unit's accounts: staff
// 刘联络 (active), 陈离职 (deactivated after logging in) and the unit
// 镇应急办.
func seedAccounts(app core.App) error {
	accounts := []struct {
		collection, role, name, phone string
		extra                         map[string]any
		id                            *string
	}{
		{"staff", RoleStaff, "刘联络", "13700000001", map[string]any{"role": "liaison", "title": "人大办主任"}, &fixture.Staff},
		{"staff", RoleFormerStaff, "陈离职", "13700000002", map[string]any{"role": "clerk"}, &fixture.FormerStaff},
		{"units", RoleUnit, "镇应急办", "13700000003", map[string]any{"kind": "department", "contact_name": "周主任"}, &fixture.Unit},
	}
	for _, a := range accounts {
		r := core.NewRecord(mustCollection(app, a.collection))
		r.Set("name", a.name)
		r.Set("phone", a.phone)
		r.Set("active", true)
		for k, v := range a.extra {
			r.Set(k, v)
		}
		r.SetPassword(AccountPassword)
		if err := app.Save(r); err != nil {
			return err
		}
		*a.id = r.Id
		if err := addToken(r, a.role); err != nil {
			return err
		}
	}
	fixture.StaffPhone, fixture.UnitPhone = "13700000001", "13700000003"
	// Deactivated after its token was issued: the token must stop working.
	former, err := app.FindRecordById("staff", fixture.FormerStaff)
	if err != nil {
		return err
	}
	former.Set("active", false)
	return app.Save(former)
}

func saveVillage(app core.App, name, code string) (string, error) {
	r := core.NewRecord(mustCollection(app, "villages"))
	r.Set("name", name)
	r.Set("code", code)
	if err := app.Save(r); err != nil {
		return "", err
	}
	return r.Id, nil
}

func addToken(r *core.Record, role string) error {
	tok, err := r.NewAuthToken()
	if err != nil {
		return err
	}
	fixture.tokens[role] = tok
	return nil
}

func mustCollection(app core.App, name string) *core.Collection {
	c, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		panic(err)
	}
	return c
}
