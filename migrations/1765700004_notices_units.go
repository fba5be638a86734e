package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Handling units (承办单位) receive in-app notices too (hooks/notify): a
// proposal or problem assigned to them, replies due soon or overdue,
// rectification items and project milestones near their deadline. A unit
// reads its own notices online, as it reads its inbox.
func init() {
	const before = `(deputy != "" && deputy = @request.auth.id && ` + ruleDeputy + `) || (staff != "" && staff = @request.auth.id && ` + ruleStaff + `)`
	const after = before + ` || (unit != "" && unit = @request.auth.id && ` + ruleUnit + `)`
	m.Register(func(app core.App) error {
		units, err := app.FindCollectionByNameOrId("units")
		if err != nil {
			return err
		}
		c, err := app.FindCollectionByNameOrId("notices")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1, CascadeDelete: true})
		if err := withHelp(c, map[string]string{"unit": "接收的承办单位"}); err != nil {
			return err
		}
		c.AddIndex("idx_notices_unit", false, "unit, read_at", "")
		c.ListRule = rule(after)
		c.ViewRule = rule(after)
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("notices")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_notices_unit")
		c.Fields.RemoveByName("unit")
		c.ListRule = rule(before)
		c.ViewRule = rule(before)
		return app.Save(c)
	})
}
