// Package deadline turns "n working days" into a deadline on the workdays
// calendar and says how far past its deadline a pending item is. The
// proposal (议案建议) and problem (急难愁盼) lifecycles share it, so that
// every deadline a unit (承办单位) sees ends at the same moment: the end of
// a working day in China time. The stages match hazard.Stage.
package deadline

import (
	"simeng/chinatime"
	"time"

	"simeng/workdays"
)

// EscalateAfterWorkdays is how many working days past its deadline a
// pending item waits before it is listed for supervision (挂牌督办), as for
// hazards.
const EscalateAfterWorkdays = 5

// Stage is how far an overdue item has been escalated.
type Stage string

// The escalation stages, in order. The values are those of hazard.Stage.
const (
	StageNone       Stage = "none"       // not overdue
	StagePresidium  Stage = "presidium"  // overdue: reported to the presidium
	StageSupervised Stage = "supervised" // long overdue: listed for 挂牌督办
)

// Label is the Chinese name of s.
func (s Stage) Label() string {
	switch s {
	case StagePresidium:
		return "已逾期"
	case StageSupervised:
		return "逾期挂牌督办"
	}
	return "未逾期"
}

// EndOfDay returns the last instant of t's date in China time.
func EndOfDay(t time.Time) time.Time {
	loc := chinatime.Location()
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, loc)
}

// Due returns the end, in China time, of the n-th working day after from's
// date in China time: an item handed over on a Friday afternoon with n = 1
// is due at the end of Monday (or of the next working day after a holiday).
// For n < 1 it is the end of from's own day.
func Due(cal *workdays.Calendar, from time.Time, n int) time.Time {
	return EndOfDay(cal.AddWorkdays(from.In(chinatime.Location()), n))
}

// StageAt returns the escalation stage at now of a pending item due at due:
// none up to the end of due's day (China time), presidium after it, and
// supervised once graceWorkdays more working days have ended. A zero due
// means no deadline: never overdue.
func StageAt(cal *workdays.Calendar, due, now time.Time, graceWorkdays int) Stage {
	if due.IsZero() {
		return StageNone
	}
	end := EndOfDay(due)
	if !now.After(end) {
		return StageNone
	}
	if now.After(Due(cal, end, graceWorkdays)) {
		return StageSupervised
	}
	return StagePresidium
}
