package dutyroster

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// Market days 2025-09-21..2025-10-12: 09-25, 09-30, 10-05 (国庆中秋), 10-10.
const autumnFrom, autumnTo = "2025-09-21", "2025-10-12"

func ids(names ...string) []Deputy {
	ds := make([]Deputy, len(names))
	for i, n := range names {
		ds[i] = Deputy{ID: n}
	}
	return ds
}

// onDuty renders a roster as date → deputies, "-" for skipped days.
func onDuty(r Roster) map[string][]string {
	m := make(map[string][]string, len(r.Days))
	for _, d := range r.Days {
		if d.Skipped {
			m[d.Date] = []string{"-"}
			continue
		}
		m[d.Date] = d.Deputies
	}
	return m
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		want       map[string][]string
		shortfalls []Shortfall
	}{
		{
			name: "rotation in turn",
			req:  Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: ids("c", "a", "b")},
			want: map[string][]string{"2025-09-25": {"a"}, "2025-09-30": {"b"}, "2025-10-05": {"c"}, "2025-10-10": {"a"}},
		},
		{
			name: "unavailable day respected",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: []Deputy{
				{ID: "a"}, {ID: "b", Unavailable: []string{"2025-09-30"}}, {ID: "c"}}},
			want: map[string][]string{"2025-09-25": {"a"}, "2025-09-30": {"c"}, "2025-10-05": {"b"}, "2025-10-10": {"a"}},
		},
		{
			name: "prior duties carried over",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: []Deputy{
				{ID: "a", PriorDuties: 2}, {ID: "b"}, {ID: "c"}}},
			want: map[string][]string{"2025-09-25": {"b"}, "2025-09-30": {"c"}, "2025-10-05": {"b"}, "2025-10-10": {"c"}},
		},
		{
			name: "longest waiting first",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: []Deputy{
				{ID: "a", LastDuty: "2025-09-20"}, {ID: "b"}, {ID: "c", LastDuty: "2025-09-15"}}},
			want: map[string][]string{"2025-09-25": {"b"}, "2025-09-30": {"c"}, "2025-10-05": {"a"}, "2025-10-10": {"b"}},
		},
		{
			name: "short day reported",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 2, Deputies: []Deputy{
				{ID: "a"}, {ID: "b", Unavailable: []string{"2025-09-30", "2025-10-10"}}}},
			want:       map[string][]string{"2025-09-25": {"a", "b"}, "2025-09-30": {"a"}, "2025-10-05": {"a", "b"}, "2025-10-10": {"a"}},
			shortfalls: []Shortfall{{"2025-09-30", 2, 1}, {"2025-10-10", 2, 1}},
		},
		{
			name:       "nobody available",
			req:        Request{From: "2025-09-25", To: "2025-09-25", PerDay: 1},
			want:       map[string][]string{"2025-09-25": nil},
			shortfalls: []Shortfall{{"2025-09-25", 1, 0}},
		},
		{
			name: "holiday skipped",
			req:  Request{From: autumnFrom, To: autumnTo, Policy: HolidaySkip, PerDay: 1, Deputies: ids("a", "b")},
			want: map[string][]string{"2025-09-25": {"a"}, "2025-09-30": {"b"}, "2025-10-05": {"-"}, "2025-10-10": {"a"}},
		},
		{
			name: "fixed day kept and counted",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: ids("a", "b", "c"),
				Fixed: []DayDuty{{Date: "2025-09-30", Deputies: []string{"a"}}}},
			want: map[string][]string{"2025-09-25": {"a"}, "2025-09-30": {"a"}, "2025-10-05": {"b"}, "2025-10-10": {"c"}},
		},
		{
			name: "fixed day short and with an outsider",
			req: Request{From: autumnFrom, To: autumnTo, PerDay: 2, Deputies: ids("a", "b"),
				Fixed: []DayDuty{{Date: "2025-09-25", Deputies: []string{"z"}}}},
			want:       map[string][]string{"2025-09-25": {"z"}, "2025-09-30": {"a", "b"}, "2025-10-05": {"a", "b"}, "2025-10-10": {"a", "b"}},
			shortfalls: []Shortfall{{"2025-09-25", 2, 1}},
		},
	}
	for _, tt := range tests {
		got, err := Generate(cal, tt.req)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if m := onDuty(got); !reflect.DeepEqual(m, tt.want) {
			t.Errorf("%s: roster %v, want %v", tt.name, m, tt.want)
		}
		if !slices.Equal(got.Shortfalls, tt.shortfalls) {
			t.Errorf("%s: shortfalls %v, want %v", tt.name, got.Shortfalls, tt.shortfalls)
		}
	}
}

