package visitpace

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"simeng/chinatime"
)

func at(y, m, d, h int) time.Time {
	return time.Date(y, time.Month(m), d, h, 0, 0, 0, chinatime.Location())
}

func TestExpectedBy(t *testing.T) {
	tests := []struct {
		required, month, want int
	}{
		{12, 0, 0}, {12, 1, 1}, {12, 6, 6}, {12, 12, 12},
		{0, 3, 3},                            // default 12
		{10, 1, 1}, {10, 6, 5}, {10, 12, 10}, // rounded up
		{24, 1, 2}, {5, 13, 5}, {12, -1, 0}, // clamped
	}
	for _, tt := range tests {
		if got := (Rule{Required: tt.required}).ExpectedBy(tt.month); got != tt.want {
			t.Errorf("required %d month %d: %d, want %d", tt.required, tt.month, got, tt.want)
		}
	}
}

func TestClosableFrom(t *testing.T) {
	tests := []struct {
		rule Rule
		want time.Time
	}{
		{Rule{Year: 2025}, at(2026, 1, 16, 0)},
		{Rule{Year: 2025, GraceDays: 1}, at(2026, 1, 2, 0)},
		{Rule{Year: 2024, GraceDays: 31}, at(2025, 2, 1, 0)},
	}
	for _, tt := range tests {
		if got := tt.rule.ClosableFrom(); !got.Equal(tt.want) {
			t.Errorf("%+v: %v, want %v", tt.rule, got, tt.want)
		}
	}
}

func TestCompleteMonths(t *testing.T) {
	tests := []struct {
		year int
		now  time.Time
		want int
	}{
		{2025, at(2026, 3, 1, 12), 12},
		{2027, at(2026, 3, 1, 12), 0},
		{2026, at(2026, 1, 31, 23), 0},
		{2026, at(2026, 3, 1, 0), 2},
		{2026, at(2026, 12, 31, 23), 11},
		// 31 December 20:00 UTC is already 1 January in China.
		{2026, time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), 12},
	}
	for _, tt := range tests {
		if got := CompleteMonths(tt.year, tt.now); got != tt.want {
			t.Errorf("year %d at %v: %d, want %d", tt.year, tt.now, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	var twelveToOne []Visit
	for m := 1; m <= 12; m++ {
		twelveToOne = append(twelveToOne, Visit{Household: "h1", At: at(2026, m, 10, 10)})
	}
	tally := Count(2026, twelveToOne)
	if tally.Households != 1 || tally.Visits != 12 || tally.HouseholdsBy != [12]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1} {
		t.Fatalf("12 visits to one household: %+v", tally)
	}

	visits := []Visit{
		{Household: "h2", At: at(2026, 3, 5, 9)},
		{Household: "h1", At: at(2026, 1, 5, 9)},
		{Household: "h2", At: at(2026, 1, 20, 9)}, // earlier visit of h2, listed later
		{Household: "h3", At: at(2026, 3, 1, 1)},
		{Household: "h4", At: at(2026, 6, 1, 9), Late: true},
		{Household: "h7", At: at(2026, 7, 1, 9), Excluded: true},             // not counted on review
		{Household: "h7", At: at(2026, 8, 1, 9), Excluded: true, Late: true}, // late wins the label
		{Household: "h5", At: at(2025, 12, 31, 23)},                          // last year
		{Household: "h5", At: at(2025, 12, 30, 23), Excluded: true},          // last year, excluded
		// 1 January 00:30 in China is still 31 December in UTC.
		{Household: "h6", At: time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC)},
	}
	tally = Count(2026, visits)
	want := Tally{Households: 4, Visits: 5, LateVisits: 2, ExcludedVisits: 1,
		MonthVisits:  [12]int{3, 0, 2},
		HouseholdsBy: [12]int{3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}}
	if tally != want {
		t.Fatalf("Count = %+v\nwant    %+v", tally, want)
	}
	if ids, hh := Counted(2026, []Visit{{ID: "a", Household: "h1", At: at(2026, 2, 1, 9)}, {ID: "b", Household: "h2", At: at(2026, 2, 1, 10), Excluded: true}}); len(ids) != 1 || ids[0] != "a" || len(hh) != 1 {
		t.Fatalf("Counted kept an excluded visit: %v %v", ids, hh)
	}

	// The same year as a database groups it, in another order.
	groups := []Group{
		{Household: "h4", Month: 5, Late: true, Visits: 1},
		{Household: "h7", Month: 7, Late: true, Excluded: true, Visits: 1},
		{Household: "h2", Month: 2, Visits: 1},
		{Household: "h7", Month: 6, Excluded: true, Visits: 1},
		{Household: "h3", Month: 2, Visits: 1},
		{Household: "h1", Month: 0, Visits: 1},
		{Household: "h6", Month: 0, Visits: 1},
		{Household: "h2", Month: 0, Visits: 1},
	}
	if got := CountGroups(groups); got != want {
		t.Fatalf("CountGroups = %+v\nwant         %+v", got, want)
	}
}

