package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The assessment's recompute reads a year of suggestions (a county's
// 50,000) by received_at for every deputy's on-time and satisfaction
// figures. Through an index of received_at alone each row was then read
// from the table, and the rows of one year lie wherever they were written
// (paper cases entered weeks late, imports): a page read a row at a
// county's size. The received_at index carries what that read selects
// (its prefix is the index it was), so the read never touches the table.
func init() {
	const name = "idx_suggestions_received"
	m.Register(func(app core.App) error {
		return setIndex(app, "suggestions", name, "received_at, id, deputy, moderation, tracking, category, status, "+
			"ack_due, feedback_due, acknowledged_at, answered_at, ack_overdue, feedback_overdue, satisfaction, source, entered_by")
	}, func(app core.App) error {
		return setIndex(app, "suggestions", name, "received_at")
	})
}
