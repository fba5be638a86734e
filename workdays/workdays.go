// Package workdays is the mainland China working-day calendar used for
// suggestion deadlines (R6: 24小时内响应、5个工作日内反馈) and the liaison
// station's market-day reception (R13: 每逢农历"四""九"固定接待选民).
//
// Statutory holidays and 调休 make-up workdays come from
// github.com/6tail/lunar-go's HolidayUtil, which carries the State Council
// schedules (国务院办公厅放假安排) from 2002 through 2027. Outside those years
// only weekends are known; staff overrides fill the gap and win over
// everything else.
package workdays

import (
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// DateLayout is the layout of Override.Date.
const DateLayout = "2006-01-02"

// AckWindow is how long staff have to acknowledge a suggestion (24小时内响应).
const AckWindow = 24 * time.Hour

// FeedbackWorkdays is how many working days staff have to give feedback
// (5个工作日内反馈).
const FeedbackWorkdays = 5

// Scanned range of lunar-go's holiday data. Wider than what the library
// carries today so that a library upgrade with new years needs no code change.
const (
	firstDataYear = 2000
	lastDataYear  = 2100
)

// Override is a staff correction to the calendar, e.g. a schedule not yet in
// lunar-go or a local arrangement. It wins over the official data.
type Override struct {
	Date    string // "2006-01-02"
	Workday bool
	Name    string
}

// Validate reports whether o.Date is a valid date in DateLayout. New silently
// skips invalid overrides, so check them where staff enter them.
func (o Override) Validate() error {
	if _, err := time.Parse(DateLayout, o.Date); err != nil {
		return fmt.Errorf("workdays: invalid override date %q: %w", o.Date, err)
	}
	return nil
}

// Calendar answers whether a date is a working day in mainland China:
// statutory holidays and 调休 make-up workdays come from lunar-go's
// HolidayUtil (official schedules through 2027), then staff overrides win.
//
// A Calendar is immutable and safe for concurrent use. The zero Calendar
// treats every Monday to Friday as a working day; use New.
type Calendar struct {
	days  map[dateKey]entry // official entries overlaid with overrides
	years map[int]bool      // years with an official schedule
}

type entry struct {
	workday bool
	name    string
	source  Source
}

// Source says where a special day comes from.
type Source int

const (
	SourceOfficial Source = iota + 1 // lunar-go HolidayUtil
	SourceOverride                   // staff Override
)

// dateKey is a civil date as YYYYMMDD, e.g. 20250127.
type dateKey int

func keyOf(t time.Time) dateKey {
	y, m, d := t.Date()
	return dateKey(y*10000 + int(m)*100 + d)
}

// official is lunar-go's holiday data, parsed once per process.
var official = sync.OnceValue(func() *Calendar {
	c := &Calendar{
		days:  make(map[dateKey]entry, 1024),
		years: make(map[int]bool),
	}
	for y := firstDataYear; y <= lastDataYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			day, err := time.Parse(DateLayout, h.GetDay())
			if err != nil {
				continue
			}
			k := keyOf(day)
			// HolidayUtil.GetHoliday returns the first entry for a date; keep
			// the same answer should the data ever hold duplicates.
			if _, dup := c.days[k]; !dup {
				c.days[k] = entry{workday: h.IsWork(), name: h.GetName(), source: SourceOfficial}
			}
			if target, err := time.Parse(DateLayout, h.GetTarget()); err == nil {
				c.years[target.Year()] = true
			}
		}
	}
	return c
})

// New builds a calendar from lunar-go's holiday data and the given overrides.
// When several overrides name the same date the last one wins. Overrides with
// an invalid Date are ignored (see Override.Validate).
//
// lunar-go's data is read on the first call to New, so any
// HolidayUtil.Fix must happen before that; prefer overrides.
func New(overrides ...Override) *Calendar {
	base := official()
	c := &Calendar{
		days:  maps.Clone(base.days),
		years: base.years, // never written after official() returns
	}
	for _, o := range overrides {
		day, err := time.Parse(DateLayout, o.Date)
		if err != nil {
			continue
		}
		c.days[keyOf(day)] = entry{workday: o.Workday, name: o.Name, source: SourceOverride}
	}
	return c
}

// IsWorkday reports whether the calendar date of day, in day's own location,
// is a working day.
func (c *Calendar) IsWorkday(day time.Time) bool {
	if e, ok := c.days[keyOf(day)]; ok {
		return e.workday
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Special describes a date that is not an ordinary weekday or weekend day:
// a holiday (Workday false) or a 调休 make-up workday (Workday true).
type Special struct {
	Date    string // "2006-01-02"
	Workday bool
	Name    string // e.g. 春节, 国庆中秋, or the override's name
	Source  Source
}

// Lookup returns the holiday or make-up workday entry for day's calendar
// date, if any. Ordinary weekdays and weekends return false.
func (c *Calendar) Lookup(day time.Time) (Special, bool) {
	e, ok := c.days[keyOf(day)]
	if !ok {
		return Special{}, false
	}
	return Special{Date: day.Format(DateLayout), Workday: e.workday, Name: e.name, Source: e.source}, true
}

// HasSchedule reports whether lunar-go carries the official holiday schedule
// for year. For other years only weekends and overrides are known, so callers
// may want to warn staff when a deadline falls in such a year.
func (c *Calendar) HasSchedule(year int) bool {
	return c.years[year]
}

// AddWorkdays returns the date of the n-th working day strictly after day's
// calendar date, as midnight in day's location. It is O(n). For n < 1 it
// returns the midnight that starts day's own date.
func (c *Calendar) AddWorkdays(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	// Walk civil dates in UTC, which has no DST gaps to skip or repeat.
	cur := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for n > 0 {
		cur = cur.AddDate(0, 0, 1)
		if c.IsWorkday(cur) {
			n--
		}
	}
	y, m, d = cur.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, day.Location())
}

// FeedbackDue returns the feedback deadline for a suggestion received at
// received: the end (23:59:59.999999999) of the 5th working day after the day
// it was received, in received's location. Callers pass Asia/Shanghai times
// (chinatime.Location); the date that counts is the date in that location.
func (c *Calendar) FeedbackDue(received time.Time) time.Time {
	y, m, d := c.AddWorkdays(received, FeedbackWorkdays).Date()
	return time.Date(y, m, d, 23, 59, 59, 999999999, received.Location())
}

// AckDue returns the acknowledgement deadline: 24 hours after received,
// counted in wall-clock hours regardless of holidays.
func AckDue(received time.Time) time.Time {
	return received.Add(AckWindow)
}
