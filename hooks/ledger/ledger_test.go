package ledger_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/xuri/excelize/v2"

	"simeng/hooks/ledger"
	"simeng/internal/testapp"
)

var ledgerCST = time.FixedZone("CST", 8*3600)

// fieldError returns the message of field in a PocketBase 400 body, "" if none.

func TestHazardLifecycle(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	url := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	refuse := func(role, body any, field, want string) {
		t.Helper()
		r := c.Must(http.StatusBadRequest, role.(string), http.MethodPatch, url, body)
		if msg := r.FieldError(t, field); !strings.Contains(msg, want) {
			t.Fatalf("%v: %s error %q, want %q in %s", body, field, msg, want, r.Body)
		}
	}
	status := func() string {
		t.Helper()
		r, err := c.App.FindRecordById("hazards", f.IDs["hazard_a"])
		if err != nil {
			t.Fatal(err)
		}
		return r.GetString("status")
	}

	// open: no shortcut to closed, rectified or verified; nothing is stored
	refuse(deputy, `{"status":"closed"}`, "status", "不能从「待整改」直接改为「已销号」")
	refuse(deputy, `{"status":"rectified","rectification":"已更换"}`, "status", "下一步只能是「整改中」")
	refuse(presidium, `{"status":"verified"}`, "status", "不能从「待整改」")
	if s := status(); s != "open" {
		t.Fatalf("refused change stored: status %s", s)
	}

	c.Must(http.StatusOK, deputy, http.MethodPatch, url, `{"status":"rectifying"}`)

	// rectified needs what was done and a photo taken after
	r := c.Must(http.StatusBadRequest, deputy, http.MethodPatch, url, `{"status":"rectified"}`)
	if r.FieldError(t, "photos_after") == "" || r.FieldError(t, "rectification") == "" {
		t.Fatalf("want photos_after and rectification named: %s", r.Body)
	}
	refuse(presidium, `{"status":"closed"}`, "status", "不能从「整改中」直接改为「已销号」")
	r = c.Must(http.StatusOK, deputy, http.MethodPatch, url, testapp.NewForm(t,
		map[string]string{"status": "rectified", "rectification": "已更换两具灭火器，清理后门通道"},
		map[string]int{"photos_after": 1}))
	if got := r.JSON(t); got["rectified_at"] == "" || len(got["photos_after"].([]any)) != 1 {
		t.Fatalf("rectified: %s", r.Body)
	}

	// closing needs the re-inspection first
	refuse(presidium, `{"status":"closed"}`, "status", "下一步只能是「复查通过」")
	refuse(deputy, `{"status":"verified"}`, "verify_inspection", "须关联一次复查")
	refuse(deputy, `{"status":"verified","verify_inspection":"`+f.IDs["inspection_a"]+`"}`, "verify_inspection", "另一次检查")

	// the re-inspection (复查) is an inspection of its own
	re := c.Must(http.StatusOK, deputy, http.MethodPost, "/api/collections/inspections/records",
		`{"kind":"safety","site":"`+f.IDs["site_school"]+`","inspected_at":"2026-03-12 02:00:00.000Z","findings":"复查：灭火器已更换","status":"completed"}`).JSON(t)
	r = c.Must(http.StatusOK, deputy, http.MethodPatch, url, `{"status":"verified","verify_inspection":"`+re["id"].(string)+`","verification":"复查合格"}`)
	if got := r.JSON(t); got["verified_by"] != "张三（代表）" || got["verified_at"] == "" {
		t.Fatalf("verified: %s", r.Body)
	}

	// 销号 is the presidium's or staff's
	r = c.Must(http.StatusForbidden, deputy, http.MethodPatch, url, `{"status":"closed"}`)
	if !strings.Contains(r.FieldError(t, "status"), "只有主席团成员或工作人员可以销号") {
		t.Fatalf("closed by a deputy: %s", r.Body)
	}
	r = c.Must(http.StatusOK, presidium, http.MethodPatch, url, `{"status":"closed"}`)
	if got := r.JSON(t); got["closed_by"] != "王主席（主席团）" || got["closed_at"] == "" {
		t.Fatalf("closed: %s", r.Body)
	}
	refuse(presidium, `{"status":"rectifying"}`, "status", "已销号")
	if s := status(); s != "closed" {
		t.Fatalf("status %s after close", s)
	}
}

