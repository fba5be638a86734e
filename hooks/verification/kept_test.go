package verification_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/hooks/verification"
	"simeng/internal/testapp"
)

// Visits saved one by one or pushed are judged against the deputy's kept
// windows when nothing else changed since they were read; the flags must
// be those a fresh read of the database gives. A random run of saves, with
// edits that move a visit's time, deletions, another deputy's visits,
// households added, the village moved, saves rolled back and runs of
// visits typed in walking through days (the kept windows grow and let go)
// in between, checks after every
// step that the stored flags of the visit just written equal a judgement
// made from the database alone, and that the kept windows were used.
func TestKeptWindowsJudgeAsTheDatabase(t *testing.T) {
	for _, seed := range []uint64{7, 8, 9} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { keptWindowsRun(t, seed) })
	}
}

func keptWindowsRun(t *testing.T, seed uint64) {
	s := testapp.NewServer(t)
	app := s.App
	f := testapp.F(t)
	if _, err := app.DB().Update("villages", dbx.Params{"position": `{"lat":27.7,"lon":110.5}`, "radius_m": 1500},
		dbx.HashExp{"id": f.VillageA}).Execute(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 21))
	base := time.Now().Add(-48 * time.Hour).Truncate(time.Minute)

	households := map[string][]string{}
	newHousehold := func(dep string, old bool) {
		t.Helper()
		h := core.NewRecord(testapp.Collection(t, app, "households"))
		h.Set("village", f.VillageA)
		h.Set("deputy", dep)
		n := len(households[f.Deputy]) + len(households[f.Deputy2])
		h.Set("head_name", fmt.Sprintf("户主%d", n))
		h.Set("address", fmt.Sprintf("%d组%d号", n%9+1, n))
		if err := app.Save(h); err != nil {
			t.Fatal(err)
		}
		if old { // registered long ago, before any window was read
			at, _ := types.ParseDateTime(base.AddDate(0, -2, 0))
			if _, err := app.DB().Update("households", dbx.Params{"created": at.String()}, dbx.HashExp{"id": h.Id}).Execute(); err != nil {
				t.Fatal(err)
			}
		}
		households[dep] = append(households[dep], h.Id)
	}
	for i := range 8 {
		newHousehold(f.Deputy, i%2 == 0)
		newHousehold(f.Deputy2, true)
	}

	visitFields := func(r *core.Record, dep string) {
		hs := households[dep]
		r.Set("deputy", dep)
		r.Set("household", hs[rng.IntN(len(hs))])
		r.Set("visited_at", base.Add(time.Duration(rng.IntN(36*60))*time.Minute))
		r.Set("notes", "走访了解情况")
		r.Set("topics", []string{"道路交通"})
		switch rng.IntN(4) {
		case 0: // no fix
		case 1: // far away
			r.Set("location", types.GeoPoint{Lat: 28.5, Lon: 111.2})
			r.Set("location_accuracy", 30)
		default:
			r.Set("location", types.GeoPoint{Lat: 27.7 + rng.Float64()/200, Lon: 110.5})
			r.Set("location_accuracy", 25)
		}
	}
	var mine []string
	check := func(id string) {
		t.Helper()
		rec, err := app.FindRecordById("visits", id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := verification.StoredJudgement(rec)
		if err != nil {
			t.Fatal(err)
		}
		// An edit keeps the flags it no longer raises, marked as edited
		// since: not what the save judged.
		got = slices.DeleteFunc(got, func(s string) bool { return strings.HasSuffix(s, "（走访记录此后被修改）") })
		want, err := verification.JudgeFromDatabase(app, rec)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("visit %s judged with the kept window: %q; from the database: %q", id, got, want)
		}
	}

	flagged := 0
	for step := range 220 {
		switch n := rng.IntN(24); {
		case n == 0 && len(mine) > 0: // an edit moves a visit's time
			rec, err := app.FindRecordById("visits", mine[rng.IntN(len(mine))])
			if err != nil {
				t.Fatal(err)
			}
			rec.Set("visited_at", base.Add(time.Duration(rng.IntN(36*60))*time.Minute))
			if err := app.Save(rec); err != nil {
				t.Fatal(err)
			}
			check(rec.Id)
			continue
		case n == 1 && len(mine) > 0: // a deletion
			i := rng.IntN(len(mine))
			rec, err := app.FindRecordById("visits", mine[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := app.Delete(rec); err != nil {
				t.Fatal(err)
			}
			mine = slices.Delete(mine, i, i+1)
		case n == 2: // another deputy's visit
			r := core.NewRecord(testapp.Collection(t, app, "visits"))
			visitFields(r, f.Deputy2)
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		case n == 3: // a household registered
			newHousehold(f.Deputy, false)
		case n >= 6 && n <= 9: // a push of a few visits from the phone
			var recs []map[string]any
			for range 1 + rng.IntN(6) {
				hs := households[f.Deputy]
				extra := map[string]any{}
				switch rng.IntN(3) {
				case 0:
				case 1:
					extra["location"] = map[string]any{"lat": 28.5, "lon": 111.2, "accuracy": 30}
				default:
					extra["location"] = map[string]any{"lat": 27.7 + rng.Float64()/200, "lon": 110.5, "accuracy": 25}
				}
				at := base.Add(time.Duration(rng.IntN(36*60)) * time.Minute).UTC().Format(time.RFC3339)
				recs = append(recs, testapp.VisitRec(testapp.ClientID(), hs[rng.IntN(len(hs))], at, extra))
			}
			for i, r := range s.Push(testapp.RoleDeputy, recs...) {
				if r["outcome"] != "created" {
					t.Fatalf("step %d: push: %v", step, r)
				}
				mine = append(mine, recs[i]["id"].(string))
			}
			// The push's last visit: the earlier ones were judged before
			// the rest of their push was stored.
			check(mine[len(mine)-1])
			continue
		case n == 12: // a push of paper records: a few visits on each of days weeks apart
			var recs []map[string]any
			var lastOfDay []int
			day := base.Add(-time.Duration(80+rng.IntN(30)) * 24 * time.Hour)
			for range 2 + rng.IntN(2) {
				for range 1 + rng.IntN(4) {
					at := day.Add(time.Duration(rng.IntN(8*60)) * time.Minute).UTC().Format(time.RFC3339)
					hs := households[f.Deputy]
					recs = append(recs, testapp.VisitRec(testapp.ClientID(), hs[rng.IntN(len(hs))], at,
						map[string]any{"location": map[string]any{"lat": 27.7 + rng.Float64()/200, "lon": 110.5, "accuracy": 25}}))
				}
				lastOfDay = append(lastOfDay, len(recs)-1)
				day = day.Add(time.Duration(5+rng.IntN(20)) * 24 * time.Hour)
			}
			for i, r := range s.Push(testapp.RoleDeputy, recs...) {
				if r["outcome"] != "created" {
					t.Fatalf("step %d: push: %v", step, r)
				}
				mine = append(mine, recs[i]["id"].(string))
			}
			// Each day's last visit: the later days are beyond its window.
			for _, i := range lastOfDay {
				check(recs[i]["id"].(string))
			}
			continue
		case n == 5: // staff move the village's centre (villages are not synced)
			vil, err := app.FindRecordById("villages", f.VillageA)
			if err != nil {
				t.Fatal(err)
			}
			vil.Set("position", types.GeoPoint{Lat: 27.7 + rng.Float64()*0.8, Lon: 110.5 + rng.Float64()*0.7})
			if err := app.Save(vil); err != nil {
				t.Fatal(err)
			}
		case n == 10 || n == 11: // records typed in one by one, walking through days
			at := base.Add(time.Duration(rng.IntN(6*24*60)-3*24*60) * time.Minute)
			step := time.Duration(60+rng.IntN(240)) * time.Minute
			if n == 11 {
				step = -step
			}
			for range 5 + rng.IntN(15) {
				r := core.NewRecord(testapp.Collection(t, app, "visits"))
				visitFields(r, f.Deputy)
				r.Set("visited_at", at)
				if err := app.Save(r); err != nil {
					t.Fatal(err)
				}
				mine = append(mine, r.Id)
				check(r.Id)
				at = at.Add(step)
			}
			continue
		case n == 4: // a save rolled back after the visit was written
			boom := errors.New("rolled back")
			err := app.RunInTransaction(func(tx core.App) error {
				r := core.NewRecord(testapp.Collection(t, tx, "visits"))
				visitFields(r, f.Deputy)
				if err := tx.Save(r); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		r := core.NewRecord(testapp.Collection(t, app, "visits"))
		visitFields(r, f.Deputy)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
		mine = append(mine, r.Id)
		check(r.Id)
		if len(r.GetString("flags")) > 2 {
			flagged++
		}
	}
	if grown := verification.KeptWindowsGrown(app); grown < 20 {
		t.Fatalf("kept windows grew %d times: the test did not exercise it", grown)
	}
	if hits := verification.KeptWindowHits(app); hits < 50 {
		t.Fatalf("the kept windows answered %d reads: the test did not exercise them", hits)
	}
	if flagged < 20 {
		t.Fatalf("only %d visits flagged: the data does not exercise the checks", flagged)
	}
}
