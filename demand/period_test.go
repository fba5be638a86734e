package demand

import (
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	// 2025-03-31 20:00 UTC is 1 April 04:00 in China: April, Q2.
	at := time.Date(2025, 3, 31, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		kind                  PeriodKind
		key, label, prev, nxt string
	}{
		{Month, "2025-04", "2025年4月", "2025-03", "2025-05"},
		{Quarter, "2025-Q2", "2025年第2季度", "2025-Q1", "2025-Q3"},
		{Year, "2025", "2025年", "2024", "2026"},
		{"", "2025-04", "2025年4月", "2025-03", "2025-05"},
	}
	for _, tt := range tests {
		p := PeriodOf(tt.kind, at)
		if p.Key() != tt.key || p.Label() != tt.label || p.Prev().Key() != tt.prev || p.Next().Key() != tt.nxt {
			t.Errorf("%q: %s %s prev %s next %s, want %s %s %s %s", tt.kind, p.Key(), p.Label(), p.Prev().Key(), p.Next().Key(),
				tt.key, tt.label, tt.prev, tt.nxt)
		}
		if !p.Contains(at) || p.Contains(p.End()) || !p.Contains(p.Start) || p.Contains(p.Start.Add(-time.Nanosecond)) {
			t.Errorf("%s: bounds wrong: [%v, %v)", p.Key(), p.Start, p.End())
		}
		back, err := ParsePeriod(p.Key())
		if err != nil || back != p {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", p.Key(), back, err, p)
		}
	}
	if got := PeriodOf(Quarter, time.Date(2025, 1, 15, 0, 0, 0, 0, China)).Prev().Key(); got != "2024-Q4" {
		t.Errorf("Q1 prev = %s, want 2024-Q4", got)
	}
	if got := PeriodOf(Month, time.Date(2025, 1, 15, 0, 0, 0, 0, China)).Prev().Key(); got != "2024-12" {
		t.Errorf("January prev = %s, want 2024-12", got)
	}
}

func TestParsePeriodRefuses(t *testing.T) {
	for _, s := range []string{"", "25", "2025-13", "2025-00", "2025-Q0", "2025-Q5", "2025-Q12", "2025-3", "1999", "20250", "2025-", "-Q1", "２０２５", "2025-q1x"} {
		if p, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", s, p)
		} else if err.Error() != "期间格式应为 2025、2025-Q1 或 2025-03" {
			t.Errorf("ParsePeriod(%q) error %q", s, err)
		}
	}
	if p, err := ParsePeriod(" 2025-q3 "); err != nil || p.Key() != "2025-Q3" {
		t.Errorf("ParsePeriod lower-case q: %v %v", p, err)
	}
}
