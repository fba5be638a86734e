package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The year's meeting plan (meeting_rhythm) may plan 述职评议会 too, the
// meeting kind 1765600001 added for deputies reporting to their voters.
func init() {
	kindField := func(app core.App) (*core.Collection, *core.SelectField, error) {
		c, err := app.FindCollectionByNameOrId("meeting_rhythm")
		if err != nil {
			return nil, nil, err
		}
		return c, c.Fields.GetByName("kind").(*core.SelectField), nil
	}
	m.Register(func(app core.App) error {
		c, kind, err := kindField(app)
		if err != nil {
			return err
		}
		if !slices.Contains(kind.Values, "duty_review") {
			kind.Values = append(kind.Values, "duty_review")
		}
		return app.Save(c)
	}, func(app core.App) error {
		c, kind, err := kindField(app)
		if err != nil {
			return err
		}
		kind.Values = slices.DeleteFunc(kind.Values, func(v string) bool { return v == "duty_review" })
		return app.Save(c)
	})
}
