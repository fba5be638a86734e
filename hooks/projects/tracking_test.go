package projects_test

import (
	"testing"
	"time"

	"simeng/hooks/projects"
	"simeng/internal/testapp"
)

// 跟踪问效: the responsible unit reports progress and funds with photos,
// which start the project; a milestone past its day is flagged overdue by
// the daily job, and doing it clears the flag.
func TestTrackingReportsAndOverdueMilestones(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	pid := f.IDs["project_chosen"]
	fields := map[string]string{"project": pid, "text": "河堤基础开挖完成，现场照片附后。", "progress_pct": "40", "spent_total": "20.5"}

	s.Must(400, unit2, "POST", "/api/collections/project_reports/records", testapp.NewForm(t, fields, map[string]int{"photos": 1}))
	if r := s.Must(400, unit, "POST", "/api/collections/project_reports/records", testapp.NewForm(t, fields, nil)); r.FieldError(t, "photos") == "" {
		t.Fatalf("a report without photos: %s", r.Body)
	}
	big := map[string]string{"project": pid, "text": "资金", "progress_pct": "40", "spent_total": "500"}
	if r := s.Must(400, unit, "POST", "/api/collections/project_reports/records", testapp.NewForm(t, big, map[string]int{"photos": 1})); r.FieldError(t, "spent_total") == "" {
		t.Fatalf("spent ten times the budget: %s", r.Body)
	}
	cand := map[string]string{"project": f.IDs["project_a"], "text": "候选项目", "progress_pct": "10"}
	s.Must(400, staff, "POST", "/api/collections/project_reports/records", testapp.NewForm(t, cand, map[string]int{"photos": 1}))

	rep := s.Must(200, unit, "POST", "/api/collections/project_reports/records", testapp.NewForm(t, fields, map[string]int{"photos": 2})).JSON(t)
	if rep["unit"] != f.Unit || len(rep["photos"].([]any)) != 2 {
		t.Fatalf("report %v", rep)
	}
	p, _ := s.App.FindRecordById("projects", pid)
	if p.GetString("status") != projects.InProgress || p.GetInt("progress_pct") != 40 || p.GetFloat("spent") != 20.5 {
		t.Fatalf("project after the report: %s %d %v", p.GetString("status"), p.GetInt("progress_pct"), p.GetFloat("spent"))
	}

	n, err := projects.FlagOverdueMilestones(s.App, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("flagged %d, %v", n, err)
	}
	late, _ := s.App.FindRecordById("project_milestones", f.IDs["milestone_late"])
	open, _ := s.App.FindRecordById("project_milestones", f.IDs["milestone_open"])
	if !late.GetBool("overdue") || late.GetString("escalation") == "none" || open.GetBool("overdue") {
		t.Fatalf("late %v %s, open %v", late.GetBool("overdue"), late.GetString("escalation"), open.GetBool("overdue"))
	}
	if n, _ := projects.FlagOverdueMilestones(s.App, time.Now()); n != 0 {
		t.Fatalf("the job changed %d on its second run", n)
	}
	done := s.Must(200, unit, "PATCH", "/api/collections/project_milestones/records/"+late.Id, `{"done_at":"`+time.Now().UTC().Format("2006-01-02 15:04:05Z")+`"}`).JSON(t)
	if done["overdue"] != false || done["escalation"] != "none" {
		t.Fatalf("done milestone %v", done)
	}
	// a project is done only with every milestone done
	if r := s.Must(400, staff, "PATCH", "/api/collections/projects/records/"+pid, `{"status":"done"}`); r.FieldError(t, "status") == "" {
		t.Fatalf("done with a milestone open: %s", r.Body)
	}
	s.Must(200, staff, "PATCH", "/api/collections/project_milestones/records/"+open.Id, `{"done_at":"`+time.Now().UTC().Format("2006-01-02 15:04:05Z")+`"}`)
	if done := s.Must(200, staff, "PATCH", "/api/collections/projects/records/"+pid, `{"status":"done"}`).JSON(t); done["done_at"] == "" {
		t.Fatalf("done project %v", done)
	}
}

// A candidate made from a suggestion, a problem or a proposal keeps the
// link and takes its title and text unless given; a draft proposal or a
// missing record is no source.
func TestCandidateFromItsSource(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	url := "/api/collections/projects/records"
	year := "2026"
	body := func(kind, id string) string {
		return `{"year":` + year + `,"source_kind":"` + kind + `","source_id":"` + id + `","est_funds":20}`
	}
	if r := s.Must(400, staff, "POST", url, body("proposal", f.IDs["proposal_inviting"])); r.FieldError(t, "source_id") == "" {
		t.Fatalf("from a draft: %s", r.Body)
	}
	if r := s.Must(400, staff, "POST", url, body("suggestion", "nosuchrecord000")); r.FieldError(t, "source_id") == "" {
		t.Fatalf("from nothing: %s", r.Body)
	}
	if r := s.Must(400, staff, "POST", url, body("other", f.IDs["proposal_assigned"])); r.FieldError(t, "source_id") == "" {
		t.Fatalf("other with a source: %s", r.Body)
	}
	p := s.Must(200, staff, "POST", url, body("proposal", f.IDs["proposal_assigned"])).JSON(t)
	if p["title"] != "关于硬化思蒙湾村三组通组公路的建议" || p["source_id"] != f.IDs["proposal_assigned"] || p["status"] != "candidate" || p["description"] == "" {
		t.Fatalf("from a proposal: %v", p)
	}
	prob := s.Must(200, presidium, "POST", url, body("problem", f.IDs["problem_a"])).JSON(t)
	if prob["source_kind"] != "problem" || prob["title"] == "" {
		t.Fatalf("from a problem: %v", prob)
	}
	// the link stays once voted on
	s.Must(200, staff, "PATCH", url+"/"+p["id"].(string), `{"est_funds":25}`)
}
