package checkin

import (
	"errors"
	"time"

	"simeng/chinatime"
)

// DefaultLead is how long before a meeting starts its check-in opens.
const DefaultLead = time.Hour

// ErrClosed: the meeting is over; its attendance is the office's now.
var ErrClosed = errors.New("会议已结束，不能再签到；如有误请联系工作人员")

// NotYetOpenError: too early; Opens is when check-in starts.
type NotYetOpenError struct{ Opens time.Time }

func (e NotYetOpenError) Error() string {
	return "会议签到尚未开始，" + chinatime.In(e.Opens).Format("1月2日 15:04") + " 开始签到"
}

// Window is when a meeting can be checked into: from lead before its start
// to its end. A meeting without an end closes at the end of its start day
// in China time (23:59:59).
func Window(start, end time.Time, lead time.Duration) (from, to time.Time) {
	from = start.Add(-lead)
	to = end
	if end.IsZero() || end.Before(start) {
		d := chinatime.In(start)
		to = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, chinatime.Location())
	}
	return from, to
}

// Open reports whether now is inside the meeting's check-in window, and if
// not, why (a NotYetOpenError or ErrClosed).
func Open(start, end, now time.Time, lead time.Duration) error {
	from, to := Window(start, end, lead)
	switch {
	case now.Before(from):
		return NotYetOpenError{Opens: from}
	case now.After(to):
		return ErrClosed
	}
	return nil
}
