package surveys_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"simeng/hooks/surveys"
	"simeng/internal/testapp"
)

// A survey's whole life over HTTP: the presidium drafts it, opens it with
// a QR code, residents answer, the questions lock, the presidium closes it
// and reads and exports the results per question and village.
func TestSurveyLifecycleAndExport(t *testing.T) {
	f := testapp.F(t)
	srv, _ := openApp(t)
	status, created := srv.Do(presidium, http.MethodPost, "/api/collections/surveys/records", map[string]any{
		"title": "集镇停车收费标准微协商", "intro": "匿名填写。", "status": "draft", "closes_at": "2099-01-01 00:00:00.000Z",
		"questions": []map[string]any{
			{"kind": "single", "title": "停车是否应当收费？", "options": []string{"应当", "不应当"}, "required": true},
			{"kind": "text", "title": "其他意见"},
		},
	})
	if status != 200 {
		t.Fatalf("create: %d %v", status, created)
	}
	id, code := created["id"].(string), created["code"].(string)
	if p := testapp.NewResident(t, srv.URL).Get("/survey/" + code); p.Status != http.StatusNotFound {
		t.Fatalf("a draft opens publicly: %d", p.Status)
	}
	if status, out := srv.Do(presidium, http.MethodPatch, "/api/collections/surveys/records/"+id, map[string]any{"status": "open"}); status != 200 || out["opened_at"] == "" {
		t.Fatalf("open: %d %v", status, out)
	}
	path := "/survey/" + code
	for i := range 7 {
		r := testapp.NewResident(t, srv.URL)
		village := f.VillageA
		if i == 6 {
			village = ""
		}
		answers := url.Values{"q1": {[]string{"0", "1"}[i%2]}, "village": {village}}
		if i < 3 {
			answers.Set("q2", "收费要公示，=SUM(A1) 不是公式")
		}
		if res := r.Post(path, r.Form(path, answers)); res.Status != http.StatusSeeOther {
			t.Fatalf("answer %d: %d %s", i, res.Status, res.Body)
		}
	}
	if status, out := srv.Do(presidium, http.MethodPatch, "/api/collections/surveys/records/"+id,
		map[string]any{"questions": []map[string]any{{"kind": "text", "title": "换题"}}}); status != 400 {
		t.Fatalf("questions changed after answers: %d %v", status, out)
	}
	if status, out := srv.Do(presidium, http.MethodPatch, "/api/collections/surveys/records/"+id, map[string]any{"status": "closed"}); status != 200 || out["closed_at"] == "" {
		t.Fatalf("close: %d %v", status, out)
	}
	if status, _ := srv.Do(presidium, http.MethodPatch, "/api/collections/surveys/records/"+id, map[string]any{"status": "open"}); status != 400 {
		t.Fatal("a closed survey reopened")
	}

	res, err := surveys.ResultsOf(srv.App, id)
	if err != nil {
		t.Fatal(err)
	}
	// 6 from 思蒙湾村 (shown), 1 without a village (pooled, too few: 思蒙湾村
	// joins the pool).
	if res.Respondents != 7 || len(res.Groups) != 1 || res.Questions[0].Options[0].Count != 4 || len(res.Questions[1].Texts) != 3 {
		t.Fatalf("results %+v", res)
	}

	status, raw := srv.DoRaw(testapp.Token(t, presidium), http.MethodGet, "/api/surveys/"+id+"/results.xlsx", "", nil)
	if status != 200 {
		t.Fatalf("export: %d %s", status, raw)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := x.GetSheetList(); !slices.Equal(sheets, []string{surveys.SheetSummary, surveys.SheetTexts}) {
		t.Fatalf("sheets %v", sheets)
	}
	rows, _ := x.GetRows(surveys.SheetSummary)
	if !strings.Contains(rows[0][0], "共7份答卷") || !slices.Equal(rows[1][:len(surveys.SummaryHeaders)], surveys.SummaryHeaders) {
		t.Fatalf("summary head %v / %v", rows[0], rows[1])
	}
	if rows[2][3] != "应当" || rows[2][4] != "4" || rows[2][5] != "57.1%" {
		t.Fatalf("first option row %v", rows[2])
	}
	texts, _ := x.GetRows(surveys.SheetTexts)
	if !slices.Equal(texts[1], surveys.TextHeaders) || len(texts) != 5 {
		t.Fatalf("texts sheet %v", texts)
	}
	if f, _ := x.GetCellFormula(surveys.SheetTexts, "D3"); f != "" {
		t.Fatalf("a resident's text became a formula: %q", f)
	}
}