func TestGenerateTallies(t *testing.T) {
	got, err := Generate(cal, Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: []Deputy{
		{ID: "b", PriorDuties: 3}, {ID: "a", PriorDuties: 1}, {ID: "c", PriorDuties: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Tally{{"a", 1, 2}, {"b", 3, 0}, {"c", 1, 2}}
	if !slices.Equal(got.Tallies, want) {
		t.Errorf("tallies %v, want %v", got.Tallies, want)
	}
	if got.Tallies[0].Total() != 3 {
		t.Errorf("Total = %d, want 3", got.Tallies[0].Total())
	}
}

func TestGenerateMarksHolidaysAndFixedDays(t *testing.T) {
	got, err := Generate(cal, Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: ids("a"),
		Fixed: []DayDuty{{Date: "2025-09-30", Deputies: []string{"a"}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []DayDuty{
		{Date: "2025-09-25", Deputies: []string{"a"}},
		{Date: "2025-09-30", Fixed: true, Deputies: []string{"a"}},
		{Date: "2025-10-05", Holiday: "国庆中秋", Deputies: []string{"a"}},
		{Date: "2025-10-10", Deputies: []string{"a"}},
	}
	if !reflect.DeepEqual(got.Days, want) {
		t.Errorf("days %+v, want %+v", got.Days, want)
	}
}

func TestGenerateUnscheduledYears(t *testing.T) {
	// lunar-go carries the State Council schedules through 2027.
	tests := []struct {
		policy HolidayPolicy
		want   []int
	}{
		{HolidaySkip, []int{2028}},
		{HolidayKeep, nil},
	}
	for _, tt := range tests {
		got, err := Generate(cal, Request{From: "2027-12-01", To: "2028-02-29", Policy: tt.policy, PerDay: 1, Deputies: ids("a")})
		if err != nil || !slices.Equal(got.UnscheduledYears, tt.want) {
			t.Errorf("%s: UnscheduledYears = %v, %v; want %v", tt.policy, got.UnscheduledYears, err, tt.want)
		}
	}
}

func TestGenerateRejects(t *testing.T) {
	ok := Request{From: autumnFrom, To: autumnTo, PerDay: 1, Deputies: ids("a", "b")}
	with := func(f func(*Request)) Request {
		r := ok
		r.Deputies = slices.Clone(ok.Deputies)
		f(&r)
		return r
	}
	tests := []struct {
		name  string
		req   Request
		field string
	}{
		{"no one per day", with(func(r *Request) { r.PerDay = 0 }), "per_day"},
		{"too many per day", with(func(r *Request) { r.PerDay = MaxPerDay + 1 }), "per_day"},
		{"empty id", with(func(r *Request) { r.Deputies[1].ID = "" }), "deputies.1.id"},
		{"same deputy twice", with(func(r *Request) { r.Deputies[1].ID = "a" }), "deputies.1.id"},
		{"negative prior", with(func(r *Request) { r.Deputies[0].PriorDuties = -1 }), "deputies.0.prior_duties"},
		{"bad last duty", with(func(r *Request) { r.Deputies[0].LastDuty = "yesterday" }), "deputies.0.last_duty"},
		{"bad unavailable date", with(func(r *Request) { r.Deputies[1].Unavailable = []string{"2025-09-25", "2025/09/30"} }), "deputies.1.unavailable.1"},
		{"bad period", with(func(r *Request) { r.From = "" }), "from"},
		{"bad policy", with(func(r *Request) { r.Policy = "maybe" }), "holiday_policy"},
		{"fixed day not a market day", with(func(r *Request) { r.Fixed = []DayDuty{{Date: "2025-09-26"}} }), "fixed.0.date"},
		{"fixed day outside period", with(func(r *Request) { r.Fixed = []DayDuty{{Date: "2025-10-15"}} }), "fixed.0.date"},
		{"fixed day skipped", with(func(r *Request) {
			r.Policy = HolidaySkip
			r.Fixed = []DayDuty{{Date: "2025-10-05", Deputies: []string{"a"}}}
		}), "fixed.0.date"},
		{"fixed day twice", with(func(r *Request) { r.Fixed = []DayDuty{{Date: "2025-09-25"}, {Date: "2025-09-25"}} }), "fixed.1.date"},
		{"fixed deputy twice", with(func(r *Request) { r.Fixed = []DayDuty{{Date: "2025-09-25", Deputies: []string{"a", "a"}}} }), "fixed.0.deputies.1"},
	}
	for _, tt := range tests {
		_, err := Generate(cal, tt.req)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Message == "" {
			t.Errorf("%s: err = %v, want a FieldError on %s", tt.name, err, tt.field)
		}
	}
}
