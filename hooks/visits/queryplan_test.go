package visits_test

import (
	"testing"

	"simeng/internal/queryplan"
	"simeng/internal/testapp"
)

// The visits' frequent reads stay on their indexes with 100,000 visits:
// the presidium's progress of every deputy is counted in SQL from a
// covering index, a deputy's from theirs, and staff's newest-first list
// reads visits in the order of an index.
func TestVisitReadsUseIndexes(t *testing.T) {
	queryplan.Check(t, []queryplan.Read{
		{Name: "the presidium's progress of every deputy", Never: []string{"SCAN visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, town.Token(t, town.Presidium), "/api/visits/progress")
			}},
		{Name: "a deputy's own progress", Never: []string{"SCAN visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, town.Token(t, town.Deputy.Id), "/api/visits/progress")
			}},
		{Name: "staff's list of visits, newest first", Never: []string{"SORT visits"},
			Do: func(t testing.TB, town *queryplan.Town) {
				town.Get(t, testapp.Token(t, testapp.RoleSuperuser), "/api/collections/visits/records?sort=-created&perPage=30&skipTotal=1")
			}},
	})
}
