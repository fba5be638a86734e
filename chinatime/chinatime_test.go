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
