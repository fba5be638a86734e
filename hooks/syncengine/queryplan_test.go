package syncengine_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"simeng/internal/queryplan"
	"simeng/internal/testapp"
)

// The sync routes' reads stay on their indexes with 100,000 visits: a pull
// reads each source by its lookup in seq order, a push looks its records
// up by id.
func TestSyncReadsUseIndexes(t *testing.T) {
	pull := func(since int) func(t testing.TB, town *queryplan.Town) {
		return func(t testing.TB, town *queryplan.Town) {
			town.Get(t, town.Token(t, town.Deputy.Id), fmt.Sprintf("/api/sync/pull?since=%d&limit=200", since))
		}
	}
	guarded := []string{"SCAN visits", "SCAN households", "SCAN sync_tombstones", "SORT visits", "SORT sync_tombstones"}
	queryplan.Check(t, []queryplan.Read{
		{Name: "a deputy's first pull", Do: pull(0), Never: guarded},
		{Name: "a deputy's pull from a cursor", Do: pull(queryplan.Size.Visits / 2), Never: guarded},
		{Name: "a push of 100 visits", Never: []string{"SCAN visits", "SCAN households", "SCAN sync_tombstones"},
			Do: func(t testing.TB, town *queryplan.Town) {
				recs := make([]map[string]any, 0, 100)
				for i := range 100 {
					recs = append(recs, testapp.VisitRec(testapp.ClientID(), queryplan.Size.HouseholdID(town.DeputyIndex, i),
						time.Now().Add(-time.Duration(i)*time.Minute).UTC().Format(time.RFC3339), nil))
				}
				out := town.Send(t, town.Token(t, town.Deputy.Id), http.MethodPost, "/api/sync/push",
					map[string]any{"device": "queryplan", "records": recs})
				var res struct {
					Results []map[string]any `json:"results"`
				}
				if err := json.Unmarshal(out, &res); err != nil {
					t.Fatal(err)
				}
				testapp.WantOutcomes(t, res.Results, slices.Repeat([]string{"created"}, 100)...)
			}},
	})
}
