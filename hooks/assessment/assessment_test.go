package assessment_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/hooks/assessment"
	"simeng/internal/testapp"
	"simeng/scoring"
)

func ruleID(t testing.TB, app core.App, key string) string {
	t.Helper()
	r, err := app.FindFirstRecordByData("assessment_rules", "key", key)
	if err != nil {
		t.Fatal(err)
	}
	return r.Id
}

func TestAssessmentRulesAreValidatedData(t *testing.T) {
	app := testapp.New(t)
	if n, _ := app.CountRecords("assessment_rules"); n != int64(len(scoring.DefaultRules().Items)) {
		t.Fatalf("seeded rules = %d", n)
	}
	list := "/api/collections/assessment_rules/records"
	households := list + "/" + ruleID(t, app, "households")
	ack := list + "/" + ruleID(t, app, "ack_on_time")
	settings, err := app.FindFirstRecordByFilter("assessment_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	settingsURL := "/api/collections/assessment_settings/records/" + settings.Id
	newRule := `{"key":"research","group":"加分项目","title":"调研报告","metric":"research_reports","kind":"per_unit","points":2,"cap":4,"bonus":true}`
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: list, Status: 200, Contains: testapp.EmptyList},
		{Role: deputy, Method: http.MethodPatch, URL: households, Body: `{"cap":100}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: presidium, Method: http.MethodPost, URL: list, Body: newRule, Status: 400, Contains: testapp.DeniedCreate},
		{Role: presidium, Method: http.MethodDelete, URL: households, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodPatch, URL: settingsURL, Body: `{"bonus_cap":50}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: unit, Method: http.MethodPatch, URL: settingsURL, Body: `{"bonus_cap":50}`, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodGet, URL: list, Status: 200, Contains: []string{`"totalItems":17`, "走访农户"}},
		// scoring rules are staff data (R9): staff edit them, validated the same way
		{Role: staff, Method: http.MethodPatch, URL: households, Body: `{"cap":0}`, Status: 400, Contains: []string{`"cap":{`}},
		{Role: staff, Method: http.MethodPatch, URL: settingsURL, Body: `{"bonus_cap":12}`, Status: 200, Contains: []string{`"bonus_cap":12`}},
		{Role: staff, Method: http.MethodPost, URL: list, Body: newRule, Status: 200, Contains: []string{"调研报告"}},
		// bad rules are refused with the field named, nothing stored
		{Role: superuser, Method: http.MethodPatch, URL: households, Body: `{"tiers":[{"up_to":0,"points":1},{"points":0.5}]}`, Status: 400,
			Contains: []string{`"tiers":{"code":"validation_assessment_rule","message":"Tiers[0].up_to: must be set on every tier but the last."`}},
		{Role: superuser, Method: http.MethodPatch, URL: households, Body: `{"kind":"ratio_tiers"}`, Status: 400,
			Contains: []string{`"metric":{`, `"thresholds":{`}},
		{Role: superuser, Method: http.MethodPatch, URL: households, Body: `{"cap":0}`, Status: 400, Contains: []string{`"cap":{`, "Must be \\u003e 0"}},
		{Role: superuser, Method: http.MethodPatch, URL: ack, Body: `{"thresholds":[{"min":90,"points":8}]}`, Status: 400,
			Contains: []string{`"thresholds":{`, "write 90% as 0.9"}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: strings.Replace(newRule, `"research"`, `"households"`, 1), Status: 400,
			Contains: []string{`"key":{`}},
		{Role: superuser, Method: http.MethodPost, URL: list, Body: `{"key":"Bad Key","kind":"nope"}`, Status: 400,
			Contains: []string{`"key":{`, `"kind":{`, `"title":{`}},
		{Role: superuser, Method: http.MethodPatch, URL: settingsURL, Body: `{"capped_grade":"良好"}`, Status: 400,
			Contains: []string{`"capped_grade":{"code":"validation_assessment_settings"`}},
		{Role: superuser, Method: http.MethodPatch, URL: settingsURL, Body: `{"grades":[{"min":90,"name":"优秀"}]}`, Status: 400,
			Contains: []string{`"grades":{`, "min 0"}},
		{Role: superuser, Method: http.MethodPost, URL: "/api/collections/assessment_settings/records", Body: `{"bonus_cap":5}`, Status: 400,
			Contains: []string{`"grades":{"code":"validation_assessment_singleton"`}},
		// good edits pass
		{Role: superuser, Method: http.MethodPost, URL: list, Body: newRule, Status: 200, Contains: []string{`"key":"research"`}},
		{Role: superuser, Method: http.MethodPatch, URL: settingsURL, Body: `{"bonus_cap":8}`, Status: 200, Contains: []string{`"bonus_cap":8`}},
		// an empty capped grade switches the households cap off
		{Role: superuser, Method: http.MethodPatch, URL: settingsURL, Body: `{"capped_grade":""}`, Status: 200, Contains: []string{`"capped_grade":""`}},
	})
}

