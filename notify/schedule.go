package notify

import "time"

// RemindAt is when to send an SMS reminder lead before due for something
// created at created: due−lead, or created if that is earlier. A time inside
// quiet hours moves back to the last minute before them (20:59) if that is
// after created, so that the reminder still comes before the deadline, else
// forward to their end. (24小时内响应: a suggestion received at 09:00 is
// reminded at 20:59 rather than at 05:00 or after the deadline at 09:00.)
func RemindAt(created, due time.Time, lead time.Duration, q QuietHours) time.Time {
	at := due.Add(-lead)
	if at.Before(created) {
		at = created
	}
	if !q.Contains(at) {
		return at
	}
	if before := q.Start(at).Add(-time.Minute); !before.Before(created) {
		return before
	}
	return q.End(at)
}

// maxDaysBack bounds the search for a working day: no holiday in the
// official schedules is longer than 9 days.
const maxDaysBack = 31

// WorkdayBefore returns hour:minute China time on the last working day
// before due's date (in China time); isWorkday is the working-day calendar
// (workdays.Calendar.IsWorkday). For the feedback reminder: the working day
// before a suggestion's feedback is due. If no working day is found within
// a month, it returns the day before due.
func WorkdayBefore(due time.Time, isWorkday func(time.Time) bool, hour, minute int) time.Time {
	y, m, d := due.In(ChinaTime).Date()
	for i := 1; i <= maxDaysBack; i++ {
		day := time.Date(y, m, d-i, hour, minute, 0, 0, ChinaTime)
		if isWorkday(day) {
			return day
		}
	}
	return time.Date(y, m, d-1, hour, minute, 0, 0, ChinaTime)
}
