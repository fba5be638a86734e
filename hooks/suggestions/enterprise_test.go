package suggestions_test

import (
	"net/http"
	"strings"
	"testing"

	"simeng/internal/testapp"

	"github.com/pocketbase/dbx"
)

// The enterprise channel (企业诉求直报通道) is the resident form's machinery
// at /e: same page, guard, tracking code and status page, answered by the
// presidium.
func TestEnterpriseChannelReportIsTrackedLikeASuggestion(t *testing.T) {
	app := quickApp(t)
	srv := testapp.Serve(t, app, nil).URL
	r := newResident(t, srv)

	res, page := r.get("/e")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "企业诉求直报通道") || !strings.Contains(page, `action="/e"`) ||
		!strings.Contains(page, `name="company"`) || !strings.Contains(page, "涉企执法") || strings.Contains(page, "<script") {
		t.Fatalf("GET /e: %d\n%s", res.StatusCode, page)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}

	// bad input names the field and keeps what was typed
	fields := map[string]string{"content": "执法人员检查时未出示证件，多次重复检查影响经营。", "category": "其他", "topic": "涉企执法"}
	res, page = r.post("/e", withToken(t, page, fields), "", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "请填写企业（个体户）名称") || !strings.Contains(page, "多次重复检查") {
		t.Fatalf("without a company: %d\n%s", res.StatusCode, page)
	}
	fields["company"] = "思蒙湾村 向记农家乐"
	fields["topic"] = "减税"
	res, page = r.post("/e", withToken(t, page, fields), "", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "请从列表中选择诉求类型") {
		t.Fatalf("bad topic: %d\n%s", res.StatusCode, page)
	}
	if n := countSuggestions(t, app, "source = 'enterprise'"); n != 0 {
		t.Fatalf("%d reports stored from bad forms", n)
	}

	fields["topic"] = "涉企执法"
	fields["name"], fields["phone"], fields["consent"] = "向老板", "13987654321", "1"
	res, _ = r.post("/e", withToken(t, page, fields), "", nil)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/t/") {
		t.Fatalf("submit: %d %q", res.StatusCode, loc)
	}
	rec, err := app.FindFirstRecordByFilter("suggestions", "source = 'enterprise'", dbx.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.GetString("deputy") != "" || rec.GetString("enterprise_name") != "思蒙湾村 向记农家乐" || rec.GetString("enterprise_topic") != "涉企执法" ||
		rec.GetDateTime("feedback_due").IsZero() || strings.Contains(rec.GetString("resident_phone"), "13987654321") {
		t.Fatalf("stored report: %v", rec.FieldsData())
	}

	// the status page: answered by the presidium, no personal data
	_, status := r.get(strings.SplitN(loc, "?", 2)[0])
	if !strings.Contains(status, "镇人大主席团（企业诉求直报通道）") || strings.Contains(status, "13987654321") || strings.Contains(status, "向老板") {
		t.Fatalf("status page:\n%s", status)
	}

	// the presidium sees it in its list; a deputy and a resident do not
	c := &testapp.Server{T: t, App: app, URL: srv}
	list := "/api/collections/suggestions/records?filter=" + testapp.URLQuery(`source="enterprise"`)
	if r := c.Must(http.StatusOK, presidium, http.MethodGet, list, nil); !strings.Contains(string(r.Body), `"totalItems":1`) {
		t.Fatalf("presidium list: %s", r.Body)
	}
	for _, role := range []string{guest, deputy} {
		if r := c.Must(http.StatusOK, role, http.MethodGet, list, nil); !strings.Contains(string(r.Body), `"totalItems":0`) {
			t.Fatalf("%s list: %s", role, r.Body)
		}
	}

	// a problem it reports goes into the hazard ledger; the report is acknowledged
	hz := `{"title":"重复检查","description":"同一事项一月内检查三次","source":"enterprise","responsible_unit":"市监所","deadline":"2026-12-31 00:00:00.000Z"`
	r2 := c.Must(http.StatusBadRequest, presidium, http.MethodPost, "/api/collections/hazards/records", hz+`}`)
	if r2.FieldError(t, "suggestion") == "" {
		t.Fatalf("promotion without its report: %s", r2.Body)
	}
	c.Must(http.StatusBadRequest, deputy, http.MethodPost, "/api/collections/hazards/records", hz+`,"suggestion":"`+rec.Id+`"}`)
	c.Must(http.StatusOK, presidium, http.MethodPost, "/api/collections/hazards/records", hz+`,"suggestion":"`+rec.Id+`"}`)
	rec, _ = app.FindRecordById("suggestions", rec.Id)
	if rec.GetString("status") != "acknowledged" || rec.GetDateTime("acknowledged_at").IsZero() {
		t.Fatalf("report after promotion: %s", rec.GetString("status"))
	}
}

// The channel shares the deputies' abuse guard: a bot filling the hidden
// field is turned away and tallied for staff.
func TestEnterpriseChannelTurnsAwayBots(t *testing.T) {
	app := quickApp(t)
	r := newResident(t, testapp.Serve(t, app, nil).URL)
	_, page := r.get("/e")
	res, _ := r.post("/e", withToken(t, page, map[string]string{
		"company": "某公司", "content": "推广优惠贷款，点击链接办理", "website": "http://spam.example",
	}), "", nil)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("honeypot: %d", res.StatusCode)
	}
	if n := countSuggestions(t, app, "source = 'enterprise'"); n != 0 {
		t.Fatal("a bot's report was stored")
	}
	if n, _ := app.CountRecords("suggestion_abuse_events", dbx.HashExp{"kind": "honeypot"}); n != 1 {
		t.Fatalf("abuse events: %d", n)
	}
}
