package deadline

import (
	"simeng/chinatime"
	"testing"
	"time"

	"simeng/workdays"
)

var (
	cal = workdays.New()
	cst = chinatime.Location()
)

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, cst) }

func TestDue(t *testing.T) {
	cases := []struct {
		name string
		from time.Time
		n    int
		want time.Time // date only; the time is the end of that day
	}{
		{"friday plus one is monday", day(2026, 3, 6, 16), 1, day(2026, 3, 9, 0)},
		{"15 working days over 清明", day(2026, 3, 30, 9), 15, day(2026, 4, 21, 0)},
		{"national day week does not count", day(2026, 9, 30, 9), 1, day(2026, 10, 8, 0)},
		{"中秋 and the weekend", day(2026, 9, 24, 9), 1, day(2026, 9, 28, 0)},
		{"zero is the same day", day(2026, 5, 12, 9), 0, day(2026, 5, 12, 0)},
		// 23:30 UTC on 1 March is already 2 March in China.
		{"date taken in China time", time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), 1, day(2026, 3, 3, 0)},
	}
	for _, c := range cases {
		got := Due(cal, c.from, c.n)
		want := EndOfDay(c.want)
		if !got.Equal(want) {
			t.Errorf("%s: Due = %v, want %v", c.name, got, want)
		}
	}
}

func TestStageAt(t *testing.T) {
	due := Due(cal, day(2026, 9, 28, 10), 2) // Wednesday 30 September 2026
	esc := Due(cal, due, EscalateAfterWorkdays)
	cases := []struct {
		name string
		now  time.Time
		want Stage
	}{
		{"on the day", day(2026, 9, 30, 23), StageNone},
		{"next morning", day(2026, 10, 1, 8), StagePresidium},
		{"at the end of the grace", esc, StagePresidium},
		{"after the grace", esc.Add(time.Nanosecond), StageSupervised},
	}
	for _, c := range cases {
		if got := StageAt(cal, due, c.now, EscalateAfterWorkdays); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// Five working days after 30 Sep 2026 skip the 国庆 week: 8, 9, 10 (调休), 12, 13 October.
	if !esc.Equal(EndOfDay(day(2026, 10, 13, 0))) {
		t.Errorf("escalation %v should skip the national-day holidays", esc)
	}
	if StageAt(cal, time.Time{}, day(2030, 1, 1, 0), 5) != StageNone {
		t.Error("no deadline must never be overdue")
	}
}

func FuzzDue(f *testing.F) {
	f.Add(int64(1774828800), uint8(15))
	f.Add(int64(1790726400), uint8(60))
	f.Fuzz(func(t *testing.T, sec int64, n uint8) {
		sec %= 4102444800
		if sec < 0 {
			sec = -sec
		}
		from := time.Unix(sec, 0)
		got := Due(cal, from, int(n))
		if got.Before(from) {
			t.Fatalf("Due(%v, %d) = %v is before the start", from, n, got)
		}
		if !got.Equal(EndOfDay(got)) {
			t.Fatalf("Due %v is not the end of a day", got)
		}
		if n > 0 && !cal.IsWorkday(got) {
			t.Fatalf("Due %v is not a working day", got)
		}
		if StageAt(cal, got, got, 5) != StageNone || StageAt(cal, got, got.Add(time.Nanosecond), 5) != StagePresidium {
			t.Fatalf("stages around %v wrong", got)
		}
	})
}
