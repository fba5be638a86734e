package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/notify"
)

// seedNotices leaves the notification outbox as the office would find it
// on the demo's day: the seeding entered months of history at once, so the
// messages it queued about matters settled since are dropped, and today's
// deadline job runs (units and deputies see what is due or overdue now).
func seedNotices(app core.App) error {
	if _, err := notify.DropSettled(app); err != nil {
		return err
	}
	return notify.RunDeadlines(app, time.Now())
}
