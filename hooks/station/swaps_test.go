package station_test

import (
	"net/http"
	"slices"
	"testing"
)

// onDay lists the deputies on the test station's duty of date.
func (e *env) onDay(date string) []string {
	e.t.Helper()
	ds, err := e.app.FindRecordsByFilter("station_duties", "station = {:s} && date = {:d}", "deputy", 0, 0, map[string]any{"s": e.station, "d": date})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.GetString("deputy"))
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

// Swaps: a bad request is a 400 naming its field; only the deputy asked
// accepts; an accepted cover or exchange rewrites the duties, keeping each
// day's headcount, and hands the bookings that named the deputy who left
// to whoever is on duty; a request the roster no longer allows (a staff
// edit in between) is refused when accepted and becomes void.
func TestSwapsAskedAndAccepted(t *testing.T) {
	e := newEnv(t, china(2026, 4, 1, 9, 0))
	f := e.f
	e.roster("published", "2026-04-01", "2026-06-30", map[string][]string{
		"2026-04-11": {f.Deputy, f.Deputy2}, "2026-04-16": {f.Presidium, f.Deputy2}, "2026-04-20": {f.Deputy, f.Presidium},
		"2026-04-25": {f.Deputy, f.Presidium}})
	e.save("duty_unavailability", map[string]any{"deputy": f.Deputy2, "date": "2026-04-25"})
	booked := e.save("bookings", map[string]any{"station": e.station, "date": "2026-04-11", "deputy": f.Deputy,
		"code": "abcdefgh", "status": "booked", "description": "想反映修路的事"})

	ask := func(who string, body map[string]string) (int, map[string]any) {
		return e.do(who, http.MethodPost, "/api/station/swaps", body)
	}
	bad := []struct {
		who   string
		body  map[string]string
		field string
	}{
		{deputy, map[string]string{"kind": "swap", "other": f.Presidium, "date": "2026-04-11"}, "kind"},
		{deputy, map[string]string{"kind": "cover", "other": f.Presidium, "date": "2026-04-16"}, "date"},
		{deputy, map[string]string{"kind": "cover", "other": f.Presidium, "date": "2026/04/11"}, "date"},
		{deputy, map[string]string{"kind": "cover", "other": f.Deputy2, "date": "2026-04-11"}, "other"},
		{deputy, map[string]string{"kind": "cover", "other": f.Deputy, "date": "2026-04-11"}, "other"},
		{deputy, map[string]string{"kind": "cover", "other": f.Inactive, "date": "2026-04-11"}, "other"},
		{presidium, map[string]string{"kind": "cover", "other": f.Deputy2, "date": "2026-04-25"}, "other"}, // Deputy2 marked it unavailable
		{deputy2, map[string]string{"kind": "exchange", "other": f.Deputy, "date": "2026-04-16", "other_date": "2026-04-25"}, "other_date"},
		{deputy, map[string]string{"kind": "exchange", "other": f.Presidium, "date": "2026-04-11", "other_date": "2026-04-11"}, "other_date"},
		{deputy, map[string]string{"kind": "exchange", "other": f.Presidium, "date": "2026-04-11", "other_date": "2026-04-20"}, "other_date"},
		{deputy, map[string]string{"kind": "cover", "other": f.Presidium, "date": "2026-04-11", "other_date": "2026-04-16"}, "other_date"},
	}
	for _, b := range bad {
		if c, out := ask(b.who, b.body); c != 400 || fieldMessage(out, b.field) == "" {
			t.Errorf("%v: %d %v, want a 400 naming %s", b.body, c, out, b.field)
		}
	}
	if c, _ := ask(guest, map[string]string{"kind": "cover"}); c != 401 {
		t.Errorf("guest: %d", c)
	}

	cover := e.must(200, deputy, http.MethodPost, "/api/station/swaps", map[string]string{"kind": "cover", "other": f.Presidium, "date": "2026-04-11", "note": "那天要去县里开会"})
	id := cover["id"].(string)
	if cover["status"] != "pending" || cover["requester_name"] != "张三" || cover["other_name"] != "王主席" {
		t.Fatalf("request: %v", cover)
	}
	if c, out := ask(deputy, map[string]string{"kind": "cover", "other": f.Presidium, "date": "2026-04-11"}); c != 400 || fieldMessage(out, "date") == "" {
		t.Errorf("a second pending request for the day: %d %v", c, out)
	}
	if c, _ := e.do(deputy2, http.MethodPost, "/api/station/swaps/"+id+"/accept", `{}`); c != 403 {
		t.Errorf("a deputy not asked accepts: %d", c)
	}
	if c, _ := e.do(deputy, http.MethodPost, "/api/station/swaps/"+id+"/accept", `{}`); c != 403 {
		t.Errorf("the requester accepts their own request: %d", c)
	}
	if out := e.must(200, presidium, http.MethodPost, "/api/station/swaps/"+id+"/accept", `{}`); out["status"] != "accepted" {
		t.Fatalf("accept: %v", out)
	}
	if got := e.onDay("2026-04-11"); !slices.Equal(got, sorted(f.Presidium, f.Deputy2)) {
		t.Errorf("11 April after the cover: %v", got)
	}
	if b, _ := e.app.FindRecordById("bookings", booked.Id); b.GetString("deputy") != "" || b.GetString("note") == "" {
		t.Errorf("the booking naming the deputy who left: deputy %q note %q", b.GetString("deputy"), b.GetString("note"))
	}
	if c, out := e.do(presidium, http.MethodPost, "/api/station/swaps/"+id+"/accept", `{}`); c != 400 || fieldMessage(out, "status") == "" {
		t.Errorf("accepting twice: %d %v", c, out)
	}

	ex := e.must(200, deputy2, http.MethodPost, "/api/station/swaps", map[string]string{"kind": "exchange", "other": f.Deputy, "date": "2026-04-16", "other_date": "2026-04-20"})
	e.must(200, deputy, http.MethodPost, "/api/station/swaps/"+ex["id"].(string)+"/accept", `{}`)
	if got := e.onDay("2026-04-16"); !slices.Equal(got, sorted(f.Presidium, f.Deputy)) {
		t.Errorf("16 April after the exchange: %v", got)
	}
	if got := e.onDay("2026-04-20"); !slices.Equal(got, sorted(f.Deputy2, f.Presidium)) {
		t.Errorf("20 April after the exchange: %v", got)
	}

	// Stale: staff put Deputy on 11 April while a request to them waits.
	stale := e.must(200, presidium, http.MethodPost, "/api/station/swaps", map[string]string{"kind": "cover", "other": f.Deputy, "date": "2026-04-11"})
	roster, _ := e.app.FindFirstRecordByFilter("station_rosters", "station = {:s}", map[string]any{"s": e.station})
	e.must(200, superuser, http.MethodPost, "/api/station/rosters/"+roster.Id+"/duties", map[string]string{"date": "2026-04-11", "deputy": f.Deputy})
	if c, out := e.do(deputy, http.MethodPost, "/api/station/swaps/"+stale["id"].(string)+"/accept", `{}`); c != 400 || fieldMessage(out, "other") == "" {
		t.Fatalf("accepting a stale request: %d %v", c, out)
	}
	if s, _ := e.app.FindRecordById("duty_swaps", stale["id"].(string)); s.GetString("status") != "void" {
		t.Errorf("stale request is %s, want void", s.GetString("status"))
	}
	if got := e.onDay("2026-04-11"); len(got) != 3 {
		t.Errorf("11 April changed by a refused swap: %v", got)
	}

	// Decline and withdraw.
	d := e.must(200, deputy, http.MethodPost, "/api/station/swaps", map[string]string{"kind": "cover", "other": f.Deputy2, "date": "2026-04-16"})
	if c, _ := e.do(deputy, http.MethodPost, "/api/station/swaps/"+d["id"].(string)+"/decline", `{}`); c != 403 {
		t.Errorf("the requester declines: %d", c)
	}
	if out := e.must(200, deputy2, http.MethodPost, "/api/station/swaps/"+d["id"].(string)+"/decline", `{}`); out["status"] != "declined" {
		t.Errorf("decline: %v", out)
	}
	w := e.must(200, deputy, http.MethodPost, "/api/station/swaps", map[string]string{"kind": "cover", "other": f.Deputy2, "date": "2026-04-16"})
	if c, _ := e.do(deputy2, http.MethodPost, "/api/station/swaps/"+w["id"].(string)+"/withdraw", `{}`); c != 403 {
		t.Errorf("the other withdraws: %d", c)
	}
	if out := e.must(200, deputy, http.MethodPost, "/api/station/swaps/"+w["id"].(string)+"/withdraw", `{}`); out["status"] != "withdrawn" {
		t.Errorf("withdraw: %v", out)
	}

	// The day itself and the past cannot be swapped.
	e.setClock(china(2026, 4, 16, 8, 0))
	if c, out := ask(deputy, map[string]string{"kind": "cover", "other": f.Deputy2, "date": "2026-04-16"}); c != 400 || fieldMessage(out, "date") == "" {
		t.Errorf("swap on the day: %d %v", c, out)
	}
}
