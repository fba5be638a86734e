package proposals

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/deadline"
	"simeng/hooks/audit"
	"simeng/hooks/internal/calendar"
	"simeng/proposal"
)

// dailyCron runs at 08:20 China time (00:20 UTC), after the hazards' job,
// before office hours.
const dailyCron = "20 0 * * *"

func bindDaily(app core.App) {
	app.Cron().MustAdd("proposals_daily", dailyCron, func() {
		if n, err := RunDaily(app, time.Now()); err != nil {
			app.Logger().Error("proposals daily job failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("proposals escalated or concluded", "count", n)
		}
	})
}

// RunDaily is the daily job: a proposal waiting for its unit's reply past
// the deadline is flagged overdue and reported to the presidium, and after
// deadline.EscalateAfterWorkdays more working days listed for 挂牌督办 (a
// deadline extended clears it); a reply whose rating window passed without
// a rating concludes the proposal (逾期未评价视为办结). It returns how many
// proposals changed.
func RunDaily(app core.App, now time.Time) (int, error) {
	s, err := ReadSettings(app)
	if err != nil {
		return 0, err
	}
	cal, err := calendar.Of(app)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = app.RunInTransaction(func(tx core.App) error {
		assigned, err := tx.FindRecordsByFilter(Collection, "status = 'assigned'", "deadline", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range assigned {
			stage := proposal.Overdue(cal, fromRecord(r), now)
			cur := deadline.Stage(r.GetString("escalation"))
			if stage == cur || (cur == "" && stage == deadline.StageNone) {
				continue
			}
			old := r.Fresh()
			r.Set("overdue", stage != deadline.StageNone)
			r.Set("escalation", string(stage))
			if stage != deadline.StageNone {
				r.Set("escalated_at", now)
			} else {
				r.Set("escalated_at", "")
			}
			if err := tx.Save(r); err != nil {
				return err
			}
			if stage != deadline.StageNone {
				if err := writeEvent(tx, r, "escalate", proposal.Actor{Role: proposal.RoleSystem}, "系统", stage.Label(), now); err != nil {
					return err
				}
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:proposals_daily"), Action: audit.ActionUpdate,
				Collection: Collection, RecordID: r.Id, Reason: "答复逾期",
				Changes: audit.Diff(old, r, "overdue", "escalation")}); err != nil {
				return err
			}
			changed++
		}

		answered, err := tx.FindRecordsByFilter(Collection, "status = 'answered'", "answered_at", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range answered {
			p := fromRecord(r)
			if !now.After(proposal.RatingDue(p, s.Config, cal)) {
				continue
			}
			refusal, err := applyStep(tx, r, proposal.Action{Kind: proposal.ActLapse}, proposal.Actor{Role: proposal.RoleSystem},
				audit.System("cron:proposals_daily"), "系统", now)
			if err != nil {
				return err
			}
			if refusal == nil {
				changed++
			}
		}
		return nil
	})
	return changed, err
}
