package reports_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
)

type figure struct {
	Key         string   `json:"key"`
	Group       string   `json:"group"`
	Label       string   `json:"label"`
	Value       *float64 `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Rate        bool     `json:"rate"`
	Definition  string   `json:"definition"`
	Drill       bool     `json:"drill"`
}

// thisYear is this year in China time, as the reports count it, with the
// fixture's visit and Deputy's inspection moved into it when they are not:
// the visit, two days before the template, was last year's on 1 and
// 2 January (the fixture now keeps it in the year: testapp.InThisYear),
// and the inspection is dated 2026 for the ledger's tests. (The
// year in UTC, asked for before, is last year from 16:00 UTC on
// 31 December, when the fixture's hazards and duty are already next year's.)
func thisYear(t testing.TB, app core.App, f testapp.Fixture) string {
	t.Helper()
	year := chinatime.CurrentYear()
	at := time.Now().Add(-time.Hour)
	if start := chinatime.YearStart(year); at.Before(start) {
		at = start
	}
	for _, r := range []struct{ collection, id, field string }{
		{"visits", f.IDs["visit_a"], "visited_at"},
		{"inspections", f.IDs["inspection_a"], "inspected_at"},
	} {
		rec, err := app.FindRecordById(r.collection, r.id)
		if err != nil {
			t.Fatal(err)
		}
		if chinatime.In(rec.GetDateTime(r.field).Time()).Year() == year {
			continue
		}
		rec.Set(r.field, at)
		if err := app.Save(rec); err != nil {
			t.Fatal(err)
		}
	}
	return strconv.Itoa(year)
}

func stats(t testing.TB, c *testapp.Server, year string) map[string]figure {
	t.Helper()
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/reports/stats?year="+year, nil)
	var out struct {
		Figures []figure `json:"figures"`
	}
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]figure{}
	for _, f := range out.Figures {
		if f.Definition == "" {
			t.Errorf("%s has no definition", f.Key)
		}
		m[f.Key] = f
	}
	return m
}

// The year's figures count what the records say, each with its definition
// and its records behind it: suggestions received (spam left out) by
// source, on time, closed, rated; problems; 述职评议; a rate of nothing has
// no value rather than 0 % or 100 %.
func TestStats(t *testing.T) {
	c := testapp.NewServer(t)
	f := testapp.F(t)
	s := stats(t, c, "2025")
	want := map[string][2]int{ // numerator, denominator
		"suggestions_received": {10, 0}, "suggestions_qr": {6, 0}, "suggestions_hotline": {2, 0},
		"ack_24h": {6, 10}, "feedback_5d": {5, 10}, "closed_rate": {3, 10}, "satisfied_rate": {0, 0},
		"problems_raised": {1, 0}, "duty_reviews": {1, 0}, "duty_approval": {45, 46}, "meetings_duty_review": {1, 0},
		"households_visited": {0, 0}, "deputies_met": {0, 3},
	}
	for key, w := range want {
		f, ok := s[key]
		if !ok {
			t.Errorf("no figure %s", key)
			continue
		}
		if f.Numerator != w[0] || f.Denominator != w[1] {
			t.Errorf("%s: %d/%d, want %d/%d", key, f.Numerator, f.Denominator, w[0], w[1])
		}
	}
	if v := s["ack_24h"].Value; v == nil || *v != 60 {
		t.Errorf("ack_24h value %v", v)
	}
	if s["satisfied_rate"].Value != nil {
		t.Error("a satisfaction rate with nobody rating has a value")
	}
	if v := s["duty_approval"].Value; v == nil || *v != 97.8 {
		t.Errorf("duty_approval %v", v)
	}
	// this year: the fixtures' visit, hazards, inspections and meetings
	year := thisYear(t, c.App, f)
	now := stats(t, c, year)
	if now["households_visited"].Numerator != 1 || now["visits"].Numerator != 1 || now["hazards_found"].Numerator < 1 {
		t.Errorf("this year's visits and hazards: %+v %+v", now["households_visited"], now["hazards_found"])
	}

	// drill-down: the records behind a figure, numbers in texts masked
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/reports/stats/suggestions_received/records?year=2025", nil)
	var d struct {
		TotalItems int `json:"totalItems"`
		Items      []struct{ Collection, ID, Date, Title, Detail string }
	}
	if err := json.Unmarshal(r.Body, &d); err != nil {
		t.Fatal(err)
	}
	if d.TotalItems != 10 || len(d.Items) != 10 || d.Items[0].Collection != "suggestions" || d.Items[0].Date != "2025-06-10" {
		t.Errorf("drill: %+v", d)
	}
	if strings.Contains(string(r.Body), testapp.AnalysisPhone) || strings.Contains(string(r.Body), "推广广告") {
		t.Errorf("drill shows a phone or spam: %s", r.Body)
	}
	r = c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/reports/stats/households_visited/records?year="+year, nil)
	if !strings.Contains(string(r.Body), "户主 向**") {
		t.Errorf("a household's head is not masked in the drill: %s", r.Body)
	}
	c.Must(http.StatusNotFound, presidium, http.MethodGet, "/api/simeng/reports/stats/nonsense/records?year=2025", nil)
	r = c.Must(http.StatusBadRequest, presidium, http.MethodGet, "/api/simeng/reports/stats?year=1999", nil)
	if r.FieldError(t, "year") == "" {
		t.Errorf("bad year: %s", r.Body)
	}
}

// The annual report: generated from the figures and the analysis, edited
// by the presidium (a second generate keeps the edit), printed on A4 with
// charts, exported to Excel; a final one is not regenerated.
func TestAnnualReport(t *testing.T) {
	c := testapp.NewServer(t)
	r := c.Must(http.StatusOK, presidium, http.MethodPost, "/api/simeng/reports/annual?year=2025", nil)
	var rec struct {
		ID, Body, Status string
	}
	if err := json.Unmarshal(r.Body, &rec); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"全年收到群众建议10件", "24小时内响应60%（6/10）", "饮水安全（6件）", "组织代表向选民述职1人次"} {
		if !strings.Contains(rec.Body, want) {
			t.Errorf("draft lacks %q:\n%s", want, rec.Body)
		}
	}
	c.Must(http.StatusOK, presidium, http.MethodPatch, "/api/collections/annual_reports/records/"+rec.ID, `{"body":"各位代表：\n\n一、总体情况\n\n主席团修改过的正文。"}`)
	r = c.Must(http.StatusOK, presidium, http.MethodPost, "/api/simeng/reports/annual?year=2025", nil)
	if !strings.Contains(string(r.Body), "主席团修改过的正文") {
		t.Error("generating again overwrote the presidium's edit")
	}

	page := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/reports/annual/2025/print", nil)
	html := string(page.Body)
	for _, want := range []string{"<h2>一、总体情况</h2>", "主席团修改过的正文", "@page { size: A4", "<svg", "各类诉求件数", "统计口径", "收到群众建议"} {
		if !strings.Contains(html, want) {
			t.Errorf("print page lacks %q", want)
		}
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(html, "<script") {
		t.Errorf("print page CSP %q", csp)
	}

	x := c.Must(http.StatusOK, superuser, http.MethodGet, "/api/simeng/reports/annual/2025.xlsx", nil)
	rows := sheet(t, x.Body, "统计数据")
	if strings.Join(rows[1], ",") != "类别,指标,数值,分子,分母,统计口径" || len(rows) < 20 {
		t.Errorf("figures sheet: %v", rows[:2])
	}
	if body := sheet(t, x.Body, "报告正文"); !strings.Contains(body[len(body)-1][1], "主席团修改过的正文") {
		t.Errorf("text sheet: %v", body)
	}

	c.Must(http.StatusOK, presidium, http.MethodPatch, "/api/collections/annual_reports/records/"+rec.ID, `{"status":"final"}`)
	r = c.Must(http.StatusBadRequest, presidium, http.MethodPost, "/api/simeng/reports/annual?year=2025&regenerate=1", nil)
	if r.FieldError(t, "status") == "" {
		t.Errorf("final report regenerated: %s", r.Body)
	}
	c.Must(http.StatusNotFound, presidium, http.MethodGet, "/api/simeng/reports/annual/2024/print", nil)
}

func sheet(t testing.TB, body []byte, name string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// A deputy's 述职 draft comes from their own record; they edit it and
// print it through a short-lived link; others cannot open it.
func TestDutyReport(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	year := thisYear(t, c.App, f)
	r := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/simeng/reports/duty?year="+year, nil)
	var rec struct {
		ID, Deputy, Body string
	}
	if err := json.Unmarshal(r.Body, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Deputy != f.Deputy {
		t.Fatalf("draft for %s", rec.Deputy)
	}
	for _, want := range []string{"张三" + year + "年度履职情况报告", "我是思蒙湾村选出的思蒙镇人大代表张三", "全年走访农户1户、1次",
		"距每年走访不少于12户的要求还差11户", "执法检查和视察1次", "联络站值班接待1次"} {
		if !strings.Contains(rec.Body, want) {
			t.Errorf("draft lacks %q:\n%s", want, rec.Body)
		}
	}
	c.Must(http.StatusOK, deputy, http.MethodPatch, "/api/collections/duty_reports/records/"+rec.ID,
		`{"body":"各位选民：\n\n一、走访\n\n我今年走访了村里的农户。"}`)

	// the print page opens from a link, without a login header
	var link struct{ URL string }
	lr := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/simeng/reports/print-link", `{"path":"/api/simeng/reports/duty/`+rec.ID+`/print"}`)
	if err := json.Unmarshal(lr.Body, &link); err != nil {
		t.Fatal(err)
	}
	status, body := c.DoRaw("", http.MethodGet, link.URL, "text/html", nil)
	if status != 200 || !strings.Contains(string(body), "我今年走访了村里的农户") || !strings.Contains(string(body), "报告人：张三") {
		t.Errorf("print link: %d %s", status, body)
	}
	// the link is for that page only
	other := strings.Replace(link.URL, "/duty/"+rec.ID+"/print", "/annual/2025/print", 1)
	if status, _ := c.DoRaw("", http.MethodGet, other, "text/html", nil); status != 401 {
		t.Errorf("a link opened another page: %d", status)
	}
	// the presidium generates another deputy's draft; a deputy cannot
	c.Must(http.StatusOK, presidium, http.MethodPost, "/api/simeng/reports/duty?year="+year+"&deputy="+f.Deputy2, nil)
	x := c.Must(http.StatusOK, deputy, http.MethodGet, "/api/simeng/reports/duty/"+rec.ID+".xlsx", nil)
	if rows := sheet(t, x.Body, "统计数据"); len(rows) < 8 {
		t.Errorf("duty figures sheet: %v", rows)
	}
}

// Last year's 述职评议 gives Deputy their 向选民述职 item and the approval
// share in the facts, and shows in their dossier.
func TestReviewsFeedTheAssessment(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	if _, err := assessment.RecomputeYear(app, 2025); err != nil {
		t.Fatal(err)
	}
	score, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = 2025", map[string]any{"d": f.Deputy})
	if err != nil {
		t.Fatal(err)
	}
	facts := score.GetString("facts")
	if !strings.Contains(facts, `"report_to_voters":{"value":1`) || !strings.Contains(facts, `"duty_review_approval":{"value":45,"total":46`) {
		t.Errorf("facts: %s", facts)
	}
	result := score.GetString("result")
	if !strings.Contains(result, "向选民述职") {
		t.Errorf("result: %s", result)
	}
}

// Staff record 述职评议 results as the presidium does, and every change is
// in the audit trail with who made it (the results feed the assessment).
func TestDutyReviewsAudited(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	body := `{"deputy":"` + f.Deputy2 + `","meeting":"` + f.IDs["meeting_duty_review"] +
		`","evaluators":"voters","satisfied":30,"basic":10,"unsatisfied":2}`
	r := c.Must(http.StatusOK, staff, http.MethodPost, "/api/collections/duty_reviews/records", body)
	var rec struct{ ID string }
	if err := json.Unmarshal(r.Body, &rec); err != nil {
		t.Fatal(err)
	}
	c.Must(http.StatusOK, presidium, http.MethodPatch, "/api/collections/duty_reviews/records/"+rec.ID, `{"unsatisfied":3}`)
	entries, err := c.App.FindRecordsByFilter("audit_log", "collection = 'duty_reviews' && record_id = {:id}", "seq", 0, 0, dbx.Params{"id": rec.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.GetString("action")+":"+e.GetString("actor_kind"))
	}
	if strings.Join(got, ",") != "create:staff,update:presidium" {
		t.Errorf("audit trail of a 述职评议: %v", got)
	}
}
