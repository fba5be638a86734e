package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"simeng/internal/testapp"
	"simeng/migrations"
)

const benchVisits = 1000

// BenchmarkVisitSync syncs 1,000 queued visits through our sync path and
// the same rows through PocketBase's /api/batch and single creates on a
// hook-free copy of the collection (visits_plain: same fields and indexes,
// a create rule with the same access condition), all over real HTTP on 127.0.0.1,
// then app.Save record by record into both collections to price our
// hooks. Figures go in BENCHMARKS.md ("Visit sync"):
//
//	go test ./hooks -run '^$' -bench BenchmarkVisitSync -benchtime 3x -count 5
func BenchmarkVisitSync(b *testing.B) {
	// The five ways run interleaved, 100 records at a time, so that the
	// shared machine's noise falls on all of them alike. Each is measured
	// in wall time and in process CPU time (client and server share the
	// process; the client's work is alike for all five), which a loaded
	// machine distorts much less.
	var sync, batch, single, saveHooks, savePlain cost
	for range b.N {
		s, households := benchServer(b)
		token := testapp.Token(b, deputy)
		for start := 0; start < benchVisits; start += 100 {
			sync.add(func() { benchSyncPath(b, s, households, start) })
			batch.add(func() { benchBatch(b, s, token, households, start) })
			single.add(func() { benchSingle(b, s, token, households, start) })
			saveHooks.add(func() { benchSave(b, s.App, "visits", households, start) })
			savePlain.add(func() { benchSave(b, s.App, "visits_plain", households, start) })
		}
	}
	records := float64(b.N * benchVisits)
	b.ReportMetric(records/sync.wall.Seconds(), "sync_rec/s")
	b.ReportMetric(records/batch.wall.Seconds(), "batch_rec/s")
	b.ReportMetric(records/single.wall.Seconds(), "single_rec/s")
	b.ReportMetric(batch.wall.Seconds()/sync.wall.Seconds(), "sync/batch")
	b.ReportMetric(single.wall.Seconds()/sync.wall.Seconds(), "sync/single")
	b.ReportMetric(batch.cpu.Seconds()/sync.cpu.Seconds(), "sync/batch_cpu")
	b.ReportMetric(records/saveHooks.wall.Seconds(), "save_hooks_rec/s")
	b.ReportMetric(records/savePlain.wall.Seconds(), "save_plain_rec/s")
	b.ReportMetric(100*(saveHooks.wall.Seconds()/savePlain.wall.Seconds()-1), "hook_overhead_%")
	b.ReportMetric(100*(saveHooks.cpu.Seconds()/savePlain.cpu.Seconds()-1), "hook_overhead_cpu_%")
}

// cost sums the wall and process CPU time of the runs of one way.
type cost struct{ wall, cpu time.Duration }

func (c *cost) add(f func()) {
	cpu0, start := processCPU(), time.Now()
	f()
	c.wall += time.Since(start)
	c.cpu += processCPU() - cpu0
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchServer(b *testing.B) (*testapp.Server, []string) {
	b.Helper()
	app := testapp.New(b)
	s := app.Settings()
	s.RateLimits.Enabled = false
	if err := app.Save(s); err != nil {
		b.Fatal(err)
	}
	plain := core.NewBaseCollection("visits_plain")
	plain.CreateRule = rulePtr(`@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.deputy = @request.auth.id`)
	deputies, _ := app.FindCollectionByNameOrId("deputies")
	households, _ := app.FindCollectionByNameOrId("households")
	plain.Fields.Add(
		&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
		&core.RelationField{Name: "household", CollectionId: households.Id, MaxSelect: 1, Required: true},
		&core.DateField{Name: "visited_at", Required: true},
		&core.GeoPointField{Name: "location"},
		&core.NumberField{Name: "location_accuracy"},
		&core.TextField{Name: "notes", Max: 2000},
		&core.SelectField{Name: "topics", Values: migrations.Topics, MaxSelect: len(migrations.Topics)},
		&core.JSONField{Name: "problems", MaxSize: 64 << 10},
		&core.BoolField{Name: "late"},
	)
	if err := migrations.AddPhotoFields(plain, 6); err != nil {
		b.Fatal(err)
	}
	if err := migrations.AddSyncFields(plain); err != nil {
		b.Fatal(err)
	}
	plain.AddIndex("idx_visits_plain_deputy_visited", false, "deputy, visited_at", "")
	plain.AddIndex("idx_visits_plain_household", false, "household", "")
	if err := app.Save(plain); err != nil {
		b.Fatal(err)
	}
	f := testapp.F(b)
	var ids []string
	for i := range 50 {
		h := core.NewRecord(households)
		h.Set("village", f.VillageA)
		h.Set("deputy", f.Deputy)
		h.Set("head_name", fmt.Sprintf("户主%d", i))
		h.Set("address", fmt.Sprintf("%d组%d号", i%9+1, i+1))
		if err := app.Save(h); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, h.Id)
	}
	return testapp.Serve(b, app, nil), ids
}

