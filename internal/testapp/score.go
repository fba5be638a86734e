package testapp

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/assessment"
	"simeng/scoring"
)

// Score is the stored current-year assessment of a deputy, each item
// naming the records that counted (assessment.ScoreOf).
func Score(t testing.TB, app core.App, deputyID string) scoring.Result {
	t.Helper()
	_, res, err := assessment.ScoreOf(app, deputyID, AssessmentDate().Year())
	if err != nil {
		t.Fatalf("no score for %s: %v", deputyID, err)
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
