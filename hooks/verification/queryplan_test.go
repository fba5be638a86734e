package verification_test

import (
	"testing"

	"simeng/internal/queryplan"
)

// The presidium's review queue finds flagged visits through the partial
// index of visits with an open flag, not by reading every visit.
func TestReviewQueueUsesIndexes(t *testing.T) {
	queue := func(query string) func(t testing.TB, town *queryplan.Town) {
		return func(t testing.TB, town *queryplan.Town) {
			town.Get(t, town.Token(t, town.Presidium), "/api/verification/review"+query)
		}
	}
	queryplan.Check(t, []queryplan.Read{
		{Name: "the review queue", Never: []string{"SCAN visits"}, Do: queue("")},
		{Name: "the review queue of one kind", Never: []string{"SCAN visits"}, Do: queue("?kind=one_sitting&status=all")},
	})
}