func TestEditedRuleChangesScoresAfterRecompute(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "station_duties"); it.Points != 3 || len(it.RecordIDs) != 1 || it.RecordIDs[0] != f.IDs["activity_station"] {
		t.Fatalf("station duty before: %+v", it)
	}
	rule, _ := app.FindRecordById("assessment_rules", ruleID(t, app, "station_duties"))
	rule.Set("points", 4.5)
	if err := app.Save(rule); err != nil {
		t.Fatal(err)
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "station_duties"); it.Points != 3 {
		t.Fatalf("scores moved before the recompute: %+v", it)
	}
	if res := testapp.Request(t, app, http.MethodGet, "/api/assessment/ranking", "", presidium); !strings.Contains(res.Body.String(), `"stale":true`) {
		t.Fatalf("ranking after a rule edit must say the scores are stale: %s", res.Body)
	}
	year := testapp.AssessmentDate().Year()
	for _, c := range []struct {
		role   string
		status int
	}{{deputy, 403}, {presidium, 403}, {superuser, 200}} {
		res := testapp.Request(t, app, http.MethodPost, "/api/assessment/recompute", fmt.Sprintf(`{"year":%d}`, year), c.role)
		if res.Code != c.status {
			t.Fatalf("%s recompute: %d %s", c.role, res.Code, res.Body)
		}
	}
	if it := testapp.Item(t, testapp.Score(t, app, f.Deputy), "station_duties"); it.Points != 4.5 || !strings.Contains(it.Explanation, "1×4.5 = 4.5") {
		t.Fatalf("station duty after: %+v", it)
	}
	if res := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, "", deputy); !strings.Contains(res.Body.String(), `"stale":false`) {
		t.Fatalf("dossier after the recompute: %s", res.Body)
	}
	if res := testapp.Request(t, app, http.MethodPost, "/api/assessment/recompute", `{"year":1900}`, superuser); res.Code != 400 || !strings.Contains(res.Body.String(), `"year":{`) {
		t.Fatalf("bad year: %d %s", res.Code, res.Body)
	}
}

// The stored inert list names every item nothing was recorded for this
// year, with its reason, and those items are not scored; the test
// township registered no congress attendance, so the attendance item is
// among them, while visits and suggestions are recorded and scored.
func TestStoredScoresNameTheirInertItems(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	res := testapp.Score(t, app, f.Deputy)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}",
		map[string]any{"d": f.Deputy, "y": testapp.AssessmentDate().Year()})
	if err != nil {
		t.Fatal(err)
	}
	var inert []struct{ Key, Reason string }
	if err := json.Unmarshal([]byte(row.GetString("inert")), &inert); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, in := range inert {
		keys[in.Key] = true
		if in.Reason == "" {
			t.Errorf("inert item %s without a reason", in.Key)
		}
	}
	if !keys["congress_attendance"] {
		t.Fatalf("no congress attendance was registered, yet the inert list is %v", inert)
	}
	for _, it := range res.Items {
		if keys[it.Key] != it.Unrecorded || (keys[it.Key] && (!it.NotScored || it.Points != 0)) {
			t.Errorf("%s: inert %v but %+v", it.Key, keys[it.Key], it)
		}
		if len(it.Sources) == 0 {
			t.Errorf("%s does not say where its number came from", it.Key)
		}
	}
	for _, k := range []string{"households", "ack_on_time", "feedback_on_time"} {
		if keys[k] {
			t.Errorf("%s is inert although its records exist (inert: %v)", k, inert)
		}
	}
}

