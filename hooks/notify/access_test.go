package notify_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	. "simeng/hooks/notify"
	"simeng/internal/testapp"
	nt "simeng/notify"
)

const (
	guest, deputy, deputy2         = testapp.RoleGuest, testapp.RoleDeputy, testapp.RoleDeputy2
	presidium, inactive, superuser = testapp.RolePresidium, testapp.RoleInactive, testapp.RoleSuperuser
	staff, formerStaff, unit       = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
)

// The role × collection × operation matrix of the outbox, the settings
// and the workbench routes, denied cases first.
func TestRulesOutboxAndSettings(t *testing.T) {
	f := testapp.F(t)
	outbox := "/api/collections/notify_outbox/records"
	settings := "/api/collections/notify_settings/records"
	row := `{"key":"k","event_key":"e","recipient":"r","channel":"inapp","template":"suggestion_new","state":"pending"}`
	meeting := "/api/simeng/meetings/" + f.IDs["meeting_congress"] + "/notify"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: outbox, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodGet, URL: outbox, Status: 200, Contains: testapp.EmptyList},
		{Role: presidium, Method: http.MethodGet, URL: outbox, Status: 200, Contains: testapp.EmptyList},
		{Role: unit, Method: http.MethodGet, URL: outbox, Status: 200, Contains: testapp.EmptyList},
		{Role: formerStaff, Method: http.MethodGet, URL: outbox, Status: 200, Contains: testapp.EmptyList},
		{Role: staff, Method: http.MethodPost, URL: outbox, Body: row, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: settings, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: settings, Body: `{"sms_sign_name":"x"}`, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: settings, Status: 403, Contains: testapp.Forbidden},
		{Role: guest, Method: http.MethodGet, URL: "/api/simeng/notify/status", Status: 401, Contains: []string{`"status":401`}},
		{Role: deputy, Method: http.MethodGet, URL: "/api/simeng/notify/status", Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: "/api/simeng/notify/status", Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: "/api/simeng/notify/status", Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodPost, URL: meeting, Body: `{}`, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: outbox, Status: 200, Contains: []string{`"totalItems":0`}},
		{Role: staff, Method: http.MethodGet, URL: "/api/simeng/notify/status", Status: 200,
			Contains: []string{`"inapp":{"on":true`, `"sms":{"on":false`, `"wecom":{"on":false`}},
		{Role: superuser, Method: http.MethodGet, URL: settings, Status: 200, Contains: testapp.EmptyList},
	})
}

// Notices: each reads and marks only their own; nobody writes one through
// the API.
func TestRulesNotices(t *testing.T) {
	f := testapp.F(t)
	const noticeID = "notice000000001"
	withNotice := func(t testing.TB, app *tests.TestApp) {
		if err := Enqueue(app, nt.Message{EventKey: "test/1", Recipient: f.Deputy, Channel: nt.InApp, Template: nt.TplPaceReminder,
			Params: map[string]string{"done": "3", "expected": "6"}}); err != nil {
			t.Fatal(err)
		}
		if err := Flush(app); err != nil {
			t.Fatal(err)
		}
		// The worker the scenario's serve started may be the one delivering it.
		var r *core.Record
		waitFor(t, "the notice", func() bool {
			var err error
			r, err = app.FindFirstRecordByData(Notices, "deputy", f.Deputy)
			return err == nil
		})
		// The same notice under a known id, for the routes' URLs.
		fixed := r.Fresh()
		fixed.Id = noticeID
		fixed.MarkAsNew()
		if err := app.Delete(r); err != nil {
			t.Fatal(err)
		}
		if err := app.Save(fixed); err != nil {
			t.Fatal(err)
		}
	}
	list := "/api/collections/notices/records"
	create := `{"key":"x","deputy":"` + f.Deputy + `","template":"pace_reminder","title":"假通知","body":"假的"}`
	scenarios := []tests.ApiScenario{
		{Name: "guest lists none", Method: http.MethodGet, URL: list, ExpectedStatus: 200, ExpectedContent: testapp.EmptyList},
		{Name: "another deputy lists none", Method: http.MethodGet, URL: list, Headers: testapp.Headers(t, deputy2), ExpectedStatus: 200, ExpectedContent: testapp.EmptyList},
		{Name: "staff list none of deputies'", Method: http.MethodGet, URL: list, Headers: testapp.Headers(t, staff), ExpectedStatus: 200, ExpectedContent: testapp.EmptyList},
		{Name: "inactive lists none", Method: http.MethodGet, URL: list, Headers: testapp.Headers(t, inactive), ExpectedStatus: 200, ExpectedContent: testapp.EmptyList},
		{Name: "deputy cannot create", Method: http.MethodPost, URL: list, Body: strings.NewReader(create), Headers: testapp.JSONHeaders(t, deputy), ExpectedStatus: 403, ExpectedContent: testapp.Forbidden},
		{Name: "staff cannot create", Method: http.MethodPost, URL: list, Body: strings.NewReader(create), Headers: testapp.JSONHeaders(t, staff), ExpectedStatus: 403, ExpectedContent: testapp.Forbidden},
		{Name: "deputy lists own", Method: http.MethodGet, URL: list, Headers: testapp.Headers(t, deputy), ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":1`, "走访进度提醒"}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory
		s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { withNotice(t, app) }
		s.Test(t)
	}
	// Marking read: another deputy cannot, the owner can.
	for _, c := range []struct {
		role   string
		status int
	}{{deputy2, 404}, {staff, 404}, {deputy, 200}} {
		s := tests.ApiScenario{Name: "read as " + c.role, Method: http.MethodPost, Headers: testapp.Headers(t, c.role),
			ExpectedStatus: c.status, ExpectedContent: []string{`"`}, TestAppFactory: testapp.Factory}
		s.URL = "/api/simeng/notices/" + noticeID + "/read"
		s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) { withNotice(t, app) }
		s.Test(t)
	}
}
