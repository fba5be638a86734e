package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// phonePattern accepts mainland China mobile numbers only (R1); hooks
// normalise spaces, dashes and a +86 prefix away before validation.
const phonePattern = `^1[3-9][0-9]{9}$`

func init() {
	m.Register(func(app core.App) error {
		villages := core.NewBaseCollection("villages")
		villages.ListRule = rule(ruleDeputy)
		villages.ViewRule = rule(ruleDeputy)
		villages.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 40, Presentable: true},
			&core.TextField{Name: "code", Required: true, Max: 20, Pattern: `^[A-Za-z0-9_-]+$`},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		villages.AddIndex("idx_villages_name", true, "name", "")
		villages.AddIndex("idx_villages_code", true, "code", "")
		if err := withHelp(villages, map[string]string{
			"name": "村（社区）名称，例如 思蒙湾村",
			"code": "村编码，字母或数字，唯一",
		}); err != nil {
			return err
		}
		if err := app.Save(villages); err != nil {
			return err
		}

		deputies := core.NewAuthCollection("deputies")
		// Every deputy sees the roster (names, villages, roles); personal data
		// (phone, email) stays hidden, see hooks/roster.
		deputies.ListRule = rule(ruleDeputy)
		deputies.ViewRule = rule(ruleDeputy)
		// Staff create and delete deputies. A deputy may edit only the parts of
		// their own profile that are theirs to edit: intro, photo, password.
		deputies.UpdateRule = rule(`id = @request.auth.id && ` + ruleDeputy +
			` && @request.body.name:isset = false && @request.body.phone:isset = false` +
			` && @request.body.village:isset = false && @request.body.constituency:isset = false` +
			` && @request.body.level:isset = false && @request.body.presidium:isset = false` +
			` && @request.body.term:isset = false && @request.body.active:isset = false` +
			` && @request.body.code:isset = false && @request.body.verified:isset = false` +
			` && @request.body.email:isset = false && @request.body.gender:isset = false`)
		deputies.AuthRule = rule("active = true")
		deputies.PasswordAuth.Enabled = true
		deputies.PasswordAuth.IdentityFields = []string{"phone"}
		// Deputies work offline for days: a month-long token keeps them logged
		// in; the PWA refreshes it whenever it is online.
		deputies.AuthToken.Duration = 30 * 24 * 3600

		email := deputies.Fields.GetByName("email").(*core.EmailField)
		email.Required = false

		deputies.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 20, Presentable: true},
			&core.TextField{Name: "phone", Required: true, Pattern: phonePattern, Hidden: true},
			&core.SelectField{Name: "gender", Values: []string{"男", "女"}, MaxSelect: 1},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "constituency", Max: 60},
			&core.SelectField{Name: "level", Values: []string{"county", "township"}, MaxSelect: 1, Required: true},
			&core.BoolField{Name: "presidium"},
			&core.TextField{Name: "term", Max: 40},
			&core.BoolField{Name: "active"},
			&core.TextField{Name: "code", Required: true, Min: 8, Max: 16, Pattern: `^[a-z0-9]+$`},
			&core.TextField{Name: "intro", Max: 300},
			&core.FileField{Name: "avatar", MaxSelect: 1, MaxSize: 2 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp"}, Thumbs: []string{"160x160"}},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		deputies.AddIndex("idx_deputies_phone", true, "phone", "")
		deputies.AddIndex("idx_deputies_code", true, "code", "")
		deputies.AddIndex("idx_deputies_village", false, "village", "")
		if err := withHelp(deputies, map[string]string{
			"email":        "电子邮箱（可选，不公开）",
			"password":     "登录密码（至少8位）",
			"name":         "代表姓名",
			"phone":        "手机号，用于登录；个人信息，仅本人和工作人员可见",
			"gender":       "性别",
			"village":      "所在村（社区）",
			"constituency": "选区",
			"level":        "代表层级：county 县人大代表，township 镇人大代表",
			"presidium":    "是否主席团成员（可查看全体代表的履职记录）",
			"term":         "届次，例如 第十九届",
			"active":       "在任；取消勾选后不能登录",
			"code":         "代表码编号（随机生成，用于二维码公开页面，不要改成姓名或手机号）",
			"intro":        "简介，显示在代表码公开页面",
			"avatar":       "照片，显示在代表码公开页面和联系卡上",
		}); err != nil {
			return err
		}
		if err := app.Save(deputies); err != nil {
			return err
		}

		// 包联: each presidium member is paired with one village.
		villages.Fields.Add(&core.RelationField{Name: "liaison", CollectionId: deputies.Id, MaxSelect: 1,
			Help: "包联该村的主席团成员"})
		return app.Save(villages)
	}, func(app core.App) error {
		// villages.liaison points at deputies: it goes first.
		if villages, err := app.FindCollectionByNameOrId("villages"); err == nil {
			villages.Fields.RemoveByName("liaison")
			if err := app.Save(villages); err != nil {
				return err
			}
		}
		return deleteCollections(app, "deputies", "villages")
	})
}
