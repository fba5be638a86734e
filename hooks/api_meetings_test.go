package hooks_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/checkin"
	"simeng/hooks"
	"simeng/internal/testapp"
)

func TestRulesMeetings(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/meetings/records"
	one := list + "/" + f.IDs["meeting_congress"]
	create := `{"title":"第二季度季度集训","kind":"training","starts_at":"2026-06-10 01:00:00.000Z","place":"镇政府"}`
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: inactive, method: http.MethodGet, url: one, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: list, body: create, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPatch, url: one, body: `{"place":"别处"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: one, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":2`, "人民代表大会"}},
		{role: superuser, method: http.MethodPost, url: list, body: create, status: 200, contains: []string{"季度集训"}},
		{role: superuser, method: http.MethodPost, url: list, body: `{"kind":"party","starts_at":"x"}`, status: 400,
			contains: []string{`"title":{`, `"kind":{`, `"place":{`, `"starts_at":{`}},
		{role: superuser, method: http.MethodDelete, url: one, status: 204},
	})
}

func TestRulesAttendanceAndActivities(t *testing.T) {
	f := testapp.F(t)
	att := "/api/collections/meeting_attendance/records"
	leave := `{"meeting":"` + f.IDs["meeting_congress"] + `","deputy":"` + f.Deputy + `","status":"leave","leave_reason":"住院"}`
	acts := "/api/collections/deputy_activities/records"
	station := acts + "/" + f.IDs["activity_station"]
	newAct := `{"deputy":"` + f.Deputy + `","kind":"proposal","occurred_on":"2026-05-01 00:00:00.000Z","title":"关于修缮村道的建议"}`
	runRuleCases(t, []ruleCase{
		{role: deputy, method: http.MethodPost, url: att, body: leave, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: att, body: leave, status: 403, contains: forbidden},
		{role: guest, method: http.MethodGet, url: acts, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: acts, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: station, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: acts, status: 200, contains: emptyList},
		{role: deputy, method: http.MethodPost, url: acts, body: newAct, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPatch, url: station, body: `{"title":"改"}`, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: station, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: station, status: 200, contains: []string{"逢九接待"}},
		{role: presidium, method: http.MethodGet, url: acts, status: 200, contains: []string{`"totalItems":1`}},
		{role: superuser, method: http.MethodPost, url: acts, body: `{"deputy":"` + f.Deputy + `","kind":"nap","title":""}`, status: 400,
			contains: []string{`"kind":{`, `"title":{`, `"occurred_on":{`}},
		{role: superuser, method: http.MethodPost, url: acts, body: newAct, status: 200, contains: []string{"修缮村道"}},
		// staff record leave; a congress session's leave counts its length
		{role: superuser, method: http.MethodPost, url: att, body: leave, status: 200,
			contains: []string{`"status":"leave"`, `"half_days":4`, `"method":"staff"`, `"checked_in_at":""`},
			after: func(t testing.TB, app *tests.TestApp) {
				res := scoreResult(t, app, f.Deputy)
				if it := item(t, res, "congress_attendance"); it.Points != 2 || !strings.Contains(it.Explanation, "人代会请假 4 个半天×2") {
					t.Fatalf("congress attendance after 4 half-days of leave: %+v", it)
				}
			}},
		{role: deputy, method: http.MethodGet, url: att, status: 200, contains: emptyList},
	})
}

func TestMeetingTasksTrackedToDone(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/meeting_tasks/records"
	create := `{"meeting":"` + f.IDs["meeting_congress"] + `","title":"督办思蒙湾村饮水工程","owner":"镇水利站","owner_deputy":"` + f.Deputy +
		`","deadline":"2026-12-31 00:00:00.000Z","status":"open"}`
	var id string
	s := tests.ApiScenario{Name: "create task", Method: http.MethodPost, URL: list, Body: strings.NewReader(create),
		Headers: withJSON(testapp.Headers(t, superuser)), ExpectedStatus: 200, ExpectedContent: []string{`"done_at":""`},
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
		r := newRecordFromJSON(t, col, create)
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
		{"owner cannot move the deadline", deputy, `{"deadline":"2027-06-30 00:00:00.000Z"}`, 404, notFoundBody},
		{"another deputy cannot report", deputy2, `{"status":"in_progress"}`, 404, notFoundBody},
		{"owner reports progress", deputy, `{"status":"in_progress","result":"已开工"}`, 200, []string{`"status":"in_progress"`, `"done_at":""`}},
		{"owner closes it with a result", deputy, `{"status":"done","result":"已通水"}`, 200, []string{`"status":"done"`, `"done_at":"2`}},
	} {
		sc := tests.ApiScenario{Name: c.name, Method: http.MethodPatch, URL: one, Body: strings.NewReader(c.body),
			Headers: withJSON(testapp.Headers(t, c.role)), ExpectedStatus: c.status, ExpectedContent: c.contains,
			TestAppFactory: testapp.Factory, BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core_ServeEvent) { setup(t, app) }}
		sc.Test(t)
	}
}

