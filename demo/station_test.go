package demo_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/chinatime"
)

// The demo has a station with its 六有 evidence and last year's
// self-check, a published roster for this quarter, last quarter's duties
// attended and three missed, bookings on the next market days, a pending
// swap and two receptions that became station suggestions.
func TestDemoStation(t *testing.T) {
	app := seededDemo(t)
	count := func(table string, where dbx.Expression) int {
		t.Helper()
		var n int
		q := app.DB().Select("count(*)").From(table)
		if where != nil {
			q = q.Where(where)
		}
		if err := q.Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	st, err := app.FindFirstRecordByData("stations", "code", "simeng")
	if err != nil {
		t.Fatal(err)
	}
	items, _ := app.FindRecordsByFilter("station_items", "station = {:s}", "sort", 0, 0, dbx.Params{"s": st.Id})
	if len(items) != 6 {
		t.Fatalf("%d 六有 items", len(items))
	}
	for _, it := range items {
		if len(it.GetStringSlice("evidence")) == 0 {
			t.Errorf("%s has no evidence", it.GetString("title"))
		}
	}
	if c := count("station_selfchecks", dbx.HashExp{"met": 5, "total": 6}); c != 1 {
		t.Errorf("%d self-checks 5/6", c)
	}
	today := chinatime.Date(time.Now())
	if c := count("station_rosters", dbx.NewExp("status = 'published' AND first_day <= {:t} AND last_day >= {:t}", dbx.Params{"t": today})); c != 1 {
		t.Errorf("%d published rosters cover today", c)
	}
	if c := count("station_duties", dbx.HashExp{"status": "missed"}); c != 3 {
		t.Errorf("%d missed duties, want 3", c)
	}
	if c := count("station_duties", dbx.HashExp{"status": "attended"}); c < 20 {
		t.Errorf("%d attended duties", c)
	}
	if c := count("station_duties", dbx.NewExp("status = 'rostered' AND date >= {:t}", dbx.Params{"t": today})); c < 2 {
		t.Errorf("%d duties ahead", c)
	}
	if c := count("bookings", nil); c != 4 {
		t.Errorf("%d bookings", c)
	}
	if c := count("duty_swaps", dbx.HashExp{"status": "pending"}); c != 1 {
		t.Errorf("%d pending swaps", c)
	}
	if c := count("duty_unavailability", nil); c != 2 {
		t.Errorf("%d unavailable days", c)
	}
	if c := count("suggestions", dbx.NewExp("source = 'station' AND station != ''")); c != 2 {
		t.Errorf("%d station suggestions from receptions", c)
	}
	if c := count("station_receptions", dbx.NewExp("suggestion != '' AND duty != ''")); c != 2 {
		t.Errorf("%d receptions linked to a suggestion and a duty", c)
	}
	// No typed station duty after the roster went live.
	var typed int
	app.DB().Select("count(*)").From("deputy_activities").Where(dbx.HashExp{"kind": "station_duty"}).Row(&typed)
	t.Logf("typed station duties before the go-live: %d", typed)
}
