package dutyroster

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"simeng/chinatime"
	"slices"
	"testing"
	"time"
)

func china(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, chinatime.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func swapFixture() ([]DayDuty, []Deputy) {
	days := []DayDuty{
		{Date: "2025-09-25", Deputies: []string{"a", "b"}},
		{Date: "2025-09-30", Deputies: []string{"c", "d"}},
		{Date: "2025-10-05", Holiday: "国庆中秋", Deputies: []string{"a", "c"}},
		{Date: "2025-10-10", Deputies: []string{"b", "d"}},
		{Date: "2025-10-15", Skipped: true},
	}
	eligible := []Deputy{{ID: "a"}, {ID: "b", Unavailable: []string{"2025-10-20"}}, {ID: "c"}, {ID: "d"},
		{ID: "e", Unavailable: []string{"2025-10-05"}}}
	return days, eligible
}

func TestValidateSwap(t *testing.T) {
	days, eligible := swapFixture()
	morning := "2025-09-26 10:00"
	tests := []struct {
		name  string
		swap  Swap
		now   string
		field string // "" = valid
	}{
		{"bad kind", Swap{Kind: "give", Requester: "a", Other: "b", Date: "2025-10-05"}, morning, "kind"},
		{"requester not eligible", Swap{Kind: SwapCover, Requester: "x", Other: "b", Date: "2025-10-05"}, morning, "requester"},
		{"other not eligible", Swap{Kind: SwapCover, Requester: "a", Other: "x", Date: "2025-10-05"}, morning, "other"},
		{"with oneself", Swap{Kind: SwapCover, Requester: "a", Other: "a", Date: "2025-10-05"}, morning, "other"},
		{"bad date", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "10月5日"}, morning, "date"},
		{"past day", Swap{Kind: SwapCover, Requester: "a", Other: "c", Date: "2025-09-25"}, morning, "date"},
		{"today", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"}, "2025-10-05 07:00", "date"},
		{"today just begun in China", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"}, "2025-10-05 00:00", "date"},
		{"requester not on the day", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-09-30"}, morning, "date"},
		{"not a roster day", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-06"}, morning, "date"},
		{"skipped day", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-15"}, morning, "date"},
		{"other already on", Swap{Kind: SwapCover, Requester: "a", Other: "c", Date: "2025-10-05"}, morning, "other"},
		{"other unavailable", Swap{Kind: SwapCover, Requester: "a", Other: "e", Date: "2025-10-05"}, morning, "other"},
		{"cover names a second day", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05", OtherDate: "2025-10-10"}, morning, "other_date"},
		{"exchange bad other date", Swap{Kind: SwapExchange, Requester: "a", Other: "d", Date: "2025-10-05", OtherDate: ""}, morning, "other_date"},
		{"exchange same day", Swap{Kind: SwapExchange, Requester: "a", Other: "d", Date: "2025-10-05", OtherDate: "2025-10-05"}, morning, "other_date"},
		{"exchange past day", Swap{Kind: SwapExchange, Requester: "a", Other: "d", Date: "2025-10-05", OtherDate: "2025-09-30"}, "2025-10-01 09:00", "other_date"},
		{"exchange other not on", Swap{Kind: SwapExchange, Requester: "a", Other: "b", Date: "2025-10-05", OtherDate: "2025-09-30"}, morning, "other_date"},
		{"exchange requester already on", Swap{Kind: SwapExchange, Requester: "a", Other: "b", Date: "2025-10-05", OtherDate: "2025-09-25"}, "2025-09-20 09:00", "other_date"},

		{"cover", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"}, morning, ""},
		{"cover by a deputy with no duty", Swap{Kind: SwapCover, Requester: "a", Other: "e", Date: "2025-09-30"}, morning, "date"},
		{"cover the last evening before", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"}, "2025-10-04 23:59", ""},
		{"exchange", Swap{Kind: SwapExchange, Requester: "a", Other: "d", Date: "2025-10-05", OtherDate: "2025-09-30"}, morning, ""},
	}
	for _, tt := range tests {
		err := ValidateSwap(tt.swap, days, eligible, china(t, tt.now))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Message == "" {
			t.Errorf("%s: err = %v, want a FieldError on %s", tt.name, err, tt.field)
		}
	}
}

func TestValidateSwapUnavailableRequester(t *testing.T) {
	// b marked 10-20 unavailable; exchanging into it is refused.
	days := []DayDuty{{Date: "2025-10-10", Deputies: []string{"b"}}, {Date: "2025-10-20", Deputies: []string{"a"}}}
	eligible := []Deputy{{ID: "a"}, {ID: "b", Unavailable: []string{"2025-10-20"}}}
	err := ValidateSwap(Swap{Kind: SwapExchange, Requester: "b", Other: "a", Date: "2025-10-10", OtherDate: "2025-10-20"},
		days, eligible, china(t, "2025-10-01 09:00"))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "other_date" {
		t.Errorf("err = %v, want a FieldError on other_date", err)
	}
}

func TestApplySwap(t *testing.T) {
	days, eligible := swapFixture()
	orig := slices.Clone(days)
	for i := range orig {
		orig[i].Deputies = slices.Clone(days[i].Deputies)
	}
	now := china(t, "2025-09-26 10:00")
	tests := []struct {
		name string
		swap Swap
		want map[string][]string
	}{
		{"cover", Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"},
			map[string][]string{"2025-10-05": {"b", "c"}}},
		{"exchange", Swap{Kind: SwapExchange, Requester: "a", Other: "d", Date: "2025-10-05", OtherDate: "2025-09-30"},
			map[string][]string{"2025-09-30": {"a", "c"}, "2025-10-05": {"c", "d"}}},
	}
	for _, tt := range tests {
		got, err := ApplySwap(tt.swap, days, eligible, now)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for i, d := range got {
			want, changed := tt.want[d.Date]
			if !changed {
				want = orig[i].Deputies
			}
			if !slices.Equal(d.Deputies, want) || d.Date != orig[i].Date || d.Holiday != orig[i].Holiday || d.Skipped != orig[i].Skipped {
				t.Errorf("%s: %s has %v, want %v", tt.name, d.Date, d.Deputies, want)
			}
		}
	}
	if !reflect.DeepEqual(days, orig) {
		t.Errorf("ApplySwap modified its input: %v", days)
	}
	if _, err := ApplySwap(Swap{Kind: SwapCover, Requester: "a", Other: "c", Date: "2025-10-05"}, days, eligible, now); err == nil {
		t.Error("ApplySwap applied an invalid swap")
	}
}

// A swap made stale by a staff edit is refused on acceptance.
func TestApplySwapStaleAfterStaffEdit(t *testing.T) {
	days, eligible := swapFixture()
	s := Swap{Kind: SwapCover, Requester: "a", Other: "b", Date: "2025-10-05"}
	now := china(t, "2025-09-26 10:00")
	if err := ValidateSwap(s, days, eligible, now); err != nil {
		t.Fatal(err)
	}
	days[2].Deputies = []string{"c", "e"} // staff moved a off 10-05
	if _, err := ApplySwap(s, days, eligible, now.Add(time.Hour)); err == nil {
		t.Error("a stale swap was applied")
	}
}

func headcounts(days []DayDuty) map[string]int {
	m := map[string]int{}
	for _, d := range days {
		m[d.Date] = len(d.Deputies)
	}
	return m
}

// TestSwapsPreserveHeadcount applies random swap requests, valid or not, to
// generated rosters: the per-day headcount never changes, nobody lands on a
// day marked unavailable or twice on one day, and ApplySwap fails exactly
// when ValidateSwap does.
func TestSwapsPreserveHeadcount(t *testing.T) {
	applied := 0
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 18))
		req := randomRequest(rng, false, false)
		r, err := Generate(cal, req)
		if err != nil {
			t.Fatal(err)
		}
		days, want := r.Days, headcounts(r.Days)
		start, _ := parseDate(req.From)
		for range 60 {
			pick := func() string { return req.Deputies[rng.IntN(len(req.Deputies))].ID }
			date := func() string { return days[rng.IntN(len(days))].Date }
			if len(days) == 0 {
				break
			}
			s := Swap{Kind: []SwapKind{SwapCover, SwapExchange}[rng.IntN(2)], Requester: pick(), Other: pick(), Date: date()}
			if s.Kind == SwapExchange {
				s.OtherDate = date()
			}
			now := start.Add(time.Duration(rng.IntN(72)) * time.Hour)
			verr := ValidateSwap(s, days, req.Deputies, now)
			next, aerr := ApplySwap(s, days, req.Deputies, now)
			if (verr == nil) != (aerr == nil) {
				t.Fatalf("seed %d: ValidateSwap %v but ApplySwap %v", seed, verr, aerr)
			}
			if aerr != nil {
				continue
			}
			applied++
			days = next
			if got := headcounts(days); !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d: swap %+v changed headcounts %v → %v", seed, s, want, got)
			}
			checkRoster(t, req, Roster{Days: days, Shortfalls: r.Shortfalls})
		}
	}
	if applied < 300 {
		t.Fatalf("only %d random swaps were valid: the property was barely exercised", applied)
	}
}

// FuzzApplySwap: swap requests come from deputies' phones. Whatever they
// hold, ApplySwap never panics, and a swap it accepts moves the requester
// off their day and keeps every headcount.
func FuzzApplySwap(f *testing.F) {
	f.Add("cover", "a", "b", "2025-10-05", "")
	f.Add("exchange", "a", "d", "2025-10-05", "2025-09-30")
	f.Add("exchange", "", "", "2025-13-01", "x")
	f.Fuzz(func(t *testing.T, kind, requester, other, date, otherDate string) {
		days, eligible := swapFixture()
		s := Swap{Kind: SwapKind(kind), Requester: requester, Other: other, Date: date, OtherDate: otherDate}
		got, err := ApplySwap(s, days, eligible, time.Date(2025, 9, 26, 2, 0, 0, 0, time.UTC))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		if !reflect.DeepEqual(headcounts(got), headcounts(days)) {
			t.Fatalf("headcounts changed: %v", got)
		}
		for _, d := range got {
			if d.Date == date && slices.Contains(d.Deputies, requester) {
				t.Fatalf("requester still on %s", date)
			}
		}
	})
}
