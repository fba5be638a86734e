package workdays_test

import (
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/workdays"
)

// fuzzLocations are the zones fuzz inputs are interpreted in. New York adds
// DST transitions; Asia/Shanghai is what production passes.
var fuzzLocations = func() []*time.Location {
	locs := []*time.Location{chinatime.Location(), time.UTC, time.FixedZone("-11", -11*60*60)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		locs = append(locs, ny)
	}
	return locs
}()

// fuzzTime maps arbitrary fuzz input to an instant between 1970 and 2100.
func fuzzTime(sec int64, loc uint8) time.Time {
	const lo = 0                 // 1970-01-01
	const span = 4102444800 - lo // up to 2100-01-01
	sec %= span
	if sec < 0 {
		sec += span
	}
	return time.Unix(lo+sec, 0).In(fuzzLocations[int(loc)%len(fuzzLocations)])
}

// fuzzCalendar turns the bits of mask into overrides that flip the 64 days
// after day, so fuzzing also exercises staff overrides.
func fuzzCalendar(day time.Time, mask uint64) *workdays.Calendar {
	if mask == 0 {
		return defaultCalendar
	}
	var overrides []workdays.Override
	for i := range 64 {
		if mask&(1<<i) == 0 {
			continue
		}
		d := day.AddDate(0, 0, i+1)
		overrides = append(overrides, workdays.Override{Date: d.Format(chinatime.DateLayout), Workday: !defaultCalendar.IsWorkday(d)})
	}
	return workdays.New(overrides...)
}

var defaultCalendar = workdays.New()

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// countWorkdays counts working days in the dates (from, to] of from's location.
func countWorkdays(cal *workdays.Calendar, from, to time.Time) int {
	n := 0
	for d := from; !sameDate(d, to); {
		y, m, dd := d.Date()
		d = time.Date(y, m, dd+1, 12, 0, 0, 0, d.Location())
		if cal.IsWorkday(d) {
			n++
		}
	}
	return n
}

func FuzzAddWorkdays(f *testing.F) {
	f.Add(int64(1737943200), uint16(5), uint8(0), uint64(0))     // 2025-01-27 10:00 CST
	f.Add(int64(1759197600), uint16(5), uint8(0), uint64(0))     // 2025-09-30
	f.Add(int64(1770948000), uint16(5), uint8(0), uint64(0))     // 2026-02-13
	f.Add(int64(1790733600), uint16(5), uint8(0), uint64(0))     // 2026-09-30
	f.Add(int64(1738692000), uint16(1), uint8(1), uint64(0))     // 2025-02-04 18:00 UTC
	f.Add(int64(1741503600), uint16(3), uint8(3), uint64(0))     // 2025-03-09, US DST starts
	f.Add(int64(1770948000), uint16(5), uint8(0), uint64(1<<13)) // 2026-02-27 made a holiday
	f.Add(int64(1735660800), uint16(300), uint8(2), ^uint64(0))
	f.Fuzz(func(t *testing.T, sec int64, n16 uint16, loc uint8, mask uint64) {
		day := fuzzTime(sec, loc)
		n := int(n16%1000) + 1
		cal := fuzzCalendar(day, mask)

		got := cal.AddWorkdays(day, n)
		if got.Location() != day.Location() {
			t.Fatalf("location %v, want %v", got.Location(), day.Location())
		}
		if h, m, s := got.Clock(); h != 0 || m != 0 || s != 0 || got.Nanosecond() != 0 {
			t.Fatalf("AddWorkdays(%v, %d) = %v, not midnight", day, n, got)
		}
		if !got.After(day) || sameDate(got, day) {
			t.Fatalf("AddWorkdays(%v, %d) = %v, not after the input date", day, n, got)
		}
		if !cal.IsWorkday(got) {
			t.Fatalf("AddWorkdays(%v, %d) = %v, not a workday", day, n, got)
		}
		if c := countWorkdays(cal, day, got); c != n {
			t.Fatalf("AddWorkdays(%v, %d) = %v, but %d workdays lie in between", day, n, got, c)
		}
	})
}

func FuzzFeedbackDue(f *testing.F) {
	f.Add(int64(1737943200), int64(86400), uint8(0), uint64(0))
	f.Add(int64(1759197600), int64(3600), uint8(0), uint64(0))
	f.Add(int64(1770948000), int64(0), uint8(0), uint64(1<<13))
	f.Add(int64(1790733600), int64(-86400*3), uint8(0), uint64(0))
	f.Add(int64(1738692000), int64(7200), uint8(1), uint64(0))
	f.Add(int64(1762063200), int64(3600), uint8(3), uint64(0xff)) // 2025-11-02, US DST ends
	f.Fuzz(func(t *testing.T, sec, delta int64, loc uint8, mask uint64) {
		received := fuzzTime(sec, loc)
		cal := fuzzCalendar(received, mask)

		due := cal.FeedbackDue(received)
		if due.Location() != received.Location() {
			t.Fatalf("location %v, want %v", due.Location(), received.Location())
		}
		if h, m, s := due.Clock(); h != 23 || m != 59 || s != 59 || due.Nanosecond() != 999999999 {
			t.Fatalf("FeedbackDue(%v) = %v, not end of day", received, due)
		}
		if due.Before(received.AddDate(0, 0, workdays.FeedbackWorkdays)) {
			t.Fatalf("FeedbackDue(%v) = %v, less than %d days later", received, due, workdays.FeedbackWorkdays)
		}
		if !cal.IsWorkday(due) {
			t.Fatalf("FeedbackDue(%v) = %v, not a workday", received, due)
		}
		if c := countWorkdays(cal, received, due); c != workdays.FeedbackWorkdays {
			t.Fatalf("FeedbackDue(%v) = %v, but %d workdays lie in between", received, due, c)
		}

		later := received.Add(time.Duration(delta%(400*86400)) * time.Second)
		if later.Before(received) {
			received, later = later, received
		}
		if a, b := cal.FeedbackDue(received), cal.FeedbackDue(later); b.Before(a) {
			t.Fatalf("not monotonic: FeedbackDue(%v) = %v after FeedbackDue(%v) = %v", received, a, later, b)
		}
	})
}
