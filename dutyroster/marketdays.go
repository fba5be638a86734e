package dutyroster

import (
	"simeng/chinatime"
	"sync"
	"time"

	"simeng/workdays"
)

// HolidayPolicy says what happens to a market day that falls on a statutory
// holiday (法定节假日): the station keeps receiving voters, or it is closed
// and nobody is rostered. Stored as a setting; "" means keep.
type HolidayPolicy string

const (
	HolidayKeep HolidayPolicy = "keep"
	HolidaySkip HolidayPolicy = "skip"
)

// Valid reports whether p is a known policy ("" counts as keep).
func (p HolidayPolicy) Valid() bool {
	return p == "" || p == HolidayKeep || p == HolidaySkip
}

// MarketDay is a market day (赶集日, lunar 初四 初九 十四 十九 廿四 廿九).
type MarketDay struct {
	Date    string // China civil date, "2006-01-02"
	Holiday string // name of the statutory holiday it falls on, "" if none
	Skipped bool   // on a holiday under HolidaySkip: no reception, no duty
}

// MarketDays lists the market days from from to to (inclusive, China dates)
// as workdays computes them, marking those on statutory holidays of cal
// (lunar-go's official schedule plus staff overrides; weekends are ordinary
// market days). A nil cal means workdays.New().
func MarketDays(cal *workdays.Calendar, policy HolidayPolicy, from, to string) ([]MarketDay, error) {
	if !policy.Valid() {
		return nil, fieldErr("holiday_policy", "节假日规则只能是 keep（照常接待）或 skip（暂停接待）")
	}
	start, ok := parseDate(from)
	if !ok {
		return nil, fieldErr("from", "开始日期格式应为 2026-04-01")
	}
	end, ok := parseDate(to)
	if !ok {
		return nil, fieldErr("to", "结束日期格式应为 2026-06-30")
	}
	if end.Before(start) {
		return nil, fieldErr("to", "结束日期不能早于开始日期")
	}
	if end.Sub(start) > maxPeriodDays*24*time.Hour {
		return nil, fieldErr("to", "排班周期最长一年")
	}
	if cal == nil {
		cal = workdays.New()
	}
	var days []MarketDay
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if !isMarketDay(d) {
			continue
		}
		md := MarketDay{Date: d.Format(chinatime.DateLayout)}
		if sp, ok := cal.Lookup(d); ok && !sp.Workday {
			md.Holiday = sp.Name
			md.Skipped = policy == HolidaySkip
		}
		days = append(days, md)
	}
	return days, nil
}

// Receives reports whether the station receives voters on date: a market
// day not skipped by the holiday policy. Invalid input reports false.
func Receives(cal *workdays.Calendar, policy HolidayPolicy, date string) bool {
	days, err := MarketDays(cal, policy, date, date)
	return err == nil && len(days) == 1 && !days[0].Skipped
}

// yearsWithoutSchedule lists the years from..to for which cal carries no
// official holiday schedule, so a skip policy cannot see their holidays.
func yearsWithoutSchedule(cal *workdays.Calendar, from, to string) []int {
	if cal == nil {
		cal = workdays.New()
	}
	a, _ := parseDate(from)
	b, _ := parseDate(to)
	var years []int
	for y := a.Year(); y <= b.Year(); y++ {
		if !cal.HasSchedule(y) {
			years = append(years, y)
		}
	}
	return years
}

// marketDayCache memoises workdays.IsMarketDay by date: the lunar
// conversion costs tens of microseconds and pages, bookings and rosters ask
// about the same few hundred dates. Only 1900–2100 is cached (outside it
// there are no market days), which bounds the cache to ~73k dates.
var marketDayCache sync.Map // "2006-01-02" → bool

func isMarketDay(d time.Time) bool {
	if y := d.Year(); y < 1900 || y > 2100 {
		return false
	}
	key := d.Format(chinatime.DateLayout)
	if v, ok := marketDayCache.Load(key); ok {
		return v.(bool)
	}
	v := workdays.IsMarketDay(d)
	marketDayCache.Store(key, v)
	return v
}
