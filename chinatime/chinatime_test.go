package chinatime_test

import (
	"testing"
	"time"

	"simeng/chinatime"
)

func TestLocation(t *testing.T) {
	loc := chinatime.Location()
	if loc.String() != "Asia/Shanghai" {
		t.Errorf("Location() = %q", loc)
	}
	if _, off := time.Date(2025, 7, 1, 0, 0, 0, 0, loc).Zone(); off != 8*60*60 {
		t.Errorf("offset = %d, want +08:00", off)
	}
}

// The year and date are Beijing's, not UTC's: 1 January 07:00 in Beijing is
// still 31 December in UTC.
func TestYearAndDateAreChinas(t *testing.T) {
	newYearMorning := time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		year int
		date string
	}{
		{newYearMorning, 2025, "2025-01-01"},
		{time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC), 2025, "2025-12-31"},
		{time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), 2026, "2026-01-01"},
		{time.Time{}, 0, ""},
	}
	for _, tt := range tests {
		if got := chinatime.Year(tt.t); got != tt.year {
			t.Errorf("Year(%v) = %d, want %d", tt.t, got, tt.year)
		}
		if got := chinatime.Date(tt.t); got != tt.date {
			t.Errorf("Date(%v) = %q, want %q", tt.t, got, tt.date)
		}
	}
}

func TestSpanIsTheChinaYearInStoredUTC(t *testing.T) {
	from, to := chinatime.Span(2025)
	if from != "2024-12-31 16:00:00.000Z" || to != "2025-12-31 16:00:00.000Z" {
		t.Errorf("Span(2025) = [%s, %s)", from, to)
	}
	if !chinatime.YearStart(2026).Equal(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("YearStart(2026) = %v", chinatime.YearStart(2026))
	}
}

func TestPrevMonthStart(t *testing.T) {
	for _, c := range []struct{ at, want string }{
		{"2026-03-31T12:00:00+08:00", "2026-02"},
		{"2026-03-01T00:00:00+08:00", "2026-02"},
		{"2026-01-15T08:00:00+08:00", "2025-12"},
		{"2026-05-31T23:59:00+08:00", "2026-04"},
		{"2026-04-30T17:00:00Z", "2026-04"}, // 1 May, 01:00 China time
	} {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			t.Fatal(err)
		}
		got := chinatime.PrevMonthStart(at)
		if got.Format("2006-01") != c.want || got.Day() != 1 || got.Hour() != 0 || got.Location() != chinatime.Location() {
			t.Errorf("PrevMonthStart(%s) = %v, want the start of %s", c.at, got, c.want)
		}
	}
}
