package analysis_test

import (
	"strings"
	"testing"

	"simeng/hooks/analysis"
	"simeng/internal/testapp"
)

// The plans that keep the views fast at 100,000 demands: a search with
// words drives from the FTS5 table whatever the filters (a plain JOIN
// would drive from the filter's index and probe FTS5 row by row), and a
// month's counts come from the covering index, in its order (no sort).
func TestQueryPlans(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	want := map[string][]string{
		"search words, village, year": {"SCAN f VIRTUAL TABLE"},
		"search words, deputy":        {"SCAN f VIRTUAL TABLE"},
		"list by filter":              {"demand_index_at"},
		"month counts":                {"USING COVERING INDEX demand_index_month"},
	}
	for name, q := range analysis.PlanQueries(f.VillageA) {
		var rows []struct {
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q.SQL).Bind(q.Params).All(&rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for _, r := range rows {
			plan = append(plan, r.Detail)
		}
		first := ""
		if len(plan) > 0 {
			first = plan[0]
		}
		t.Logf("%s:\n%s", name, strings.Join(plan, "\n"))
		for _, w := range want[name] {
			if !strings.Contains(first, w) && !(name == "list by filter" && strings.Contains(strings.Join(plan, "\n"), w)) {
				t.Errorf("%s: plan\n%s\nwant %q first", name, strings.Join(plan, "\n"), w)
			}
		}
	}
}
