package suggestions

import (
	"time"

	"simeng/hooks/audit"
	"simeng/hooks/roster"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

func bindSuggestionCron(app core.App) {
	app.Cron().MustAdd("suggestions_overdue", "*/10 * * * *", func() {
		if _, err := MarkOverdue(app, time.Now()); err != nil {
			app.Logger().Error("mark overdue suggestions", "error", err)
		}
	})
}

// MarkOverdue flags suggestions past their acknowledgement (24h)
// or feedback (5 working days) deadline at now and escalates them to the
// presidium: escalated_at, and escalated_to the presidium member paired
// (包联) with the village. Presidium members read every suggestion and filter
// on these. It returns how many records it changed.
func MarkOverdue(app core.App, now time.Time) (int, error) {
	at := now.UTC().Format("2006-01-02 15:04:05.000Z")
	late, err := app.FindRecordsByFilter("suggestions",
		`moderation != "spam" && (`+
			`(status = "received" && ack_overdue = false && ack_due != "" && ack_due < {:now}) || `+
			`((status = "received" || status = "acknowledged") && feedback_overdue = false && feedback_due != "" && feedback_due < {:now}))`,
		"received_at", 0, 0, dbx.Params{"now": at})
	if err != nil {
		return 0, err
	}
	for _, r := range late {
		old := r.Original()
		st := r.GetString("status")
		if st == statusReceived && r.GetDateTime("ack_due").Time().Before(now) {
			r.Set("ack_overdue", true)
		}
		if r.GetDateTime("feedback_due").Time().Before(now) {
			r.Set("feedback_overdue", true)
		}
		if r.GetDateTime("escalated_at").IsZero() {
			r.Set("escalated_at", now.UTC())
			r.Set("escalated_to", roster.VillageLiaison(app, r.GetString("village")))
		}
		err := app.RunInTransaction(func(tx core.App) error {
			if err := tx.Save(r); err != nil {
				return err
			}
			return audit.Write(tx, audit.Entry{Actor: audit.System("cron:suggestions_overdue"), Action: audit.ActionUpdate,
				Collection: "suggestions", RecordID: r.Id, Reason: "超期，提交主席团督办",
				Changes: audit.Diff(old, r, "ack_overdue", "feedback_overdue", "escalated_at", "escalated_to")})
		})
		if err != nil {
			return 0, err
		}
		// Ids only: the log never holds what residents wrote or who they are.
		app.Logger().Warn("suggestion overdue, escalated to the presidium",
			"suggestion", r.Id, "deputy", r.GetString("deputy"), "status", st)
	}
	return len(late), nil
}
