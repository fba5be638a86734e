package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hazard"
	"simeng/workdays"
)

// overdueCron runs at 08:10 China time (00:10 UTC), before office hours, so
// the presidium's morning list is current.
const overdueCron = "10 0 * * *"

// autoSupervisedBy is the supervised_by of hazards listed for supervision by
// the overdue job rather than by a person.
const autoSupervisedBy = "系统（逾期超过5个工作日自动挂牌）"

func bindHazardsOverdue(app core.App) {
	app.Cron().MustAdd("hazards_overdue", overdueCron, func() {
		if n, err := FlagOverdueHazards(app, time.Now()); err != nil {
			app.Logger().Error("overdue hazards check failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("overdue hazards escalated", "count", n)
		}
	})
}

// FlagOverdueHazards is the daily overdue job. A hazard still waiting for
// rectification after its deadline is flagged overdue and reported to the
// presidium; after EscalateAfterWorkdays more working days it is listed for
// supervision (挂牌督办) by the system. A hazard whose deadline was extended
// loses its overdue flag. It returns how many hazards changed.
func FlagOverdueHazards(app core.App, now time.Time) (int, error) {
	cal := workdays.New()
	changed := 0
	err := app.RunInTransaction(func(tx core.App) error {
		pending, err := tx.FindRecordsByFilter("hazards", "status = 'open' || status = 'rectifying'", "deadline", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range pending {
			stage := hazard.Overdue(cal, hazard.Status(r.GetString("status")), r.GetDateTime("deadline").Time(), now)
			if !escalate(r, stage, now) {
				continue
			}
			if err := tx.Save(r); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// escalate moves r to stage; it reports whether r changed. Escalation only
// goes up, except that an extended deadline clears it.
func escalate(r *core.Record, stage hazard.Stage, now time.Time) bool {
	current := hazard.Stage(r.GetString("escalation"))
	switch {
	case stage == hazard.StageNone:
		if !r.GetBool("overdue") {
			return false
		}
		r.Set("overdue", false)
		r.Set("escalation", string(hazard.StageNone))
		return true
	case stage == current:
		return false
	case stage == hazard.StagePresidium && current == hazard.StageSupervised:
		return false
	}
	r.Set("overdue", true)
	r.Set("escalation", string(stage))
	r.Set("escalated_at", now)
	if stage == hazard.StageSupervised && !r.GetBool("supervised") {
		r.Set("supervised", true)
		r.Set("supervised_by", autoSupervisedBy)
		r.Set("supervised_at", now)
	}
	return true
}