func TestCheckinByQR(t *testing.T) {
	f := testapp.F(t)
	congress := f.IDs["meeting_congress"]
	presidiumMeeting := f.IDs["meeting_presidium"]
	codeURL := "/api/meetings/" + congress + "/checkin-code"
	scan := "/api/meetings/checkin"
	// tokens signed with the app's own secret, as the meeting screen would show them
	sign := func(t testing.TB, app *tests.TestApp, meeting string, expires time.Time) string {
		secret, err := hooks.CheckinSecret(app)
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
		{"guest", guest, valid(congress), "", 403, forbidden, nil},
		{"inactive deputy", inactive, valid(congress), "", 403, forbidden, nil},
		{"expired code cannot be replayed", deputy, expired, "", 400, []string{`"token":{"code":"validation_checkin_token"`, "已过期"}, noAttendance(f.Deputy, congress)},
		{"code not signed by this server", deputy, otherSecret, "", 400, []string{`"token":{`}, noAttendance(f.Deputy, congress)},
		{"cannot check in another deputy", deputy, valid(congress), `,"deputy":"` + f.Deputy2 + `"`, 400, []string{`"deputy":{"code":"validation_checkin_self"`}, noAttendance(f.Deputy2, congress)},
		{"not on the meeting's list", deputy, valid(presidiumMeeting), "", 403, forbidden, noAttendance(f.Deputy, presidiumMeeting)},
		{"own check-in", deputy, valid(congress), "", 200, []string{`"status":"present"`, `"already":false`, "签到成功"},
			func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByFilter("meeting_attendance", "meeting = {:m} && deputy = {:d}", map[string]any{"m": congress, "d": f.Deputy})
				if err != nil || r.GetString("method") != "qr" || r.GetDateTime("checked_in_at").IsZero() {
					t.Fatalf("attendance %v %v", r, err)
				}
				if it := item(t, scoreResult(t, app, f.Deputy), "congress_attendance"); it.Points != 10 {
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
				if it := item(t, scoreResult(t, app, f.Presidium), "activities"); it.Points < 3 || !slices.Contains(it.RecordIDs, att.Id) {
					t.Fatalf("activities %+v", it)
				}
			}},
	}
	for _, c := range cases {
		var body string
		s := tests.ApiScenario{Name: c.name, Method: http.MethodPost, URL: scan,
			Headers: withJSON(testapp.Headers(t, c.role)), ExpectedStatus: c.status, ExpectedContent: c.contains,
			TestAppFactory: testapp.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core_ServeEvent) {
				body = `{"token":"` + c.token(t, app) + `"` + c.extra + `}`
			},
		}
		if c.after != nil {
			after := c.after
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { after(t, app) }
		}
		s.Body = lazyBody(&body)
		s.Test(t)
	}

	// A second scan of the same code is idempotent; the screen's code
	// endpoint is for staff and presidium only.
	app := testapp.New(t)
	tok := sign(t, app, congress, time.Now().Add(checkin.TTL))
	for i, want := range []string{`"already":false`, `"already":true`} {
		res := request(t, app, http.MethodPost, scan, `{"token":"`+tok+`"}`, deputy)
		if res.Code != 200 || !strings.Contains(res.Body.String(), want) {
			t.Fatalf("scan %d: %d %s", i, res.Code, res.Body)
		}
	}
	if n, _ := app.CountRecords("meeting_attendance"); n != 1 {
		t.Fatalf("attendance rows = %d", n)
	}
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodGet, url: codeURL, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: codeURL, status: 403, contains: forbidden, absent: []string{"token"}},
		{role: presidium, method: http.MethodGet, url: "/api/meetings/nosuchmeeting00/checkin-code", status: 404, contains: notFoundBody},
		{role: presidium, method: http.MethodGet, url: codeURL, status: 200, contains: []string{`"token":"` + congress + `.`, `"qr_png":"data:image/png;base64,`, "#/checkin?t="}},
		{role: superuser, method: http.MethodGet, url: codeURL, status: 200, contains: []string{`"expires_at":"`}},
	})
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
	present := newRecordFromJSON(t, col, `{"meeting":"`+congress+`","deputy":"`+f.Deputy+`","status":"present"}`)
	if err := app.Save(present); err != nil {
		t.Fatal(err)
	}
	if res := request(t, app, http.MethodPost, url, "", presidium); res.Code != 403 {
		t.Fatalf("presidium: %d", res.Code)
	}
	res := request(t, app, http.MethodPost, url, "", superuser)
	if res.Code != 200 || !strings.Contains(res.Body.String(), `"absent":["`+f.Deputy2+`"]`) {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
	// 4 half-days unexcused: 10 − 4×5, never below 0
	if it := item(t, scoreResult(t, app, f.Deputy2), "congress_attendance"); it.Points != 0 || !strings.Contains(it.Explanation, "无故缺席 4 个半天×5") {
		t.Fatalf("deputy2 %+v", it)
	}
	if it := item(t, scoreResult(t, app, f.Deputy), "congress_attendance"); it.Points != 10 {
		t.Fatalf("deputy %+v", it)
	}
	// a second call finds nobody left to mark
	if res := request(t, app, http.MethodPost, url, "", superuser); !strings.Contains(res.Body.String(), `"absent":[]`) {
		t.Fatalf("second call: %s", res.Body)
	}
}

func TestAttendanceIsOwnOrPresidium(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	col, _ := app.FindCollectionByNameOrId("meeting_attendance")
	r := newRecordFromJSON(t, col, `{"meeting":"`+f.IDs["meeting_congress"]+`","deputy":"`+f.Deputy+`","status":"leave","leave_reason":"住院治疗"}`)
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
		res := request(t, app, http.MethodGet, c.url, "", c.role)
		if res.Code != c.status || !strings.Contains(res.Body.String(), c.want) {
			t.Errorf("%s %s: %d %s", c.role, c.url, res.Code, res.Body)
		}
	}
}
