package notify

import (
	"simeng/chinatime"
	"time"
)

// QuietHours is the nightly window without SMS (no SMS 21:00–08:00 China
// time): messages due inside it wait for its end; urgent ones do not wait.
// From and To are minutes after midnight in Loc; From > To spans midnight.
type QuietHours struct {
	From, To int
	Loc      *time.Location
}

// ChinaTime is Asia/Shanghai, as everywhere a person reads a time.
var ChinaTime = chinatime.Location()

// NightQuiet is 21:00–08:00 China time.
var NightQuiet = QuietHours{From: 21 * 60, To: 8 * 60, Loc: ChinaTime}

func (q QuietHours) loc() *time.Location {
	if q.Loc == nil {
		return ChinaTime
	}
	return q.Loc
}

func (q QuietHours) empty() bool { return q.From == q.To }

// minuteOfDay of t in q's zone, with the seconds as a fraction ignored.
func (q QuietHours) minuteOfDay(t time.Time) int {
	lt := t.In(q.loc())
	return lt.Hour()*60 + lt.Minute()
}

// Contains reports whether t falls inside the quiet window [From, To).
func (q QuietHours) Contains(t time.Time) bool {
	if q.empty() {
		return false
	}
	m := q.minuteOfDay(t)
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// End returns t if t is outside the window, else the end of the window
// containing t (08:00 China time).
func (q QuietHours) End(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	lt := t.In(q.loc())
	y, mo, d := lt.Date()
	end := time.Date(y, mo, d, q.To/60, q.To%60, 0, 0, q.loc())
	if !end.After(t) {
		end = time.Date(y, mo, d+1, q.To/60, q.To%60, 0, 0, q.loc())
	}
	return end
}

// Start returns t if t is outside the window, else the start of the window
// containing t (21:00 China time, possibly the evening before t).
func (q QuietHours) Start(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	lt := t.In(q.loc())
	y, mo, d := lt.Date()
	start := time.Date(y, mo, d, q.From/60, q.From%60, 0, 0, q.loc())
	if start.After(t) {
		start = time.Date(y, mo, d-1, q.From/60, q.From%60, 0, 0, q.loc())
	}
	return start
}