func TestHazardReinspectionFailsBackToRectifying(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	url := "/api/collections/hazards/records/" + f.IDs["hazard_a"]
	c.Must(http.StatusOK, presidium, http.MethodPatch, url, `{"status":"rectifying"}`)
	c.Must(http.StatusOK, presidium, http.MethodPatch, url, testapp.NewForm(t,
		map[string]string{"status": "rectified", "rectification": "已更换一具"}, map[string]int{"photos_after": 2}))
	r := c.Must(http.StatusOK, presidium, http.MethodPatch, url, `{"status":"rectifying","verification":"复查不合格：还有一具未换"}`)
	if got := r.JSON(t); got["rectified_at"] != "" {
		t.Fatalf("rectified_at kept after a failed re-inspection: %s", r.Body)
	}
}

func TestOverdueHazardsAreFlaggedAndEscalated(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	get := func(key string) map[string]any {
		t.Helper()
		r, err := app.FindRecordById("hazards", f.IDs[key])
		if err != nil {
			t.Fatal(err)
		}
		return map[string]any{"overdue": r.GetBool("overdue"), "escalation": r.GetString("escalation"), "to": r.GetString("escalated_to"),
			"supervised": r.GetBool("supervised"), "by": r.GetString("supervised_by"), "at": r.GetDateTime("supervised_at")}
	}
	run := func(now time.Time, want int) {
		t.Helper()
		n, err := ledger.FlagOverdueHazards(app, now)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("at %v: %d hazards changed, want %d", now, n, want)
		}
	}
	// hazard_a is due 2026-03-10, hazard_b 2026-03-15 (a Sunday)
	run(time.Date(2026, 3, 10, 23, 0, 0, 0, ledgerCST), 0)
	run(time.Date(2026, 3, 11, 8, 10, 0, 0, ledgerCST), 1)
	// reported to the presidium member paired with village A
	if a := get("hazard_a"); a["overdue"] != true || a["escalation"] != "presidium" || a["supervised"] != false || a["to"] != f.Presidium {
		t.Fatalf("hazard_a after its deadline: %v", a)
	}
	run(time.Date(2026, 3, 11, 8, 10, 0, 0, ledgerCST), 0) // the job is idempotent

	// five working days later (17 March) it is listed for supervision by the system
	run(time.Date(2026, 3, 18, 8, 10, 0, 0, ledgerCST), 2)
	if a := get("hazard_a"); a["escalation"] != "supervised" || a["supervised"] != true || !strings.Contains(a["by"].(string), "系统") {
		t.Fatalf("hazard_a long overdue: %v", a)
	}
	// no village, no pairing: the whole presidium sees it
	if b := get("hazard_b"); b["escalation"] != "presidium" || b["supervised"] != false || b["to"] != "" {
		t.Fatalf("hazard_b just overdue: %v", b)
	}

	// a hazard in rectified is no longer waiting: it is not flagged
	b, _ := app.FindRecordById("hazards", f.IDs["hazard_b"])
	b.Set("deadline", time.Date(2026, 6, 30, 0, 0, 0, 0, ledgerCST)) // deadline extended
	if err := app.Save(b); err != nil {
		t.Fatal(err)
	}
	run(time.Date(2026, 3, 19, 8, 10, 0, 0, ledgerCST), 1)
	if b := get("hazard_b"); b["overdue"] != false || b["escalation"] != "none" {
		t.Fatalf("hazard_b after its deadline was extended: %v", b)
	}
	a, _ := app.FindRecordById("hazards", f.IDs["hazard_a"])
	a.Set("status", "rectifying")
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	run(time.Date(2026, 4, 30, 8, 10, 0, 0, ledgerCST), 0)
}

