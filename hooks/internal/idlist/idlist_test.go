package idlist_test

import (
	"slices"
	"strings"
	"testing"

	"simeng/hooks/internal/idlist"
	"simeng/internal/testapp"
)

// Under the statistics a new township takes (its tables nearly empty), a
// list of ids is still looked up id by id in each table's key index: the
// plain "IN (SELECT value FROM json_each(…))" reads the whole table there
// (logged: what the planner would do without the CROSS JOIN).
func TestFromLooksUpEachIDByKey(t *testing.T) {
	app := testapp.New(t)
	testapp.RenewStatistics(t, app)
	explain := func(q string) []string {
		var rows []struct {
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(idlist.Params([]string{"a", "b", "c"})).All(&rows); err != nil {
			t.Fatal(err)
		}
		plan := make([]string, len(rows))
		for i, r := range rows {
			plan[i] = r.Detail
		}
		return plan
	}
	for _, c := range []struct{ table, column, from string }{
		{"visits", "id", idlist.ByID("visits")},
		{"households", "id", idlist.ByID("households")},
		{"household_aliases", "alias_id", idlist.From("household_aliases", "alias_id", "idx_household_aliases_alias")},
	} {
		t.Run(c.table, func(t *testing.T) {
			t.Logf("a plain IN: %q", explain("SELECT * FROM `"+c.table+"` WHERE `"+c.column+"` IN (SELECT value FROM json_each({:ids}))"))
			plan := explain("SELECT t.* FROM " + c.from)
			searched := false
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN t") {
					t.Fatalf("the list reads all of %s: %q", c.table, plan)
				}
				searched = searched || strings.HasPrefix(step, "SEARCH t USING")
			}
			if !searched {
				t.Fatalf("the list does not search %s by %s: %q", c.table, c.column, plan)
			}
		})
	}
}

// From reads each listed row once, however often it is listed, and
// nothing for an id with no row.
func TestFromReadsTheListedRows(t *testing.T) {
	app := testapp.New(t)
	var stored []string
	if err := app.DB().Select("id").From("households").OrderBy("id").Limit(2).Column(&stored); err != nil || len(stored) != 2 {
		t.Fatalf("the fixture's households: %v %v", stored, err)
	}
	for _, ids := range [][]string{
		{stored[0], stored[1]},
		{stored[1], stored[0], stored[1], "nosuchhousehold", stored[0]},
	} {
		var got []string
		if err := app.DB().NewQuery("SELECT t.id FROM " + idlist.ByID("households")).Bind(idlist.Params(ids)).Column(&got); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, stored) {
			t.Errorf("ids %q read %q, want %q", ids, got, stored)
		}
	}
	var none []string
	if err := app.DB().NewQuery("SELECT t.id FROM " + idlist.ByID("households")).Bind(idlist.Params([]string{})).Column(&none); err != nil || len(none) != 0 {
		t.Errorf("an empty list read %q (%v)", none, err)
	}
}
