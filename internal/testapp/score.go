package testapp

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
	"simeng/scoring"
)

// Score is the stored current-year assessment of a deputy.
func Score(t testing.TB, app core.App, deputyID string) scoring.Result {
	t.Helper()
	assessment.Flush(app)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}",
		map[string]any{"d": deputyID, "y": AssessmentDate().Year()})
	if err != nil {
		t.Fatalf("no score row for %s: %v", deputyID, err)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.GetString("result")), &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// Item is the result of rule item key.
func Item(t testing.TB, res scoring.Result, key string) scoring.ItemResult {
	t.Helper()
	for _, it := range res.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %q in %+v", key, res.Items)
	return scoring.ItemResult{}
}