func TestQuarterlyPlan(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	app := c.App
	planStatus := func(quarter, siteKey string) string {
		t.Helper()
		rows, err := app.FindRecordsByFilter("inspection_plan", "quarter = {:q} && site = {:s}", "", 0, 0,
			map[string]any{"q": quarter, "s": f.IDs[siteKey]})
		if err != nil || len(rows) != 1 {
			t.Fatalf("plan %s %s: %d rows, %v", quarter, siteKey, len(rows), err)
		}
		return rows[0].GetString("status")
	}

	// in the quarter: the school is done (inspection_a), the other three due
	if err := ledger.CheckInspectionPlan(app, time.Date(2026, 3, 1, 9, 0, 0, 0, ledgerCST)); err != nil {
		t.Fatal(err)
	}
	if s := planStatus("2026-Q1", "site_school"); s != "done" {
		t.Fatalf("school Q1: %s", s)
	}
	if s := planStatus("2026-Q1", "site_kindergarten"); s != "due" {
		t.Fatalf("kindergarten Q1: %s", s)
	}

	// the morning after the quarter ended: missed, and the next quarter is due
	if err := ledger.CheckInspectionPlan(app, time.Date(2026, 4, 1, 0, 20, 0, 0, ledgerCST)); err != nil {
		t.Fatal(err)
	}
	for _, site := range []string{"site_kindergarten", "site_shop", "site_market"} {
		if s := planStatus("2026-Q1", site); s != "missed" {
			t.Fatalf("%s Q1 after the quarter: %s", site, s)
		}
		if s := planStatus("2026-Q2", site); s != "due" {
			t.Fatalf("%s Q2: %s", site, s)
		}
	}

	// an inspection made offline on 30 March and synced in April still counts
	c.Must(http.StatusOK, deputy, http.MethodPost, "/api/collections/inspections/records",
		`{"kind":"safety","site":"`+f.IDs["site_kindergarten"]+`","inspected_at":"2026-03-30 15:50:00.000Z","findings":"未发现问题","status":"completed"}`)
	if s := planStatus("2026-Q1", "site_kindergarten"); s != "done" {
		t.Fatalf("kindergarten Q1 after a late sync: %s", s)
	}
	// 15:50 UTC on 30 March is 23:50 in China: the first quarter, not the second
	if s := planStatus("2026-Q2", "site_kindergarten"); s == "done" {
		t.Fatalf("kindergarten Q2: %s", s)
	}
	// an ongoing inspection does not count (the entry is due or, by the
	// real clock, missed)
	c.Must(http.StatusOK, deputy, http.MethodPost, "/api/collections/inspections/records",
		`{"kind":"safety","site":"`+f.IDs["site_shop"]+`","inspected_at":"2026-04-03 02:00:00.000Z","status":"ongoing"}`)
	if s := planStatus("2026-Q2", "site_shop"); s == "done" {
		t.Fatalf("shop Q2 with an unfinished inspection: %s", s)
	}

	// the presidium's view
	var plan struct {
		Sites []ledger.PlanRow `json:"sites"`
	}
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/ledger/plan?year=2026", nil)
	if err := json.Unmarshal(r.Body, &plan); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, s := range plan.Sites {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"思蒙镇学校", "思蒙镇幼儿园", "校园周边商店", "思蒙湾村集镇"}) {
		t.Fatalf("plan sites %v", names)
	}
	want := []struct{ status, date string }{{"done", "2026-02-10"}, {"done", "2026-03-30"}, {"missed", ""}, {"missed", ""}}
	for i, w := range want {
		cell := plan.Sites[i].Cells[0]
		if cell.Status != w.status || cell.InspectedAt != w.date {
			t.Fatalf("%s Q1: %+v, want %v", plan.Sites[i].Name, cell, w)
		}
	}
}

