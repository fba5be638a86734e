package plausibility

import (
	"fmt"
	"math"
	"time"
)

// China is the township's time zone (UTC+8, no daylight saving): reasons
// state times as the presidium reads them.
var China = time.FixedZone("CST", 8*3600)

// distanceText says a distance the way people say it: 「800 米」,
// 「8.2 公里」, 「25 公里」.
func distanceText(m float64) string {
	switch {
	case m < 1000:
		return fmt.Sprintf("%d 米", int(math.Round(m/10)*10))
	case m < 20000:
		return fmt.Sprintf("%.1f 公里", m/1000)
	}
	return fmt.Sprintf("%d 公里", int(math.Round(m/1000)))
}

// accuracyText is 「定位精度 50 米」, or 「定位未给出精度」 when the phone gave none.
func accuracyText(m float64) string {
	if m <= 0 {
		return "定位未给出精度"
	}
	if m < 1000 {
		return fmt.Sprintf("定位精度 %d 米", int(math.Round(m)))
	}
	return "定位精度 " + distanceText(m)
}

// whenText is a moment in China time: 「3月5日 09:30」, with the year when it
// is not the year of ref: 「2025年3月5日 09:30」.
func whenText(t, ref time.Time) string {
	t = t.In(China)
	if t.Year() != ref.In(China).Year() {
		return t.Format("2006年1月2日 15:04")
	}
	return t.Format("1月2日 15:04")
}

// durationText says a duration in the largest units that matter:
// 「不到 1 分钟」, 「12 分钟」, 「3 小时 5 分钟」, 「7 天 4 小时」.
func durationText(d time.Duration) string {
	d = absDur(d)
	switch {
	case d < time.Minute:
		return "不到 1 分钟"
	case d < time.Hour:
		return fmt.Sprintf("%d 分钟", int(d/time.Minute))
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d 小时", h)
		}
		return fmt.Sprintf("%d 小时 %d 分钟", h, m)
	}
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return fmt.Sprintf("%d 天", days)
	}
	return fmt.Sprintf("%d 天 %d 小时", days, h)
}

// periodText says a settings period in hours as people say it: 「3 天」, 「36 小时」.
func periodText(h int) string {
	if h%24 == 0 {
		return fmt.Sprintf("%d 天", h/24)
	}
	return fmt.Sprintf("%d 小时", h)
}
