package research_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
	"simeng/internal/testapp"
	"simeng/scoring"
)

// researchFact is a deputy's research_reports fact this year and the
// records it counted.
func researchFact(t testing.TB, app core.App, deputy string) scoring.Fact {
	t.Helper()
	facts, _, err := assessment.ScoreOf(app, deputy, testapp.AssessmentDate().Year())
	if err != nil {
		t.Fatal(err)
	}
	return facts.Metrics[scoring.MetricResearchReports]
}

// A report's life over HTTP: a deputy files it with its document, the
// presidium returns it with a note, the author reworks it (submitted
// again), the presidium accepts it; only then does it count, for the
// author and the co-author, in the assessment.
func TestReportFiledReturnedAcceptedAndCounted(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	before, coBefore := researchFact(t, srv.App, f.Deputy), researchFact(t, srv.App, f.Presidium)
	form := testapp.NewForm(t, map[string]string{
		"title": "集镇停车难问题调研报告", "summary": testapp.ResearchSummary, "deputy": f.Deputy,
		"coauthors": f.Presidium, "topics": f.IDs["topic_open"], "status": "accepted", "filed_at": "2020-01-01 00:00:00.000Z",
	}, map[string]int{"document": 1})
	r := srv.Send(deputy, http.MethodPost, "/api/collections/research_reports/records", form)
	if r.Status != 200 {
		t.Fatalf("file: %d %s", r.Status, r.Body)
	}
	rep := r.JSON(t)
	id := rep["id"].(string)
	if rep["status"] != "submitted" || rep["filed_at"] == "2020-01-01 00:00:00.000Z" || rep["document"] == "" {
		t.Fatalf("a deputy set the server's fields: %v", rep)
	}
	if got := researchFact(t, srv.App, f.Deputy); got.Value != before.Value {
		t.Fatalf("a submitted report counted: %+v", got)
	}
	// The co-author is a presidium member: not theirs to review.
	if r := srv.Send(presidium, http.MethodPatch, "/api/collections/research_reports/records/"+id, `{"status":"accepted"}`); r.Status != 400 {
		t.Fatalf("a co-author reviewed: %d %s", r.Status, r.Body)
	}
	// Another presidium member reviews: Deputy2 joins the presidium here.
	d2, _ := srv.App.FindRecordById("deputies", f.Deputy2)
	d2.Set("presidium", true)
	if err := srv.App.Save(d2); err != nil {
		t.Fatal(err)
	}
	must := func(role, body string, want int) map[string]any {
		t.Helper()
		r := srv.Send(role, http.MethodPatch, "/api/collections/research_reports/records/"+id, body)
		if r.Status != want {
			t.Fatalf("%s %s: %d %s", role, body, r.Status, r.Body)
		}
		return r.JSON(t)
	}
	must(deputy2, `{"status":"returned","review_note":"请补充两村的走访户数。"}`, 200)
	if out := must(deputy, `{"summary":"`+testapp.ResearchSummary+`（已补充）"}`, 200); out["status"] != "submitted" {
		t.Fatalf("a reworked report is %v, want submitted again", out["status"])
	}
	if out := must(deputy2, `{"status":"accepted"}`, 200); out["reviewed_by"] != "李四（主席团）" || out["reviewed_at"] == "" {
		t.Fatalf("accepted: %v", out)
	}
	if got := researchFact(t, srv.App, f.Deputy); got.Value != before.Value+1 {
		t.Errorf("the author's research reports: %+v, want %v", got, before.Value+1)
	}
	if got := researchFact(t, srv.App, f.Presidium); got.Value != coBefore.Value+1 {
		t.Errorf("the co-author's research reports: %+v, want %v", got, coBefore.Value+1)
	}
	// The dossier lists it.
	status, dossier := srv.Do(deputy, http.MethodGet, "/api/assessment/dossiers/"+f.Deputy, nil)
	if status != 200 || !containsJSON(dossier, "集镇停车难问题调研报告") {
		t.Fatalf("dossier: %d", status)
	}
}

// Old and new: a research report typed into deputy_activities before the
// records existed keeps counting; a new one cannot be typed there.
func TestLegacyActivityCountsButNoNewOnes(t *testing.T) {
	f := testapp.F(t)
	srv := testapp.NewServer(t)
	r := srv.Send(superuser, http.MethodPost, "/api/collections/deputy_activities/records",
		`{"deputy":"`+f.Deputy+`","kind":"research_report","occurred_on":"`+testapp.AssessmentDate().UTC().Format("2006-01-02 15:04:05.000Z")+`","title":"旧的调研报告"}`)
	if r.Status != 400 || r.FieldError(t, "kind") == "" {
		t.Fatalf("a new research report activity: %d %s", r.Status, r.Body)
	}
	station := srv.Send(superuser, http.MethodPatch, "/api/collections/deputy_activities/records/"+f.IDs["activity_station"], `{"kind":"research_report"}`)
	if station.Status != 400 {
		t.Fatalf("an activity turned into a research report: %d", station.Status)
	}
	// A row from before (written as the old admin UI did, without hooks).
	if _, err := srv.App.DB().NewQuery("INSERT INTO deputy_activities (id, deputy, kind, occurred_on, title) VALUES ('legacyresearch1', {:d}, 'research_report', {:on}, '2025年旧登记的调研报告')").
		Bind(map[string]any{"d": f.Deputy, "on": testapp.AssessmentDate().UTC().Format("2006-01-02 15:04:05.000Z")}).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := assessment.RecomputeYear(srv.App, testapp.AssessmentDate().Year()); err != nil {
		t.Fatal(err)
	}
	// The presidium member: report_accepted. Deputy2: nothing yet (their
	// co-authored report_submitted counts once accepted).
	if got := researchFact(t, srv.App, f.Presidium); got.Value != 1 || got.RecordIDs[0] != f.IDs["report_accepted"] {
		t.Fatalf("the presidium member's research reports: %+v", got)
	}
	if got := researchFact(t, srv.App, f.Deputy2); got.Value != 0 {
		t.Fatalf("Deputy2's research reports: %+v", got)
	}
	if own := researchFact(t, srv.App, f.Deputy); own.Value != 1 || own.RecordIDs[0] != "legacyresearch1" {
		t.Fatalf("the legacy row does not count: %+v", own)
	}
}

func containsJSON(v any, s string) bool {
	b, _ := json.Marshal(v)
	return strings.Contains(string(b), s)
}
