package durability

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SQLite's planner reads the statistics ANALYZE leaves in sqlite_stat1.
// PocketBase runs PRAGMA optimize after a migration changes a table, when
// a new township's visits are nearly empty, and the statistics then say
// visits holds one row: the planner read the whole table for a deputy's
// visits of an hour (3 ms at 10,000 visits, at every save). PocketBase's
// nightly PRAGMA optimize did not renew them: without 0x10000 it looks
// only at the tables its own connection has read. And a connection loads
// the statistics once, when it opens: pooled connections of a busy server
// kept the old ones after any ANALYZE.
//
// So the statistics are renewed at start and every hour (PRAGMA optimize
// analyses only the tables that grew or shrank a lot since their last
// analysis: cheap otherwise), and no connection lives longer than an hour.
const (
	statisticsJob = "simeng_db_statistics"
	connLifetime  = time.Hour
)

func bindStatistics(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// Route tables built by tests have no server: their query-plan
		// checks judge the plans without statistics and after ANALYZE.
		if se.Server == nil {
			return se.Next()
		}
		for _, b := range []dbx.Builder{se.App.ConcurrentDB(), se.App.NonconcurrentDB()} {
			if db, ok := b.(*dbx.DB); ok {
				db.DB().SetConnMaxLifetime(connLifetime)
			}
		}
		if err := RenewStatistics(se.App); err != nil {
			se.App.Logger().Warn("PRAGMA optimize at start", "error", err.Error())
		}
		se.App.Cron().MustAdd(statisticsJob, "17 * * * *", func() {
			if err := RenewStatistics(se.App); err != nil {
				se.App.Logger().Warn("hourly PRAGMA optimize", "error", err.Error())
			}
		})
		return se.Next()
	})
}

// RenewStatistics analyses the tables of the main database whose
// statistics are out of date (PRAGMA optimize over every table: 0x10000).
// Connections opened from now on plan with them; open ones do after
// connLifetime.
func RenewStatistics(app core.App) error {
	_, err := app.NonconcurrentDB().NewQuery("PRAGMA optimize=0x10002").Execute()
	return err
}
