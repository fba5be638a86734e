package hooks_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/chinatime"
	"simeng/hooks"
	"simeng/internal/testapp"
)

func badField(name string) []string { return []string{`"status":400`, `"` + name + `":{"code":`} }

func TestRulesSuggestions(t *testing.T) {
	f := testapp.F(t)
	list := "/api/collections/suggestions/records"
	a := list + "/" + f.IDs["suggestion_a"]
	answered := list + "/" + f.IDs["suggestion_a_answered"]
	b := list + "/" + f.IDs["suggestion_b"]
	visit := `{"source":"visit","deputy":"` + f.Deputy + `","category":"饮水安全","content":"三组的自来水浑浊"}`
	hotline := `{"source":"hotline","deputy":"` + f.Deputy2 + `","category":"道路交通","content":"电话反映桥头村道路塌方","received_at":"2026-09-30 02:00:00.000Z","resident_phone":"139 0000 1111","resident_name":"周大爷","consent":true}`
	phone, masked := testapp.ResidentPhone, "139****5678"
	runRuleCases(t, []ruleCase{
		// denied first
		{role: guest, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: guest, method: http.MethodGet, url: a, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodGet, url: list, status: 200, contains: emptyList},
		{role: deputy2, method: http.MethodGet, url: a, status: 404, contains: notFoundBody},
		{role: guest, method: http.MethodPost, url: list, body: visit, status: 400, contains: []string{`"status":400`}},
		{role: deputy2, method: http.MethodPost, url: list, body: visit, status: 400, contains: []string{`"status":400`}},
		{role: deputy, method: http.MethodPost, url: list, body: `{"source":"qr","deputy":"` + f.Deputy + `","category":"其他","content":"冒充扫码提交的"}`, status: 400, contains: []string{`"status":400`}},
		{role: deputy, method: http.MethodPost, url: list, body: `{"source":"visit","deputy":"` + f.Deputy + `","category":"其他","content":"自己答复自己的","status":"closed"}`, status: 400, contains: badField("status")},
		{role: deputy, method: http.MethodPost, url: list, body: `{"source":"visit","deputy":"` + f.Deputy + `","category":"其他","content":"未来的时间","received_at":"2099-01-01 00:00:00.000Z"}`, status: 400, contains: badField("received_at")},
		{role: deputy2, method: http.MethodPatch, url: a, body: `{"status":"acknowledged"}`, status: 404, contains: notFoundBody},
		{role: inactive, method: http.MethodPatch, url: a, body: `{"status":"acknowledged"}`, status: 404, contains: notFoundBody},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"content":"改写群众的话"}`, status: 400, contains: badField("content")},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"deputy":"` + f.Deputy2 + `"}`, status: 400, contains: badField("deputy")},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"feedback_due":"2099-01-01 00:00:00.000Z"}`, status: 400, contains: badField("feedback_due")},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"status":"closed"}`, status: 400, contains: badField("status")},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"status":"answered"}`, status: 400, contains: badField("reply")},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"satisfaction":"satisfied"}`, status: 400, contains: badField("satisfaction")},
		{role: deputy, method: http.MethodPatch, url: answered, body: `{"status":"received"}`, status: 400, contains: badField("status")},
		{role: guest, method: http.MethodDelete, url: a, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodDelete, url: a, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodDelete, url: a, status: 403, contains: forbidden},
		{role: superuser, method: http.MethodPost, url: list, body: `{"source":"hotline","category":"其他","content":"电话反映的问题","resident_phone":"12345"}`, status: 400, contains: badField("resident_phone")},
		// personal data: masked for the presidium, in full for the handling deputy and staff
		{role: presidium, method: http.MethodGet, url: a, status: 200, contains: []string{masked, `"resident_name_masked":"陈**"`}, absent: []string{phone, testapp.ResidentName, `"ip_hash"`, `"resident_phone_hash"`}},
		{role: deputy, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":2`, f.IDs["tracking_a"], phone, testapp.ResidentName}, absent: []string{f.IDs["tracking_b"], `"ip_hash"`, "v1:"}},
		{role: superuser, method: http.MethodGet, url: a, status: 200, contains: []string{phone, testapp.ResidentName, `"ip_hash"`}, absent: []string{"v1:"}},
		// allowed
		{role: presidium, method: http.MethodGet, url: list, status: 200, contains: []string{`"totalItems":3`}},
		{role: deputy, method: http.MethodPost, url: list, body: visit, status: 200, contains: []string{`"status":"received"`, `"feedback_due":"2`, `"tracking":"`}},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"status":"acknowledged"}`, status: 200, contains: []string{`"status":"acknowledged"`, `"acknowledged_at":"2`}},
		{role: deputy, method: http.MethodPatch, url: a, body: `{"status":"answered","reply":"已联系交通站，本周内修复。"}`, status: 200,
			contains: []string{`"status":"answered"`, `"answered_at":"2`, `"replied_by":"` + f.Deputy + `"`}},
		{role: deputy, method: http.MethodPatch, url: answered, body: `{"status":"answered"}`, status: 200, contains: []string{`"status":"answered"`}}, // an outbox replay
		{role: deputy, method: http.MethodPatch, url: answered, body: `{"status":"closed"}`, status: 200, contains: []string{`"closed_at":"2`}},
		{role: presidium, method: http.MethodPatch, url: b, body: `{"status":"answered","reply":"主席团已督办，镇交通站下周施工。"}`, status: 200, contains: []string{`"replied_by":"` + f.Presidium + `"`}},
		{role: superuser, method: http.MethodPost, url: list, body: hotline, status: 200,
			contains: []string{`"source":"hotline"`, `"resident_phone_masked":"139****1111"`, `"ack_due":"2026-10-01 02:00:00.000Z"`, `"feedback_due":"2026-10-13 15:59:59.999Z"`},
			after: func(t testing.TB, app *tests.TestApp) {
				r, err := app.FindFirstRecordByData("suggestions", "content", "电话反映桥头村道路塌方")
				if err != nil || r.GetString("resident_phone") == "13900001111" || r.GetString("resident_name_masked") != "周**" {
					t.Fatalf("hotline record: %v", err)
				}
			}},
		{role: superuser, method: http.MethodPatch, url: a, body: `{"moderation":"spam","moderation_note":"广告"}`, status: 200, contains: []string{`"moderation":"spam"`}},
		{role: superuser, method: http.MethodDelete, url: a, status: 204},
	})
}

