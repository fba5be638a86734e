package syncengine_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"simeng/hooks/syncengine"
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

// A push looks up its records' ids in the primary key whatever the
// planner's statistics say. Those of a new township, taken while its
// tables were nearly empty (PocketBase's PRAGMA optimize after the
// migrations, our renewal at start), made a plain "id IN (…)" read the
// whole of visits at every push until the statistics were renewed.
func TestPushLooksUpItsIDsByKey(t *testing.T) {
	app := testapp.New(t)
	testapp.RenewStatistics(t, app)
	ids := `["a","b","c"]`
	explain := func(q string) []string {
		var rows []struct {
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(dbx.Params{"ids": ids}).All(&rows); err != nil {
			t.Fatal(err)
		}
		plan := make([]string, len(rows))
		for i, r := range rows {
			plan[i] = r.Detail
		}
		return plan
	}
	t.Logf("a plain lookup of ids under these statistics: %q", explain("SELECT * FROM visits WHERE id IN (SELECT value FROM json_each({:ids}))"))
	rows := explain(syncengine.StoredIDsSQL("visits"))
	searched := false
	for _, r := range rows {
		if strings.HasPrefix(r, "SCAN t") {
			t.Fatalf("the push's lookup reads all of visits: %q", rows)
		}
		searched = searched || strings.HasPrefix(r, "SEARCH t USING")
	}
	if !searched {
		t.Fatalf("the push's lookup does not search visits by key: %v", rows)
	}
}

// Every synced collection's push lookup names an index that exists: a
// collection's primary key index, which SQLite names after its table
// (idlist.ByID), is found for each, and the lookup prepares.
func TestPushLookupPreparesForEverySyncedCollection(t *testing.T) {
	app := testapp.New(t)
	names := syncengine.SyncedNames(app)
	if len(names) < 5 {
		t.Fatalf("synced collections %q: fewer than the field's", names)
	}
	for _, name := range names {
		var found []string
		if err := app.DB().NewQuery(syncengine.StoredIDsSQL(name)).Bind(dbx.Params{"ids": `["nosuchrecord000"]`}).Column(&found); err != nil {
			t.Errorf("%s: %v", name, err)
		} else if len(found) != 0 {
			t.Errorf("%s: found %q for an id it does not hold", name, found)
		}
	}
}
