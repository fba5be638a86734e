package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Every read the platform makes often has an index, found by EXPLAIN QUERY
// PLAN on 100,000 visits (the test that keeps them is
// internal/queryplan):
//
//   - visits by created: the admin list and SDK clients sort by it;
//   - a deputy's pull, each source by seq after the lookup that scopes it
//     (visits and households by deputy, households by village, tombstones
//     by deputy and by village), so a page comes in seq order without a
//     sort; households by village alone is the prefix of the new index;
//   - a year of visits as the ≥12 households rule counts it (the
//     presidium's progress, the year kept in memory), read from the index
//     alone: visited_at first, then what the rule counts.
func init() {
	type index struct {
		collection, name, columns string
	}
	added := []index{
		{"visits", "idx_visits_created", "created"},
		{"visits", "idx_visits_deputy_seq", "deputy, seq"},
		{"visits", "idx_visits_year_tally", "visited_at, deputy, household, late, id"},
		{"households", "idx_households_village_seq", "village, seq"},
		{"households", "idx_households_deputy_seq", "deputy, seq"},
		{"sync_tombstones", "idx_sync_tombstones_deputy_seq", "deputy, seq"},
		{"sync_tombstones", "idx_sync_tombstones_village_seq", "village, seq"},
	}
	// replaced by idx_households_village_seq, whose first column it was
	replaced := index{"households", "idx_households_village", "village"}

	change := func(app core.App, add, remove []index) error {
		for _, name := range []string{"visits", "households", "sync_tombstones"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, ix := range remove {
				if ix.collection == name {
					c.RemoveIndex(ix.name)
				}
			}
			for _, ix := range add {
				if ix.collection == name {
					c.AddIndex(ix.name, false, ix.columns, "")
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error {
		return change(app, added, []index{replaced})
	}, func(app core.App) error {
		return change(app, []index{replaced}, added)
	})
}