func TestRulesCalendarOverridesAndAbuseEvents(t *testing.T) {
	overrides := "/api/collections/calendar_overrides/records"
	abuse := "/api/collections/suggestion_abuse_events/records"
	day := `{"date":"2026-10-12","workday":false,"name":"测试假日"}`
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodGet, url: overrides, status: 200, contains: emptyList},
		{role: guest, method: http.MethodPost, url: overrides, body: day, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodPost, url: overrides, body: day, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: overrides, body: day, status: 403, contains: forbidden},
		{role: superuser, method: http.MethodPost, url: overrides, body: `{"date":"2026-02-30","name":"无效"}`, status: 400, contains: badField("date")},
		{role: superuser, method: http.MethodPost, url: overrides, body: `{"date":"12/10/2026","name":"无效"}`, status: 400, contains: badField("date")},
		{role: guest, method: http.MethodGet, url: abuse, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: abuse, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodGet, url: abuse, status: 403, contains: forbidden},
		{role: presidium, method: http.MethodPost, url: abuse, body: `{"kind":"honeypot"}`, status: 403, contains: forbidden},
		{role: deputy, method: http.MethodGet, url: overrides, status: 200, contains: []string{`"totalItems":0`}},
		{role: superuser, method: http.MethodPost, url: overrides, body: day, status: 200, contains: []string{"测试假日"}},
		{role: superuser, method: http.MethodGet, url: abuse, status: 200, contains: []string{`"items":[]`}},
	})
}

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
	if n, err := hooks.MarkOverdueSuggestions(app, time.Now()); err != nil || n != 0 {
		t.Fatalf("now: %d %v", n, err)
	}
	later := time.Now().Add(25 * time.Hour)
	if n, err := hooks.MarkOverdueSuggestions(app, later); err != nil || n != 2 {
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
	if n, _ := hooks.MarkOverdueSuggestions(app, later); n != 0 {
		t.Fatalf("second run changed %d", n)
	}
	if n, _ := hooks.MarkOverdueSuggestions(app, time.Now().AddDate(0, 0, 20)); n != 2 {
		t.Fatalf("after 20 days: %d", n)
	}
	a, _ = app.FindRecordById("suggestions", f.IDs["suggestion_a"])
	if !a.GetBool("feedback_overdue") {
		t.Fatal("feedback not overdue after 20 days")
	}
	// The presidium finds them; the resident sees that they were escalated.
	r := newResident(t, serve(t, app))
	if _, body := r.get("/t/" + f.IDs["tracking_a"]); !strings.Contains(body, "已超期，已报主席团督办") {
		t.Error("status page does not say the suggestion is overdue")
	}
	res, body := r.get("/api/collections/suggestions/records?filter="+urlQuery(`escalated_at != ""`), "Authorization", testapp.Token(t, presidium))
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
	runRuleCases(t, []ruleCase{{role: deputy, method: http.MethodPatch, url: url, body: body, status: 200,
		contains: []string{`"status":"transferred"`, `"problem":"`}, after: check}})
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
	t.Setenv(hooks.PIIKeyEnv, "")
	if err := start(); !errors.Is(err, hooks.ErrNoPIIKey) {
		t.Fatalf("err = %v", err)
	}
	t.Setenv(hooks.PIIKeyEnv, "too-short")
	if err := start(); err == nil {
		t.Fatal("started with a short key")
	}
}

