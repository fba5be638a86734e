package hooks_test

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks"
	"simeng/internal/testapp"
	"simeng/scoring"
)

// scoreResult is the stored current-year assessment of a deputy.
func scoreResult(t testing.TB, app core.App, deputyID string) scoring.Result {
	t.Helper()
	hooks.FlushAssessmentScores(app)
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}",
		map[string]any{"d": deputyID, "y": testapp.AssessmentDate().Year()})
	if err != nil {
		t.Fatalf("no score row for %s: %v", deputyID, err)
	}
	var res scoring.Result
	if err := json.Unmarshal([]byte(row.GetString("result")), &res); err != nil {
		t.Fatal(err)
	}
	return res
}

func item(t testing.TB, res scoring.Result, key string) scoring.ItemResult {
	t.Helper()
	for _, it := range res.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %q in %+v", key, res.Items)
	return scoring.ItemResult{}
}

// requireCollection skips a test of a fact source whose collection is not
// in this build (the assessment wires only the sources that exist).
func requireCollection(t *testing.T, app core.App, name string) {
	t.Helper()
	if _, err := app.FindCachedCollectionByNameOrId(name); err != nil {
		t.Skipf("%s is not in this build", name)
	}
}
