package problems

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/deadline"
	"simeng/hooks/audit"
	"simeng/hooks/internal/calendar"
	"simeng/hooks/roster"
	"simeng/problem"
)

// The overdue job: a problem forwarded and not answered by its deadline
// (the end of the N-th working day, China time) is flagged overdue and
// escalated to the presidium member paired (包联) with its village; after
// deadline.EscalateAfterWorkdays more working days it is listed for
// supervision (挂牌督办), as hazards are. Each escalation is a step on the
// problem's timeline.

// overdueCron runs at 00:05 China time (16:05 UTC): just after a deadline
// day has ended.
const overdueCron = "5 16 * * *"

func bindOverdue(app core.App) {
	app.Cron().MustAdd("problems_overdue", overdueCron, func() {
		if n, err := FlagOverdue(app, time.Now()); err != nil {
			app.Logger().Error("overdue problems check failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("overdue problems escalated", "count", n)
		}
	})
	// A corrected calendar moves the deadlines still running.
	calendar.OnChange(app, recomputeDeadlines)
}

// FlagOverdue is the daily job at now; it returns how many problems changed.
// A forward stored without a deadline (before deadlines existed) gets one.
func FlagOverdue(app core.App, now time.Time) (int, error) {
	cal, err := calendar.Of(app)
	if err != nil {
		return 0, err
	}
	cfg, err := loadConfig(app)
	if err != nil {
		return 0, err
	}
	changed := 0
	err = app.RunInTransaction(func(tx core.App) error {
		pending, err := tx.FindRecordsByFilter("problems", "status = 'forwarded'", "deadline", 0, 0)
		if err != nil {
			return err
		}
		for _, r := range pending {
			s := stateOf(r)
			dirty := false
			if s.Deadline.IsZero() && !s.ForwardedAt.IsZero() {
				s.Deadline = deadline.Due(cal, s.ForwardedAt, cfg.ForwardWorkdays)
				r.Set("deadline", s.Deadline.UTC())
				dirty = true
			}
			old := r.Clone()
			stage := problem.Overdue(cal, s, now)
			escalated := escalate(tx, r, stage, now)
			if !dirty && !escalated {
				continue
			}
			if err := tx.SaveNoValidate(r); err != nil {
				return err
			}
			if err := audit.Write(tx, audit.Entry{Actor: audit.System("cron:problems_overdue"), Action: audit.ActionUpdate,
				Collection: "problems", RecordID: r.Id,
				Changes: audit.Diff(old, r, "deadline", "overdue", "escalation", "escalated_to")}); err != nil {
				return err
			}
			if escalated && stage != deadline.StageNone {
				if err := addEvent(tx, r.Id, "escalate", s, systemActor, stage.Label()+"，已报主席团督办"); err != nil {
					return err
				}
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// escalate moves r to stage and reports whether it changed: escalation
// only goes up; a deadline moved later clears it.
func escalate(app core.App, r *core.Record, stage deadline.Stage, now time.Time) bool {
	current := deadline.Stage(r.GetString("escalation"))
	if current == "" {
		current = deadline.StageNone
	}
	switch {
	case stage == current:
		return false
	case stage == deadline.StageNone:
		r.Set("overdue", false)
		r.Set("escalation", string(deadline.StageNone))
		return true
	case stage == deadline.StagePresidium && current == deadline.StageSupervised:
		return false
	}
	r.Set("overdue", true)
	r.Set("escalation", string(stage))
	r.Set("escalated_at", now.UTC())
	r.Set("escalated_to", liaisonFor(app, r))
	return true
}

// liaisonFor is the presidium member paired with the problem's village,
// or with the village of the deputy who raised it.
func liaisonFor(app core.App, r *core.Record) string {
	village := r.GetString("village")
	if village == "" {
		if d, err := app.FindRecordById("deputies", r.GetString("deputy")); err == nil {
			village = d.GetString("village")
		}
	}
	return roster.VillageLiaison(app, village)
}

// recomputeDeadlines applies a corrected calendar to every forward still
// waiting for its answer.
func recomputeDeadlines(app core.App) error {
	cal, err := calendar.Of(app)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(app)
	if err != nil {
		return err
	}
	pending, err := app.FindRecordsByFilter("problems", "status = 'forwarded' && forwarded_at != ''", "", 0, 0)
	if err != nil {
		return err
	}
	for _, r := range pending {
		r.Set("deadline", deadline.Due(cal, r.GetDateTime("forwarded_at").Time(), cfg.ForwardWorkdays).UTC())
		if err := app.SaveNoValidate(r); err != nil {
			return err
		}
	}
	return nil
}
