package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A year of visits is read into memory (the kept year behind the
// presidium's progress and the assessment's recompute) deputy by deputy,
// so that a deputy's counts stay in the processor's cache while its
// visits come, where a year read in date order reached a different
// deputy's counts at each visit: at a county's size a cache miss a visit.
// The deputy's index carries what the count reads (its prefix is the
// index it was), so the read never touches the table.
func init() {
	const name = "idx_visits_deputy_visited"
	m.Register(func(app core.App) error {
		return setIndex(app, "visits", name, "deputy, visited_at, household, late, review, callback, signed, id")
	}, func(app core.App) error {
		return setIndex(app, "visits", name, "deputy, visited_at")
	})
}
