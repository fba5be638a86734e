package suggestions_test

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/hooks/suggestions"
	"simeng/internal/testapp"
	"simeng/pii"
)

func badField(name string) []string { return []string{`"status":400`, `"` + name + `":{"code":`} }

// A staff override changes a deadline already set: 2026-09-30 has its
// feedback due at the end of 2026-10-13 until 10-12 is made a holiday.
func TestCalendarOverrideMovesOpenDeadlines(t *testing.T) {
	app := testapp.New(t)
	col, _ := app.FindCollectionByNameOrId("suggestions")
	r := core.NewRecord(col)
	r.Set("source", "paper")
	r.Set("category", "其他")
	r.Set("content", "纸质来信：请修缮村小学围墙")
	r.Set("received_at", time.Date(2026, 9, 30, 16, 0, 0, 0, chinatime.Location()))
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	due := func() string {
		rec, _ := app.FindRecordById("suggestions", r.Id)
		return rec.GetDateTime("feedback_due").Time().In(chinatime.Location()).Format("2006-01-02 15:04")
	}
	if got := due(); got != "2026-10-13 23:59" {
		t.Fatalf("before override: %s", got)
	}
	oc, _ := app.FindCollectionByNameOrId("calendar_overrides")
	o := core.NewRecord(oc)
	o.Set("date", "2026-10-12")
	o.Set("name", "测试：县里临时放假")
	if err := app.Save(o); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-10-14 23:59" {
		t.Fatalf("after override: %s", got)
	}
	if err := app.Delete(o); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "2026-10-13 23:59" {
		t.Fatalf("after removing the override: %s", got)
	}
}

func TestOverdueSuggestionsEscalateToThePresidium(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	// Seeded an hour ago: nothing is late yet.
	if n, err := suggestions.MarkOverdue(app, time.Now()); err != nil || n != 0 {
		t.Fatalf("now: %d %v", n, err)
	}
	later := time.Now().Add(25 * time.Hour)
	if n, err := suggestions.MarkOverdue(app, later); err != nil || n != 2 {
		t.Fatalf("after 25 h: %d %v", n, err)
	}
	a, _ := app.FindRecordById("suggestions", f.IDs["suggestion_a"])
	if !a.GetBool("ack_overdue") || a.GetBool("feedback_overdue") || a.GetDateTime("escalated_at").IsZero() || a.GetString("escalated_to") != f.Presidium {
		t.Fatalf("suggestion_a: %v", a.PublicExport())
	}
	done, _ := app.FindRecordById("suggestions", f.IDs["suggestion_a_answered"])
	if done.GetBool("ack_overdue") || !done.GetDateTime("escalated_at").IsZero() {
		t.Fatal("an answered suggestion was escalated")
	}
	// Marked once: a second run changes nothing until feedback is late too.
	if n, _ := suggestions.MarkOverdue(app, later); n != 0 {
		t.Fatalf("second run changed %d", n)
	}
	if n, _ := suggestions.MarkOverdue(app, time.Now().AddDate(0, 0, 20)); n != 2 {
		t.Fatalf("after 20 days: %d", n)
	}
	a, _ = app.FindRecordById("suggestions", f.IDs["suggestion_a"])
	if !a.GetBool("feedback_overdue") {
		t.Fatal("feedback not overdue after 20 days")
	}
	// The presidium finds them; the resident sees that they were escalated.
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	if _, body := r.get("/t/" + f.IDs["tracking_a"]); !strings.Contains(body, "已超期，已报主席团督办") {
		t.Error("status page does not say the suggestion is overdue")
	}
	res, body := r.get("/api/collections/suggestions/records?filter="+testapp.URLQuery(`escalated_at != ""`), "Authorization", testapp.Token(t, presidium))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"totalItems":2`) {
		t.Errorf("presidium's escalated list: %d %s", res.StatusCode, body)
	}
}

func TestTransferPutsTheSuggestionOnTheProblemsList(t *testing.T) {
	f := testapp.F(t)
	url := "/api/collections/suggestions/records/" + f.IDs["suggestion_a"]
	body := `{"status":"transferred","reply":"需要镇政府协调资金，已转代表直通车督办。"}`
	linked := func(app *tests.TestApp) []*core.Record {
		problems, _ := app.FindRecordsByFilter("problems", "source = 'suggestion' && source_id = {:id}", "", 0, 0, map[string]any{"id": f.IDs["suggestion_a"]})
		return problems
	}
	check := func(t testing.TB, app *tests.TestApp) {
		problems := linked(app)
		if len(problems) != 1 {
			t.Fatalf("problems: %d", len(problems))
		}
		p := problems[0]
		s, _ := app.FindRecordById("suggestions", f.IDs["suggestion_a"])
		if s.GetString("problem") != p.Id || p.GetString("deputy") != f.Deputy || p.GetString("status") != "open" || p.GetString("category") != "道路交通" {
			t.Fatalf("problem %v", p.PublicExport())
		}
		// A replay from the offline outbox does not make a second problem.
		s.Set("status", "transferred")
		s.Set("problem", "")
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
		if n := len(linked(app)); n != 1 {
			t.Fatalf("problems after replay: %d", n)
		}
	}
	testapp.RunRuleCases(t, []testapp.RuleCase{{Role: deputy, Method: http.MethodPatch, URL: url, Body: body, Status: 200,
		Contains: []string{`"status":"transferred"`, `"problem":"`}, After: check}})
}

