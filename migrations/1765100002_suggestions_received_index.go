package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The assessment asks, on every rescore, whether the year recorded any
// suggestion cases at all, and reads a year's suggestions for the whole
// township: both by received_at, which had no index (the query-plan test
// found the year scanned).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		c.AddIndex("idx_suggestions_received", false, "received_at", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_suggestions_received")
		return app.Save(c)
	})
}
