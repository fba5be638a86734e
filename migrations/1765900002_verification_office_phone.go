package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The callback check's SMS notice (issue 21) tells a household which number
// to call if a visit did not happen: the township office's, a setting
// (verification_settings.office_phone) the notice cannot go without.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("verification_settings")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.TextField{Name: "office_phone", Max: 20, Pattern: `^[0-9][0-9-]{6,19}$`})
		if err := withHelp(c, map[string]string{
			"office_phone": "镇人大办公室电话（如 0838-6512345），写在回访短信里供农户核实",
		}); err != nil {
			return err
		}
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("verification_settings")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("office_phone")
		return app.Save(c)
	})
}
