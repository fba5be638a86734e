package demand

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PeriodKind is the length of a reporting period.
type PeriodKind string

// Period kinds, as they appear in routes (?period=quarter).
const (
	Month   PeriodKind = "month"
	Quarter PeriodKind = "quarter"
	Year    PeriodKind = "year"
)

// Period is one China month, quarter or year.
type Period struct {
	Kind  PeriodKind
	Start time.Time // first instant, China time
}

// PeriodOf returns the period of kind that contains t.
func PeriodOf(kind PeriodKind, t time.Time) Period {
	c := t.In(China)
	y, m := c.Year(), c.Month()
	switch kind {
	case Year:
		m = 1
	case Quarter:
		m = (m-1)/3*3 + 1
	default:
		kind = Month
	}
	return Period{Kind: kind, Start: time.Date(y, m, 1, 0, 0, 0, 0, China)}
}

func (p Period) months() int {
	switch p.Kind {
	case Year:
		return 12
	case Quarter:
		return 3
	}
	return 1
}

// End is the first instant after the period.
func (p Period) End() time.Time { return p.Start.AddDate(0, p.months(), 0) }

// Prev is the period before, of the same kind.
func (p Period) Prev() Period { return Period{p.Kind, p.Start.AddDate(0, -p.months(), 0)} }

// Next is the period after, of the same kind.
func (p Period) Next() Period { return Period{p.Kind, p.End()} }

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End()) }

// Key is the period as routes and exports name it: 2025-03, 2025-Q1, 2025.
func (p Period) Key() string {
	switch p.Kind {
	case Year:
		return strconv.Itoa(p.Start.Year())
	case Quarter:
		return fmt.Sprintf("%d-Q%d", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	}
	return p.Start.Format("2006-01")
}

// Label is the period as people read it: 2025年3月, 2025年第1季度, 2025年.
func (p Period) Label() string {
	switch p.Kind {
	case Year:
		return fmt.Sprintf("%d年", p.Start.Year())
	case Quarter:
		return fmt.Sprintf("%d年第%d季度", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	}
	return fmt.Sprintf("%d年%d月", p.Start.Year(), int(p.Start.Month()))
}

// ParsePeriod reads a Key (2025-03, 2025-Q1, 2025). Its error is Chinese,
// for a 400 naming the period parameter.
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("期间格式应为 2025、2025-Q1 或 2025-03")
	s = strings.TrimSpace(s)
	year := func(y string) (int, bool) {
		n, err := strconv.Atoi(y)
		return n, err == nil && len(y) == 4 && n >= 2000 && n <= 2999
	}
	if y, ok := year(s); ok {
		return Period{Year, time.Date(y, 1, 1, 0, 0, 0, 0, China)}, nil
	}
	ys, rest, ok := strings.Cut(s, "-")
	y, yok := year(ys)
	if !ok || !yok {
		return Period{}, bad
	}
	if q, ok := strings.CutPrefix(strings.ToUpper(rest), "Q"); ok {
		n, err := strconv.Atoi(q)
		if err != nil || len(q) != 1 || n < 1 || n > 4 {
			return Period{}, bad
		}
		return Period{Quarter, time.Date(y, time.Month(n*3-2), 1, 0, 0, 0, 0, China)}, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || n < 1 || n > 12 {
		return Period{}, bad
	}
	return Period{Month, time.Date(y, time.Month(n), 1, 0, 0, 0, 0, China)}, nil
}
