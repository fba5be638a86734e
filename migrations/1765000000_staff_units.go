package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Rules of the accounts this migration adds (frozen with it).
const (
	// ruleStaff: an active office account (联络员、工作人员).
	ruleStaff = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	// ruleUnit: an active handling unit (承办单位).
	ruleUnit = `@request.auth.collectionName = "units" && @request.auth.active = true`
)

// Office staff get accounts of their own, without superuser powers
// (PocketBase's settings, collections, backups and logs APIs and the admin
// UI stay superuser-only): superusers remain the technician's. Handling
// units (承办单位: 镇直部门、站所、村委会) get accounts too; what is
// assigned to them comes with later migrations. Both log in with phone +
// password like deputies; passwords are at least 10 characters.
func init() {
	m.Register(func(app core.App) error {
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}

		staff := core.NewAuthCollection("staff")
		staff.ListRule = rule(`id = @request.auth.id`)
		staff.ViewRule = rule(`id = @request.auth.id`)
		// Superusers create and deactivate staff; a staff member changes
		// only their own password (PocketBase asks for the old one).
		staff.UpdateRule = rule(`id = @request.auth.id && ` + ruleStaff +
			` && @request.body.name:isset = false && @request.body.phone:isset = false` +
			` && @request.body.role:isset = false && @request.body.title:isset = false` +
			` && @request.body.active:isset = false && @request.body.email:isset = false` +
			` && @request.body.verified:isset = false`)
		staff.AuthRule = rule("active = true")
		staff.PasswordAuth.Enabled = true
		staff.PasswordAuth.IdentityFields = []string{"phone"}
		staff.AuthToken.Duration = 7 * 24 * 3600
		accountFields(staff)
		staff.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 20, Presentable: true},
			&core.TextField{Name: "phone", Required: true, Pattern: phonePattern, Hidden: true},
			&core.SelectField{Name: "role", Values: []string{"liaison", "clerk"}, MaxSelect: 1, Required: true},
			&core.TextField{Name: "title", Max: 40},
			&core.BoolField{Name: "active"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		staff.AddIndex("idx_staff_phone", true, "phone", "")
		if err := withHelp(staff, map[string]string{
			"email":    "电子邮箱（可选，不公开）",
			"password": "登录密码（至少10位）",
			"name":     "姓名",
			"phone":    "手机号，用于登录；个人信息，不公开",
			"role":     "岗位：liaison 联络员，clerk 工作人员",
			"title":    "职务，例如 人大办主任",
			"active":   "在岗；取消勾选后不能登录",
		}); err != nil {
			return err
		}
		if err := app.Save(staff); err != nil {
			return err
		}

		units := core.NewAuthCollection("units")
		units.ListRule = rule(`id = @request.auth.id || (` + ruleStaff + `)`)
		units.ViewRule = rule(`id = @request.auth.id || (` + ruleStaff + `)`)
		units.CreateRule = rule(ruleStaff)
		units.UpdateRule = rule(`(` + ruleStaff + `) || (id = @request.auth.id && ` + ruleUnit +
			` && @request.body.name:isset = false && @request.body.phone:isset = false` +
			` && @request.body.kind:isset = false && @request.body.village:isset = false` +
			` && @request.body.contact_name:isset = false && @request.body.active:isset = false` +
			` && @request.body.email:isset = false && @request.body.verified:isset = false)`)
		units.DeleteRule = rule(ruleStaff)
		// Staff set a unit's password without the old one (a reset).
		units.ManageRule = rule(ruleStaff)
		units.AuthRule = rule("active = true")
		units.PasswordAuth.Enabled = true
		units.PasswordAuth.IdentityFields = []string{"phone"}
		// Village committees work from phones on poor links, like deputies.
		units.AuthToken.Duration = 30 * 24 * 3600
		accountFields(units)
		units.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 40, Presentable: true},
			&core.SelectField{Name: "kind", Values: []string{"department", "station", "village_committee", "other"}, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.TextField{Name: "contact_name", Max: 20},
			&core.TextField{Name: "phone", Required: true, Pattern: phonePattern, Hidden: true},
			&core.BoolField{Name: "active"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		units.AddIndex("idx_units_phone", true, "phone", "")
		units.AddIndex("idx_units_name", true, "name", "")
		if err := withHelp(units, map[string]string{
			"email":        "电子邮箱（可选，不公开）",
			"password":     "登录密码（至少10位）",
			"name":         "单位名称，例如 镇应急办",
			"kind":         "类别：department 镇直部门，station 站所，village_committee 村委会，other 其他",
			"village":      "村委会所在的村（类别为村委会时必填）",
			"contact_name": "联系人姓名",
			"phone":        "联系人手机号，用于登录；不公开",
			"active":       "启用；取消勾选后不能登录",
		}); err != nil {
			return err
		}
		return app.Save(units)
	}, func(app core.App) error {
		return deleteCollections(app, "units", "staff")
	})
}

// accountFields makes an auth collection's e-mail optional (accounts log in
// by phone) and its passwords at least 10 characters.
func accountFields(c *core.Collection) {
	c.Fields.GetByName("email").(*core.EmailField).Required = false
	c.Fields.GetByName("password").(*core.PasswordField).Min = 10
}
