package supervision_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"simeng/hooks/supervision"
	"simeng/internal/testapp"
)

// 监督通报: drafted with items, issued with a number, each item tracked
// like a hazard (the unit rectifies with photos; the presidium or staff
// verify and strike it off), overdue flagged by the daily job, printed on
// A4 and exported with Chinese headers.
func TestSupervisionReportLifecycle(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	draft := f.IDs["report_draft"]
	item := f.IDs["rect_item_draft"]
	itemURL := "/api/collections/rectification_items/records/" + item

	// denied first
	s.Must(401, guest, "POST", "/api/supervision-reports/"+draft+"/issue", nil)
	s.Must(403, deputy, "POST", "/api/supervision-reports/"+draft+"/issue", nil)
	s.Must(403, unit, "POST", "/api/supervision-reports/"+draft+"/issue", nil)
	s.Must(404, unit2, "PATCH", itemURL, `{"status":"rectifying"}`) // not issued yet
	s.Must(404, deputy, "GET", "/api/supervision-reports/"+draft+"/print", nil)
	if r := s.Must(400, staff, "POST", "/api/collections/rectification_items/records",
		`{"report":"`+draft+`","problem_text":"期限已过的事项","unit":"`+f.Unit+`","deadline":"2020-01-01 00:00:00Z"}`); r.FieldError(t, "deadline") == "" {
		t.Fatalf("an item due in the past: %s", r.Body)
	}

	issued := s.Must(200, presidium, "POST", "/api/supervision-reports/"+draft+"/issue", nil).JSON(t)
	if issued["status"] != "issued" || !strings.HasPrefix(issued["number"].(string), "思蒙人大通〔") {
		t.Fatalf("issued %v", issued)
	}
	s.Must(400, staff, "POST", "/api/supervision-reports/"+draft+"/issue", nil)
	s.Must(404, staff, "PATCH", "/api/collections/supervision_reports/records/"+draft, `{"title":"改标题"}`) // issued: fixed
	s.Must(400, staff, "POST", "/api/collections/rectification_items/records",
		`{"report":"`+draft+`","problem_text":"追加","unit":"`+f.Unit+`","deadline":"2099-01-01 00:00:00Z"}`)

	// the unit rectifies its own item; the check is not the unit's
	s.Must(404, unit, "PATCH", itemURL, `{"status":"rectifying"}`) // another unit's
	s.Must(404, unit2, "PATCH", itemURL, `{"deadline":"2099-01-01 00:00:00Z"}`)
	s.Must(200, unit2, "PATCH", itemURL, `{"status":"rectifying"}`)
	if r := s.Must(400, unit2, "PATCH", itemURL, `{"status":"rectified","rectification":"已拨付资金"}`); r.FieldError(t, "photos_after") == "" {
		t.Fatalf("rectified without photos: %s", r.Body)
	}
	done := s.Must(200, unit2, "PATCH", itemURL, testapp.NewForm(t, map[string]string{"status": "rectified", "rectification": "已拨付第二期资金"}, map[string]int{"photos_after": 1})).JSON(t)
	if done["rectified_at"] == "" {
		t.Fatalf("rectified %v", done)
	}
	s.Must(404, unit2, "PATCH", itemURL, `{"status":"verified","verification":"自己验收"}`) // not the unit's field
	s.Must(403, unit2, "PATCH", itemURL, `{"status":"verified"}`)
	if r := s.Must(400, staff, "PATCH", itemURL, `{"status":"verified"}`); r.FieldError(t, "verification") == "" {
		t.Fatalf("verified without a note: %s", r.Body)
	}
	s.Must(200, staff, "PATCH", itemURL, `{"status":"verified","verification":"现场复查，资金已到位"}`)
	s.Must(200, presidium, "PATCH", itemURL, `{"status":"closed"}`)

	// overdue: the issued fixture report's item, as if its day had passed
	n, err := supervision.FlagOverdueItems(s.App, time.Now().AddDate(0, 1, 0))
	if err != nil || n != 1 {
		t.Fatalf("flagged %d, %v", n, err)
	}
	late, _ := s.App.FindRecordById("rectification_items", f.IDs["rect_item_a"])
	if !late.GetBool("overdue") || late.GetString("escalation") == "none" {
		t.Fatalf("late item %v %s", late.GetBool("overdue"), late.GetString("escalation"))
	}
	closed, _ := s.App.FindRecordById("rectification_items", item)
	if closed.GetBool("overdue") {
		t.Fatal("a closed item was flagged")
	}

	// print: A4, Chinese; deputies once issued
	page := s.Must(200, deputy, "GET", "/api/supervision-reports/"+draft+"/print", nil)
	body := string(page.Body)
	for _, want := range []string{"size:A4", issued["number"].(string), "资金拨付进度滞后", "市场监管所", "已销号"} {
		if !strings.Contains(body, want) {
			t.Fatalf("print lacks %q", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Fatal("the print page has a script")
	}
	s.Must(401, guest, "GET", "/api/supervision-reports/"+draft+"/print", nil)
	s.Must(403, deputy, "GET", "/api/supervision-reports/"+draft+"/export.xlsx", nil)
	x, err := excelize.OpenReader(bytes.NewReader(s.Must(200, staff, "GET", "/api/supervision-reports/"+draft+"/export.xlsx", nil).Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	found := false
	for _, row := range rows {
		if strings.Join(row, ",") == strings.Join(supervision.ExportHeaders, ",") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no Chinese headers in %v", rows)
	}
}

// 专题询问: deputies ask as themselves, the unit of the project answers,
// the summary warns outside the plan's 3–5 a year.
func TestInquiries(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	inq := f.IDs["inquiry_a"]
	items := "/api/collections/inquiry_items/records"

	s.Must(400, guest, "POST", items, `{"inquiry":"`+inq+`","question":"问题"}`)
	s.Must(400, unit, "POST", items, `{"inquiry":"`+inq+`","question":"单位自问"}`)
	s.Must(400, deputy2, "POST", items, `{"inquiry":"`+inq+`","question":"资金是否到位？","deputy":"`+f.Deputy+`"}`) // in another's name
	asked := s.Must(200, deputy2, "POST", items, `{"inquiry":"`+inq+`","question":"资金是否到位？","deputy":"`+f.Deputy2+`"}`).JSON(t)
	s.Must(404, unit2, "PATCH", items+"/"+asked["id"].(string), `{"answer":"别的单位回答"}`)
	s.Must(404, unit, "PATCH", items+"/"+asked["id"].(string), `{"question":"改问题"}`)
	ans := s.Must(200, unit, "PATCH", items+"/"+asked["id"].(string), `{"answer":"第一期资金已拨付到位。"}`).JSON(t)
	if ans["answered_by"] != "镇应急办" || ans["answered_at"] == "" {
		t.Fatalf("answer %v", ans)
	}
	s.Must(403, deputy, "GET", "/api/inquiries/summary", nil)
	sum := s.Must(200, presidium, "GET", "/api/inquiries/summary", nil).JSON(t)
	if sum["inquiries"].(float64) != 1 || sum["questions"].(float64) != 2 || !strings.Contains(sum["warning"].(string), "3至5项") {
		t.Fatalf("summary %v", sum)
	}
}
