package dutyroster

import (
	"simeng/chinatime"
	"time"
)

// maxPeriodDays bounds a generated period (a year and a day) so that input
// typed by staff cannot make the generator walk centuries of dates.
const maxPeriodDays = 367

// parseDate parses a China civil date in chinatime.DateLayout, accepting only
// the canonical spelling so that equal dates are equal strings.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(chinatime.DateLayout, s)
	if err != nil || t.Format(chinatime.DateLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// ValidDate reports whether s is a canonical "2006-01-02" date.
func ValidDate(s string) bool {
	_, ok := parseDate(s)
	return ok
}

// ChinaDate returns the China (Asia/Shanghai) calendar date of t.
func ChinaDate(t time.Time) string {
	return t.In(chinatime.Location()).Format(chinatime.DateLayout)
}

// DayStart returns the instant a China civil date begins (00:00 China time).
// date must be valid (see ValidDate).
func DayStart(date string) time.Time {
	t, _ := time.ParseInLocation(chinatime.DateLayout, date, chinatime.Location())
	return t
}

// DayOver reports whether the China civil date has ended at now. An
// invalid date never ends, so bad data is not flagged as a missed duty.
func DayOver(date string, now time.Time) bool {
	if !ValidDate(date) {
		return false
	}
	return !now.Before(DayStart(date).AddDate(0, 0, 1))
}
