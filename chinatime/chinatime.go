// Package chinatime is the township's clock: China Standard Time
// (Asia/Shanghai, UTC+8, no daylight saving since 1991). Every year, month,
// quarter and date a person reads or types is counted in it, whatever the
// server's own time zone; this package is the one place that says so.
package chinatime

import (
	"sync"
	"time"
	_ "time/tzdata" // Location must work on hosts without a zoneinfo database.
)

// DateLayout is a calendar date as people write it: 2026-03-05.
const DateLayout = "2006-01-02"

// StoredLayout is how PocketBase stores a date (always UTC), so that spans
// written in it compare with stored values as strings.
const StoredLayout = "2006-01-02 15:04:05.000Z"

var shanghai = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
})

// Location returns Asia/Shanghai, or a fixed +08:00 zone named "CST" if the
// zone database cannot be loaded.
func Location() *time.Location { return shanghai() }

// In returns t in China time.
func In(t time.Time) time.Time { return t.In(Location()) }

// Year is the year of t in China time, 0 for the zero time.
func Year(t time.Time) int {
	if t.IsZero() {
		return 0
	}
	return In(t).Year()
}

// CurrentYear is this year in China time.
func CurrentYear() int { return In(time.Now()).Year() }

// YearStart is 1 January of year, 00:00 China time.
func YearStart(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, Location()) }

// PrevMonthStart is the first day, 00:00 China time, of the month before
// t's China month. t.AddDate(0, -1, 0) is not that month on the 29th–31st:
// 31 March less a month is 3 March.
func PrevMonthStart(t time.Time) time.Time {
	c := In(t)
	return time.Date(c.Year(), c.Month()-1, 1, 0, 0, 0, 0, Location())
}

// Span is year as the half-open range [from, to) of stored (UTC) date
// strings, so that a meeting at 2025-01-01 07:00 Beijing time counts for
// 2025 although it is still 2024 in UTC.
func Span(year int) (from, to string) {
	return YearStart(year).UTC().Format(StoredLayout), YearStart(year + 1).UTC().Format(StoredLayout)
}

// Date is t's calendar date in China time, "" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return In(t).Format(DateLayout)
}
