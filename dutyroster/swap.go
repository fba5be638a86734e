package dutyroster

import (
	"slices"
	"time"
)

// SwapKind is what a deputy asks of another (换班).
type SwapKind string

const (
	// SwapCover: the other deputy takes the requester's day (代班).
	SwapCover SwapKind = "cover"
	// SwapExchange: the two exchange days; the requester takes one of the
	// other's days in return (互换).
	SwapExchange SwapKind = "exchange"
)

// Swap is a request from one deputy to another about one station's roster.
type Swap struct {
	Kind      SwapKind
	Requester string
	Other     string
	Date      string // the requester's duty day the other takes
	OtherDate string // exchange only: the other's duty day the requester takes
}

// ValidateSwap checks a swap against the station's current roster (days,
// one entry per date), its active eligible deputies (with their unavailable dates) and the time.
// It is valid only while both days are in the future (after today, China
// time), both deputies are eligible, the requester is on Date and the other
// is not, and nobody lands on a day they are already on or marked
// unavailable. Check it when the request is made and again when it is
// accepted: a staff edit in between may have made it stale.
func ValidateSwap(s Swap, days []DayDuty, eligible []Deputy, now time.Time) error {
	today := ChinaDate(now)
	find := func(id string) *Deputy {
		i := slices.IndexFunc(eligible, func(d Deputy) bool { return d.ID == id })
		if i < 0 {
			return nil
		}
		return &eligible[i]
	}
	dayOf := func(date string) *DayDuty {
		i := slices.IndexFunc(days, func(d DayDuty) bool { return d.Date == date && !d.Skipped })
		if i < 0 {
			return nil
		}
		return &days[i]
	}

	if s.Kind != SwapCover && s.Kind != SwapExchange {
		return fieldErr("kind", "换班方式只能是 cover（代班）或 exchange（互换）")
	}
	requester := find(s.Requester)
	if requester == nil {
		return fieldErr("requester", "只有本联络站在任的值班代表可以申请换班")
	}
	other := find(s.Other)
	if other == nil {
		return fieldErr("other", "对方不是本联络站在任的值班代表")
	}
	if s.Other == s.Requester {
		return fieldErr("other", "不能和自己换班")
	}

	give := dayOf(s.Date)
	switch {
	case !ValidDate(s.Date):
		return fieldErr("date", "日期格式应为 2026-04-14")
	case s.Date <= today:
		return fieldErr("date", "只能调换明天及以后的值班，当天有变动请联系工作人员")
	case give == nil || !slices.Contains(give.Deputies, s.Requester):
		return fieldErr("date", "您在 "+s.Date+" 没有值班安排")
	case slices.Contains(give.Deputies, s.Other):
		return fieldErr("other", "对方 "+s.Date+" 已在值班")
	case slices.Contains(other.Unavailable, s.Date):
		return fieldErr("other", "对方已登记 "+s.Date+" 不能值班")
	}
	if s.Kind == SwapCover {
		if s.OtherDate != "" {
			return fieldErr("other_date", "代班不需要填写对方的日期")
		}
		return nil
	}

	take := dayOf(s.OtherDate)
	switch {
	case !ValidDate(s.OtherDate):
		return fieldErr("other_date", "日期格式应为 2026-04-19")
	case s.OtherDate == s.Date:
		return fieldErr("other_date", "互换的两个日期不能相同")
	case s.OtherDate <= today:
		return fieldErr("other_date", "只能调换明天及以后的值班，当天有变动请联系工作人员")
	case take == nil || !slices.Contains(take.Deputies, s.Other):
		return fieldErr("other_date", "对方在 "+s.OtherDate+" 没有值班安排")
	case slices.Contains(take.Deputies, s.Requester):
		return fieldErr("other_date", "您 "+s.OtherDate+" 已在值班")
	case slices.Contains(requester.Unavailable, s.OtherDate):
		return fieldErr("other_date", "您已登记 "+s.OtherDate+" 不能值班")
	}
	return nil
}

// ApplySwap validates s as ValidateSwap does and returns a copy of days with
// it applied: on Date the other replaces the requester and, for an exchange,
// on OtherDate the requester replaces the other. Headcounts never change.
// days itself is not modified.
func ApplySwap(s Swap, days []DayDuty, eligible []Deputy, now time.Time) ([]DayDuty, error) {
	if err := ValidateSwap(s, days, eligible, now); err != nil {
		return nil, err
	}
	out := make([]DayDuty, len(days))
	for i, d := range days {
		d.Deputies = slices.Clone(d.Deputies)
		switch {
		case d.Skipped:
		case d.Date == s.Date:
			d.Deputies = replace(d.Deputies, s.Requester, s.Other)
		case s.Kind == SwapExchange && d.Date == s.OtherDate:
			d.Deputies = replace(d.Deputies, s.Other, s.Requester)
		}
		out[i] = d
	}
	return out, nil
}

func replace(ids []string, from, to string) []string {
	if i := slices.Index(ids, from); i >= 0 {
		ids[i] = to
	}
	slices.Sort(ids)
	return ids
}
