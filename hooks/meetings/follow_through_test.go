package meetings_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/hooks/meetings"
	"simeng/internal/testapp"
)

// saveTask stores a follow-up task of the congress owned by Deputy with
// the given deadline, as staff would.
func saveTask(t testing.TB, app core.App, id string, deadline time.Time) *core.Record {
	t.Helper()
	f := testapp.F(t)
	col, _ := app.FindCollectionByNameOrId("meeting_tasks")
	r := core.NewRecord(col)
	r.Id = id
	r.Load(map[string]any{"meeting": f.IDs["meeting_congress"], "title": "督办思蒙湾村饮水工程", "owner": "镇水利站",
		"owner_deputy": f.Deputy, "deadline": deadline, "status": "open"})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// A task past its deadline and not done is flagged overdue and escalated
// to the presidium member paired with its owner's village, once; nobody
// clears the flag through the API; moving the deadline later does.
func TestOverdueTasksAreFlaggedAndEscalated(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	late := saveTask(t, app, "tasklate0000001", time.Now().Add(-48*time.Hour))
	saveTask(t, app, "taskfuture00001", time.Now().Add(72*time.Hour))
	done := saveTask(t, app, "taskdone0000001", time.Now().Add(-72*time.Hour))
	done.Set("status", "done")
	done.Set("result", "已完成")
	if err := app.Save(done); err != nil {
		t.Fatal(err)
	}
	n, err := meetings.FlagOverdueTasks(app, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("flagged %d, %v; want the one late task", n, err)
	}
	if n, _ := meetings.FlagOverdueTasks(app, time.Now()); n != 0 {
		t.Fatalf("flagged again: %d", n)
	}
	late, _ = app.FindRecordById("meeting_tasks", late.Id)
	if !late.GetBool("overdue") || late.GetDateTime("escalated_at").IsZero() || late.GetString("escalated_to") != f.Presidium {
		t.Fatalf("late task: overdue %v escalated %v to %q, want %q", late.GetBool("overdue"), late.GetDateTime("escalated_at"), late.GetString("escalated_to"), f.Presidium)
	}
	srv := testapp.Serve(t, app, nil)
	if status, out := srv.Do(deputy, http.MethodPatch, "/api/collections/meeting_tasks/records/"+late.Id,
		map[string]any{"overdue": false, "escalated_at": "", "status": "in_progress"}); status != 200 || out["overdue"] != true {
		t.Fatalf("the owner cleared the flag: %d %v", status, out)
	}
	late.Set("deadline", time.Now().Add(240*time.Hour))
	if err := app.Save(late); err != nil {
		t.Fatal(err)
	}
	if late, _ = app.FindRecordById("meeting_tasks", late.Id); late.GetBool("overdue") {
		t.Fatal("a task given a later deadline is still overdue")
	}
}

// The owner deputy reports progress on their task (which moves it from
// open to in progress); nobody else reports on it, and nothing is added to
// a task already done. Denied cases first.
func TestTaskProgressReports(t *testing.T) {
	list := "/api/collections/meeting_task_progress/records"
	body := `{"task":"taskprog0000001","note":"已协调水利站，本周进场施工"}`
	setup := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		saveTask(t, app, "taskprog0000001", time.Now().Add(240*time.Hour))
		done := saveTask(t, app, "taskdone0000002", time.Now().Add(240*time.Hour))
		done.Set("status", "done")
		done.Set("result", "已完成")
		if err := app.Save(done); err != nil {
			t.Fatal(err)
		}
	}
	f := testapp.F(t)
	for _, c := range []struct {
		name, role, body string
		status           int
		contains         []string
		after            func(testing.TB, *tests.TestApp)
	}{
		{"guest", guest, body, 400, nil, nil},
		{"another deputy", deputy2, body, 400, nil, nil},
		{"presidium (not the owner)", presidium, body, 400, nil, nil},
		{"inactive", inactive, body, 400, nil, nil},
		{"too short", deputy, `{"task":"taskprog0000001","note":"好"}`, 400, []string{`"note":{`}, nil},
		{"on a task done", deputy, `{"task":"taskdone0000002","note":"补充一点进展"}`, 400, []string{`"task":{`}, nil},
		{"owner", deputy, strings.Replace(body, `"note"`, `"author":"`+f.Deputy2+`","note"`, 1), 200, []string{`"author":"` + f.Deputy + `"`},
			func(t testing.TB, app *tests.TestApp) {
				task, _ := app.FindRecordById("meeting_tasks", "taskprog0000001")
				if task.GetString("status") != "in_progress" {
					t.Fatalf("task status %q after a progress report", task.GetString("status"))
				}
			}},
	} {
		sc := tests.ApiScenario{Name: c.name, Method: http.MethodPost, URL: list, Body: strings.NewReader(c.body),
			Headers: testapp.JSONHeaders(t, c.role), ExpectedStatus: c.status, ExpectedContent: c.contains,
			TestAppFactory: testapp.Factory, BeforeTestFunc: setup}
		if c.contains == nil {
			sc.ExpectedContent = []string{`"data":{}`}
			if c.status == 400 {
				sc.ExpectedContent = []string{`"status":400`}
			}
		}
		if c.after != nil {
			after := c.after
			sc.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) { after(t, app) }
		}
		sc.Test(t)
	}
}

// The year's plan grid flags the quarters without a presidium meeting or a
// 季度集训, the half years without a 屋场会; presidium and staff only.
func TestMeetingPlanGrid(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app, nil)
	year := time.Now().In(chinatime.Location()).Year() - 1
	col, _ := app.FindCollectionByNameOrId("meetings")
	for _, m := range []struct {
		kind  string
		month time.Month
	}{{"presidium", 1}, {"presidium", 4}, {"presidium", 7}, {"training", 3}, {"wuchang", 5}, {"wuchang", 11}, {"party_committee", 4}} {
		r := core.NewRecord(col)
		r.Load(map[string]any{"title": "会议", "kind": m.kind, "place": "镇政府",
			"starts_at": time.Date(year, m.month, 10, 9, 0, 0, 0, chinatime.Location())})
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range []string{guest, deputy, inactive} {
		if status, _ := srv.Do(role, http.MethodGet, "/api/meetings/plan", nil); status != 401 && status != 403 {
			t.Fatalf("%s read the plan: %d", role, status)
		}
	}
	status, out := srv.Do(presidium, http.MethodGet, "/api/meetings/plan?year="+strings.TrimSpace(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")), nil)
	if status != 200 {
		t.Fatalf("plan: %d %v", status, out)
	}
	// presidium: Q4 missed; training: Q2–Q4 missed; wuchang: none; party committee: none
	if out["missed"].(float64) != 4 {
		t.Fatalf("missed %v: %v", out["missed"], out["rows"])
	}
	rows := out["rows"].([]any)
	first := rows[0].(map[string]any)
	if first["kind"] != "presidium" || first["kind_label"] != "主席团会议" || len(first["cells"].([]any)) != 4 {
		t.Fatalf("first row %v", first)
	}
	if cell := first["cells"].([]any)[3].(map[string]any); cell["status"] != "missed" || cell["status_label"] != "未召开" {
		t.Fatalf("Q4 presidium: %v", cell)
	}
}
