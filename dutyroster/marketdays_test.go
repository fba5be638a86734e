package dutyroster

import (
	"errors"
	"slices"
	"testing"

	"simeng/workdays"
)

var cal = workdays.New()

func TestMarketDays(t *testing.T) {
	// Anchors: 2025-10-06 is 八月十五 (so 八月初四 is 09-25); 国庆中秋 2025 is
	// 10-01..10-08; 春节 2025 is 01-28..02-04 with 正月初一 on 01-29.
	tests := []struct {
		name     string
		policy   HolidayPolicy
		from, to string
		want     []MarketDay
	}{
		{"national day kept", HolidayKeep, "2025-09-21", "2025-10-12", []MarketDay{
			{Date: "2025-09-25"}, {Date: "2025-09-30"}, {Date: "2025-10-05", Holiday: "国庆中秋"}, {Date: "2025-10-10"}}},
		{"national day skipped", HolidaySkip, "2025-09-21", "2025-10-12", []MarketDay{
			{Date: "2025-09-25"}, {Date: "2025-09-30"}, {Date: "2025-10-05", Holiday: "国庆中秋", Skipped: true}, {Date: "2025-10-10"}}},
		{"empty policy keeps", "", "2025-10-05", "2025-10-05", []MarketDay{{Date: "2025-10-05", Holiday: "国庆中秋"}}},
		{"spring festival skipped", HolidaySkip, "2025-01-28", "2025-02-06", []MarketDay{
			{Date: "2025-01-28", Holiday: "春节", Skipped: true}, {Date: "2025-02-01", Holiday: "春节", Skipped: true}, {Date: "2025-02-06"}}},
		{"a weekend market day is ordinary", HolidaySkip, "2025-09-20", "2025-09-20", []MarketDay{{Date: "2025-09-20"}}},
		{"no market day", HolidayKeep, "2025-09-26", "2025-09-29", nil},
	}
	for _, tt := range tests {
		got, err := MarketDays(cal, tt.policy, tt.from, tt.to)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: MarketDays = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestMarketDaysStaffOverride(t *testing.T) {
	// A local closure entered by staff counts like a statutory holiday, and
	// a staff "workday" on a statutory holiday reopens it.
	c := workdays.New(
		workdays.Override{Date: "2025-09-25", Workday: false, Name: "镇集中活动"},
		workdays.Override{Date: "2025-10-05", Workday: true, Name: "照常上班"},
	)
	got, err := MarketDays(c, HolidaySkip, "2025-09-25", "2025-10-05")
	want := []MarketDay{{Date: "2025-09-25", Holiday: "镇集中活动", Skipped: true}, {Date: "2025-09-30"}, {Date: "2025-10-05"}}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("MarketDays = %v, %v; want %v", got, err, want)
	}
}

func TestMarketDaysRejects(t *testing.T) {
	tests := []struct {
		name     string
		policy   HolidayPolicy
		from, to string
		field    string
	}{
		{"unknown policy", "close", "2025-01-01", "2025-03-31", "holiday_policy"},
		{"bad from", HolidayKeep, "2025-1-1", "2025-03-31", "from"},
		{"bad to", HolidayKeep, "2025-01-01", "2025-02-30", "to"},
		{"reversed", HolidayKeep, "2025-03-31", "2025-01-01", "to"},
		{"too long", HolidayKeep, "2025-01-01", "2026-02-01", "to"},
	}
	for _, tt := range tests {
		_, err := MarketDays(cal, tt.policy, tt.from, tt.to)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Message == "" {
			t.Errorf("%s: err = %v, want a FieldError on %s", tt.name, err, tt.field)
		}
	}
}

func TestReceives(t *testing.T) {
	tests := []struct {
		date   string
		policy HolidayPolicy
		want   bool
	}{
		{"2025-09-25", HolidaySkip, true},
		{"2025-09-26", HolidayKeep, false},
		{"2025-10-05", HolidayKeep, true},
		{"2025-10-05", HolidaySkip, false},
		{"2025-10-5", HolidayKeep, false},
		{"", HolidayKeep, false},
	}
	for _, tt := range tests {
		if got := Receives(cal, tt.policy, tt.date); got != tt.want {
			t.Errorf("Receives(%q, %s) = %v, want %v", tt.date, tt.policy, got, tt.want)
		}
	}
}
