package notify_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	. "simeng/hooks/notify"
	"simeng/internal/testapp"
)

func save(t *testing.T, app core.App, col string, fields map[string]any) *core.Record {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(col)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := app.Save(r); err != nil {
		t.Fatalf("%s: %v", col, err)
	}
	return r
}

// The scheduled jobs queue each reminder once however often they run:
// hazards and tasks near or past their deadline, tomorrow's meeting (not
// to those on leave), tomorrow's station duty, the monthly pace; and a
// booking tells its deputy.
func TestScheduledEventsOnceEach(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	now := time.Now()
	// Tomorrow at 10:00 China time: "now + a day + an hour" was the day
	// after tomorrow from 23:00 on, and no reminder was due.
	today := chinatime.In(now)
	tomorrow := time.Date(today.Year(), today.Month(), today.Day()+1, 10, 0, 0, 0, chinatime.Location())

	hazard := save(t, app, "hazards", map[string]any{"title": "校门口护栏松动", "description": "护栏底座锈蚀，学生上下学有危险。",
		"source": "other", "severity": "general", "responsible_unit": "思蒙镇中心学校", "deadline": now.Add(30 * time.Hour),
		"status": "open", "deputy": f.Deputy, "village": f.VillageA})
	meeting := save(t, app, "meetings", map[string]any{"title": "第二季度代表活动", "kind": "training",
		"starts_at": tomorrow, "place": "镇代表联络站", "expected": []string{f.Deputy, f.Deputy2}})
	save(t, app, "meeting_attendance", map[string]any{"meeting": meeting.Id, "deputy": f.Deputy2, "status": "leave", "leave_reason": "外出务工"})
	task := save(t, app, "meeting_tasks", map[string]any{"meeting": meeting.Id, "title": "督办三组饮水工程", "owner": "张三",
		"owner_deputy": f.Deputy, "deadline": now.Add(-48 * time.Hour), "status": "open"})
	prev := chinatime.PrevMonthStart(now) // AddDate(0, -1, 0) is this month on 31 May
	save(t, app, "visit_pace_flags", map[string]any{"deputy": f.Deputy2, "year": prev.Year(), "month": int(prev.Month()),
		"households": 2, "expected": 6, "visits_in_month": 0, "reasons": []string{"no_visit_in_month", "households_behind"}})
	duty, err := app.FindRecordById("station_duties", f.IDs["duty_next"])
	if err != nil {
		t.Fatal(err)
	}
	dutyDay, _ := time.ParseInLocation(chinatime.DateLayout, duty.GetString("date"), chinatime.Location())

	booking := save(t, app, "bookings", map[string]any{"station": duty.GetString("station"), "date": duty.GetString("date"), "deputy": f.Deputy,
		"code": "p3m2x9qk", "status": "booked", "description": "想问问低保怎么申请"})
	save(t, app, "bookings", map[string]any{"station": duty.GetString("station"), "date": duty.GetString("date"),
		"code": "p3m2x9qz", "status": "booked", "description": "不指定代表"})

	for range 2 {
		for _, run := range []func() error{
			func() error { return RunDeadlines(app, now) },
			func() error { return RunDayBefore(app, now) },
			func() error { return RunDayBefore(app, dutyDay.Add(-8*time.Hour)) }, // 16:00 the day before
			func() error { return RunPace(app, now) },
		} {
			if err := run(); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		what, filter string
		params       dbx.Params
		want         int
	}{
		{"hazard due soon", "template = 'deadline_soon' && event_key ~ {:id}", dbx.Params{"id": hazard.Id}, 1},
		{"task overdue", "template = 'deadline_passed' && event_key ~ {:id}", dbx.Params{"id": task.Id}, 1},
		{"meeting reminder", "template = 'meeting_reminder' && event_key ~ {:id}", dbx.Params{"id": meeting.Id}, 1},
		{"no reminder on leave", "template = 'meeting_reminder' && recipient = {:d}", dbx.Params{"d": f.Deputy2}, 0},
		{"station duty", "template = 'market_duty' && recipient = {:d} && event_key ~ {:day}", dbx.Params{"d": f.Deputy, "day": duty.GetString("date")}, 1},
		{"pace", "template = 'pace_reminder' && recipient = {:d}", dbx.Params{"d": f.Deputy2}, 1},
		{"booking", "template = 'booking_new' && event_key ~ {:id}", dbx.Params{"id": booking.Id}, 1},
		{"bookings with a deputy only", "template = 'booking_new'", nil, 1},
	}
	for _, c := range cases {
		if got := count(t, app, Outbox, c.filter, c.params); got != c.want {
			t.Errorf("%s: %d messages, want %d", c.what, got, c.want)
		}
	}
	flush(t, app)
	// Every in-app message became one notice.
	queued := count(t, app, Outbox, "channel = 'inapp' && recipient = {:d}", dbx.Params{"d": f.Deputy})
	if n := count(t, app, Notices, "deputy = {:d}", dbx.Params{"d": f.Deputy}); n != queued || n < 4 {
		t.Fatalf("deputy's notices = %d, in-app messages %d", n, queued)
	}
}
