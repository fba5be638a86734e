package meetings_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/checkin"
	"simeng/hooks/meetings"
	"simeng/internal/testapp"
)

func TestMeetingTasksTrackedToDone(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/meeting_tasks/records"
	create := `{"meeting":"` + f.IDs["meeting_congress"] + `","title":"督办思蒙湾村饮水工程","owner":"镇水利站","owner_deputy":"` + f.Deputy +
		`","deadline":"2026-12-31 00:00:00.000Z","status":"open"}`
	var id string
	s := tests.ApiScenario{Name: "create task", Method: http.MethodPost, URL: list, Body: strings.NewReader(create),
		Headers: testapp.JSONHeaders(t, superuser), ExpectedStatus: 200, ExpectedContent: []string{`"done_at":""`},
		TestAppFactory: testapp.Factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var body struct{ ID string }
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			id = body.ID
		}}
	s.Test(t)
	if id == "" {
		t.Fatal("no task id")
	}
	// Each scenario gets a fresh app, so the task is created in a setup step.
	setup := func(t testing.TB, app *tests.TestApp) {
		col, _ := app.FindCollectionByNameOrId("meeting_tasks")
		r := testapp.RecordFromJSON(t, col, create)
		r.Id = "task00000000001"
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	one := list + "/task00000000001"
	for _, c := range []struct {
		name, role, body string
		status           int
		contains         []string
	}{
		{"done without result", superuser, `{"status":"done"}`, 400, []string{`"result":{"code":"validation_required"`}},
		{"owner cannot move the deadline", deputy, `{"deadline":"2027-06-30 00:00:00.000Z"}`, 404, testapp.NotFoundBody},
		{"another deputy cannot report", deputy2, `{"status":"in_progress"}`, 404, testapp.NotFoundBody},
		{"owner reports progress", deputy, `{"status":"in_progress","result":"已开工"}`, 200, []string{`"status":"in_progress"`, `"done_at":""`}},
		{"owner closes it with a result", deputy, `{"status":"done","result":"已通水"}`, 200, []string{`"status":"done"`, `"done_at":"2`}},
	} {
		sc := tests.ApiScenario{Name: c.name, Method: http.MethodPatch, URL: one, Body: strings.NewReader(c.body),
			Headers: testapp.JSONHeaders(t, c.role), ExpectedStatus: c.status, ExpectedContent: c.contains,
			TestAppFactory: testapp.Factory, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { setup(t, app) }}
		sc.Test(t)
	}
}

func TestCheckinByQR(t *testing.T) {
	f := testapp.F(t)
	congress := f.IDs["meeting_congress"]
	presidiumMeeting := f.IDs["meeting_presidium"]
	scan := "/api/meetings/checkin"
	// tokens signed with the app's own secret, as the meeting screen would show them
	sign := func(t testing.TB, app *tests.TestApp, meeting string, expires time.Time) string {
		secret, err := meetings.CheckinSecret(app)
		if err != nil {
			t.Fatal(err)
		}
		return checkin.Sign(secret, meeting, expires)
	}
	type tokenFn func(t testing.TB, app *tests.TestApp) string
	valid := func(meeting string) tokenFn {
		return func(t testing.TB, app *tests.TestApp) string {
			return sign(t, app, meeting, time.Now().Add(checkin.TTL))
		}
	}
	expired := func(t testing.TB, app *tests.TestApp) string {
		return sign(t, app, congress, time.Now().Add(-time.Second))
	}
	otherSecret := func(t testing.TB, app *tests.TestApp) string {
		return checkin.Sign([]byte("not-the-server-secret"), congress, time.Now().Add(checkin.TTL))
	}
	cases := []struct {
		name     string
		role     string
		token    tokenFn
		extra    string
		status   int
		contains []string
		after    func(t testing.TB, app *tests.TestApp)
	}{
		{"guest", guest, valid(congress), "", 403, testapp.Forbidden, nil},
		{"inactive deputy", inactive, valid(congress), "", 403, testapp.Forbidden, nil},
		{"expired code cannot be replayed", deputy, expired, "", 400, []string{`"token":{"code":"validation_checkin_token"`, "已过期"}, noAttendance(f.Deputy, congress)},
		{"code not signed by this server", deputy, otherSecret, "", 400, []string{`"token":{`}, noAttendance(f.Deputy, congress)},
		{"cannot check in another deputy", deputy, valid(congress), `,"deputy":"` + f.Deputy2 + `"`, 400, []string{`"deputy":{"code":"validation_checkin_self"`}, noAttendance(f.Deputy2, congress)},
		{"not on the meeting's list", deputy, valid(presidiumMeeting), "", 403, testapp.Forbidden, noAttendance(f.Deputy, presidiumMeeting)},
		{"own check-in", deputy, valid(congress), "", 200, []string{`"status":"present"`, `"already":false`, "签到成功"},
			func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": congress, "d": f.Deputy})
				if err != nil || r.GetString("method") != "qr" || r.GetDateTime("checked_in_at").IsZero() {
					t.Fatalf("attendance %v %v", r, err)
				}
				if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "congress_attendance"); it.Points != 10 {
					t.Fatalf("congress attendance %+v", it)
				}
			}},
		{"presidium meeting counts as an activity", presidium, valid(presidiumMeeting), "", 200, []string{`"status":"present"`},
			func(t testing.TB, app *tests.TestApp) {
				att, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": presidiumMeeting, "d": f.Presidium})
				if err != nil {
					t.Fatal(err)
				}
				// other fixtures (inspections) may count too
				if it := testapp.Item(t, testapp.Score(t, app, f.Presidium), "activities"); it.Points < 3 || !slices.Contains(it.RecordIDs, att.Id) {
					t.Fatalf("activities %+v", it)
				}
			}},
	}
	for _, c := range cases {
		var body string
		s := tests.ApiScenario{Name: c.name, Method: http.MethodPost, URL: scan,
			Headers: testapp.JSONHeaders(t, c.role), ExpectedStatus: c.status, ExpectedContent: c.contains,
			TestAppFactory: testapp.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				meetingNow(t, app, congress, presidiumMeeting)
				body = `{"token":"` + c.token(t, app) + `"` + c.extra + `}`
			},
		}
		if c.after != nil {
			after := c.after
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { after(t, app) }
		}
		s.Body = testapp.LazyBody(&body)
		s.Test(t)
	}

	// A second scan of the same code is idempotent.
	app := testapp.New(t)
	meetingNow(t, app, congress)
	tok := sign(t, app, congress, time.Now().Add(checkin.TTL))
	for i, want := range []string{`"already":false`, `"already":true`} {
		res := testapp.Request(t, app, http.MethodPost, scan, `{"token":"`+tok+`"}`, deputy)
		if res.Code != 200 || !strings.Contains(res.Body.String(), want) {
			t.Fatalf("scan %d: %d %s", i, res.Code, res.Body)
		}
	}
	if n, _ := app.CountRecords("meeting_attendance"); n != 1 {
		t.Fatalf("attendance rows = %d", n)
	}
}

