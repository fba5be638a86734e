package station_test

import (
	"net/http"
	"strings"
	"testing"

	"simeng/checkin"
	"simeng/hooks/internal/checkinkey"
)

// runJob runs the app's cron job id now (at the capability's clock).
func (e *env) runJob(id string) {
	e.t.Helper()
	for _, j := range e.app.Cron().Jobs() {
		if j.Id() == id {
			j.Run()
			return
		}
	}
	e.t.Fatalf("no cron job %s", id)
}

func (e *env) dutyStatus(date, deputyID string) (status, method string) {
	e.t.Helper()
	d, err := e.app.FindFirstRecordByFilter("station_duties", "station = {:s} && date = {:d} && deputy = {:dep}",
		map[string]any{"s": e.station, "d": date, "dep": deputyID})
	if err != nil {
		e.t.Fatal(err)
	}
	return d.GetString("status"), d.GetString("checkin_method")
}

// The wall QR of the day checks in the logged-in deputy rostered there
// that day, once; a forged code, another day's, another station's, a
// deputy not on the roster are refused naming why; the code holds 30
// minutes past midnight; a duty nobody checked in for is flagged missed by
// the night job, and staff confirmation turns it into attended.
func TestDutyCheckinWindow(t *testing.T) {
	const day = "2026-04-11" // a market day
	e := newEnv(t, china(2026, 4, 11, 9, 30))
	e.roster("published", "2026-04-01", "2026-06-30", map[string][]string{day: {e.f.Deputy, e.f.Deputy2}, "2026-04-16": {e.f.Presidium, e.f.Deputy}})
	code := e.must(200, superuser, http.MethodGet, "/api/station/"+e.station+"/checkin-code?date="+day, nil)
	token := code["token"].(string)
	if !strings.Contains(code["url"].(string), "/#/duty?t="+token) || !strings.HasPrefix(code["qr_png"].(string), "data:image/png;base64,") {
		t.Fatalf("code answer: %v", code)
	}
	scan := func(who, tok string) (int, map[string]any) {
		return e.do(who, http.MethodPost, "/api/station/checkin", map[string]string{"token": tok})
	}
	secret, err := checkinkey.Load(e.app)
	if err != nil {
		t.Fatal(err)
	}
	tomorrow, _ := checkin.SignStationDay(secret, e.station, "2026-04-16")
	elsewhere, _ := checkin.SignStationDay(secret, e.f.IDs["station"], day)
	parts := strings.Split(token, ".")
	// The signature's first characters replaced by others (never by
	// themselves: the signature is random and may start with "AAAA").
	head := "AAAA"
	if strings.HasPrefix(parts[3], head) {
		head = "BBBB"
	}
	forged := strings.Join(parts[:3], ".") + "." + head + parts[3][4:]

	if c, _ := scan(guest, token); c != 401 {
		t.Errorf("guest scan: %d", c)
	}
	if c, _ := scan(inactive, token); c != 403 {
		t.Errorf("former deputy scan: %d", c)
	}
	for _, bad := range []string{"", "st.x", forged, tomorrow} {
		if c, out := scan(deputy, bad); c != 400 || fieldMessage(out, "token") == "" {
			t.Errorf("token %q: %d %v", bad, c, out)
		}
	}
	if _, out := scan(deputy, tomorrow); !strings.Contains(fieldMessage(out, "token"), "不是今天") {
		t.Errorf("another day's code: %v", out)
	}
	if c, out := scan(deputy, elsewhere); c != 403 || !strings.Contains(out["message"].(string), "不在该联络站值班") {
		t.Errorf("another station's code: %d %v", c, out)
	}
	if c, out := scan(presidium, token); c != 403 {
		t.Errorf("presidium not on the roster that day: %d %v", c, out)
	}
	out := e.must(200, deputy, http.MethodPost, "/api/station/checkin", map[string]string{"token": token})
	if out["already"] != false || out["status"] != "attended" || out["checkin_method"] != "qr" || out["station_name"] != "测试联络站" {
		t.Fatalf("check-in: %v", out)
	}
	out = e.must(200, deputy, http.MethodPost, "/api/station/checkin", map[string]string{"token": token})
	if out["already"] != true {
		t.Fatalf("second scan: %v", out)
	}

	// 00:20 the next day: still inside the grace; 00:31: too late.
	e.setClock(china(2026, 4, 12, 0, 20))
	e.runJob("station_missed_duties")
	if s, _ := e.dutyStatus(day, e.f.Deputy2); s != "missed" {
		t.Errorf("unscanned duty after midnight: %s", s)
	}
	if _, out := scan(deputy2, token); out["status"] != "attended" {
		t.Errorf("a scan inside the grace: %v", out)
	}
	e.setClock(china(2026, 4, 12, 0, 31))
	if c, _ := scan(deputy2, token); c != 400 {
		t.Errorf("a scan past the grace: %d", c)
	}

	// The night job flags 16 April's duties once the day is over; a staff
	// confirmation afterwards turns the miss into attended.
	e.setClock(china(2026, 4, 17, 0, 45))
	e.runJob("station_missed_duties")
	if s, _ := e.dutyStatus("2026-04-16", e.f.Presidium); s != "missed" {
		t.Fatalf("16 April, presidium: %s", s)
	}
	missed := e.must(200, superuser, http.MethodGet, "/api/station/duties?status=missed&station="+e.station+"&from=2026-04-01&to=2026-04-30", nil)["items"].([]any)
	if len(missed) != 2 {
		t.Fatalf("missed duties listed: %v", missed)
	}
	var presidiumDuty string
	for _, m := range missed {
		if m.(map[string]any)["deputy"] == e.f.Presidium {
			presidiumDuty = m.(map[string]any)["id"].(string)
		}
	}
	out = e.must(200, staff, http.MethodPost, "/api/station/duties/"+presidiumDuty+"/confirm", map[string]string{"note": "在镇里开会后赶到"})
	if out["status"] != "attended" || out["checkin_method"] != "staff" || out["confirmed_by"] == "" {
		t.Fatalf("staff confirmation: %v", out)
	}
	// The confirmation turns a miss into a scored duty: the audit trail
	// says who did it and what changed.
	logged, err := e.app.FindFirstRecordByFilter("audit_log", "collection = 'station_duties' && record_id = {:id}", map[string]any{"id": presidiumDuty})
	if err != nil || logged.GetString("actor_id") != e.f.Staff || !strings.Contains(logged.GetString("changes"), "missed") {
		t.Fatalf("the confirmation's audit entry: %v %v", logged, err)
	}
	// A future duty cannot be confirmed.
	future := e.roster("published", "2026-07-01", "2026-07-31", map[string][]string{"2026-07-10": {e.f.Deputy}})
	fd, _ := e.app.FindFirstRecordByFilter("station_duties", "roster = {:r}", map[string]any{"r": future})
	if c, out := e.do(superuser, http.MethodPost, "/api/station/duties/"+fd.Id+"/confirm", `{}`); c != 400 || fieldMessage(out, "date") == "" {
		t.Errorf("confirming a future duty: %d %v", c, out)
	}
}

