package verification_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/internal/testapp"
)

// Village A's position in the fixture, set by the tests as staff would.
const villageLat, villageLon = 27.700, 110.600

// offset moves a point by metres north and east (good enough at 28° N).
func offset(north, east float64) map[string]any {
	return map[string]any{"lat": villageLat + north/111_000, "lon": villageLon + east/98_000, "accuracy": 30}
}

// placeVillageA sets village A's centre and radius as staff maintain them.
func placeVillageA(t *testing.T, s *testapp.Server, f testapp.Fixture) {
	t.Helper()
	v, err := s.App.FindRecordById("villages", f.VillageA)
	if err != nil {
		t.Fatal(err)
	}
	v.Set("position", types.GeoPoint{Lat: villageLat, Lon: villageLon})
	v.Set("radius_m", 1500)
	if err := s.App.Save(v); err != nil {
		t.Fatal(err)
	}
}

// flagKinds are the open flag kinds of a visit, as its deputy sees them.
func flagKinds(t *testing.T, s *testapp.Server, role, visit string) []string {
	t.Helper()
	status, out := s.Do(role, http.MethodGet, "/api/verification/visits/"+visit, nil)
	if status != http.StatusOK {
		t.Fatalf("checks of %s: %d %v", visit, status, out)
	}
	var kinds []string
	for _, f := range out["flags"].([]any) {
		m := f.(map[string]any)
		if m["status"] == "open" {
			if m["reason"] == "" {
				t.Errorf("flag %v of %s has no reason", m["kind"], visit)
			}
			kinds = append(kinds, m["kind"].(string))
		}
	}
	return kinds
}

// A fixture visit: the target visit is the last of the case's records.
type flagCase struct {
	name    string
	kind    string
	trigger bool
	// build returns the records to push; at is the case's own time slot
	// (slots are hours apart, so cases never meet in one check's window).
	build func(at time.Time, f testapp.Fixture) []map[string]any
}

func iso(t time.Time) string { return t.Format(time.RFC3339) }

// twoHouseholds pushes two new households and a visit to each, the second
// gap after the first, with the given fixes (nil: no fix).
func twoVisits(gap time.Duration, fix1, fix2 map[string]any, photo1, photo2 []byte, sameHousehold bool) func(time.Time, testapp.Fixture) []map[string]any {
	return func(at time.Time, f testapp.Fixture) []map[string]any {
		h1, h2 := testapp.ClientID(), testapp.ClientID()
		if sameHousehold {
			h2 = h1
		}
		extra := func(fix map[string]any, photo []byte) map[string]any {
			e := map[string]any{}
			if fix != nil {
				e["location"] = fix
			}
			if photo != nil {
				e["photos"] = []any{testapp.PhotoDecl("p1", photo)}
			}
			return e
		}
		recs := []map[string]any{testapp.HouseholdRec(h1, f.VillageA, "向德胜", "3组"+h1[:3]+"号")}
		if !sameHousehold {
			recs = append(recs, testapp.HouseholdRec(h2, f.VillageA, "舒桂花", "5组"+h2[:3]+"号"))
		}
		return append(recs,
			testapp.VisitRec(testapp.ClientID(), h1, iso(at), extra(fix1, photo1)),
			testapp.VisitRec(testapp.ClientID(), h2, iso(at.Add(gap)), extra(fix2, photo2)))
	}
}

func oneVisit(at time.Duration, fix map[string]any) func(time.Time, testapp.Fixture) []map[string]any {
	return func(slot time.Time, f testapp.Fixture) []map[string]any {
		h := testapp.ClientID()
		extra := map[string]any{}
		if fix != nil {
			extra["location"] = fix
		}
		return []map[string]any{testapp.HouseholdRec(h, f.VillageA, "向德胜", "3组"+h[:3]+"号"),
			testapp.VisitRec(testapp.ClientID(), h, iso(time.Now().Add(-at)), extra)}
	}
}

func sitting(n int, spread time.Duration) func(time.Time, testapp.Fixture) []map[string]any {
	return func(at time.Time, f testapp.Fixture) []map[string]any {
		var recs []map[string]any
		for i := range n {
			h := testapp.ClientID()
			recs = append(recs, testapp.HouseholdRec(h, f.VillageA, "舒玉兰", "6组"+h[:4]+"号"),
				testapp.VisitRec(testapp.ClientID(), h, iso(at.Add(time.Duration(i)*spread)), map[string]any{"location": offset(100, 100)}))
		}
		return recs
	}
}