// meetingNow moves the fixture's meetings to now (started 10 minutes ago,
// ending in two hours), so that they can be checked into.
func meetingNow(t testing.TB, app core.App, ids ...string) {
	t.Helper()
	for _, id := range ids {
		m, err := app.FindRecordById("meetings", id)
		if err != nil {
			t.Fatal(err)
		}
		m.Set("starts_at", time.Now().Add(-10*time.Minute))
		m.Set("ends_at", time.Now().Add(2*time.Hour))
		if err := app.Save(m); err != nil {
			t.Fatal(err)
		}
	}
}

func noAttendance(deputyID, meeting string) func(t testing.TB, app *tests.TestApp) {
	return func(t testing.TB, app *tests.TestApp) {
		if r, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": meeting, "d": deputyID}); err == nil {
			t.Fatalf("attendance stored: %v", r)
		}
	}
}

func TestRecordAbsences(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	congress := f.IDs["meeting_congress"]
	url := "/api/meetings/" + congress + "/absences"
	col, _ := app.FindCollectionByNameOrId("meeting_attendance")
	present := testapp.RecordFromJSON(t, col, `{"meeting":"`+congress+`","deputy":"`+f.Deputy+`","status":"present"}`)
	if err := app.Save(present); err != nil {
		t.Fatal(err)
	}
	if res := testapp.Request(t, app, http.MethodPost, url, "", presidium); res.Code != 403 {
		t.Fatalf("presidium: %d", res.Code)
	}
	res := testapp.Request(t, app, http.MethodPost, url, "", superuser)
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"absent":["`+f.Deputy2+`"]`) {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
	// 4 half-days unexcused: 10 − 4×5, never below 0
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy2), "congress_attendance"); it.Points != 0 || !strings.Contains(it.Explanation, "无故缺席 4 个半天×5") {
		t.Fatalf("deputy2 %+v", it)
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "congress_attendance"); it.Points != 10 {
		t.Fatalf("deputy %+v", it)
	}
	// a second call finds nobody left to mark
	if res := testapp.Request(t, app, http.MethodPost, url, "", superuser); !strings.Contains(res.Body.String(), `"absent":[]`) {
		t.Fatalf("second call: %s", res.Body)
	}
}

func TestAttendanceIsOwnOrPresidium(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	col, _ := app.FindCollectionByNameOrId("meeting_attendance")
	r := testapp.RecordFromJSON(t, col, `{"meeting":"`+f.IDs["meeting_congress"]+`","deputy":"`+f.Deputy+`","status":"leave","leave_reason":"住院治疗"}`)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	list := "/api/collections/meeting_attendance/records"
	for _, c := range []struct {
		role, url, want string
		status          int
	}{
		{guest, list, `"totalItems":0`, 200},
		{deputy2, list, `"totalItems":0`, 200},
		{deputy2, list + "/" + r.Id, `"status":404`, 404},
		{inactive, list, `"totalItems":0`, 200},
		{deputy, list, `"totalItems":1`, 200},
		{presidium, list + "/" + r.Id, "住院治疗", 200},
	} {
		res := testapp.Request(t, app, http.MethodGet, c.url, "", c.role)
		if res.Code != c.status || !strings.Contains(res.Body.String(), c.want) {
			t.Errorf("%s %s: %d %s", c.role, c.url, res.Code, res.Body)
		}
	}
}
