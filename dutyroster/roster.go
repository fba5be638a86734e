// Package dutyroster is the liaison station's (代表联络站) market-day duty
// roster without PocketBase (R13): which days the station receives voters,
// a fair rotation of deputies over a period, swaps between deputies, and
// which duties were missed.
//
// Dates are China civil dates as "2006-01-02" strings (chinatime.DateLayout),
// compared as strings. Every output is ordered (by date, then deputy id), so
// the same input gives the same roster whatever order maps or the database
// returned things in.
package dutyroster

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"simeng/workdays"
)

// MaxPerDay bounds the deputies rostered on one market day.
const MaxPerDay = 20

// Deputy is a deputy eligible for the station's duty.
type Deputy struct {
	ID string
	// Unavailable are the dates the deputy marked as unavailable.
	Unavailable []string
	// PriorDuties are the duties the deputy already carries from earlier
	// periods, so that the rotation stays fair across periods.
	PriorDuties int
	// LastDuty is the date of the deputy's latest duty before the period,
	// "" if none: the rotation favours whoever waited longest.
	LastDuty string
}

// Request asks for a roster of one station.
type Request struct {
	From, To string        // the period, inclusive China dates
	Policy   HolidayPolicy // market days on statutory holidays
	PerDay   int           // deputies on duty per market day
	Deputies []Deputy      // the station's active eligible deputies
	// Fixed are days already decided (staff edits, or days of a
	// regenerated period that must not move). They are kept as given and
	// count toward fairness. Each must be a reception day of the period;
	// one with fewer than PerDay deputies is reported as a Shortfall.
	Fixed []DayDuty
}

// DayDuty is one market day of a roster.
type DayDuty struct {
	Date     string
	Holiday  string   // statutory holiday name, "" if none
	Skipped  bool     // closed by the holiday policy: nobody on duty
	Fixed    bool     // copied from Request.Fixed
	Deputies []string // deputy ids, sorted
}

// Shortfall is a reception day that could not be fully staffed because too
// few deputies were available.
type Shortfall struct {
	Date     string
	Needed   int
	Assigned int
}

// Tally is a deputy's duty count.
type Tally struct {
	Deputy   string
	Prior    int
	Assigned int // in this roster, fixed days included
}

// Total is the count the next period's rotation starts from.
func (t Tally) Total() int { return t.Prior + t.Assigned }

// Roster is a generated roster.
type Roster struct {
	Days       []DayDuty // every market day of the period, by date; skipped ones too
	Shortfalls []Shortfall
	Tallies    []Tally // every requested deputy, by id
	// UnscheduledYears are years of the period without an official holiday
	// schedule in workdays: their holidays are unknown unless staff entered
	// overrides, so warn staff before relying on the skip policy.
	UnscheduledYears []int
}

// Generate builds the roster of a period: on every reception day it puts on
// duty the PerDay available deputies that come first by (duty count so far,
// date of last duty, id), i.e. the fewest duties first and, among equals,
// whoever waited longest. Consequences, Fixed days aside (see the property
// tests):
//   - nobody is ever rostered on a day they marked unavailable; a day with
//     too few available deputies gets all of them and a Shortfall;
//   - among deputies with the same availability, the spread of total
//     counts (prior + assigned) never grows past max(1, its initial value):
//     starting level, they end within one of each other;
//   - a deputy serves two reception days in a row only when every available
//     deputy left out that day had more duties or also served the day
//     before (with everyone available, level priors and at least twice
//     PerDay deputies, never);
//   - the output depends on the set of deputies, not their order.
//
// cal supplies statutory holidays (nil means workdays.New()).
func Generate(cal *workdays.Calendar, req Request) (Roster, error) {
	if err := req.validate(); err != nil {
		return Roster{}, err
	}
	market, err := MarketDays(cal, req.Policy, req.From, req.To)
	if err != nil {
		return Roster{}, err
	}
	fixed, err := fixedByDate(req.Fixed, market)
	if err != nil {
		return Roster{}, err
	}

	people := make([]*rotation, len(req.Deputies))
	byID := make(map[string]*rotation, len(req.Deputies))
	for i, d := range req.Deputies {
		r := &rotation{id: d.ID, count: d.PriorDuties, prior: d.PriorDuties, last: d.LastDuty,
			unavailable: make(map[string]bool, len(d.Unavailable))}
		for _, u := range d.Unavailable {
			r.unavailable[u] = true
		}
		people[i] = r
		byID[d.ID] = r
	}
	slices.SortFunc(people, func(a, b *rotation) int { return strings.Compare(a.id, b.id) })

	out := Roster{Days: make([]DayDuty, 0, len(market))}
	for _, md := range market {
		day := DayDuty{Date: md.Date, Holiday: md.Holiday, Skipped: md.Skipped}
		switch {
		case md.Skipped:
		case fixed[md.Date] != nil:
			day.Fixed = true
			day.Deputies = slices.Clone(fixed[md.Date])
			for _, id := range day.Deputies {
				if r := byID[id]; r != nil {
					r.serve(md.Date)
				}
			}
			if len(day.Deputies) < req.PerDay {
				out.Shortfalls = append(out.Shortfalls, Shortfall{Date: md.Date, Needed: req.PerDay, Assigned: len(day.Deputies)})
			}
		default:
			candidates := make([]*rotation, 0, len(people))
			for _, r := range people {
				if !r.unavailable[md.Date] {
					candidates = append(candidates, r)
				}
			}
			slices.SortStableFunc(candidates, (*rotation).compare)
			picked := candidates[:min(req.PerDay, len(candidates))]
			for _, r := range picked {
				r.serve(md.Date)
				day.Deputies = append(day.Deputies, r.id)
			}
			if len(picked) < req.PerDay {
				out.Shortfalls = append(out.Shortfalls, Shortfall{Date: md.Date, Needed: req.PerDay, Assigned: len(picked)})
			}
		}
		slices.Sort(day.Deputies)
		out.Days = append(out.Days, day)
	}
	for _, r := range people {
		out.Tallies = append(out.Tallies, Tally{Deputy: r.id, Prior: r.prior, Assigned: r.count - r.prior})
	}
	if req.Policy == HolidaySkip {
		out.UnscheduledYears = yearsWithoutSchedule(cal, req.From, req.To)
	}
	return out, nil
}

