// Package inspectplan is the quarterly safety inspection plan (R7):
// 「每季度对思蒙镇学校、思蒙镇幼儿园、校园周边商店和思蒙湾村集镇等场所开展安全生产执法检查」.
// Every quarter each planned site must be inspected once; a planned
// inspection is done, still due, or missed once its quarter has ended.
// Quarters are counted in China time: an inspection at 23:30 on 31 March
// Beijing time belongs to the first quarter whatever the server's zone.
package inspectplan

import (
	"fmt"
	"strconv"
	"time"

	"simeng/chinatime"
)

// Period is one calendar quarter.
type Period struct {
	Year    int
	Quarter int // 1..4
}

// Of returns the quarter that t falls in, in China time.
func Of(t time.Time) Period {
	t = t.In(chinatime.Location())
	return Period{Year: t.Year(), Quarter: (int(t.Month())-1)/3 + 1}
}

// String is the stored form, e.g. "2026-Q1"; Parse reads it back.
func (p Period) String() string { return fmt.Sprintf("%04d-Q%d", p.Year, p.Quarter) }

// Label is the Chinese form, e.g. "2026年第一季度".
func (p Period) Label() string {
	return strconv.Itoa(p.Year) + "年第" + [...]string{"一", "二", "三", "四"}[p.Quarter-1] + "季度"
}

// Parse reads a period in the form "2026-Q1".
func Parse(s string) (Period, error) {
	var p Period
	if len(s) != 7 || s[4:6] != "-Q" {
		return p, fmt.Errorf("inspectplan: period %q: want YYYY-QN", s)
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 2000 {
		return p, fmt.Errorf("inspectplan: period %q: bad year", s)
	}
	q := int(s[6] - '0')
	if q < 1 || q > 4 {
		return p, fmt.Errorf("inspectplan: period %q: quarter must be 1..4", s)
	}
	return Period{Year: y, Quarter: q}, nil
}

// Start is the first instant of the quarter in China time.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(3*(p.Quarter-1)+1), 1, 0, 0, 0, 0, chinatime.Location())
}

// End is the first instant after the quarter.
func (p Period) End() time.Time { return p.Start().AddDate(0, 3, 0) }

// Next is the following quarter.
func (p Period) Next() Period { return Of(p.End()) }

// Quarters returns the four quarters of year.
func Quarters(year int) []Period {
	return []Period{{year, 1}, {year, 2}, {year, 3}, {year, 4}}
}

// Status of one planned inspection (one site in one quarter).
type Status string

// The plan statuses.
const (
	Done   Status = "done"   // 已完成: inspected in the quarter
	Due    Status = "due"    // 待检查: not yet, the quarter is still running
	Missed Status = "missed" // 逾期未检: the quarter ended without one
)

// Label is the Chinese name of s.
func (s Status) Label() string {
	switch s {
	case Done:
		return "已完成"
	case Due:
		return "待检查"
	case Missed:
		return "逾期未检"
	}
	return string(s)
}

// StatusAt returns the status of a planned inspection in p at now, given
// whether an inspection of it was recorded. A record that arrives late (an
// offline phone syncing after the quarter ended, dated inside it) turns a
// missed inspection into a done one.
func StatusAt(p Period, inspected bool, now time.Time) Status {
	switch {
	case inspected:
		return Done
	case now.Before(p.End()):
		return Due
	default:
		return Missed
	}
}
