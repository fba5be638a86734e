package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A record captured on a phone (a visit, an inspection, a hazard found)
// holds at most 3 photos: the phone downscales them to 400 KB together, so
// they go up a 2G link in seconds, and the PWA never offered more. The
// fields allowed 6. Records already holding more keep them; saving such a
// record again needs the extra photos removed first.
func init() {
	const photosHelp = "现场照片（最多3张，每张不超过5MB，仅本人、主席团和工作人员可见）"
	setMax := func(app core.App, max int, help string) error {
		for _, name := range []string{"visits", "inspections", "hazards"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.GetByName("photos").(*core.FileField).MaxSelect = max
			if name == "visits" {
				if err := withHelp(c, map[string]string{"photos": help}); err != nil {
					return err
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error {
		return setMax(app, 3, photosHelp)
	}, func(app core.App) error {
		return setMax(app, 6, "现场照片（每张不超过5MB，仅本人、主席团和工作人员可见）")
	})
}