// rotation is a deputy's state while the roster is built.
type rotation struct {
	id          string
	prior       int
	count       int    // prior + duties assigned so far
	last        string // date of the latest duty, "" if none
	unavailable map[string]bool
}

func (r *rotation) serve(date string) {
	r.count++
	r.last = max(r.last, date)
}

// compare orders the rotation: fewest duties first, then longest waiting
// ("" sorts before any date), then id.
func (r *rotation) compare(o *rotation) int {
	return cmp.Or(cmp.Compare(r.count, o.count), strings.Compare(r.last, o.last), strings.Compare(r.id, o.id))
}

func (req Request) validate() error {
	if req.PerDay < 1 || req.PerDay > MaxPerDay {
		return fieldErr("per_day", fmt.Sprintf("每个赶集日值班代表人数应为 1–%d 人", MaxPerDay))
	}
	seen := make(map[string]bool, len(req.Deputies))
	for i, d := range req.Deputies {
		field := fmt.Sprintf("deputies.%d", i)
		if d.ID == "" {
			return fieldErr(field+".id", "缺少代表")
		}
		if seen[d.ID] {
			return fieldErr(field+".id", "同一位代表重复出现")
		}
		seen[d.ID] = true
		if d.PriorDuties < 0 {
			return fieldErr(field+".prior_duties", "已值班次数不能为负数")
		}
		if d.LastDuty != "" && !ValidDate(d.LastDuty) {
			return fieldErr(field+".last_duty", "上次值班日期格式应为 2026-04-14")
		}
		for j, u := range d.Unavailable {
			if !ValidDate(u) {
				return fieldErr(fmt.Sprintf("%s.unavailable.%d", field, j), "不能值班的日期格式应为 2026-04-14")
			}
		}
	}
	return nil
}

// fixedByDate checks the fixed days against the period's market days.
func fixedByDate(days []DayDuty, market []MarketDay) (map[string][]string, error) {
	receives := make(map[string]bool, len(market))
	for _, md := range market {
		receives[md.Date] = !md.Skipped
	}
	fixed := make(map[string][]string, len(days))
	for i, d := range days {
		field := fmt.Sprintf("fixed.%d", i)
		if !receives[d.Date] {
			return nil, fieldErr(field+".date", d.Date+" 不是本周期内接待的赶集日")
		}
		if fixed[d.Date] != nil {
			return nil, fieldErr(field+".date", d.Date+" 重复出现")
		}
		ids := make([]string, 0, len(d.Deputies))
		for j, id := range d.Deputies {
			if id == "" || slices.Contains(ids, id) {
				return nil, fieldErr(fmt.Sprintf("%s.deputies.%d", field, j), "代表为空或重复")
			}
			ids = append(ids, id)
		}
		fixed[d.Date] = ids
	}
	return fixed, nil
}
