package notify_test

import (
	"testing"
	"time"

	"simeng/notify"
	"simeng/workdays"
)

func TestWorkdayBefore(t *testing.T) {
	cal := workdays.New(workdays.Override{Date: "2025-03-13", Workday: false, Name: "镇停电"})
	tests := []struct {
		name, due, want string
	}{
		{name: "Tuesday: Monday", due: "2025-03-11 23:59", want: "2025-03-10 09:00"},
		{name: "Monday: the Friday before", due: "2025-03-10 23:59", want: "2025-03-07 09:00"},
		{name: "after a staff override: skips it", due: "2025-03-14 23:59", want: "2025-03-12 09:00"},
		{name: "after the 2025 National Day holiday: the last workday of September", due: "2025-10-09 23:59", want: "2025-09-30 09:00"},
		{name: "2025 春节: the 调休 Saturday counts", due: "2025-02-10 23:59", want: "2025-02-08 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := notify.WorkdayBefore(cst(t, tt.due), cal.IsWorkday, 9, 0)
			if want := cst(t, tt.want); !got.Equal(want) {
				t.Errorf("WorkdayBefore(%s) = %s, want %s", tt.due, got.Format("2006-01-02 15:04"), tt.want)
			}
		})
	}
	never := func(time.Time) bool { return false }
	if got, want := notify.WorkdayBefore(cst(t, "2025-03-11 23:59"), never, 9, 0), cst(t, "2025-03-10 09:00"); !got.Equal(want) {
		t.Errorf("with no working day at all: %s, want the day before", got)
	}
}