// The four dates, through the records API as staff record letters
// received that day: the feedback is due at the end of the day shown.
func TestFeedbackDeadlinesOnThePublishedSchedules(t *testing.T) {
	list := "/api/collections/suggestions/records"
	var cases []ruleCase
	for received, due := range map[string]string{
		"2025-01-27": "2025-02-10", // 春节 2025
		"2025-09-30": "2025-10-14", // 国庆中秋 2025
		"2026-02-13": "2026-02-27", // 春节 2026
		"2026-09-30": "2026-10-13", // 国庆 2026
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", received+" 10:00", chinatime.Location())
		dueEnd, _ := time.ParseInLocation("2006-01-02 15:04:05.999999999", due+" 23:59:59.999999999", chinatime.Location())
		cases = append(cases, ruleCase{role: superuser, method: http.MethodPost, url: list,
			body:   `{"source":"paper","category":"其他","content":"纸质来信：` + received + `","received_at":"` + at.UTC().Format("2006-01-02 15:04:05.000Z") + `"}`,
			status: 200, contains: []string{`"feedback_due":"` + dueEnd.UTC().Format("2006-01-02 15:04:05.000Z") + `"`}})
	}
	runRuleCases(t, cases)
}

func TestStaffFindSuggestionsByPhone(t *testing.T) {
	f := testapp.F(t)
	url := "/api/simeng/suggestions/by-phone"
	phone := `{"phone":"` + testapp.ResidentPhone + `"}`
	runRuleCases(t, []ruleCase{
		{role: guest, method: http.MethodPost, url: url, body: phone, status: 401, contains: []string{`"status":401`}, absent: []string{f.IDs["tracking_a"]}},
		{role: deputy, method: http.MethodPost, url: url, body: phone, status: 403, contains: forbidden, absent: []string{f.IDs["tracking_a"]}},
		{role: presidium, method: http.MethodPost, url: url, body: phone, status: 403, contains: forbidden},
		{role: superuser, method: http.MethodPost, url: url, body: `{"phone":"12345"}`, status: 400, contains: badField("phone")},
		{role: superuser, method: http.MethodPost, url: url, body: `{"phone":"+86 139-1234-5678"}`, status: 200,
			contains: []string{f.IDs["tracking_a"], `"status":"received"`}, absent: []string{f.IDs["tracking_b"], testapp.ResidentPhone}},
		{role: superuser, method: http.MethodPost, url: url, body: `{"phone":"13700000000"}`, status: 200, contains: []string{`"items":[]`}},
	})
}

func TestManySuggestionsFromOnePhoneGoToReview(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	l := hooks.DefaultSubmitLimits
	l.MinFill, l.PerIPCodeSoft, l.PerIPCodeHard = 0, 100, 100
	hooks.SetSubmitLimits(app, l)
	r := newResident(t, serve(t, app))
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
