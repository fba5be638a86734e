package demo_test

import (
	"testing"
)

func TestDemoHasAScoredYear(t *testing.T) {
	app := seededDemo(t)
	for name, min := range map[string]int64{"meetings": 5, "meeting_attendance": 50, "meeting_tasks": 3, "deputy_activities": 40, "assessment_scores": 20} {
		if n, _ := app.CountRecords(name); n < min {
			t.Errorf("%s = %d, want ≥ %d", name, n, min)
		}
	}
	scores, err := app.FindRecordsByFilter("assessment_scores", "", "-total", 0, 0)
	if err != nil || len(scores) == 0 {
		t.Fatal(err)
	}
	if top, bottom := scores[0].GetFloat("total"), scores[len(scores)-1].GetFloat("total"); top-bottom < 10 {
		t.Errorf("demo ranking too flat: %v … %v", top, bottom)
	}
}
