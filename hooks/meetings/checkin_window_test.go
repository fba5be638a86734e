package meetings_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/checkin"
	"simeng/hooks/audit"
	"simeng/hooks/meetings"
	"simeng/internal/testapp"
)

// setMeeting changes the fixture meeting id: fields with a time.Duration
// value are set to now plus it.
func setMeeting(t testing.TB, app core.App, id string, fields map[string]any) {
	t.Helper()
	m, err := app.FindRecordById("meetings", id)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		if d, ok := v.(time.Duration); ok {
			v = time.Now().Add(d)
		}
		m.Set(k, v)
	}
	if err := app.Save(m); err != nil {
		t.Fatal(err)
	}
}

func attendance(t testing.TB, app core.App, meeting, deputyID, status string) {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId("meeting_attendance")
	r := core.NewRecord(col)
	r.Set("meeting", meeting)
	r.Set("deputy", deputyID)
	r.Set("status", status)
	if status == "leave" {
		r.Set("leave_reason", "外出务工")
	}
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// Issue 12, item 2: a check-in code is shown only by staff or the
// presidium member chairing the meeting, only from an hour before its start
// to its end, and never after staff closed the register.
func TestCheckinCodeOnlyInTheWindowByStaffOrTheChair(t *testing.T) {
	f := testapp.F(t)
	m := f.IDs["meeting_presidium"]
	url := "/api/meetings/" + m + "/checkin-code"
	now := map[string]any{"starts_at": -10 * time.Minute, "ends_at": 2 * time.Hour, "chair": f.Presidium}
	with := func(over map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range now {
			out[k] = v
		}
		for k, v := range over {
			out[k] = v
		}
		return out
	}
	monthAgo := with(map[string]any{"starts_at": -30 * 24 * time.Hour, "ends_at": -30*24*time.Hour + 3*time.Hour})
	refused := []string{`"status":409`}
	ok := []string{`"token":"` + m + `.`, `"qr_png":"data:image/png;base64,`}
	for _, c := range []struct {
		name, role string
		meeting    map[string]any
		status     int
		contains   []string
	}{
		// denied first
		{"guest", guest, now, 403, testapp.Forbidden},
		{"deputy", deputy, now, 403, testapp.Forbidden},
		{"unit", unit, now, 403, testapp.Forbidden},
		{"former staff", formerStaff, now, 403, testapp.Forbidden},
		{"presidium, not the chair", presidium, with(map[string]any{"chair": f.Deputy}), 403, testapp.Forbidden},
		{"presidium, no chair named", presidium, with(map[string]any{"chair": ""}), 403, testapp.Forbidden},
		{"chair, meeting ended 30 days ago", presidium, monthAgo, 409, append(refused, "会议已结束")},
		{"staff, meeting ended 30 days ago", staff, monthAgo, 409, refused},
		{"superuser, meeting ended 30 days ago", superuser, monthAgo, 409, refused},
		{"chair, 61 minutes before", presidium, with(map[string]any{"starts_at": 61 * time.Minute, "ends_at": 4 * time.Hour}), 409, append(refused, "尚未开始")},
		{"chair, register closed", presidium, with(map[string]any{"register_closed_at": -time.Minute}), 409, append(refused, "已关闭本次会议的签到")},
		{"staff, register closed", staff, with(map[string]any{"register_closed_at": -time.Minute}), 409, refused},
		{"presidium, no such meeting", presidium, nil, 404, testapp.NotFoundBody},
		// allowed
		{"chair, 59 minutes before", presidium, with(map[string]any{"starts_at": 59 * time.Minute, "ends_at": 3 * time.Hour}), 200, ok},
		{"chair, during", presidium, now, 200, ok},
		{"staff, during", staff, with(map[string]any{"chair": ""}), 200, ok},
		{"superuser, during", superuser, now, 200, ok},
	} {
		u := url
		if c.meeting == nil {
			u = "/api/meetings/nosuchmeeting00/checkin-code"
		}
		meeting := c.meeting
		s := tests.ApiScenario{Name: c.name, Method: http.MethodGet, URL: u, Headers: testapp.Headers(t, c.role),
			ExpectedStatus: c.status, ExpectedContent: c.contains, TestAppFactory: testapp.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				setMeeting(t, app, m, with(meeting))
			}}
		if c.status != 200 {
			s.NotExpectedContent = []string{`"token"`}
		}
		s.Test(t)
	}
}

