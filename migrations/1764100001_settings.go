package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// defaultAppName is the initial app name; staff change it in the admin UI
// (Settings → Application).
const defaultAppName = "思蒙镇智慧人大"

func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.Meta.AppName = defaultAppName
		// Offline sync uploads queued records in batches.
		s.Batch.Enabled = true
		s.Batch.MaxRequests = 100
		s.Batch.Timeout = 30
		s.Batch.MaxBodySize = 32 << 20
		// PocketBase's default rules (auth, create, batch, /api/) are kept and
		// switched on. They count per client IP; rural carriers put many
		// people behind one address, so the public resident routes add their
		// own per-code limits on top of these.
		s.RateLimits.Enabled = true
		s.Logs.MaxDays = 14
		// Residents' IPs are personal data (PIPL): not kept in request logs.
		s.Logs.LogIP = false
		s.Backups.Cron = "0 3 * * *" // 03:00 every day
		s.Backups.CronMaxKeep = 7
		return app.Save(s)
	}, nil)
}