func TestServeRefusesToStartWithoutThePIIKey(t *testing.T) {
	app := testapp.New(t)
	start := func() error {
		router, err := apis.NewRouter(app)
		if err != nil {
			t.Fatal(err)
		}
		return app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(*core.ServeEvent) error { return nil })
	}
	t.Setenv(pii.KeyEnv, "")
	if err := start(); !errors.Is(err, pii.ErrNoKey) {
		t.Fatalf("err = %v", err)
	}
	t.Setenv(pii.KeyEnv, "too-short")
	if err := start(); err == nil {
		t.Fatal("started with a short key")
	}
}

// The four dates, through the records API as staff record letters
// received that day: the feedback is due at the end of the day shown.
func TestFeedbackDeadlinesOnThePublishedSchedules(t *testing.T) {
	list := "/api/collections/suggestions/records"
	var cases []testapp.RuleCase
	for received, due := range map[string]string{
		"2025-01-27": "2025-02-10", // 春节 2025
		"2025-09-30": "2025-10-14", // 国庆中秋 2025
		"2026-02-13": "2026-02-27", // 春节 2026
		"2026-09-30": "2026-10-13", // 国庆 2026
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", received+" 10:00", chinatime.Location())
		dueEnd, _ := time.ParseInLocation("2006-01-02 15:04:05.999999999", due+" 23:59:59.999999999", chinatime.Location())
		cases = append(cases, testapp.RuleCase{Role: superuser, Method: http.MethodPost, URL: list,
			Body:   `{"source":"paper","category":"其他","content":"纸质来信：` + received + `","received_at":"` + at.UTC().Format("2006-01-02 15:04:05.000Z") + `"}`,
			Status: 200, Contains: []string{`"feedback_due":"` + dueEnd.UTC().Format("2006-01-02 15:04:05.000Z") + `"`}})
	}
	testapp.RunRuleCases(t, cases)
}

func TestStaffFindSuggestionsByPhone(t *testing.T) {
	f := testapp.F(t)
	url := "/api/simeng/suggestions/by-phone"
	phone := `{"phone":"` + testapp.ResidentPhone + `"}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodPost, URL: url, Body: phone, Status: 401, Contains: []string{`"status":401`}, Absent: []string{f.IDs["tracking_a"]}},
		{Role: deputy, Method: http.MethodPost, URL: url, Body: phone, Status: 403, Contains: testapp.Forbidden, Absent: []string{f.IDs["tracking_a"]}},
		{Role: presidium, Method: http.MethodPost, URL: url, Body: phone, Status: 403, Contains: testapp.Forbidden},
		{Role: superuser, Method: http.MethodPost, URL: url, Body: `{"phone":"12345"}`, Status: 400, Contains: badField("phone")},
		{Role: superuser, Method: http.MethodPost, URL: url, Body: `{"phone":"+86 139-1234-5678"}`, Status: 200,
			Contains: []string{f.IDs["tracking_a"], `"status":"received"`}, Absent: []string{f.IDs["tracking_b"], testapp.ResidentPhone}},
		{Role: superuser, Method: http.MethodPost, URL: url, Body: `{"phone":"13700000000"}`, Status: 200, Contains: []string{`"items":[]`}},
	})
}

func TestManySuggestionsFromOnePhoneGoToReview(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	l := suggestions.DefaultSubmitLimits
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard = 0, 100, 100
	suggestions.SetSubmitLimits(app, l)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	// The fixture already holds one suggestion from this phone.
	for i := range 5 {
		res, _ := r.post("/d/"+f.DeputyCode, r.form(f.DeputyCode, map[string]string{
			"content": "同一个人的第" + strconv.Itoa(i+2) + "条建议", "phone": testapp.ResidentPhone, "consent": "1"}), "", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit %d: %d", i, res.StatusCode)
		}
	}
	recs, _ := app.FindRecordsByFilter("suggestions", "content ~ '同一个人的'", "content", 0, 0)
	var review int
	for _, rec := range recs {
		if rec.GetString("moderation") == "review" {
			review++
		}
	}
	if len(recs) != 5 || review != 1 {
		t.Fatalf("%d stored, %d for review; want 5 and 1 (the 6th from the phone in a day)", len(recs), review)
	}
}

// A suggestion transferred to the problems list (代表直通车) shows that
// problem's progress on the resident's status page, step by step, without
// naming anyone in the office.
func TestStatusPageShowsTheTransferredProblemsProgress(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	s := testapp.Serve(t, app, nil)
	id := f.IDs["suggestion_a"]
	if status, out := s.Do(deputy, http.MethodPatch, "/api/collections/suggestions/records/"+id,
		map[string]any{"status": "transferred", "reply": "需要镇里安排资金，已转交镇政府办理"}); status != 200 {
		t.Fatalf("transfer: %d %v", status, out)
	}
	sug, _ := app.FindRecordById("suggestions", id)
	pid := sug.GetString("problem")
	if pid == "" {
		t.Fatal("no problem for the transferred suggestion")
	}
	for _, step := range []struct {
		action string
		body   map[string]any
	}{{"forward", map[string]any{"forwarded_to": "镇交通站"}}, {"answer", map[string]any{"reply": "已列入本月维修计划，电话 13912345678"}}} {
		if status, out := s.Do(presidium, http.MethodPost, "/api/problems/"+pid+"/"+step.action, step.body); status != 200 {
			t.Fatalf("%s: %d %v", step.action, status, out)
		}
	}
	res, err := http.Get(s.URL + "/t/" + f.IDs["tracking_a"])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	for _, want := range []string{"代表直通车办理进展", "已答复", "转交镇交通站办理", "办理期限", "承办单位已答复：已列入本月维修计划", "139****5678"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	for _, never := range []string{"王主席", "13912345678", "staff@"} {
		if strings.Contains(body, never) {
			t.Errorf("status page shows %q", never)
		}
	}
}
