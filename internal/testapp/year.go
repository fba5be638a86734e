package testapp

import (
	"time"

	"simeng/chinatime"
)

// InThisYear is t, or 1 January 00:00 (China time) of this year when t
// falls before it. A fixture or a test dated "an hour ago" or "two days
// ago" for the year the tests count (the assessment, the ≥12 households
// rule, the proposals' year) is last year's in the first hours or days of
// January; moved to the year's start it stays this year's and in the past.
func InThisYear(t time.Time) time.Time {
	if start := chinatime.YearStart(chinatime.CurrentYear()); t.Before(start) {
		return start
	}
	return t
}
