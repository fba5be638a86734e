package checkin

import (
	"errors"
	"testing"
	"time"

	"simeng/chinatime"
)

func TestOpen(t *testing.T) {
	cn := chinatime.Location()
	start := time.Date(2026, 3, 5, 9, 0, 0, 0, cn)
	end := time.Date(2026, 3, 5, 12, 0, 0, 0, cn)
	closed := func(err error) bool { return errors.Is(err, ErrClosed) }
	early := func(err error) bool { var e NotYetOpenError; return errors.As(err, &e) }
	open := func(err error) bool { return err == nil }
	for _, c := range []struct {
		name     string
		end, now time.Time
		want     func(error) bool
	}{
		{"a month after", end, end.AddDate(0, 1, 0), closed},
		{"one second after the end", end, end.Add(time.Second), closed},
		{"61 minutes before", end, start.Add(-61 * time.Minute), early},
		{"a day before", end, start.AddDate(0, 0, -1), early},
		{"60 minutes before", end, start.Add(-time.Hour), open},
		{"at the start", end, start, open},
		{"at the end", end, end, open},
		{"no end: evening of the day", time.Time{}, time.Date(2026, 3, 5, 23, 59, 59, 0, cn), open},
		{"no end: next day", time.Time{}, time.Date(2026, 3, 6, 0, 0, 0, 0, cn), closed},
		{"end before start counts as none", start.Add(-time.Hour), time.Date(2026, 3, 5, 20, 0, 0, 0, cn), open},
		{"UTC instant inside", end, start.UTC(), open},
	} {
		if err := Open(start, c.end, c.now, DefaultLead); !c.want(err) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := Open(start, end, start.Add(-61*time.Minute), DefaultLead); err == nil || err.Error() != "会议签到尚未开始，3月5日 08:00 开始签到" {
		t.Errorf("message %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	f.Add(int64(1772672400), int64(3*3600), int64(0), int64(3600))
	f.Fuzz(func(t *testing.T, start, length, offset, lead int64) {
		s := time.Unix(start%(1<<33), 0)
		e := s.Add(time.Duration(length%(1<<20)) * time.Second)
		l := time.Duration(lead%(1<<16)) * time.Second
		if l < 0 {
			l = -l
		}
		now := s.Add(time.Duration(offset%(1<<22)) * time.Second)
		from, to := Window(s, e, l)
		err := Open(s, e, now, l)
		if (err == nil) != (!now.Before(from) && !now.After(to)) {
			t.Fatalf("Open %v disagrees with Window [%v, %v] at %v", err, from, to, now)
		}
	})
}
