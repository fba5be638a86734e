package assessment_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
)

// An inspection or 视察 counts once as an activity for the deputy who
// recorded it and for each participating deputy.
func TestInspectionsCountAsActivities(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	col, err := app.FindCachedCollectionByNameOrId("inspections")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"kind": "project", "subject": "桥思公路建设进度视察", "inspected_at": testapp.AssessmentDate(),
		"deputy": f.Deputy2, "participants": []string{f.Deputy2, f.Presidium}, "findings": "路面硬化过半", "status": "completed"})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	count := func(deputyID string) int {
		ids := testapp.Item(t, testapp.Score(t, app, deputyID), "activities").RecordIDs
		n := 0
		for _, id := range ids {
			if id == r.Id {
				n++
			}
		}
		return n
	}
	if count(f.Deputy2) != 1 || count(f.Presidium) != 1 || count(f.Deputy) != 0 {
		t.Fatalf("recorder %d, participant %d, outsider %d; want 1 1 0", count(f.Deputy2), count(f.Presidium), count(f.Deputy))
	}
	r.Set("participants", []string{f.Deputy})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	if count(f.Presidium) != 0 || count(f.Deputy) != 1 || count(f.Deputy2) != 1 {
		t.Fatal("a participant removed from the inspection still counts it, or the one added does not")
	}
	if !slices.Contains(testapp.Item(t, testapp.Score(t, app, f.Deputy), "activities").RecordIDs, r.Id) {
		t.Fatal("the added participant's explanation lacks the inspection")
	}
}
