package demo_test

import (
	"slices"
	"strings"
	"testing"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/hooks/surveys"
	"simeng/scoring"
)

// The demo shows 云端议事, 微调研, a research report and the learning board
// with believable data: an open topic with comments (one waiting for
// moderation), a closed one with its conclusion turned into a problem, a
// finished survey with results per village, an accepted report that
// scores, official documents by title only and sample articles marked 演示.
func TestDemoDeliberatesSurveysAndLearns(t *testing.T) {
	app := seededDemo(t)
	open, err := app.FindFirstRecordByFilter("topics", "status = 'open' && audience = 'both'")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := app.CountRecords("topic_comments"); n < 5 {
		t.Errorf("%d topic comments", n)
	}
	if _, err := app.FindFirstRecordByFilter("topic_comments", "topic = {:t} && moderation = 'pending'", map[string]any{"t": open.Id}); err != nil {
		t.Error("no comment waits for moderation")
	}
	closed, err := app.FindFirstRecordByFilter("topics", "status = 'closed'")
	if err != nil || closed.GetString("conclusion") == "" || closed.GetString("outcome") != "problem" {
		t.Fatalf("closed topic: %v %v", closed, err)
	}
	if p, err := app.FindRecordById("problems", closed.GetString("outcome_id")); err != nil || p.GetString("source") != "deliberation" {
		t.Fatalf("the closed topic's problem: %v", err)
	}

	finished, err := app.FindFirstRecordByFilter("surveys", "status = 'closed'")
	if err != nil {
		t.Fatal(err)
	}
	res, err := surveys.ResultsOf(app, finished.Id)
	if err != nil || res.Suppressed || res.Respondents != 36 || len(res.Groups) < 3 {
		t.Fatalf("finished survey results: %+v %v", res, err)
	}
	if _, err := app.FindFirstRecordByFilter("surveys", "status = 'open'"); err != nil {
		t.Error("no open survey for residents to try")
	}

	report, err := app.FindFirstRecordByFilter("research_reports", "status = 'accepted'")
	if err != nil {
		t.Fatal(err)
	}
	facts, score, err := assessment.ScoreOf(app, report.GetString("deputy"), chinatime.CurrentYear())
	if err != nil || !slices.ContainsFunc(score.Items, func(it scoring.ItemResult) bool { return it.Key == "research_reports" }) ||
		!slices.Contains(facts.Metrics[scoring.MetricResearchReports].RecordIDs, report.Id) {
		t.Fatalf("the accepted report does not score: %v", err)
	}

	docs, _ := app.FindRecordsByFilter("articles", "category = 'rules'", "", 0, 0)
	if len(docs) < 7 {
		t.Fatalf("%d rule documents", len(docs))
	}
	for _, d := range docs {
		if d.GetString("body") != "" || d.GetString("document") != "" {
			t.Errorf("%s: the demo made up an official document's text", d.GetString("title"))
		}
	}
	samples, _ := app.FindRecordsByFilter("articles", "category != 'rules'", "", 0, 0)
	for _, a := range samples {
		if !strings.Contains(a.GetString("title"), "演示") || !strings.HasPrefix(a.GetString("body"), "演示数据") {
			t.Errorf("sample article %q is not marked 演示", a.GetString("title"))
		}
	}
	if n, _ := app.CountRecords("article_reads"); n < 20 {
		t.Errorf("%d read receipts", n)
	}
}
