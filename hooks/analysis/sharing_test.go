package analysis_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/xuri/excelize/v2"

	"simeng/hooks/audit"
	"simeng/internal/testapp"
)

// rowsOf reads a sheet of an exported workbook.
func rowsOf(t testing.TB, body []byte, sheet string) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v (sheets %v)", sheet, err, x.GetSheetList())
	}
	return rows
}

type logEntry struct {
	Kind, Name, Action, Query, Reason string
	Results                           int
}

func accessLog(t testing.TB, c *testapp.Server) []logEntry {
	t.Helper()
	rs, err := c.App.FindRecordsByFilter("analysis_access_log", "", "created", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]logEntry, len(rs))
	for i, r := range rs {
		out[i] = logEntry{r.GetString("actor_kind"), r.GetString("actor_name"), r.GetString("action"),
			r.GetString("query"), r.GetString("reason"), r.GetInt("results")}
	}
	return out
}

// The export for 信访/综治 has Chinese headers and no personal data by
// default (numbers in texts masked); staff may include names and phones of
// the residents who consented, with a reason, and both are logged; the
// presidium and departments cannot.
func TestExportMasksPersonalDataByDefault(t *testing.T) {
	c := testapp.NewServer(t)
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/analysis/export.xlsx?"+q, nil)
	if !strings.Contains(r.Header.Get("Content-Disposition"), "xlsx") {
		t.Errorf("not a download: %v", r.Header)
	}
	rows := rowsOf(t, r.Body, "诉求清单")
	if len(rows) != 2+9 {
		t.Fatalf("%d rows, want title, header and 9 demands", len(rows))
	}
	if got := strings.Join(rows[1], ","); got != "编号,来源,类别,村（社区）,收到时间,状态,内容,答复" {
		t.Errorf("headers %s", got)
	}
	all := ""
	for _, row := range rows {
		all += strings.Join(row, "|")
	}
	for _, secret := range []string{testapp.AnalysisPhone, testapp.ResidentPhone, "刘桂花"} {
		if strings.Contains(all, secret) {
			t.Errorf("export without personal data holds %q", secret)
		}
	}
	if !strings.Contains(all, "139****4321") || !strings.Contains(all, "群众建议·热线") || !strings.Contains(all, "2025-") {
		t.Errorf("export content: %s", all)
	}
	stats := rowsOf(t, r.Body, "分类统计")
	if !strings.Contains(strings.Join(stats[2], "|"), "（热点）") {
		t.Errorf("hotspot not marked in 分类统计: %v", stats)
	}
	if note := rowsOf(t, r.Body, "说明"); !strings.Contains(strings.Join(note[len(note)-1], ""), "不含群众姓名") {
		t.Errorf("说明 does not say what was removed: %v", note)
	}

	// with personal data: staff only, with a reason
	pii := "/api/simeng/analysis/export.xlsx?" + q + "&include_pii=1"
	r = c.Must(http.StatusForbidden, presidium, http.MethodGet, pii+"&reason="+url.QueryEscape("核实办理情况需要联系群众"), nil)
	if r.FieldError(t, "include_pii") == "" {
		t.Errorf("presidium with personal data: %s", r.Body)
	}
	c.Must(http.StatusForbidden, dept, http.MethodGet, pii+"&reason="+url.QueryEscape("核实办理情况需要联系群众"), nil)
	r = c.Must(http.StatusBadRequest, staff, http.MethodGet, pii, nil)
	if r.FieldError(t, "reason") == "" {
		t.Errorf("no reason: %s", r.Body)
	}
	reason := "信访办依《信访工作条例》核实办理情况"
	r = c.Must(http.StatusOK, staff, http.MethodGet, pii+"&reason="+url.QueryEscape(reason), nil)
	rows = rowsOf(t, r.Body, "诉求清单")
	if !strings.HasSuffix(strings.Join(rows[1], ","), "群众姓名,联系电话") {
		t.Errorf("headers with personal data: %v", rows[1])
	}
	all = ""
	for _, row := range rows {
		all += strings.Join(row, "|")
	}
	if !strings.Contains(all, "刘桂花|"+testapp.ResidentPhone) || !strings.Contains(all, testapp.AnalysisPhone) || !strings.Contains(all, "（未同意提供）") {
		t.Errorf("personal data export: %s", all)
	}

	log := accessLog(t, c)
	var kinds []string
	for _, e := range log {
		kinds = append(kinds, e.Kind+":"+e.Action)
	}
	if got := strings.Join(kinds, ","); got != "presidium:export,department:refused,staff:export_pii" {
		t.Errorf("access log %s", got)
	}
	if last := log[len(log)-1]; last.Reason != reason || last.Results != 9 || !strings.Contains(last.Query, "include_pii=1") {
		t.Errorf("export_pii entry %+v", last)
	}
	// personal data leaving is in the audit trail too, with its reason
	trail, err := c.App.FindAllRecords(audit.Collection, dbx.HashExp{"action": "export_pii"})
	if err != nil || len(trail) != 1 || trail[0].GetString("reason") != reason || trail[0].GetString("actor_kind") != "staff" {
		t.Errorf("audit trail of the export with personal data: %v %v", trail, err)
	}
}

