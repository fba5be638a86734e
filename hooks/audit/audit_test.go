package audit_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/audit"
	"simeng/internal/testapp"
)

// entries returns the audit entries of collection, oldest first.
func entries(t testing.TB, app core.App, collection string) []*core.Record {
	t.Helper()
	recs, err := app.FindRecordsByFilter(audit.Collection, "collection = {:c}", "seq", 0, 0, map[string]any{"c": collection})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func changesOf(t testing.TB, r *core.Record) map[string][2]any {
	t.Helper()
	var ch map[string][2]any
	if err := json.Unmarshal([]byte(r.GetString("changes")), &ch); err != nil {
		t.Fatal(err)
	}
	return ch
}

// Every change that counts leaves one entry naming who made it, from where,
// what changed; personal data only as 「（已更改）」; a refused change none.
func TestEntryPerChange(t *testing.T) {
	f := testapp.F(t)
	sugg := "/api/collections/suggestions/records/" + f.IDs["suggestion_a"]
	ua := map[string]string{"User-Agent": "Mozilla/5.0 (Linux; Android 10) 测试"}
	headers := func(role string) map[string]string {
		h := testapp.JSONHeaders(t, role)
		for k, v := range ua {
			h[k] = v
		}
		return h
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "a refused change leaves no entry", Method: http.MethodPatch, URL: sugg,
			Body: strings.NewReader(`{"status":"closed"}`), Headers: headers(deputy), ExpectedStatus: 400,
			ExpectedContent: []string{`"status"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if n := len(entries(t, app, "suggestions")); n != 0 {
					t.Fatalf("%d entries for a refused change", n)
				}
			},
		},
		{
			Name: "staff acknowledge a suggestion", Method: http.MethodPatch, URL: sugg,
			Body: strings.NewReader(`{"status":"acknowledged"}`), Headers: headers(staff), ExpectedStatus: 200,
			ExpectedContent: []string{`"acknowledged"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "suggestions")
				if len(got) != 1 {
					t.Fatalf("%d entries, want 1", len(got))
				}
				e := got[0]
				for field, want := range map[string]string{"actor_kind": "staff", "actor_id": f.Staff, "actor_name": "刘联络",
					"action": "update", "record_id": f.IDs["suggestion_a"], "via": "api", "user_agent": ua["User-Agent"]} {
					if e.GetString(field) != want {
						t.Errorf("%s = %q, want %q", field, e.GetString(field), want)
					}
				}
				if e.GetString("ip") == "" || e.GetDateTime("at").IsZero() || e.GetString("hash") == "" {
					t.Errorf("entry without ip, time or hash: %v", e)
				}
				ch := changesOf(t, e)
				if ch["status"] != [2]any{"received", "acknowledged"} {
					t.Errorf("changes %v", ch)
				}
			},
		},
		{
			Name: "a deputy's own answer: no user agent kept", Method: http.MethodPatch, URL: sugg,
			Body: strings.NewReader(`{"status":"answered","reply":"已联系村委会，本周修好。"}`), Headers: headers(deputy), ExpectedStatus: 200,
			ExpectedContent: []string{`"answered"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "suggestions")
				if len(got) != 1 || got[0].GetString("actor_kind") != "deputy" || got[0].GetString("actor_name") != "张三" || got[0].GetString("user_agent") != "" {
					t.Fatalf("entries %v", got)
				}
				if ch := changesOf(t, got[0]); ch["reply"][1] != "已联系村委会，本周修好。" {
					t.Errorf("changes %v", ch)
				}
			},
		},
		{
			Name: "a resident's phone and name change: never in clear", Method: http.MethodPatch, URL: sugg,
			Body: strings.NewReader(`{"resident_phone":"13987654321","resident_name":"向德胜"}`), Headers: headers(staff), ExpectedStatus: 200,
			ExpectedContent: []string{"13987654321"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "suggestions")
				if len(got) != 1 {
					t.Fatalf("%d entries", len(got))
				}
				ch := changesOf(t, got[0])
				if ch["resident_phone"] != [2]any{audit.Changed, audit.Changed} || ch["resident_name"] != [2]any{audit.Changed, audit.Changed} {
					t.Errorf("changes %v", ch)
				}
				raw := got[0].GetString("changes")
				for _, never := range []string{"13987654321", "向德胜", testapp.ResidentPhone, testapp.ResidentName, "sealed"} {
					if strings.Contains(raw, never) {
						t.Errorf("changes hold %q: %s", never, raw)
					}
				}
			},
		},
		{
			Name: "staff reset a deputy's password and deactivate them", Method: http.MethodPatch,
			URL:  "/api/collections/deputies/records/" + f.Deputy2,
			Body: strings.NewReader(`{"password":"reset-pass-2026","passwordConfirm":"reset-pass-2026","active":false}`), Headers: headers(staff), ExpectedStatus: 200,
			ExpectedContent: []string{`"active":false`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "deputies")
				if len(got) != 1 || got[0].GetString("actor_kind") != "staff" {
					t.Fatalf("entries %v", got)
				}
				ch := changesOf(t, got[0])
				if ch["password"] != [2]any{audit.Changed, audit.Changed} || ch["active"] != [2]any{true, false} {
					t.Errorf("changes %v", ch)
				}
				if strings.Contains(got[0].GetString("changes"), "reset-pass-2026") || strings.Contains(got[0].GetString("changes"), "$2a$") {
					t.Error("the password or its hash is in the entry")
				}
			},
		},
		{
			Name: "the presidium supervises a hazard", Method: http.MethodPatch,
			URL:  "/api/collections/hazards/records/" + f.IDs["hazard_a"],
			Body: strings.NewReader(`{"supervised":true}`), Headers: headers(presidium), ExpectedStatus: 200,
			ExpectedContent: []string{`"supervised":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "hazards")
				if len(got) != 1 || got[0].GetString("actor_kind") != "presidium" || got[0].GetString("user_agent") == "" {
					t.Fatalf("entries %v", got)
				}
				if ch := changesOf(t, got[0]); ch["supervised"] != [2]any{false, true} {
					t.Errorf("changes %v", ch)
				}
			},
		},
		{
			Name: "staff close a meeting's register: one entry per absence", Method: http.MethodPost,
			URL:     "/api/meetings/" + f.IDs["meeting_congress"] + "/absences",
			Headers: headers(staff), ExpectedStatus: 200, ExpectedContent: []string{`"absent"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var body struct{ Absent []string }
				if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
					t.Fatal(err)
				}
				got := entries(t, app, "meeting_attendance")
				if len(got) != len(body.Absent) || len(got) == 0 {
					t.Fatalf("%d entries for %d absences", len(got), len(body.Absent))
				}
				for _, e := range got {
					if e.GetString("action") != audit.ActionAbsences || e.GetString("actor_id") != f.Staff || changesOf(t, e)["status"][1] != "absent" {
						t.Errorf("entry %v", e)
					}
				}
			},
		},
		{
			Name: "staff recompute the assessment", Method: http.MethodPost, URL: "/api/assessment/recompute",
			Body: strings.NewReader(`{"year":2026}`), Headers: headers(staff), ExpectedStatus: 200,
			ExpectedContent: []string{`"year":2026`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "assessment_scores")
				if len(got) != 1 || got[0].GetString("action") != audit.ActionRecompute || got[0].GetString("record_id") != "2026" {
					t.Fatalf("entries %v", got)
				}
			},
		},
		{
			Name: "staff add a holiday: the entry and the recomputed deadlines", Method: http.MethodPost,
			URL:  "/api/collections/calendar_overrides/records",
			Body: strings.NewReader(`{"date":"2026-12-02","workday":false,"name":"测试假日"}`), Headers: headers(staff), ExpectedStatus: 200,
			ExpectedContent: []string{"测试假日"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				got := entries(t, app, "calendar_overrides")
				if len(got) != 1 || got[0].GetString("action") != audit.ActionCreate || changesOf(t, got[0])["name"][1] != "测试假日" {
					t.Fatalf("entries %v", got)
				}
				if n, err := audit.Verify(app); err != nil || n < 1 {
					t.Fatalf("chain: %d %v", n, err)
				}
			},
		},
	}
	for i := range scenarios {
		scenarios[i].TestAppFactory = testapp.Factory
		scenarios[i].Test(t)
	}
}

// Entries are append-only in Go too: a superuser's code (or the admin UI,
// which goes through the same model hooks) can neither change nor remove
// one.
func TestEntriesCannotBeChangedOrRemoved(t *testing.T) {
	app := testapp.New(t)
	seedEntry(t, app)
	r, err := app.FindFirstRecordByFilter(audit.Collection, "seq = 1")
	if err != nil {
		t.Fatal(err)
	}
	r.Set("reason", "悄悄改")
	if err := app.Save(r); err == nil {
		t.Error("an entry was updated")
	}
	if err := app.Delete(r); err == nil {
		t.Error("an entry was deleted")
	}
	if err := app.TruncateCollection(r.Collection()); err == nil {
		t.Error("the trail was truncated")
	}
	if n, err := audit.Verify(app); err != nil || n != 1 {
		t.Fatalf("chain: %d %v", n, err)
	}
}

// The hash chain shows an entry edited, removed or inserted in the
// database file, behind the hooks' back.
func TestVerifyFindsTampering(t *testing.T) {
	tamper := map[string]string{
		"edited":    `UPDATE audit_log SET reason = '改过' WHERE seq = 2`,
		"removed":   `DELETE FROM audit_log WHERE seq = 2`,
		"reordered": `UPDATE audit_log SET seq = 9 WHERE seq = 3`,
		"rehashed":  `UPDATE audit_log SET hash = 'x', reason = '改过' WHERE seq = 2`,
	}
	for name, sql := range tamper {
		t.Run(name, func(t *testing.T) {
			app := testapp.New(t)
			for range 3 {
				seedEntry(t, app)
			}
			if n, err := audit.Verify(app); err != nil || n != 3 {
				t.Fatalf("before: %d %v", n, err)
			}
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				t.Fatal(err)
			}
			if _, err := audit.Verify(app); err == nil {
				t.Fatalf("%s entry not found", name)
			}
		})
	}
}

// `simeng audit verify` says how many entries hold, and fails naming the
// first broken one.
func TestVerifyCommand(t *testing.T) {
	app := testapp.New(t)
	for range 2 {
		seedEntry(t, app)
	}
	run := func() (string, error) {
		cmd := audit.NewCommand(app)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs([]string{"verify"})
		err := cmd.Execute()
		return out.String(), err
	}
	if out, err := run(); err != nil || !strings.Contains(out, "共 2 条") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if _, err := app.DB().NewQuery(`UPDATE audit_log SET actor_name = '别人' WHERE seq = 1`).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := run(); err == nil || !strings.Contains(err.Error(), "entry 1") {
		t.Fatalf("a changed entry passed: %v", err)
	}
}