func rulePtr(s string) *string { return &s }

// benchData is the content of visit i, as the phone sends it.
func benchData(i int, households []string) map[string]any {
	return map[string]any{
		"household":  households[i%len(households)],
		"visited_at": time.Now().Add(-time.Duration(i) * time.Minute).UTC().Format(time.RFC3339),
		"notes":      "走访了解春耕用水、道路和医保缴费情况，群众反映村道需要硬化。",
		"topics":     []string{"道路交通", "农业生产"},
		"location":   map[string]any{"lat": 27.7 + float64(i)/1e5, "lon": 110.5, "accuracy": 25},
	}
}

func benchSyncPath(b *testing.B, s *testapp.Server, households []string, start int) {
	{
		recs := make([]map[string]any, 0, 100)
		for i := start; i < start+100; i++ {
			recs = append(recs, map[string]any{"collection": "visits", "id": testapp.ClientID(), "base_version": 0, "schema_version": 1, "data": benchData(i, households)})
		}
		res := s.Push(deputy, recs...)
		for _, r := range res {
			if r["outcome"] != "created" {
				b.Fatalf("sync: %v", r)
			}
		}
	}
}

// plainBody is visit i for the hook-free copy: PocketBase's geoPoint shape,
// the owner in the body (the create rule checks it).
func plainBody(b *testing.B, i int, households []string) map[string]any {
	d := benchData(i, households)
	loc := d["location"].(map[string]any)
	d["location"] = map[string]any{"lat": loc["lat"], "lon": loc["lon"]}
	d["location_accuracy"] = loc["accuracy"]
	d["deputy"] = testapp.F(b).Deputy
	d["id"] = testapp.ClientID()
	return d
}

func benchBatch(b *testing.B, s *testapp.Server, token string, households []string, start int) {
	{
		reqs := make([]map[string]any, 0, 100)
		for i := start; i < start+100; i++ {
			reqs = append(reqs, map[string]any{"method": "POST", "url": "/api/collections/visits_plain/records", "body": plainBody(b, i, households)})
		}
		raw, _ := json.Marshal(map[string]any{"requests": reqs})
		status, out := s.DoRaw(token, http.MethodPost, "/api/batch", "application/json", bytes.NewReader(raw))
		if status != 200 {
			b.Fatalf("batch: %d %s", status, out)
		}
	}
}

func benchSingle(b *testing.B, s *testapp.Server, token string, households []string, start int) {
	for i := start; i < start+100; i++ {
		raw, _ := json.Marshal(plainBody(b, i, households))
		status, out := s.DoRaw(token, http.MethodPost, "/api/collections/visits_plain/records", "application/json", bytes.NewReader(raw))
		if status != 200 {
			b.Fatalf("single create: %d %s", status, out)
		}
	}
}

// benchSave saves the records one by one with app.Save (each its own
// transaction), so the difference between the two collections is our hooks.
func benchSave(b *testing.B, app *tests.TestApp, collection string, households []string, start int) {
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		b.Fatal(err)
	}
	f := testapp.F(b)
	for i := start; i < start+100; i++ {
		d := benchData(i, households)
		r := core.NewRecord(col)
		r.Set("deputy", f.Deputy)
		r.Set("household", d["household"])
		r.Set("visited_at", d["visited_at"])
		r.Set("notes", d["notes"])
		r.Set("topics", d["topics"])
		r.Set("location", map[string]any{"lat": 27.7, "lon": 110.5})
		r.Set("location_accuracy", 25)
		if err := app.Save(r); err != nil {
			b.Fatal(err)
		}
	}
}