func TestYearCloseFreezesScores(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	year := testapp.AssessmentDate().Year()
	url := fmt.Sprintf("/api/assessment/years/%d/close", year)
	if res := testapp.Request(t, app, http.MethodPost, url, "", presidium); res.Code != 403 {
		t.Fatalf("presidium close: %d", res.Code)
	}
	if res := testapp.Request(t, app, http.MethodPost, url, "", superuser); res.Code != 200 || !strings.Contains(res.Body.String(), `"frozen":true`) {
		t.Fatalf("close: %d %s", res.Code, res.Body)
	}
	before := testapp.Score(t, app, f.Deputy).Total
	col, _ := app.FindCollectionByNameOrId("deputy_activities")
	a := core.NewRecord(col)
	a.Load(map[string]any{"deputy": f.Deputy, "kind": "report_to_voters", "occurred_on": testapp.AssessmentDate(), "title": "向选民述职"})
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	if after := testapp.Score(t, app, f.Deputy).Total; after != before {
		t.Fatalf("frozen score moved: %v → %v", before, after)
	}
	for _, u := range []string{url} {
		if res := testapp.Request(t, app, http.MethodPost, u, "", superuser); res.Code != 400 {
			t.Fatalf("second close: %d", res.Code)
		}
	}
	if res := testapp.Request(t, app, http.MethodPost, "/api/assessment/recompute", fmt.Sprintf(`{"year":%d}`, year), superuser); res.Code != 400 || !strings.Contains(res.Body.String(), "validation_year_closed") {
		t.Fatalf("recompute of a closed year: %d %s", res.Code, res.Body)
	}
	assessment.Flush(app)
	if n, _ := app.CountRecords("assessment_scores"); n < 4 {
		t.Fatalf("close must leave a frozen row for every deputy, got %d", n)
	}
}

func TestDossierRankingAndAccess(t *testing.T) {
	f := testapp.F(t)
	own := "/api/assessment/dossiers/" + f.Deputy
	ranking := "/api/assessment/ranking"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: own, Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy2, Method: http.MethodGet, URL: own, Status: 404, Contains: testapp.NotFoundBody},
		{Role: inactive, Method: http.MethodGet, URL: "/api/assessment/dossiers/" + f.Inactive, Status: 404, Contains: testapp.NotFoundBody},
		{Role: guest, Method: http.MethodGet, URL: ranking, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: ranking, Status: 403, Contains: testapp.Forbidden},
		{Role: deputy, Method: http.MethodGet, URL: "/api/assessment/export.xlsx", Status: 403, Contains: testapp.Forbidden},
		{Role: presidium, Method: http.MethodGet, URL: "/api/assessment/dossiers/nosuchdeputy000", Status: 404, Contains: testapp.NotFoundBody},
		{Role: deputy, Method: http.MethodGet, URL: own + "?year=abc", Status: 400, Contains: []string{`"year":{`}},
		{Role: deputy, Method: http.MethodGet, URL: own, Status: 200,
			Contains: []string{`"name":"张三"`, `"village":"思蒙湾村"`, `"of":4`, "逢九接待", `"source":"履职活动"`, `"summary":"基础分 `, `"inert":[`, `"sources":["会议签到","履职活动登记"`,
				`"households":1,"required":12,"met":false`, `"history":[]`, `"not_scored":true`},
			Absent: []string{f.DeputyPhone}},
		{Role: presidium, Method: http.MethodGet, URL: own, Status: 200, Contains: []string{`"name":"张三"`}},
		{Role: presidium, Method: http.MethodGet, URL: ranking, Status: 200,
			Contains: []string{`"rank":1,"deputy":"`, `"deputy":"` + f.Deputy + `"`, `"deputy":"` + f.Deputy2 + `"`, `"name":"王主席"`, `"households":1,"required":12,"met":false`}, Absent: []string{"138000"}},
		{Role: superuser, Method: http.MethodGet, URL: ranking + "?year=2021", Status: 200, Contains: []string{`"items":[]`}},
		{Role: deputy, Method: http.MethodGet, URL: own + "/print", Status: 200,
			Contains: []string{"<title>张三", "量化考核", "联络站值班及逢“四”“九”接待选民", "履职记录", "思蒙湾村联络站逢九接待选民",
				"全年走访 1 户（要求 12 户，未达到）", "数据来源", "不计分"}},
		{Role: deputy2, Method: http.MethodGet, URL: own + "/print", Status: 404, Contains: testapp.NotFoundBody},
	})
}

