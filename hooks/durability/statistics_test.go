package durability_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/durability"
	"simeng/internal/testapp"
)

// TestStatisticsFollowTheData: a township's database carries the
// statistics PocketBase took after its migrations, when visits was nearly
// empty. Once visits has grown, renewing the statistics (at start and
// every hour while serving) gives the planner the table as it is, and a
// new connection reads a deputy's visits of an hour through the deputy's
// index instead of reading the whole table.
func TestStatisticsFollowTheData(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	// As PocketBase leaves them after a migration on a new township.
	if _, err := app.NonconcurrentDB().NewQuery("ANALYZE visits").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 5000)
		INSERT INTO visits (id, deputy, household, visited_at, notes, topics, problems, photo_manifest,
			complete, version, seq, schema_version, received_at, created, updated)
		SELECT printf('grown%010d', i), {:deputy}, '', printf('2026-%02d-15 10:00:00.000Z', 1 + i % 12),
			'', '[]', '[]', '[]', TRUE, 1, 0, 1, '', '', '' FROM n`).Bind(dbx.Params{"deputy": f.Deputy}).Execute(); err != nil {
		t.Fatal(err)
	}
	const deputysHour = "SELECT v.id, v.location FROM visits v WHERE v.deputy = 'x' AND v.visited_at >= '2026-03-15 09:00' AND v.visited_at <= '2026-03-15 11:00'"
	plan := func() string {
		db, err := core.DefaultDBConnect(filepath.Join(app.DataDir(), "data.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var rows []struct {
			Detail string `db:"detail"`
		}
		if err := db.NewQuery("EXPLAIN QUERY PLAN " + deputysHour).All(&rows); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Detail)
		}
		return strings.Join(out, "; ")
	}
	stat := func() string {
		var s string
		app.DB().NewQuery("SELECT COALESCE(MAX(stat), '') FROM sqlite_stat1 WHERE idx = 'idx_visits_deputy_visited'").Row(&s)
		return s
	}
	before := stat()
	if err := durability.RenewStatistics(app); err != nil {
		t.Fatal(err)
	}
	after := stat()
	if rows, _, _ := strings.Cut(after, " "); len(rows) < 4 {
		t.Fatalf("statistics of visits' deputy index %q (were %q), want the table's 5,000 rows", after, before)
	}
	if p := plan(); !strings.Contains(p, "idx_visits_deputy_visited") {
		t.Fatalf("a deputy's hour of visits is read with plan %q, want the deputy's index", p)
	}
	// Renewing again, nothing having changed, keeps them.
	if err := durability.RenewStatistics(app); err != nil || stat() != after {
		t.Fatalf("statistics moved without a change: %q → %q (%v)", after, stat(), err)
	}
}
