package assessment_test

import (
	"testing"
	"time"

	"simeng/hooks/assessment"
	"simeng/internal/queryplan"
	"simeng/internal/testapp"
)

// The assessment's frequent reads stay on their indexes with 100,000
// visits and 20,000 suggestions: rescoring a deputy after a write reads
// only that deputy's records (after visits alone, only the visits: the
// other facts are as stored), and so does their 履职档案.
func TestAssessmentReadsUseIndexes(t *testing.T) {
	never := []string{"SCAN visits", "SCAN suggestions", "SCAN meeting_attendance", "SCAN deputy_activities"}
	queryplan.Check(t, []queryplan.Read{
		{Name: "a deputy rescored after a visit", Never: never[:1],
			Do: func(t testing.TB, town *queryplan.Town) {
				saveVisit(t, town.App, town.Deputy.Id, queryplan.Size.HouseholdID(town.DeputyIndex, 0), testapp.InThisYear(time.Now().Add(-time.Hour)))
				assessment.Flush(town.App)
			}},
		{Name: "a deputy rescored after a suggestion and a visit", Never: never,
			Do: func(t testing.TB, town *queryplan.Town) {
				saveSuggestion(t, town.App, town.Deputy.Id, testapp.InThisYear(time.Now().Add(-time.Hour)), "answered")
				saveVisit(t, town.App, town.Deputy.Id, queryplan.Size.HouseholdID(town.DeputyIndex, 1), testapp.InThisYear(time.Now().Add(-2*time.Hour)))
				assessment.Flush(town.App)
			}},
		{Name: "a deputy's 履职档案", Never: never,
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, town.Token(t, town.Deputy.Id), "/api/assessment/dossiers/"+town.Deputy.Id)
			}},
	})
}
