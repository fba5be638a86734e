// Package visitpace is the ≥12 households rule of the visit logs (走访日志,
// R3), without PocketBase: counting a deputy's year, the monthly pace
// (代表走访月: a visit every month, households on pace to the yearly target)
// and when a year may be closed.
//
// Years and months are China time. Twelve visits to one household count
// once. Late visits (dated in a year already closed) are counted apart and
// never change the year.
package visitpace

import (
	"slices"
	"time"

	"simeng/chinatime"
)

// Defaults of a year's rule.
const (
	DefaultRequired  = 12
	DefaultGraceDays = 15
)

// Rule is a year's parameters. Zero values mean the defaults.
type Rule struct {
	Year      int
	Required  int // distinct households a deputy must visit in the year
	GraceDays int // days after 1 January of the next year before closing
}

func (r Rule) required() int {
	if r.Required > 0 {
		return r.Required
	}
	return DefaultRequired
}

func (r Rule) graceDays() int {
	if r.GraceDays > 0 {
		return r.GraceDays
	}
	return DefaultGraceDays
}

// Normalized returns r with the defaults filled in.
func (r Rule) Normalized() Rule {
	return Rule{Year: r.Year, Required: r.required(), GraceDays: r.graceDays()}
}

// ExpectedBy is the pace: the households a deputy should have by the end
// of month m (1..12), rounded up, so 12 a year is one a month.
func (r Rule) ExpectedBy(m int) int {
	m = max(0, min(12, m))
	return (r.required()*m + 11) / 12
}

// ClosableFrom is the first moment the year may be closed: 1 January of
// the next year, China time, plus the grace period for late offline syncs.
func (r Rule) ClosableFrom() time.Time {
	return chinatime.YearStart(r.Year+1).AddDate(0, 0, r.graceDays())
}

// CompleteMonths is how many months of year have ended at now.
func CompleteMonths(year int, now time.Time) int {
	n := chinatime.In(now)
	switch {
	case year < n.Year():
		return 12
	case year > n.Year():
		return 0
	}
	return int(n.Month()) - 1
}

// Visit is one visit as the rule sees it.
type Visit struct {
	ID        string // optional: only Counted reports it
	Household string
	At        time.Time
	Late      bool
	// Excluded: the township's counting setting leaves the visit out (the
	// presidium marked it not counted, or it is unconfirmed where only
	// confirmed visits count; package plausibility decides).
	Excluded bool
}

// counts reports whether v counts for year: dated in it (China time), not
// late and not excluded.
func counts(year int, v Visit) bool {
	return chinatime.Year(v.At) == year && Group{Late: v.Late, Excluded: v.Excluded}.Counts()
}

// Tally is one deputy's counted visits of a year.
type Tally struct {
	Households int
	Visits     int
	LateVisits int
	// ExcludedVisits are the year's visits the counting setting leaves out.
	ExcludedVisits int
	MonthVisits    [12]int
	HouseholdsBy   [12]int // distinct households by the end of each month
}

// Count tallies the visits of year; visits dated in other years are
// ignored. The order of visits does not matter.
func Count(year int, visits []Visit) Tally {
	groups := map[Group]int{}
	for _, v := range visits {
		if chinatime.Year(v.At) != year {
			continue
		}
		groups[Group{Household: v.Household, Month: int(chinatime.In(v.At).Month()) - 1, Late: v.Late, Excluded: v.Excluded}]++
	}
	list := make([]Group, 0, len(groups))
	for g, n := range groups {
		g.Visits = n
		list = append(list, g)
	}
	return CountGroups(list)
}

// Group is a deputy's visits of one year to one household in one month
// (0–11, China time), late or not, excluded or not: what a database can
// count for Count without sending every visit (GROUP BY household, month,
// late, excluded).
type Group struct {
	Household string
	Month     int
	Late      bool
	// Excluded: the counting setting leaves these visits out (Visit.Excluded).
	Excluded bool
	Visits   int
}

// Counts reports whether the group's visits count toward the year: neither
// late nor excluded. (A late visit the setting excludes is tallied late.)
func (g Group) Counts() bool {
	return !g.Late && !g.Excluded
}

