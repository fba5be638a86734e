package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Hardening (issue 12), as the schema says it:
//
//   - households.phone and suggestions.resident_name are sealed at rest by
//     the PII vault like residents' phones: no pattern and room for the
//     sealed text (the hooks check the clear value before sealing);
//   - household_shares: households staff share with a deputy outside the
//     deputy's village; a deputy reads, pulls and visits the households of
//     their village, the ones they recorded and the ones shared with them,
//     no longer any household they once named in a visit;
//   - household_aliases: a deputy reads only the aliases they made (the
//     list of every alias named every household id);
//   - sync_conflicts.sealed: a conflict copy's hidden fields (a household's
//     phone), sealed and hidden; data keeps the rest;
//   - meetings.chair (主持/召集的主席团成员, who may show the check-in code
//     besides staff) and meetings.register_closed_at (签到已关闭);
//   - the default users collection, which nothing uses and anyone could
//     sign up to, is gone;
//   - the accounts' password help texts say the password policy.
func init() {
	m.Register(func(app core.App) error {
		return hardening(app, false)
	}, func(app core.App) error {
		return hardening(app, true)
	})
}

const (
	householdsRuleBefore = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || visits_via_household.deputy ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`
	householdsRuleAfter  = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (@request.auth.presidium = true || village = @request.auth.village || deputy = @request.auth.id || household_shares_via_household.deputy ?= @request.auth.id)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`
	aliasesRuleBefore    = `(@request.auth.collectionName = "deputies" && @request.auth.active = true) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`
	aliasesRuleAfter     = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`
	// shares: staff manage them; a deputy reads their own, the presidium all.
	sharesRead  = `(@request.auth.collectionName = "deputies" && @request.auth.active = true && (deputy = @request.auth.id || @request.auth.presidium = true)) || (@request.auth.collectionName = "staff" && @request.auth.active = true)`
	sharesWrite = `@request.auth.collectionName = "staff" && @request.auth.active = true`
)

func hardening(app core.App, down bool) error {
	if err := hardenHouseholds(app, down); err != nil {
		return err
	}
	if err := hardenSuggestions(app, down); err != nil {
		return err
	}
	if err := hardenConflicts(app, down); err != nil {
		return err
	}
	if err := hardenMeetings(app, down); err != nil {
		return err
	}
	if err := hardenPasswordsHelp(app, down); err != nil {
		return err
	}
	return hardenUsers(app, down)
}

func hardenHouseholds(app core.App, down bool) error {
	households, err := app.FindCollectionByNameOrId("households")
	if err != nil {
		return err
	}
	deputies, err := app.FindCollectionByNameOrId("deputies")
	if err != nil {
		return err
	}
	aliases, err := app.FindCollectionByNameOrId("household_aliases")
	if err != nil {
		return err
	}
	phone := households.Fields.GetByName("phone").(*core.TextField)
	if down {
		if err := deleteCollections(app, "household_shares"); err != nil {
			return err
		}
		phone.Pattern, phone.Max = `^1[3-9][0-9]{9}$`, 0
		phone.Help = "联系电话（可选；个人信息，仅登记的代表和工作人员可见）"
		if err := swapRules(households, householdsRuleAfter, householdsRuleBefore); err != nil {
			return err
		}
		if err := app.Save(households); err != nil {
			return err
		}
		if err := swapRules(aliases, aliasesRuleAfter, aliasesRuleBefore); err != nil {
			return err
		}
		return app.Save(aliases)
	}

	phone.Pattern, phone.Max = "", 200
	phone.Help = "联系电话（可选；个人信息，加密保存；登记的代表和工作人员看到号码，其他人只看到 139****0001）"
	if err := app.Save(households); err != nil {
		return err
	}

	shares := core.NewBaseCollection("household_shares")
	shares.ListRule = rule(sharesRead)
	shares.ViewRule = rule(sharesRead)
	shares.CreateRule = rule(sharesWrite)
	shares.UpdateRule = rule(sharesWrite)
	shares.DeleteRule = rule(sharesWrite)
	shares.Fields.Add(
		&core.RelationField{Name: "household", CollectionId: households.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
		&core.TextField{Name: "note", Max: 200},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	shares.AddIndex("idx_household_shares_deputy", true, "deputy, household", "")
	shares.AddIndex("idx_household_shares_household", false, "household", "")
	if err := withHelp(shares, map[string]string{
		"household": "共享的农户（不在该代表所在村）",
		"deputy":    "可以查看、走访这户的代表",
		"note":      "共享原因，例如 户主在外村居住、联系点调整",
	}); err != nil {
		return err
	}
	if err := app.Save(shares); err != nil {
		return err
	}

	if err := swapRules(households, householdsRuleBefore, householdsRuleAfter); err != nil {
		return err
	}
	if err := app.Save(households); err != nil {
		return err
	}
	if err := swapRules(aliases, aliasesRuleBefore, aliasesRuleAfter); err != nil {
		return err
	}
	return app.Save(aliases)
}

// swapRules replaces the list and view rules of c, which must be from.
func swapRules(c *core.Collection, from, to string) error {
	for _, r := range []**string{&c.ListRule, &c.ViewRule} {
		if *r == nil || **r != from {
			return fmt.Errorf("%s: rule is not the one this migration expects: %v", c.Name, *r)
		}
		*r = rule(to)
	}
	return nil
}

func hardenSuggestions(app core.App, down bool) error {
	s, err := app.FindCollectionByNameOrId("suggestions")
	if err != nil {
		return err
	}
	name := s.Fields.GetByName("resident_name").(*core.TextField)
	if down {
		name.Max = 20
		name.Help = "群众姓名（个人信息，可不填；仅工作人员和负责代表可见）"
	} else {
		name.Max = 200
		name.Help = "群众姓名（个人信息，可不填，不超过20个字；加密保存；仅工作人员和负责代表可见）"
	}
	return app.Save(s)
}

func hardenConflicts(app core.App, down bool) error {
	c, err := app.FindCollectionByNameOrId("sync_conflicts")
	if err != nil {
		return err
	}
	if down {
		c.Fields.RemoveByName("sealed")
		return app.Save(c)
	}
	c.Fields.Add(&core.TextField{Name: "sealed", Max: 20000, Hidden: true})
	if err := withHelp(c, map[string]string{
		"sealed": "副本中的个人信息（例如农户电话），加密保存；只有上传的代表和工作人员能通过 /api/sync/conflicts/{id} 看到",
	}); err != nil {
		return err
	}
	return app.Save(c)
}

func hardenMeetings(app core.App, down bool) error {
	meetings, err := app.FindCollectionByNameOrId("meetings")
	if err != nil {
		return err
	}
	if down {
		meetings.Fields.RemoveByName("chair")
		meetings.Fields.RemoveByName("register_closed_at")
		return app.Save(meetings)
	}
	deputies, err := app.FindCollectionByNameOrId("deputies")
	if err != nil {
		return err
	}
	meetings.Fields.Add(
		&core.RelationField{Name: "chair", CollectionId: deputies.Id, MaxSelect: 1},
		&core.DateField{Name: "register_closed_at"},
	)
	if err := withHelp(meetings, map[string]string{
		"chair":              "主持或召集会议的主席团成员：除工作人员外，只有他能在会场显示签到码",
		"register_closed_at": "签到关闭时间：工作人员登记缺席（关闭签到）后，不能再扫码签到；由服务器填写",
	}); err != nil {
		return err
	}
	return app.Save(meetings)
}

func hardenPasswordsHelp(app core.App, down bool) error {
	texts := map[string][2]string{
		"deputies": {"登录密码（至少8位）", "登录密码（至少10位，不能全是数字、不能含本人手机号、不能是常见密码）"},
		"staff":    {"登录密码（至少10位）", "登录密码（至少10位，不能全是数字、不能含本人手机号、不能是常见密码）"},
		"units":    {"登录密码（至少10位）", "登录密码（至少10位，不能全是数字、不能含本人手机号、不能是常见密码）"},
	}
	for name, t := range texts {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		help := t[1]
		if down {
			help = t[0]
		}
		c.Fields.GetByName("password").(*core.PasswordField).Help = help
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}

// hardenUsers removes PocketBase's default users collection (open sign-up:
// its create rule is empty). Down brings it back closed.
func hardenUsers(app core.App, down bool) error {
	if !down {
		return deleteCollections(app, "users")
	}
	if _, err := app.FindCollectionByNameOrId("users"); err == nil {
		return nil
	}
	users := core.NewAuthCollection("users", "_pb_users_auth_")
	users.Fields.Add(
		&core.TextField{Name: "name", Max: 255},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	return app.Save(users)
}
