package testapp

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/durability"
)

// BenchServer serves a fresh app without PocketBase's rate limits (a
// benchmark sends from one address) holding 50 households of Deputy in
// village A, whose ids it returns.
func BenchServer(tb testing.TB) (*Server, []string) {
	tb.Helper()
	app := New(tb)
	s := app.Settings()
	s.RateLimits.Enabled = false
	if err := app.Save(s); err != nil {
		tb.Fatal(err)
	}
	households := Collection(tb, app, "households")
	f := F(tb)
	var ids []string
	for i := range 50 {
		h := core.NewRecord(households)
		h.Set("village", f.VillageA)
		h.Set("deputy", f.Deputy)
		h.Set("head_name", fmt.Sprintf("户主%d", i))
		h.Set("address", fmt.Sprintf("%d组%d号", i%9+1, i+1))
		if err := app.Save(h); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, h.Id)
	}
	return Serve(tb, app, nil), ids
}

// VisitData is the content of benchmark visit i, as the phone sends it:
// visits a minute apart, going back from now.
func VisitData(i int, households []string) map[string]any {
	return PacedVisitData(i, households, time.Minute)
}

// FieldPace is a deputy's pace in the field: a visit every 20 minutes
// (greeting, hearing the household out, a note and a photo, the walk to
// the next door).
const FieldPace = 20 * time.Minute

// PacedVisitData is VisitData with visits pace apart.
func PacedVisitData(i int, households []string, pace time.Duration) map[string]any {
	return map[string]any{
		"household":  households[i%len(households)],
		"visited_at": time.Now().Add(-time.Duration(i) * pace).UTC().Format(time.RFC3339),
		"notes":      "走访了解春耕用水、道路和医保缴费情况，群众反映村道需要硬化。",
		"topics":     []string{"道路交通", "农业生产"},
		"location":   map[string]any{"lat": 27.7 + float64(i)/1e5, "lon": 110.5, "accuracy": 25},
	}
}

// SaveVisits saves Deputy's visits start…start+99, pace apart
// (PacedVisitData), into collection one by one with app.Save (each its own
// transaction).
func SaveVisits(tb testing.TB, app core.App, collection string, households []string, start int, pace time.Duration) {
	col := Collection(tb, app, collection)
	f := F(tb)
	for i := start; i < start+100; i++ {
		d := PacedVisitData(i, households, pace)
		r := core.NewRecord(col)
		r.Set("deputy", f.Deputy)
		r.Set("household", d["household"])
		r.Set("visited_at", d["visited_at"])
		r.Set("notes", d["notes"])
		r.Set("topics", d["topics"])
		r.Set("location", map[string]any{"lat": 27.7, "lon": 110.5})
		r.Set("location_accuracy", 25)
		if err := app.Save(r); err != nil {
			tb.Fatal(err)
		}
	}
}

// Collection is the named collection of app.
func Collection(tb testing.TB, app core.App, name string) *core.Collection {
	tb.Helper()
	c, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// RenewStatistics brings the planner's statistics up to the data a
// benchmark seeded in SQL, as a serving township's hourly renewal does
// (durability.RenewStatistics), and closes the idle pooled connections,
// which keep the statistics they opened with.
func RenewStatistics(tb testing.TB, app core.App) {
	tb.Helper()
	if err := durability.RenewStatistics(app); err != nil {
		tb.Fatal(err)
	}
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		if db, ok := b.(*dbx.DB); ok {
			idle := core.DefaultDataMaxIdleConns
			if b == app.NonconcurrentDB() {
				idle = 1
			}
			db.DB().SetMaxIdleConns(0)
			db.DB().SetMaxIdleConns(idle)
		}
	}
}
