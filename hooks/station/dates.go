package station

import (
	"time"

	lunar "github.com/6tail/lunar-go/calendar"

	"simeng/chinatime"
	"simeng/dutyroster"
)

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// today is the China date at the capability's clock.
func today(t time.Time) string { return dutyroster.ChinaDate(t) }

// addDays moves a valid China date by n days.
func addDays(date string, n int) string {
	t, _ := time.Parse(chinatime.DateLayout, date)
	return t.AddDate(0, 0, n).Format(chinatime.DateLayout)
}

// dayLabel words a China date for residents and deputies:
// 4月14日（周二）, with the lunar day for market days (农历三月初九).
func dayLabel(date string) string {
	t, err := time.Parse(chinatime.DateLayout, date)
	if err != nil {
		return date
	}
	return t.Format("1月2日") + "（" + weekdayNames[t.Weekday()] + "）"
}

// lunarLabel is the lunar month and day of a China date, e.g. 三月初九.
func lunarLabel(date string) string {
	t, err := time.Parse(chinatime.DateLayout, date)
	if err != nil || t.Year() < 1900 || t.Year() > 2100 {
		return ""
	}
	l := lunar.NewLunarFromSolar(lunar.NewSolarFromYmd(t.Year(), int(t.Month()), t.Day()))
	return l.GetMonthInChinese() + "月" + l.GetDayInChinese()
}

// chinaDay formats an instant as the China date people read, 2026年4月14日.
func chinaDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinatime.Location()).Format("2006年1月2日")
}

// chinaClock formats an instant as China date and time.
func chinaClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinatime.Location()).Format("2006年1月2日 15:04")
}