func TestAssess(t *testing.T) {
	onPace := make([]Visit, 0, 12)
	for m := 1; m <= 12; m++ {
		onPace = append(onPace, Visit{Household: fmt.Sprint("h", m), At: at(2026, m, 3, 10)})
	}
	tests := []struct {
		name         string
		visits       []Visit
		now          time.Time
		behind, met  bool
		missed       []int
		expectedNow  int
		monthsBehind []int
	}{
		{"on pace in June", onPace[:5], at(2026, 6, 15, 10), false, false, []int{}, 5, nil},
		{"a missed month", append(slices.Clone(onPace[:2]), onPace[3:5]...), at(2026, 6, 15, 10), true, false, []int{3}, 5, []int{3, 4, 5}},
		{"twelve done", onPace, at(2027, 1, 2, 10), false, true, []int{}, 12, nil},
		{"twelve in one month is met, months missed or not", func() []Visit {
			v := slices.Clone(onPace)
			for i := range v {
				v[i].At = at(2026, 2, 1+i, 10)
			}
			return v
		}(), at(2026, 6, 15, 10), false, true, []int{1, 3, 4, 5}, 5, []int{1, 3, 4, 5}},
		{"nothing yet in January", nil, at(2026, 1, 20, 10), false, false, []int{}, 0, nil},
		{"nothing by February", nil, at(2026, 2, 1, 10), true, false, []int{1}, 1, []int{1}},
	}
	for _, tt := range tests {
		s := Assess(Rule{Year: 2026}, Count(2026, tt.visits), tt.now)
		var behind []int
		for _, m := range s.Months {
			if m.Behind {
				behind = append(behind, m.Month)
			}
		}
		if s.Behind != tt.behind || s.Met != tt.met || !slices.Equal(s.MissedMonths, tt.missed) ||
			s.ExpectedNow != tt.expectedNow || !slices.Equal(behind, tt.monthsBehind) || len(s.Months) != 12 {
			t.Errorf("%s: behind %v met %v missed %v expected %d months behind %v", tt.name, s.Behind, s.Met, s.MissedMonths, s.ExpectedNow, behind)
		}
	}
}

func TestMonthFlags(t *testing.T) {
	tally := Count(2026, []Visit{{Household: "a", At: at(2026, 1, 2, 10)}, {Household: "a", At: at(2026, 3, 2, 10)}})
	tests := []struct {
		month int
		want  []string
	}{
		{1, nil},
		{2, []string{NoVisitInMonth, HouseholdsBehind}},
		{3, []string{HouseholdsBehind}},
	}
	for _, tt := range tests {
		if got := MonthFlags(Rule{Year: 2026}, tally, tt.month); !slices.Equal(got, tt.want) {
			t.Errorf("month %d: %v, want %v", tt.month, got, tt.want)
		}
	}
}

// The invariants of Count and Assess hold for any visits.
func FuzzCountAndAssess(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6}, int64(0), uint8(12))
	f.Add([]byte{0, 0, 0, 0}, int64(86400*200), uint8(0))
	f.Add([]byte{255, 17, 9, 130, 77}, int64(-86400*40), uint8(30))
	f.Fuzz(func(t *testing.T, raw []byte, nowOffset int64, required uint8) {
		year := 2026
		var visits []Visit
		for i := 0; i+1 < len(raw); i += 2 {
			visits = append(visits, Visit{
				Household: fmt.Sprint("h", raw[i]%16),
				At:        at(2025, 12, 1, 0).Add(time.Duration(raw[i+1]) * 40 * time.Hour),
				Late:      raw[i]%7 == 0,
				Excluded:  raw[i+1]%5 == 0,
			})
		}
		tally := Count(year, visits)
		if tally.Households > tally.Visits || tally.HouseholdsBy[11] != tally.Households {
			t.Fatalf("households %d, visits %d, by December %d", tally.Households, tally.Visits, tally.HouseholdsBy[11])
		}
		sum := 0
		for m := range 12 {
			sum += tally.MonthVisits[m]
			if m > 0 && tally.HouseholdsBy[m] < tally.HouseholdsBy[m-1] {
				t.Fatal("distinct households went down")
			}
		}
		if sum != tally.Visits {
			t.Fatalf("month visits sum %d, visits %d", sum, tally.Visits)
		}
		inYear := 0
		for _, v := range visits {
			if chinatime.Year(v.At) == year {
				inYear++
			}
		}
		if tally.Visits+tally.LateVisits+tally.ExcludedVisits != inYear {
			t.Fatalf("counted %d + late %d + excluded %d != %d visits of the year", tally.Visits, tally.LateVisits, tally.ExcludedVisits, inYear)
		}
		// Counted names exactly what Count counts.
		if ids, households := Counted(year, visits); len(ids) != tally.Visits || len(households) != tally.Households {
			t.Fatalf("Counted: %d visits, %d households; Count: %d, %d", len(ids), len(households), tally.Visits, tally.Households)
		}
		// Grouped as a database sends them (here one visit a group, groups
		// sharing a household and month), the tally is the same.
		var groups []Group
		for _, v := range visits {
			if chinatime.Year(v.At) == year {
				groups = append(groups, Group{Household: v.Household, Month: int(chinatime.In(v.At).Month()) - 1, Late: v.Late, Excluded: v.Excluded, Visits: 1})
			}
		}
		if CountGroups(groups) != tally {
			t.Fatalf("CountGroups %+v, Count %+v", CountGroups(groups), tally)
		}
		slices.Reverse(visits)
		if Count(year, visits) != tally {
			t.Fatal("order of visits changed the count")
		}
		now := at(year, 1, 1, 0).Add(time.Duration(nowOffset%(86400*500)) * time.Second)
		s := Assess(Rule{Year: year, Required: int(required)}, tally, now)
		if s.Met && s.Behind {
			t.Fatal("met and behind")
		}
		if s.Met != (s.Households >= s.Required) || s.MonthsVisited > 12 || len(s.MissedMonths) > CompleteMonths(year, now) {
			t.Fatalf("inconsistent standing %+v", s)
		}
	})
}