// CountGroups tallies a year from its visits grouped; it equals Count of
// the visits grouped. Groups may come in any order, and several may share
// a household, month and lateness.
func CountGroups(groups []Group) Tally {
	var t Tally
	first := map[string]int{} // household → first month visited (0-based)
	for _, g := range groups {
		switch {
		case g.Late:
			t.LateVisits += g.Visits
			continue
		case g.Excluded:
			t.ExcludedVisits += g.Visits
			continue
		}
		t.Visits += g.Visits
		t.MonthVisits[g.Month] += g.Visits
		if f, ok := first[g.Household]; !ok || g.Month < f {
			first[g.Household] = g.Month
		}
	}
	t.Households = len(first)
	for _, m := range first {
		for i := m; i < 12; i++ {
			t.HouseholdsBy[i]++
		}
	}
	return t
}

// Counted lists what Count counts for year: the ids of the visits, in the
// order given, and the distinct households, sorted (the records a score
// cites as evidence).
func Counted(year int, visits []Visit) (visitIDs, households []string) {
	seen := map[string]bool{}
	for _, v := range visits {
		if !counts(year, v) {
			continue
		}
		visitIDs = append(visitIDs, v.ID)
		if !seen[v.Household] {
			seen[v.Household] = true
			households = append(households, v.Household)
		}
	}
	slices.Sort(households)
	return visitIDs, households
}

// Month is one month of a deputy's year.
type Month struct {
	Month            int  `json:"month"`
	Visits           int  `json:"visits"`
	HouseholdsToDate int  `json:"households_to_date"`
	ExpectedToDate   int  `json:"expected_to_date"`
	Complete         bool `json:"complete"` // the month has ended
	Visited          bool `json:"visited"`
	Behind           bool `json:"behind"` // at its end: no visit, or households below the pace
}

// Standing is a deputy's year at a moment.
type Standing struct {
	Required   int `json:"required"`
	Households int `json:"households"`
	Visits     int `json:"visits"`
	LateVisits int `json:"late_visits"`
	// ExcludedVisits are left out by the counting setting (not counted on
	// review, or unconfirmed where only confirmed visits count).
	ExcludedVisits int     `json:"excluded_visits"`
	MonthsVisited  int     `json:"months_visited"`
	MissedMonths   []int   `json:"missed_months"`
	ExpectedNow    int     `json:"expected_now"`
	Behind         bool    `json:"behind"`
	Met            bool    `json:"met"`
	Months         []Month `json:"months"`
}

// Assess gives the standing of t under r at now. A deputy who met the
// target is never behind; otherwise one is behind with fewer households
// than the pace of the months ended, or a month ended without a visit.
func Assess(r Rule, t Tally, now time.Time) Standing {
	done := CompleteMonths(r.Year, now)
	s := Standing{Required: r.required(), Households: t.Households, Visits: t.Visits, LateVisits: t.LateVisits, ExcludedVisits: t.ExcludedVisits,
		MissedMonths: []int{}, ExpectedNow: r.ExpectedBy(done), Months: make([]Month, 0, 12)}
	for m := 1; m <= 12; m++ {
		mo := Month{Month: m, Visits: t.MonthVisits[m-1], HouseholdsToDate: t.HouseholdsBy[m-1],
			ExpectedToDate: r.ExpectedBy(m), Complete: m <= done, Visited: t.MonthVisits[m-1] > 0}
		if mo.Visited {
			s.MonthsVisited++
		}
		if mo.Complete {
			mo.Behind = !mo.Visited || mo.HouseholdsToDate < mo.ExpectedToDate
			if !mo.Visited {
				s.MissedMonths = append(s.MissedMonths, m)
			}
		}
		s.Months = append(s.Months, mo)
	}
	s.Met = s.Households >= s.Required
	s.Behind = !s.Met && (s.Households < s.ExpectedNow || len(s.MissedMonths) > 0)
	return s
}

// Flag reasons of the monthly check.
const (
	NoVisitInMonth   = "no_visit_in_month"
	HouseholdsBehind = "households_behind"
)

// MonthFlags are the reasons a deputy is behind at the end of month m
// (1..12): no visit that month, fewer households than the pace. Empty when
// on pace.
func MonthFlags(r Rule, t Tally, m int) []string {
	var reasons []string
	if t.MonthVisits[m-1] == 0 {
		reasons = append(reasons, NoVisitInMonth)
	}
	if t.HouseholdsBy[m-1] < r.ExpectedBy(m) {
		reasons = append(reasons, HouseholdsBehind)
	}
	return reasons
}