// A department's key: made by staff and shown once, then every request is
// logged with what it asked and how many records it got; it never sees a
// resident's name or phone; past its rate it waits; switched off, it is
// refused.
func TestDepartmentKey(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	r := c.Must(http.StatusBadRequest, staff, http.MethodPost, "/api/simeng/analysis/dept-keys",
		`{"name":"","scope":["overview","fly"],"expires":"2020-01-01"}`)
	for _, field := range []string{"name", "scope", "expires"} {
		if r.FieldError(t, field) == "" {
			t.Errorf("%s not named: %s", field, r.Body)
		}
	}
	expires := time.Now().AddDate(0, 6, 0).Format("2006-01-02")
	r = c.Must(http.StatusOK, staff, http.MethodPost, "/api/simeng/analysis/dept-keys",
		`{"name":"县综治中心","scope":["search","records"],"villages":["`+f.VillageA+`"],"expires":"`+expires+`"}`)
	var created struct{ ID, Token string }
	if err := json.Unmarshal(r.Body, &created); err != nil || !strings.HasPrefix(created.Token, "dk_") {
		t.Fatalf("created: %s", r.Body)
	}
	key, err := c.App.FindRecordById("analysis_dept_keys", created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.App.CountRecords(audit.Collection, dbx.HashExp{"collection": "analysis_dept_keys", "record_id": created.ID, "action": "create"}); err != nil || n != 1 {
		t.Errorf("the key's creation is not in the audit trail: %d %v", n, err)
	}
	if strings.Contains(key.GetString("key_hash"), created.Token[3:]) || key.GetString("key_hash") == "" {
		t.Error("the token is stored, not its hash")
	}

	as := func(tok, path string) (int, string) {
		status, body := c.DoRaw("Bearer "+tok, http.MethodGet, path, "application/json", nil)
		return status, string(body)
	}
	window := time.Now().Truncate(time.Minute) // the rate's minute of the key's first request
	status, body := as(created.Token, "/api/simeng/analysis/search?"+q+"&q="+url.QueryEscape("路灯"))
	if status != 200 || !strings.Contains(body, `"totalItems":1`) {
		t.Fatalf("department search: %d %s", status, body)
	}
	for _, secret := range []string{testapp.AnalysisPhone, testapp.ResidentPhone, "刘桂花"} {
		if strings.Contains(body, secret) {
			t.Errorf("department sees %q", secret)
		}
	}
	if status, _ := as(created.Token, "/api/simeng/analysis/overview?"+q); status != 403 {
		t.Errorf("out of scope: %d", status)
	}
	if status, _ := as(created.Token, "/api/simeng/analysis/search?"+q+"&village="+f.VillageB); status != 400 {
		t.Errorf("another village: %d", status)
	}
	log := accessLog(t, c)
	if len(log) != 3 || log[0] != (logEntry{"department", "县综治中心", "search", "period=2025-Q2&q=%E8%B7%AF%E7%81%AF", "", 1}) ||
		log[1].Action != "refused" || log[2].Action != "refused" {
		t.Errorf("department log: %+v", log)
	}

	// 60 a minute; the 61st waits (the minute may turn meanwhile: then all
	// pass; asking whether it turned, rather than whether the second is
	// past 5, holds however slowly the requests run)
	limited := false
	for range 60 {
		if status, _ := as(created.Token, "/api/simeng/analysis/search?"+q); status == 429 {
			limited = true
		}
	}
	if !limited && time.Now().Truncate(time.Minute).Equal(window) {
		t.Error("61+ requests in a minute were all answered")
	}

	key.Set("active", false)
	if err := c.App.Save(key); err != nil {
		t.Fatal(err)
	}
	if status, _ := as(created.Token, "/api/simeng/analysis/search?"+q); status != 401 {
		t.Errorf("switched-off key: %d", status)
	}
	if status, _ := as("dk_notakey", "/api/simeng/analysis/search?"+q); status != 401 {
		t.Errorf("made-up key: %d", status)
	}
}

// Charts are SVG for phones: small, cacheable by the browser only, with
// Chinese labels.
func TestCharts(t *testing.T) {
	c := testapp.NewServer(t)
	for _, name := range []string{"trend", "categories", "villages", "sources"} {
		r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/analysis/charts/"+name+".svg?"+q, nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
			t.Errorf("%s: %s", name, ct)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "private, max-age=300" {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if len(r.Body) > 30<<10 {
			t.Errorf("%s: %d bytes", name, len(r.Body))
		}
	}
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/simeng/analysis/charts/villages.svg?"+q, nil)
	if !strings.Contains(string(r.Body), "思蒙湾村") || !strings.Contains(string(r.Body), "2025年第2季度") {
		t.Errorf("villages chart: %s", r.Body)
	}
	c.Must(http.StatusNotFound, presidium, http.MethodGet, "/api/simeng/analysis/charts/pie.svg", nil)
}
