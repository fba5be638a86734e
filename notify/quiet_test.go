package notify_test

import (
	"testing"
	"time"

	"simeng/notify"
)

// cst parses "2006-01-02 15:04" as China time.
func cst(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, notify.ChinaTime)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNightQuiet(t *testing.T) {
	q := notify.NightQuiet
	tests := []struct {
		at         string
		quiet      bool
		end, start string // "" = at itself
	}{
		{at: "2025-06-01 20:59", quiet: false},
		{at: "2025-06-01 21:00", quiet: true, end: "2025-06-02 08:00", start: "2025-06-01 21:00"},
		{at: "2025-06-01 23:30", quiet: true, end: "2025-06-02 08:00", start: "2025-06-01 21:00"},
		{at: "2025-06-02 00:00", quiet: true, end: "2025-06-02 08:00", start: "2025-06-01 21:00"},
		{at: "2025-06-02 07:59", quiet: true, end: "2025-06-02 08:00", start: "2025-06-01 21:00"},
		{at: "2025-06-02 08:00", quiet: false},
		{at: "2025-06-02 12:00", quiet: false},
		{at: "2025-12-31 22:00", quiet: true, end: "2026-01-01 08:00", start: "2025-12-31 21:00"},
		{at: "2026-01-01 03:00", quiet: true, end: "2026-01-01 08:00", start: "2025-12-31 21:00"},
	}
	for _, tt := range tests {
		at := cst(t, tt.at)
		for _, in := range []time.Time{at, at.UTC()} { // the zone of the input must not matter
			if got := q.Contains(in); got != tt.quiet {
				t.Errorf("Contains(%s) = %v, want %v", tt.at, got, tt.quiet)
			}
			wantEnd, wantStart := at, at
			if tt.end != "" {
				wantEnd, wantStart = cst(t, tt.end), cst(t, tt.start)
			}
			if got := q.End(in); !got.Equal(wantEnd) {
				t.Errorf("End(%s) = %s, want %s", tt.at, got.In(notify.ChinaTime), wantEnd)
			}
			if got := q.Start(in); !got.Equal(wantStart) {
				t.Errorf("Start(%s) = %s, want %s", tt.at, got.In(notify.ChinaTime), wantStart)
			}
		}
	}
}

func TestQuietHoursWithinADay(t *testing.T) {
	q := notify.QuietHours{From: 12 * 60, To: 14 * 60, Loc: notify.ChinaTime} // a lunch break
	for at, want := range map[string]bool{
		"2025-06-01 11:59": false, "2025-06-01 12:00": true, "2025-06-01 13:59": true, "2025-06-01 14:00": false,
	} {
		if got := q.Contains(cst(t, at)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", at, got, want)
		}
	}
	if got, want := q.End(cst(t, "2025-06-01 12:30")), cst(t, "2025-06-01 14:00"); !got.Equal(want) {
		t.Errorf("End = %s, want %s", got, want)
	}
	empty := notify.QuietHours{}
	if empty.Contains(cst(t, "2025-06-01 03:00")) {
		t.Error("an empty window holds nothing")
	}
}

func TestRemindAt(t *testing.T) {
	q := notify.NightQuiet
	tests := []struct {
		name               string
		created, due, want string
		lead               time.Duration
	}{
		{name: "20 h after a morning suggestion falls at night: the evening before", created: "2025-06-01 09:00", due: "2025-06-02 09:00", lead: 4 * time.Hour, want: "2025-06-01 20:59"},
		{name: "in the day: as asked", created: "2025-06-01 15:00", due: "2025-06-02 15:00", lead: 4 * time.Hour, want: "2025-06-02 11:00"},
		{name: "evening before would precede creation: end of the night", created: "2025-06-01 22:30", due: "2025-06-02 09:00", lead: 4 * time.Hour, want: "2025-06-02 08:00"},
		{name: "reminder after the due time is never asked for: at due", created: "2025-06-01 09:00", due: "2025-06-01 10:00", lead: 2 * time.Hour, want: "2025-06-01 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notify.RemindAt(cst(t, tt.created), cst(t, tt.due), tt.lead, q)
			if want := cst(t, tt.want); !got.Equal(want) {
				t.Errorf("RemindAt = %s, want %s", got.In(notify.ChinaTime).Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
}
