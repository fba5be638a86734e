package ledger

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hazard"
	"simeng/hooks/audit"
	"simeng/hooks/roster"
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
			old := r.Original()
			if !escalate(tx, r, stage, now) {
				continue
			}
			if err := tx.Save(r); err != nil {
				return err
			}
			// Supervision by the system is audited like the presidium's.
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:hazards_overdue"), Action: audit.ActionUpdate,
				Collection: "hazards", RecordID: r.Id, Reason: "整改逾期",
				Changes: audit.Diff(old, r, "overdue", "escalation", "escalated_to", "supervised")}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// escalate moves r to stage; it reports whether r changed. Escalation only
// goes up, except that an extended deadline clears it. An escalated hazard
// is reported to the presidium member paired (包联) with its village.
func escalate(app core.App, r *core.Record, stage hazard.Stage, now time.Time) bool {
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
	r.Set("escalated_to", roster.VillageLiaison(app, hazardVillage(app, r)))
	if stage == hazard.StageSupervised && !r.GetBool("supervised") {
		r.Set("supervised", true)
		r.Set("supervised_by", autoSupervisedBy)
		r.Set("supervised_at", now)
	}
	return true
}

// hazardVillage is the hazard's village, or else its site's.
func hazardVillage(app core.App, r *core.Record) string {
	if v := r.GetString("village"); v != "" {
		return v
	}
	if id := r.GetString("site"); id != "" {
		if site, err := app.FindRecordById("inspection_sites", id); err == nil {
			return site.GetString("village")
		}
	}
	return ""
}
