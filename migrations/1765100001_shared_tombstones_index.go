package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Deletions of a collection every deputy pulls (the learning board's
// articles) are read by collection in the pull's seq window: an index
// (collection, seq) serves that lookup in seq order, like the deputy's and
// the village's (1765100000_read_indexes).
func init() {
	const name = "idx_sync_tombstones_collection_seq"
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sync_tombstones")
		if err != nil {
			return err
		}
		c.AddIndex(name, false, "collection, seq", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sync_tombstones")
		if err != nil {
			return err
		}
		c.RemoveIndex(name)
		return app.Save(c)
	})
}