// The posters page prints one A4 page per reception day of the period,
// each with its day's QR code, under a CSP without script.
func TestPostersPrintTheDaysCodes(t *testing.T) {
	e := newEnv(t, china(2026, 4, 1, 9, 0))
	code, out := e.do(superuser, http.MethodGet, "/api/station/"+e.station+"/posters?from=2026-04-01&to=2026-04-30", nil)
	if code != 200 {
		t.Fatalf("posters: %d %v", code, out)
	}
	page := out["_raw"].(string)
	days := marketDays(t, "2026-04-01", "2026-04-30")
	if n := strings.Count(page, `class="sheet"`); n != len(days) {
		t.Errorf("%d pages, want %d", n, len(days))
	}
	if n := strings.Count(page, "<svg"); n != len(days) || strings.Contains(page, "<script") {
		t.Errorf("%d QR codes; script: %v", n, strings.Contains(page, "<script"))
	}
	if !strings.Contains(page, "4月11日") || !strings.Contains(page, "农历") {
		t.Errorf("posters page lacks the day:\n%.400s", page)
	}
	if c, out := e.do(superuser, http.MethodGet, "/api/station/"+e.station+"/posters?from=2026-01-01&to=2027-06-30", nil); c != 400 || fieldMessage(out, "to") == "" {
		t.Errorf("a year of posters: %d", c)
	}
}
