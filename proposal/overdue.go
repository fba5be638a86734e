package proposal

import (
	"time"

	"simeng/deadline"
	"simeng/workdays"
)

// Overdue returns the escalation stage of p at now. Only a proposal waiting
// for its unit's reply (Assigned, in either round) can be overdue: waiting
// for the presidium's review or the sponsor's rating is not the unit's
// delay. Stages and the grace before 挂牌督办 are those of hazards.
func Overdue(cal *workdays.Calendar, p Proposal, now time.Time) deadline.Stage {
	if p.Status != Assigned {
		return deadline.StageNone
	}
	return deadline.StageAt(cal, p.Deadline, now, deadline.EscalateAfterWorkdays)
}

// RatingDue is the end of the sponsor's rating window of an answered
// proposal: Config.RatingWindowWorkdays working days after the reply.
func RatingDue(p Proposal, cfg Config, cal *workdays.Calendar) time.Time {
	return deadline.Due(cal, p.AnsweredAt, cfg.RatingWindowWorkdays)
}

// AnsweredLate reports whether the reply came after the deadline of its
// round (the deadline as extended). Unanswered proposals are not late here;
// see Overdue.
func AnsweredLate(p Proposal) bool {
	return !p.AnsweredAt.IsZero() && !p.Deadline.IsZero() && p.AnsweredAt.After(p.Deadline)
}
