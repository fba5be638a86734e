package workdays

import (
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Years for which IsMarketDay converts dates. lunar-go treats dates before
// 1582-10-15 as Julian while time.Time is proleptic Gregorian, and panics on
// the dates the 1582 reform skipped, so stay well inside the modern range.
const (
	firstMarketYear = 1900
	lastMarketYear  = 2100
)

// IsMarketDay reports whether the calendar date of day, in day's own
// location, falls on a lunar day ending in 四 or 九 (初四 初九 十四 十九 廿四
// 廿九), when the liaison station receives voters (每逢农历"四""九"固定接待选民).
// Leap months (闰月) count like any other month. Dates outside 1900–2100
// report false.
func IsMarketDay(day time.Time) bool {
	y, m, d := day.Date()
	if y < firstMarketYear || y > lastMarketYear {
		return false
	}
	lunarDay := calendar.NewLunarFromSolar(calendar.NewSolarFromYmd(y, int(m), d)).GetDay()
	return lunarDay%5 == 4 // 4, 9, 14, 19, 24, 29
}
