package workbench_test

import (
	"github.com/pocketbase/pocketbase/core"

	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/hooks/workbench"
	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

const (
	guest, deputy, presidium = testapp.RoleGuest, testapp.RoleDeputy, testapp.RolePresidium
	staff, formerStaff, unit = testapp.RoleStaff, testapp.RoleFormerStaff, testapp.RoleUnit
	superuser                = testapp.RoleSuperuser
)

func chinaInput(t time.Time) string { return chinatime.In(t).Format("2006-01-02T15:04") }

// Denied first; then the intake takes a past China time, refuses a future
// one, names bad fields, and seals the phone; today's list shows what is
// due.
func TestWorkbenchRoutes(t *testing.T) {
	f := testapp.F(t)
	intake := "/api/simeng/workbench/intake"
	today := "/api/simeng/workbench/today"
	past := chinaInput(time.Now().Add(-26 * time.Hour))
	good := `{"source":"hotline","received_at":"` + past + `","deputy":"` + f.Deputy + `","category":"饮水安全","content":"三组自来水浑浊已经一周。","resident_phone":"13912340077","consent":true}`
	future := `{"source":"paper","received_at":"` + chinaInput(time.Now().Add(2*time.Hour)) + `","category":"饮水安全","content":"三组自来水浑浊已经一周。"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: today, Status: 401, Contains: []string{`"status":401`}},
		{Role: deputy, Method: http.MethodGet, URL: today, Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodPost, URL: intake, Body: good, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: future, Status: 400, Contains: []string{`"received_at":{`, "不能晚于现在"}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"qr","received_at":"` + past + `"}`, Status: 400, Contains: []string{`"source":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"昨天"}`, Status: 400, Contains: []string{`"received_at":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"` + past + `","category":"饮水安全","content":"短"}`, Status: 400, Contains: []string{`"content":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: `{"source":"paper","received_at":"` + past + `","category":"饮水安全","content":"三组自来水浑浊已经一周。","resident_phone":"13912340077"}`,
			Status: 400, Contains: []string{`"consent":{`}},
		{Role: staff, Method: http.MethodPost, URL: intake, Body: good, Status: 200, Contains: []string{`"tracking":"`},
			After: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("suggestions", "content", "三组自来水浑浊已经一周。")
				if err != nil {
					t.Fatal(err)
				}
				if r.GetString("resident_phone") == "13912340077" || r.GetString("resident_phone_masked") == "" {
					t.Fatal("the phone is not sealed")
				}
				at := r.GetDateTime("received_at").Time()
				if chinaInput(at) != past {
					t.Fatalf("received at %s, want %s China time", chinaInput(at), past)
				}
				// Received 26 h ago: its 24-hour response is overdue; overdue
				// items come first, oldest first.
				items, err := workbench.Today(app, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for i, it := range items {
					found = found || (it.ID == r.Id && it.Overdue && it.Label == "群众建议·待回应")
					if i > 0 && items[i-1].Overdue == it.Overdue && items[i-1].Due > it.Due {
						t.Fatalf("today's list out of order: %+v", items)
					}
					if i > 0 && !items[i-1].Overdue && it.Overdue {
						t.Fatalf("an overdue item after one that is not: %+v", items)
					}
				}
				if !found {
					t.Fatalf("today's list misses the overdue suggestion: %+v", items)
				}
			}},
		{Role: staff, Method: http.MethodGet, URL: today, Status: 200, Contains: []string{`"items":[`}},
		{Role: superuser, Method: http.MethodGet, URL: today, Status: 200, Contains: []string{`"items":[`}},
	})
}

// Today's list holds what handling units owe as well: a problem forwarded
// (急难愁盼), a proposal's reply, a rectification item of an issued report
// (not of a draft), a 民生实事 milestone; each overdue once its deadline
// has passed.
func TestTodayListsWhatUnitsOwe(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	prob, err := app.FindRecordById("problems", f.IDs["problem_a"])
	if err != nil {
		t.Fatal(err)
	}
	prob.Set("status", "forwarded")
	prob.Set("unit", f.Unit)
	if err := app.Save(prob); err != nil {
		t.Fatal(err)
	}
	later := time.Now().AddDate(0, 0, 40) // past every fixture deadline
	items, err := workbench.Today(app, later)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, it := range items {
		if it.Overdue {
			found[it.ID] = true
		}
	}
	for what, id := range map[string]string{"problem": prob.Id, "proposal": f.IDs["proposal_assigned"],
		"rectification item": f.IDs["rect_item_a"], "milestone": f.IDs["milestone_late"]} {
		if !found[id] {
			t.Errorf("today's list misses the overdue %s", what)
		}
	}
	if found[f.IDs["rect_item_draft"]] {
		t.Error("today's list holds an item of a draft report")
	}
	col, err := app.FindCollectionByNameOrId("unit_returns")
	if err != nil {
		t.Fatal(err)
	}
	ret := core.NewRecord(col)
	ret.Load(map[string]any{"kind": "problem", "record_id": prob.Id, "title": "桥头村道路破损", "unit": f.Unit,
		"reason": "道路养护不属本单位职责", "status": "pending"})
	if err := app.Save(ret); err != nil {
		t.Fatal(err)
	}
	now, err := workbench.Today(app, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	waiting := false
	for _, it := range now {
		if it.ID == ret.Id && it.Kind == "return" && it.Link == "#/returns" && !it.Overdue {
			waiting = true
		}
	}
	if !waiting {
		t.Error("today's list misses a unit's waiting 退办申请")
	}
	for _, it := range now {
		if it.ID == f.IDs["proposal_assigned"] {
			t.Error("a proposal due in 30 days is on today's list")
		}
	}
}
