package workbench_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/workbench"
	"simeng/internal/testapp"
)

// Every export the workbench lists is a workbook an office (staff)
// account may download: the list gathers the platform's exports, and
// none of them refuses staff.
func TestEveryExportDownloadsForStaff(t *testing.T) {
	exports := "/api/simeng/workbench/exports"
	testapp.RunRuleCases(t, []testapp.RuleCase{
		{Role: guest, Method: http.MethodGet, URL: exports, Status: 401, Contains: []string{`"status":401`}},
		{Role: deputy, Method: http.MethodGet, URL: exports, Status: 403, Contains: testapp.Forbidden},
		{Role: unit, Method: http.MethodGet, URL: exports, Status: 403, Contains: testapp.Forbidden},
		{Role: formerStaff, Method: http.MethodGet, URL: exports, Status: 403, Contains: testapp.Forbidden},
		{Role: staff, Method: http.MethodGet, URL: exports + "?year=去年", Status: 400, Contains: []string{`"year":{`, "年度"}},
		{Role: staff, Method: http.MethodGet, URL: exports, Status: 200, Contains: []string{`"items":[`, "代表履职考核得分表"}},
	})

	s := testapp.NewServer(t)
	// This year in China, as the fixture's supervision report counts it
	// (the year in UTC is last year from 16:00 UTC on 31 December). The
	// fixture's surveys close a week after it was made, which is next year
	// from 25 December on: the closed one is moved into the year.
	year := chinatime.CurrentYear()
	survey, err := s.App.FindRecordById("surveys", testapp.F(t).IDs["survey_closed"])
	if err != nil {
		t.Fatal(err)
	}
	survey.Set("closes_at", time.Date(year, 7, 1, 12, 0, 0, 0, chinatime.Location()))
	if err := s.App.Save(survey); err != nil {
		t.Fatal(err)
	}
	items, err := workbench.Exports(s.App, year)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d exports", len(items))
	groups := map[string]bool{}
	for _, it := range items {
		groups[it.Group] = true
		r := s.Send(testapp.RoleStaff, http.MethodGet, it.Path, nil)
		if r.Status != 200 {
			t.Errorf("%s (%s): staff get %d: %.200s", it.Label, it.Path, r.Status, r.Body)
			continue
		}
		if !bytes.HasPrefix(r.Body, []byte("PK")) {
			t.Errorf("%s: not an xlsx (%.20q)", it.Label, r.Body)
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Errorf("%s: %v", it.Label, err)
			continue
		}
		if len(f.GetSheetList()) == 0 {
			t.Errorf("%s: a workbook without sheets", it.Label)
		}
		f.Close()
	}
	for _, g := range []string{"考核", "议案建议", "民生实事", "执法检查", "群众诉求", "学习园地", "监督", "调查"} {
		if !groups[g] {
			t.Errorf("no %s export listed for %s: %+v", g, strconv.Itoa(year), items)
		}
	}
}

// A survey is listed under the year it closes in, counted in China: one
// closing at 01:00 on 1 January (17:00 UTC on 31 December) is the new
// year's, one closing at 23:30 on 31 December the old year's. The dates
// are fixed, so the test does not depend on when it runs.
func TestExportsListSurveysByChinaYear(t *testing.T) {
	app := testapp.New(t)
	col, err := app.FindCollectionByNameOrId("surveys")
	if err != nil {
		t.Fatal(err)
	}
	closed := func(title, closesAt string) {
		t.Helper()
		at, err := time.Parse(time.RFC3339, closesAt)
		if err != nil {
			t.Fatal(err)
		}
		s := core.NewRecord(col)
		s.Set("title", title)
		s.Set("intro", "匿名填写，约需2分钟。")
		s.Set("questions", testapp.SurveyQuestions)
		s.Set("status", "open")
		s.Set("closes_at", time.Now().Add(7*24*time.Hour))
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
		// Closed since: a survey's closing time may be any past instant.
		s.Set("status", "closed")
		s.Set("closes_at", at)
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
	}
	closed("跨年夜微调研", "2026-12-31T23:30:00+08:00")
	closed("元旦凌晨微调研", "2027-01-01T01:00:00+08:00")
	for _, c := range []struct {
		year    int
		in, out string
	}{
		{2026, "跨年夜微调研", "元旦凌晨微调研"},
		{2027, "元旦凌晨微调研", "跨年夜微调研"},
	} {
		items, err := workbench.Exports(app, c.year)
		if err != nil {
			t.Fatal(err)
		}
		var surveys []string
		for _, it := range items {
			if it.Group == "调查" {
				surveys = append(surveys, it.Label)
			}
		}
		listed := strings.Join(surveys, "；")
		if !strings.Contains(listed, c.in) || strings.Contains(listed, c.out) {
			t.Errorf("%d lists the surveys %q; want %s and not %s", c.year, surveys, c.in, c.out)
		}
	}
}