// TestEachFlag pushes, for every check, fixture visits that must raise it
// and near-misses that must not, and reads the target visit's flags as its
// deputy sees them.
func TestEachFlag(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	placeVillageA(t, s, f)
	near := offset(500, 0)
	photoA, photoB, photoC := testapp.PNG(t, 8, 8, 10), testapp.PNG(t, 8, 8, 70), testapp.PNG(t, 8, 8, 130)
	cases := []flagCase{
		{"fix 9 km off the village", "far_from_village", true, oneVisit(2*time.Hour, offset(9000, 0))},
		{"fix 1 km off the village centre", "far_from_village", false, oneVisit(2*time.Hour, offset(1000, 0))},
		{"fix 4 km beyond the circle but 3 km accuracy", "far_from_village", false, oneVisit(2*time.Hour,
			map[string]any{"lat": villageLat + 5500.0/111_000, "lon": villageLon, "accuracy": 3000})},
		{"no position", "no_fix", true, oneVisit(2*time.Hour, nil)},
		{"a position", "no_fix", false, oneVisit(2*time.Hour, near)},
		{"25 km in 12 minutes", "too_fast", true, twoVisits(12*time.Minute, near, offset(25000, 0), nil, nil, false)},
		{"2 km in 30 minutes", "too_fast", false, twoVisits(30*time.Minute, near, offset(2500, 0), nil, nil, false)},
		{"no fixes, 3 minutes apart", "too_soon", true, twoVisits(3*time.Minute, nil, nil, nil, nil, false)},
		{"no fixes, 20 minutes apart", "too_soon", false, twoVisits(20*time.Minute, nil, nil, nil, nil, false)},
		{"one photo on two households", "same_photo", true, twoVisits(time.Hour, near, near, photoA, photoA, false)},
		{"one household photographed twice", "same_photo", false, twoVisits(time.Hour, near, near, photoB, photoB, true)},
		{"different photos", "same_photo", false, twoVisits(time.Hour, near, near, photoC, testapp.PNG(t, 8, 8, 200), false)},
		{"6 new households in 15 minutes", "one_sitting", true, sitting(6, 3*time.Minute)},
		{"4 new households in 15 minutes", "one_sitting", false, sitting(4, 5*time.Minute)},
		{"received 9 days after the visit", "late_upload", true, oneVisit(9*24*time.Hour, near)},
		{"received the next day", "late_upload", false, oneVisit(20*time.Hour, near)},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			slot := time.Now().Add(-time.Duration(3*i+3) * time.Hour).Truncate(time.Minute)
			recs := c.build(slot, f)
			res := s.Push(deputy, recs...)
			for j, r := range res {
				if r["outcome"] != "created" {
					t.Fatalf("record %d: %v", j, r)
				}
			}
			target := recs[len(recs)-1]["id"].(string)
			kinds := flagKinds(t, s, deputy, target)
			if got := slices.Contains(kinds, c.kind); got != c.trigger {
				t.Errorf("%s raised %v, want %s raised = %v", c.name, kinds, c.kind, c.trigger)
			}
		})
	}
}

// TestEditDoesNotClearFlags: the deputy adding a position to a visit
// flagged for having none does not clear the flag; it stays open, saying
// the visit was changed, until the presidium reviews it.
func TestEditDoesNotClearFlags(t *testing.T) {
	s := testapp.NewServer(t)
	f := testapp.F(t)
	placeVillageA(t, s, f)
	h, v := testapp.ClientID(), testapp.ClientID()
	at := iso(time.Now().Add(-3 * time.Hour).Truncate(time.Minute))
	rec := testapp.VisitRec(v, h, at, nil)
	testapp.WantOutcomes(t, s.Push(deputy, testapp.HouseholdRec(h, f.VillageA, "舒桂花", "5组77号"), rec), "created", "created")
	edited := testapp.WithBase(testapp.VisitRec(v, h, at, map[string]any{"location": offset(100, 0)}), 1)
	testapp.WantOutcomes(t, s.Push(deputy, edited), "updated")
	if kinds := flagKinds(t, s, deputy, v); !slices.Contains(kinds, "no_fix") {
		t.Errorf("adding a fix afterwards cleared no_fix: %v", kinds)
	}
	_, out := s.Do(deputy, http.MethodGet, "/api/verification/visits/"+v, nil)
	if !strings.Contains(fmt.Sprint(out["flags"]), "此后被修改") {
		t.Errorf("the kept flag does not say the visit was changed: %v", out["flags"])
	}
	testapp.WantOutcomes(t, s.Push(deputy, testapp.WithBase(testapp.VisitRec(v, h, at, map[string]any{"location": offset(100, 0), "notes": "补充"}), 2)), "updated")
	_, out = s.Do(deputy, http.MethodGet, "/api/verification/visits/"+v, nil)
	if strings.Count(fmt.Sprint(out["flags"]), "此后被修改") != 1 {
		t.Errorf("the note repeats: %v", out["flags"])
	}
}
