package projects_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/internal/testapp"
)

// The 年终评议 from opening to the published results: one anonymous sheet
// per deputy, the register says who handed one in, and the results (with
// comments) go to deputies, staff and each project's unit.
func TestEvaluationLifecycle(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	id := f.IDs["evaluation_draft"]
	url := "/api/evaluations/" + id
	p := f.IDs["project_chosen"]
	sheet := func(rating, comment string) string {
		return fmt.Sprintf(`{"marks":[{"project":%q,"rating":%q,"comment":%q}]}`, p, rating, comment)
	}

	s.Must(401, guest, "POST", url+"/open", nil)
	s.Must(403, deputy, "POST", url+"/open", nil)
	s.Must(403, unit, "POST", url+"/open", nil)
	s.Must(400, deputy, "POST", url+"/sheet", sheet("satisfied", ""))
	s.Must(200, staff, "POST", url+"/open", nil)

	form := s.Must(200, deputy, "GET", url+"/form", nil).JSON(t)
	if form["may_submit"] != true || form["submitted"] != false || len(form["projects"].([]any)) != 1 {
		t.Fatalf("form %v", form)
	}
	s.Must(401, guest, "POST", url+"/sheet", sheet("satisfied", ""))
	s.Must(403, unit, "POST", url+"/sheet", sheet("satisfied", ""))
	s.Must(403, inactive, "POST", url+"/sheet", sheet("satisfied", ""))
	if r := s.Must(400, deputy, "POST", url+"/sheet", sheet("great", "")); r.FieldError(t, "marks") == "" {
		t.Fatalf("bad rating: %s", r.Body)
	}
	if r := s.Must(400, deputy, "POST", url+"/sheet", `{"marks":[]}`); r.FieldError(t, "marks") == "" {
		t.Fatalf("empty sheet: %s", r.Body)
	}
	s.Must(400, staff, "GET", url+"/results", nil) // not closed yet
	s.Must(200, deputy, "POST", url+"/sheet", sheet("unsatisfied", "张三认为汛期前施工太慢，电话13800000001"))
	if r := s.Must(400, deputy, "POST", url+"/sheet", sheet("satisfied", "")); r.FieldError(t, "evaluation") == "" {
		t.Fatalf("second sheet: %s", r.Body)
	}
	s.Must(200, deputy2, "POST", url+"/sheet", sheet("satisfied", ""))
	if r := s.Send(superuser, "POST", "/api/backups", `{"name":"mideval.zip"}`); r.Status != 400 {
		t.Fatalf("backup during an open evaluation: %d", r.Status)
	}
	s.Must(200, staff, "POST", url+"/close", nil)

	res := s.Must(200, deputy, "GET", url+"/results", nil).JSON(t)
	r0 := res["results"].([]any)[0].(map[string]any)
	if res["registered"].(float64) != 2 || r0["satisfied"].(float64) != 1 || r0["unsatisfied"].(float64) != 1 || r0["satisfaction_rate"].(float64) != 0.5 {
		t.Fatalf("results %v", res)
	}
	if mine := s.Must(200, unit, "GET", url+"/results", nil).JSON(t)["results"].([]any); len(mine) != 1 {
		t.Fatalf("the responsible unit does not read its project's result: %v", mine)
	}
	if others := s.Must(200, unit2, "GET", url+"/results", nil).JSON(t)["results"].([]any); len(others) != 0 {
		t.Fatalf("another unit reads the results: %v", others)
	}
	s.Must(401, guest, "GET", url+"/results", nil)
}

// /projects/{year} is public, server-rendered, without JavaScript or
// personal data, within 30 KB gzipped for a full year of 8 projects.
func TestPublicProjectsPage(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	year := chinatime.CurrentYear()
	app := s.App
	col, _ := app.FindCollectionByNameOrId("projects")
	mcol, _ := app.FindCollectionByNameOrId("project_milestones")
	for i := range 7 {
		p := core.NewRecord(col)
		p.Load(map[string]any{"year": year, "title": fmt.Sprintf("第%d号民生实事：思蒙湾村至桥头村通组公路提质改造及安保设施完善工程", i+2),
			"description": strings.Repeat("项目说明：拓宽硬化道路，增设波形护栏和会车道。", 8), "villages": []string{f.VillageA, f.VillageB},
			"est_funds": 120, "source_kind": "other", "status": "chosen", "unit": f.Unit, "budget": 120.5, "rank": i + 2, "votes": 2})
		if err := app.Save(p); err != nil {
			t.Fatal(err)
		}
		for k := range 5 {
			m := core.NewRecord(mcol)
			m.Load(map[string]any{"project": p.Id, "position": k + 1, "title": fmt.Sprintf("第%d阶段：完成路基拓宽和排水沟施工", k+1),
				"due": time.Now().AddDate(0, k-2, 0)})
			if err := app.Save(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	// an evaluation whose comment names a deputy and a phone
	ev := "/api/evaluations/" + f.IDs["evaluation_draft"]
	s.Must(200, staff, "POST", ev+"/open", nil)
	form := s.Must(200, deputy, "GET", ev+"/form", nil).JSON(t)
	var marks []string
	for _, p := range form["projects"].([]any) {
		marks = append(marks, fmt.Sprintf(`{"project":%q,"rating":"basic","comment":"张三说进度太慢，请回电13800000001"}`, p.(map[string]any)["id"]))
	}
	s.Must(200, deputy, "POST", ev+"/sheet", `{"marks":[`+strings.Join(marks, ",")+`]}`)
	s.Must(200, staff, "POST", ev+"/close", nil)

	req, _ := http.NewRequest("GET", s.URL+"/projects/"+strconv.Itoa(year), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	gz, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if len(gz) > 30*1024 {
		t.Fatalf("page is %d bytes gzipped", len(gz))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	html := string(raw)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Fatalf("csp %q", csp)
	}
	for _, bad := range []string{"<script", "张三", "李四", "王主席", "13800000001", "进度太慢", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Fatalf("the page holds %q", bad)
		}
	}
	for _, want := range []string{"溆水河堤加固工程", "第8号民生实事", "基本满意", "镇应急办"} {
		if !strings.Contains(html, want) {
			t.Fatalf("the page lacks %q", want)
		}
	}
	// a change shows at once (the page cache forgets on every write); a
	// phone number typed into a title (a candidate made from a resident's
	// suggestion) is masked
	p, _ := app.FindRecordById("projects", f.IDs["project_chosen"])
	p.Set("title", "溆水河堤加固工程（二期，联系13812345678）")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	r := s.Must(200, guest, "GET", "/projects/"+strconv.Itoa(year), nil)
	if !strings.Contains(string(r.Body), "（二期，联系") {
		t.Fatal("the page did not follow a change")
	}
	if strings.Contains(string(r.Body), "13812345678") {
		t.Fatal("a phone in a title is shown")
	}
}

// Only a plain year is a page: anything else is a 404, so the page cache
// holds at most one page a year from 2020 to 2100 whatever is asked.
func TestPublicProjectsPageRefusesOtherPaths(t *testing.T) {
	s := testapp.NewServer(t)
	for _, y := range []string{"1999", "2101", "02026", "2026abc", "-1", "99999999999999999999"} {
		if r := s.Send(guest, "GET", "/projects/"+y, nil); r.Status != 404 {
			t.Fatalf("/projects/%s: %d", y, r.Status)
		}
	}
}
