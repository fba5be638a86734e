package workbench_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"
	"time"

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