func TestLedgerExcelExports(t *testing.T) {
	f := testapp.F(t)
	c := testapp.NewServer(t)
	open := func(r testapp.Reply) *excelize.File {
		t.Helper()
		if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Fatalf("content type %q", ct)
		}
		x, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		return x
	}
	rows := func(x *excelize.File, sheet string) [][]string {
		t.Helper()
		rs, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}

	// a description that looks like a formula stays text
	h, _ := c.App.FindRecordById("hazards", f.IDs["hazard_b"])
	h.Set("description", "=HYPERLINK(\"http://example.com\")")
	if err := c.App.Save(h); err != nil {
		t.Fatal(err)
	}
	c.Must(http.StatusOK, presidium, http.MethodPatch, "/api/collections/hazards/records/"+f.IDs["hazard_a"], `{"supervised":true}`)

	x := open(c.Must(http.StatusOK, presidium, http.MethodGet, "/api/ledger/hazards.xlsx", nil))
	rs := rows(x, ledger.SheetHazards)
	if len(rs) != 4 || !strings.Contains(rs[0][0], "隐患台账") || !slices.Equal(rs[1], ledger.HazardHeaders) {
		t.Fatalf("hazard sheet: %q", rs)
	}
	col := func(row []string, header string) string {
		i := slices.Index(ledger.HazardHeaders, header)
		if i >= len(row) {
			return ""
		}
		return row[i]
	}
	a := rs[2]
	if col(a, "隐患名称") != "食堂灭火器过期" || col(a, "场所") != "思蒙镇学校" || col(a, "状态") != "待整改" ||
		col(a, "挂牌督办") != "是" || col(a, "挂牌人") != "王主席（主席团）" || col(a, "整改期限") != "2026-03-10" || col(a, "责任单位") != "思蒙镇中心学校" {
		t.Fatalf("hazard_a row: %q", a)
	}
	if cell, _ := x.GetCellFormula(ledger.SheetHazards, "C4"); cell != "" || col(rs[3], "隐患描述") != "=HYPERLINK(\"http://example.com\")" {
		t.Fatalf("formula injected: %q %q", cell, rs[3])
	}

	// filters
	rs = rows(open(c.Must(http.StatusOK, superuser, http.MethodGet, "/api/ledger/hazards.xlsx?supervised=1", nil)), ledger.SheetHazards)
	if len(rs) != 3 || rs[2][1] != "食堂灭火器过期" {
		t.Fatalf("supervised only: %q", rs)
	}
	rs = rows(open(c.Must(http.StatusOK, presidium, http.MethodGet, "/api/ledger/hazards.xlsx?status=closed", nil)), ledger.SheetHazards)
	if len(rs) != 2 {
		t.Fatalf("closed only: %q", rs)
	}

	// the quarterly plan and its inspections
	r := c.Must(http.StatusOK, presidium, http.MethodGet, "/api/ledger/plan.xlsx?year=2026", nil)
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="inspection-plan-2026.xlsx"`) || !strings.Contains(cd, "UTF-8''2026") {
		t.Fatalf("content disposition %q", cd)
	}
	x = open(r)
	rs = rows(x, ledger.SheetPlan)
	if len(rs) != 6 || !slices.Equal(rs[1], ledger.PlanHeaders) {
		t.Fatalf("plan sheet: %q", rs)
	}
	if rs[2][1] != "思蒙镇学校" || rs[2][2] != "已完成（2026-02-10）" || rs[5][1] != "思蒙湾村集镇" {
		t.Fatalf("plan rows: %q", rs)
	}
	rs = rows(x, ledger.SheetInspections)
	if len(rs) != 3 || !slices.Equal(rs[1], ledger.InspectionHeaders) {
		t.Fatalf("inspection sheet: %q", rs)
	}
	if got := rs[2]; got[1] != "2026-02-10" || got[3] != "思蒙镇学校" || got[5] != "张三" || got[6] != "张三、王主席" || got[7] != "镇应急办、市监所" || got[9] != "1" {
		t.Fatalf("inspection row: %q", got)
	}
}

func TestHazardPromotedFromVisitProblem(t *testing.T) {
	f := testapp.F(t)
	body := func(problem string) string {
		return `{"title":"自来水压力不足","description":"3组自来水压力不足，消防栓无水","source":"problem","problem":"` + problem +
			`","village":"` + f.VillageA + `","responsible_unit":"镇水利站","deadline":"2026-12-31 00:00:00.000Z"}`
	}
	list := "/api/collections/hazards/records"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: deputy, Method: http.MethodPost, URL: list, Body: strings.Replace(body(""), `"problem":"",`, "", 1), Status: 400,
			Contains: []string{`"problem":{"code":"validation_required"`}},
		// another deputy's problem is not theirs to promote
		{Role: deputy2, Method: http.MethodPost, URL: list, Body: body(f.IDs["problem_a"]), Status: 400,
			Contains: []string{`"problem":{"code":"validation_not_yours"`}},
		{Role: deputy, Method: http.MethodPost, URL: list, Body: body(f.IDs["problem_a"]), Status: 200,
			Contains: []string{`"source":"problem"`, `"status":"open"`},
			After: func(t testing.TB, app *tests.TestApp) {
				p, err := app.FindRecordById("problems", f.IDs["problem_a"])
				if err != nil || p.GetString("status") != "forwarded" || p.GetString("forwarded_to") != "隐患台账：镇水利站" {
					t.Fatalf("problem after promotion: %v %v", p, err)
				}
			}},
	})
}
