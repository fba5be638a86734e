package units_test

import (
	"strings"
	"testing"
	"time"

	"simeng/hooks/projects"
	"simeng/hooks/supervision"
	"simeng/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// A unit's home lists what is assigned to it and nothing else, overdue
// first, with working days left; other roles have no inbox.
func TestUnitInbox(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	s.Must(401, testapp.RoleGuest, "GET", "/api/units/me/inbox", nil)
	for _, role := range []string{testapp.RoleDeputy, testapp.RolePresidium, testapp.RoleStaff, testapp.RoleSuperuser} {
		s.Must(403, role, "GET", "/api/units/me/inbox", nil)
	}
	// a hazard assigned to the unit
	hz, err := s.App.FindRecordById("hazards", f.IDs["hazard_a"])
	if err != nil {
		t.Fatalf("fixture hazard: %v", err)
	}
	hz.Set("unit", f.Unit)
	if err := s.App.Save(hz); err != nil {
		t.Fatal(err)
	}
	if _, err := projects.FlagOverdueMilestones(s.App, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := supervision.FlagOverdueItems(s.App, time.Now()); err != nil {
		t.Fatal(err)
	}

	in := s.Must(200, testapp.RoleUnit, "GET", "/api/units/me/inbox", nil).JSON(t)
	items := in["items"].([]any)
	var got []string
	for _, it := range items {
		m := it.(map[string]any)
		got = append(got, m["kind"].(string)+":"+m["id"].(string))
	}
	want := map[string]bool{
		"milestone:" + f.IDs["milestone_late"]: true, "milestone:" + f.IDs["milestone_open"]: true,
		"project:" + f.IDs["project_chosen"]: true, "proposal:" + f.IDs["proposal_assigned"]: true,
		"proposal:" + f.IDs["proposal_answered"]: true, "hazard:" + hz.Id: true,
	}
	if len(got) != len(want) {
		t.Fatalf("inbox %v", got)
	}
	for _, g := range got {
		if !want[g] {
			t.Fatalf("inbox has %s: %v", g, got)
		}
	}
	first := items[0].(map[string]any)
	if first["id"] != f.IDs["milestone_late"] || first["overdue"] != true || first["days_left"].(float64) >= 0 || in["overdue"].(float64) < 1 {
		t.Fatalf("overdue first: %v", items[0])
	}
	if in["unit"] != "镇应急办" {
		t.Fatalf("unit %v", in["unit"])
	}

	// the co-unit sees the proposal it helps with and its rectification
	// item of an issued report, not the draft report's
	in2 := s.Must(200, testapp.RoleUnit2, "GET", "/api/units/me/inbox", nil).JSON(t)
	var kinds []string
	for _, it := range in2["items"].([]any) {
		m := it.(map[string]any)
		kinds = append(kinds, m["kind"].(string)+":"+m["id"].(string))
	}
	joined := strings.Join(kinds, ",")
	if len(kinds) != 2 || !strings.Contains(joined, "proposal_co:"+f.IDs["proposal_assigned"]) || !strings.Contains(joined, "rectification:"+f.IDs["rect_item_a"]) {
		t.Fatalf("co-unit inbox %v", kinds)
	}
}

// The units' names are for screens that pick one: logged-in people only.
func TestUnitNames(t *testing.T) {
	s := testapp.NewServer(t)
	s.Must(401, testapp.RoleGuest, "GET", "/api/units/names", nil)
	for _, role := range []string{testapp.RoleDeputy, testapp.RoleUnit, testapp.RoleStaff} {
		r := s.Must(200, role, "GET", "/api/units/names", nil)
		if strings.Contains(string(r.Body), "1370000") || strings.Contains(string(r.Body), "phone") {
			t.Fatalf("names hold a phone: %s", r.Body)
		}
		if !strings.Contains(string(r.Body), "镇应急办") {
			t.Fatalf("names %s", r.Body)
		}
	}
}