// Issue 12, item 2: a scan never overwrites a leave or an absence staff
// recorded, is refused after the register is closed and outside the
// window (a code kept from the meeting is no use afterwards), and every
// check-in is in the audit trail with who, when and how.
func TestCheckinNeverRewritesStaffAttendance(t *testing.T) {
	f := testapp.F(t)
	congress := f.IDs["meeting_congress"]
	scan := "/api/meetings/checkin"
	now := map[string]any{"starts_at": -10 * time.Minute, "ends_at": 2 * time.Hour}
	unchanged := func(status string) func(t testing.TB, app *tests.TestApp) {
		return func(t testing.TB, app *tests.TestApp) {
			r, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": congress, "d": f.Deputy})
			if status == "" {
				if err == nil {
					t.Fatalf("attendance stored: %v", r)
				}
				return
			}
			if err != nil || r.GetString("status") != status || r.GetString("method") != "staff" {
				t.Fatalf("attendance %v %v, want %s kept", r, err, status)
			}
			if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "congress_attendance"); it.Points == 10 {
				t.Fatalf("the scan gave the attendance points back: %+v", it)
			}
		}
	}
	for _, c := range []struct {
		name     string
		meeting  map[string]any
		before   string // attendance staff recorded first
		status   int
		contains []string
		after    func(t testing.TB, app *tests.TestApp)
	}{
		{"over an absence", now, "absent", 409, []string{"请假或缺席"}, unchanged("absent")},
		{"over a leave", now, "leave", 409, []string{"请假或缺席"}, unchanged("leave")},
		{"after the register closed", map[string]any{"starts_at": -10 * time.Minute, "ends_at": 2 * time.Hour, "register_closed_at": -time.Minute}, "", 409, []string{"已关闭"}, unchanged("")},
		{"after the meeting ended", map[string]any{"starts_at": -5 * time.Hour, "ends_at": -time.Hour}, "", 409, []string{"会议已结束"}, unchanged("")},
		{"before the window", map[string]any{"starts_at": 3 * time.Hour, "ends_at": 5 * time.Hour}, "", 409, []string{"尚未开始"}, unchanged("")},
		{"in the window: audited", now, "", 200, []string{`"status":"present"`}, func(t testing.TB, app *tests.TestApp) {
			att, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": congress, "d": f.Deputy})
			if err != nil {
				t.Fatal(err)
			}
			e, err := app.FindFirstRecordByFilter(audit.Collection, "collection = 'meeting_attendance' && record_id = {:id}", map[string]any{"id": att.Id})
			if err != nil || e.GetString("action") != audit.ActionCheckin || e.GetString("actor_id") != f.Deputy ||
				e.GetString("via") != "checkin" || e.GetDateTime("at").IsZero() {
				t.Fatalf("audit entry %v %v", e, err)
			}
			// staff read audit_log: hooks/audit's role matrix
		}},
	} {
		var body string
		c := c
		s := tests.ApiScenario{Name: c.name, Method: http.MethodPost, URL: scan, Headers: testapp.JSONHeaders(t, deputy),
			ExpectedStatus: c.status, ExpectedContent: c.contains, TestAppFactory: testapp.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				setMeeting(t, app, congress, c.meeting)
				if c.before != "" {
					attendance(t, app, congress, f.Deputy, c.before)
				}
				secret, err := meetings.CheckinSecret(app)
				if err != nil {
					t.Fatal(err)
				}
				body = `{"token":"` + checkin.Sign(secret, congress, time.Now().Add(checkin.TTL)) + `"}`
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) { c.after(t, app) },
		}
		s.Body = testapp.LazyBody(&body)
		s.Test(t)
	}
}

// Closing the register stamps the meeting: the scan checks that stamp.
func TestClosingTheRegisterStampsTheMeeting(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	congress := f.IDs["meeting_congress"]
	if res := testapp.Request(t, app, http.MethodPost, "/api/meetings/"+congress+"/absences", "", staff); res.Code != 200 {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
	m, _ := app.FindRecordById("meetings", congress)
	if m.GetDateTime("register_closed_at").IsZero() {
		t.Fatal("register_closed_at not set")
	}
}