func TestDossierPrintEscapesHTML(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	a, _ := app.FindRecordById("deputy_activities", f.IDs["activity_station"])
	a.Set("title", `<script>alert(1)</script>接待`)
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	res := testapp.Request(t, app, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy+"/print", "", deputy)
	body := res.Body.String()
	if res.Code != 200 || strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Fatalf("%d %s", res.Code, body)
	}
	if csp := res.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}
}

func TestDossierExcelReadsBack(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	res := testapp.Request(t, app, http.MethodGet, "/api/assessment/export.xlsx", "", presidium)
	if res.Code != 200 || !strings.Contains(res.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("%d %v", res.Code, res.Header())
	}
	x, err := excelize.OpenReader(bytes.NewReader(res.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	// the ranking order depends on every fixture; find 张三 by name
	want := testapp.Score(t, app, f.Deputy)
	sheets := x.GetSheetList()
	if len(sheets) != 5 || sheets[0] != assessment.SummarySheet {
		t.Fatalf("sheets %v", sheets)
	}
	own := ""
	for _, name := range sheets[1:] {
		if strings.HasSuffix(name, " 张三") {
			own = name
		}
	}
	rows, err := x.GetRows(assessment.SummarySheet)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows[2:] {
		if len(r) > 8 && r[1] == "张三" {
			// households and whether the 12 were met stand beside the score
			found = r[3] == "1" && r[4] == "未达到" && r[7] == fmt.Sprint(want.Total) && r[8] == want.Grade
		}
	}
	if own == "" || len(rows) < 6 || rows[1][0] != "排名" || !found {
		t.Fatalf("sheets %v, summary rows %q; want 张三 with %v %s", sheets, rows, want.Total, want.Grade)
	}
	sheet, err := x.GetRows(own)
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprint(sheet)
	for _, want := range []string{"张三 ", "履职档案", "联络站值班及逢“四”“九”接待选民", "思蒙湾村联络站逢九接待选民", testapp.AssessmentDate().Format("2006-01-02")} {
		if !strings.Contains(text, want) {
			t.Errorf("deputy sheet lacks %q: %s", want, text)
		}
	}
	if strings.Contains(text, f.DeputyPhone) {
		t.Error("phone in the export")
	}
}

// The console command: recompute defaults to the current year (China
// time); close never guesses the year it freezes for good, and its help
// says so.
func TestAssessmentCommand(t *testing.T) {
	app := testapp.New(t)
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		cmd := assessment.NewCommand(app)
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(args)
		err := cmd.Execute()
		return out.String(), err
	}
	year := fmt.Sprint(testapp.AssessmentDate().Year())
	for _, args := range [][]string{{"recompute", "--year", year}, {"recompute"}} {
		out, err := run(args...)
		if err != nil || !strings.Contains(out, year+" 年度：已重新计算 4 名代表") {
			t.Fatalf("%v: %v %q", args, err, out)
		}
	}
	help, _ := run("close", "--help")
	if !strings.Contains(help, "--year") || !strings.Contains(help, "required") || strings.Contains(help, "default: the current year") {
		t.Fatalf("close --help does not say the year is required:\n%s", help)
	}
	if out, err := run("close"); err == nil || !strings.Contains(err.Error(), "year") {
		t.Fatalf("close without --year: %v %q", err, out)
	}
	if n, _ := app.CountRecords("assessment_scores", dbx.HashExp{"frozen": true}); n != 0 {
		t.Fatalf("close without --year froze %d scores", n)
	}
	last := fmt.Sprint(testapp.AssessmentDate().Year() - 1)
	if out, err := run("close", "--year", last); err != nil || !strings.Contains(out, last+" 年度已关账") {
		t.Fatalf("close --year %s: %v %q", last, err, out)
	}
}
