package audit_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/audit"
	"simeng/internal/testapp"
)

// seedEntry writes one entry before a scenario runs.
func seedEntry(t testing.TB, app *tests.TestApp) {
	t.Helper()
	err := audit.Write(app, audit.Entry{Actor: audit.System("test"), Action: audit.ActionUpdate,
		Collection: "suggestions", RecordID: "sugg00000000001", Changes: map[string][2]any{"status": {"received", "acknowledged"}}})
	if err != nil {
		t.Fatal(err)
	}
}

// The role × operation matrix of audit_log: the office reads it; nobody,
// superusers included, writes, changes or removes an entry through the API.
func TestRulesAuditLog(t *testing.T) {
	list := "/api/collections/audit_log/records"
	entry := func(app *tests.TestApp) string {
		r, err := app.FindFirstRecordByFilter(audit.Collection, "seq = 1")
		if err != nil {
			panic(err)
		}
		return r.Id
	}
	type cell struct {
		role, method, url, body string
		status                  int
		contains                []string
	}
	cells := []cell{
		// denied first
		{guest, http.MethodGet, list, "", 200, testapp.EmptyList},
		{deputy, http.MethodGet, list, "", 200, testapp.EmptyList},
		{presidium, http.MethodGet, list, "", 200, testapp.EmptyList},
		{inactive, http.MethodGet, list, "", 200, testapp.EmptyList},
		{unit, http.MethodGet, list, "", 200, testapp.EmptyList},
		{formerStaff, http.MethodGet, list, "", 200, testapp.EmptyList},
		{presidium, http.MethodGet, list + "/{id}", "", 404, testapp.NotFoundBody},
		{staff, http.MethodPost, list, `{"seq":99,"at":"2026-01-01 00:00:00Z","actor_kind":"staff","action":"update","collection":"x","hash":"x"}`, 403, testapp.Forbidden},
		{staff, http.MethodPatch, list + "/{id}", `{"reason":"改"}`, 403, testapp.Forbidden},
		{staff, http.MethodDelete, list + "/{id}", "", 403, testapp.Forbidden},
		{superuser, http.MethodPost, list, `{"seq":99,"at":"2026-01-01 00:00:00Z","actor_kind":"staff","action":"update","collection":"x","hash":"x"}`, 403, testapp.Forbidden},
		{superuser, http.MethodPatch, list + "/{id}", `{"reason":"改"}`, 400, []string{`"status":400`}},
		{superuser, http.MethodDelete, list + "/{id}", "", 400, []string{`"status":400`}},
		{superuser, http.MethodDelete, "/api/collections/audit_log/truncate", "", 400, []string{`"status":400`}},
		{superuser, http.MethodPatch, "/api/collections/audit_log", `{"listRule":""}`, 403, testapp.Forbidden},
		{superuser, http.MethodDelete, "/api/collections/audit_log", "", 403, testapp.Forbidden},
		{staff, http.MethodPatch, "/api/collections/audit_log", `{"listRule":""}`, 403, testapp.Forbidden},
		// allowed
		{staff, http.MethodGet, list, "", 200, []string{`"totalItems":1`, `"acknowledged"`, `"actor_kind":"system"`}},
		{staff, http.MethodGet, list + "/{id}", "", 200, []string{`"hash":"`}},
		{superuser, http.MethodGet, list, "", 200, []string{`"totalItems":1`}},
	}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cells {
			s := tests.ApiScenario{
				Name:            c.role + " " + c.method + " " + c.url,
				Method:          c.method,
				Headers:         testapp.JSONHeaders(t, c.role),
				ExpectedStatus:  c.status,
				ExpectedContent: c.contains,
				TestAppFactory:  testapp.Factory,
				BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
					seedEntry(t, app)
				},
				AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
					r, err := app.FindFirstRecordByFilter(audit.Collection, "seq = 1")
					if err != nil || r.GetString("reason") != "" {
						t.Fatalf("the entry changed or went: %v %v", r, err)
					}
					if n, err := audit.Verify(app); err != nil || n != 1 {
						t.Fatalf("chain after %s: %d %v", c.method, n, err)
					}
				},
			}
			if c.body != "" {
				s.Body = strings.NewReader(c.body)
			}
			url := c.url
			t.Run(s.Name, func(t *testing.T) {
				t.Parallel()
				// The entry's id is known only once the scenario's app
				// exists: resolve it there.
				s.URL = url
				if strings.Contains(url, "{id}") {
					before := s.BeforeTestFunc
					s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
						before(t, app, e)
						s.URL = strings.ReplaceAll(url, "{id}", entry(app))
					}
				}
				s.Test(t)
			})
		}
	})
}
