package syncengine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/hooks/visits"
	"simeng/internal/testapp"
)

const benchVisits = 1000

// BenchmarkVisitSync syncs 1,000 queued visits through our sync path and
// the same rows through PocketBase's /api/batch and single creates on a
// hook-free copy of the collection (visits_plain: same fields and indexes,
// a create rule with the same access condition), all over real HTTP on
// 127.0.0.1, then app.Save record by record into both collections to price
// our hooks. It does so for a deputy with no visits yet and for one who
// already holds 10,000 this year (in both collections), where anything that
// re-reads a deputy's year would show. Figures go in BENCHMARKS.md:
//
//	go test ./hooks/syncengine -run '^$' -bench BenchmarkVisitSync -benchtime 3x -count 5
func BenchmarkVisitSync(b *testing.B) {
	for _, held := range []int{0, 10_000} {
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) { benchVisitSync(b, held) })
	}
}

func benchVisitSync(b *testing.B, held int) {
	// The five ways run interleaved, 100 records at a time, so that the
	// shared machine's noise falls on all of them alike. Each is measured
	// in wall time and in process CPU time (client and server share the
	// process; the client's work is alike for all five), which a loaded
	// machine distorts much less.
	var sync, batch, single, saveHooks, savePlain cost
	for range b.N {
		s, households := benchServer(b, held)
		token := testapp.Token(b, deputy)
		for start := 0; start < benchVisits; start += 100 {
			// The assessment rescores the writes queue run on the clock of
			// the way that queued them (Flush), not in the next way's turn.
			sync.add(func() { benchSyncPath(b, s, households, start); assessment.Flush(s.App) })
			batch.add(func() { benchBatch(b, s, token, households, start) })
			single.add(func() { benchSingle(b, s, token, households, start) })
			saveHooks.add(func() {
				testapp.SaveVisits(b, s.App, "visits", households, start, testapp.FieldPace)
				assessment.Flush(s.App)
			})
			savePlain.add(func() { testapp.SaveVisits(b, s.App, "visits_plain", households, start, testapp.FieldPace) })
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

// BenchmarkVisitSyncHeld prices what a deputy's 10,000 visits held this
// year do to each side of the sync figure: a server with none and one
// with 10,000 (in both collections), in one process, each push of 100
// visits and each /api/batch of 100 timed on both in turn. held10k/held0
// above 1 is a way that costs more for the busy deputy.
//
//	go test ./hooks/syncengine -run '^$' -bench BenchmarkVisitSyncHeld -benchtime 1x -count 3
func BenchmarkVisitSyncHeld(b *testing.B) {
	var sync, batch [2]cost
	for range b.N {
		var servers [2]*testapp.Server
		var households [2][]string
		for i, held := range []int{0, 10_000} {
			servers[i], households[i] = benchServer(b, held)
		}
		token := testapp.Token(b, deputy)
		for start := 0; start < 2*benchVisits; start += 100 {
			for i, s := range servers {
				sync[i].add(func() { benchSyncPath(b, s, households[i], start); assessment.Flush(s.App) })
				batch[i].add(func() { benchBatch(b, s, token, households[i], start) })
			}
		}
	}
	b.ReportMetric(sync[1].cpu.Seconds()/sync[0].cpu.Seconds(), "sync_cpu_held10k/held0")
	b.ReportMetric(batch[1].cpu.Seconds()/batch[0].cpu.Seconds(), "batch_cpu_held10k/held0")
	b.ReportMetric(batch[0].cpu.Seconds()/sync[0].cpu.Seconds(), "sync/batch_cpu_held0")
	b.ReportMetric(batch[1].cpu.Seconds()/sync[1].cpu.Seconds(), "sync/batch_cpu_held10k")
}

// BenchmarkHookCost splits what the table's "our hooks vs a hook-free
// copy" costs a visit saved with app.Save outside a push: 100 visits into
// visits, then the rescore they queued (assessment.Flush), then the same
// 100 into visits_plain, b.N times on one server whose deputy holds none,
// with the plausibility flags on and off (the setting flags_off). A
// garbage collection is forced before each way, so that no way is charged
// the garbage of the one before (without it the hooks' figure spreads
// over some 25 points between runs); so this prices the work, not the
// collection, and is not the table's figure. A CPU profile of it splits
// by way (labels way=hooks, rescore, plain): a diff of the hooks' and the
// plain saves' profiles is what the hooks add.
//
//	go test ./hooks/syncengine -run '^$' -bench 'BenchmarkHookCost$' -benchtime 100x -count 3
//
// and for the profile's diff:
//
//	go test ./hooks/syncengine -run '^$' -bench 'BenchmarkHookCost/flags=on' -benchtime 300x -cpuprofile cpu.out -o syncengine.test
//	go tool pprof -proto -tagfocus way=plain syncengine.test cpu.out > plain.pb.gz   (and way=hooks)
//	go tool pprof -top -diff_base plain.pb.gz hooks.pb.gz
func BenchmarkHookCost(b *testing.B) {
	for _, flags := range []string{"on", "off"} {
		b.Run("flags="+flags, func(b *testing.B) {
			s, households := benchServer(b, 0)
			if flags == "off" {
				set, err := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
				if err != nil || len(set) != 1 {
					b.Fatalf("verification settings: %v", err)
				}
				set[0].Set("flags_off", true)
				if err := s.App.Save(set[0]); err != nil {
					b.Fatal(err)
				}
			}
			var saves, flush, plain cost
			b.ResetTimer()
			for i := range b.N {
				runtime.GC()
				saves.add(labelled("hooks", func() { testapp.SaveVisits(b, s.App, "visits", households, i*100, testapp.FieldPace) }))
				flush.add(labelled("rescore", func() { assessment.Flush(s.App) }))
				runtime.GC()
				plain.add(labelled("plain", func() { testapp.SaveVisits(b, s.App, "visits_plain", households, i*100, testapp.FieldPace) }))
			}
			n := float64(b.N * 100)
			b.ReportMetric(saves.cpu.Seconds()*1e6/n, "hooks_save_cpu_us/rec")
			b.ReportMetric(flush.cpu.Seconds()*1e6/n, "rescore_cpu_us/rec")
			b.ReportMetric(plain.cpu.Seconds()*1e6/n, "plain_save_cpu_us/rec")
			b.ReportMetric(100*((saves.cpu+flush.cpu).Seconds()/plain.cpu.Seconds()-1), "hook_overhead_cpu_%")
		})
	}
}

// labelled runs f under the CPU profile label way=name, so that a
// profile of the benchmark splits by way (-tagfocus way=hooks).
func labelled(name string, f func()) func() {
	return func() { pprof.Do(context.Background(), pprof.Labels("way", name), func(context.Context) { f() }) }
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

func benchServer(b testing.TB, held int) (*testapp.Server, []string) {
	b.Helper()
	s, households := testapp.BenchServer(b)
	fieldData(b, s.App)
	addPlainVisits(b, s.App)
	for _, c := range []string{"visits", "visits_plain"} {
		holdVisits(b, s.App, c, held, households)
	}
	// A serving township renews them every hour; the collection just
	// added left statistics of nearly empty tables.
	testapp.RenewStatistics(b, s.App)
	// and reads this year's visits into memory as it starts (test servers
	// do not start one): not a cost of the first push measured.
	if err := visits.ReadAhead(s.App); err != nil {
		b.Fatal(err)
	}
	return s, households
}

// fieldData makes the benchmark's visits what a deputy's field work
// leaves, so that the plausibility checks run in full and raise nothing:
// households registered two months back (households created minutes
// before their visits are what the one-sitting check flags, 一次性集中录入),
// visits testapp.FieldPace apart, and an offline period of 60 days,
// since 1,000 visits at that pace span two weeks and each push is sent
// now (the threshold's value costs nothing; a visit it flags would cost a
// flag row). The checks' cost on fabricated data (every visit flagged)
// is BenchmarkFlagPush's "worst" figure; their cost on visits crowded far
// closer than any field pace, record by record, is bounded by the kept
// windows (hooks/verification/kept.go).
func fieldData(b testing.TB, app core.App) {
	old, _ := types.ParseDateTime(time.Now().Add(-60 * 24 * time.Hour))
	if _, err := app.DB().Update("households", dbx.Params{"created": old.String()}, dbx.NewExp("1=1")).Execute(); err != nil {
		b.Fatal(err)
	}
	set, err := app.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(set) != 1 {
		b.Fatalf("verification settings: %v", err)
	}
	set[0].Set("thresholds", map[string]any{"offline_period_h": 1440})
	if err := app.Save(set[0]); err != nil {
		b.Fatal(err)
	}
}

// addPlainVisits adds visits_plain, a copy of the visits collection's
// fields and indexes that no hook of ours watches, with a create rule of
// the same access condition.
func addPlainVisits(b testing.TB, app core.App) {
	raw, err := json.Marshal(testapp.Collection(b, app, "visits"))
	if err != nil {
		b.Fatal(err)
	}
	plain := &core.Collection{}
	if err := json.Unmarshal(raw, plain); err != nil {
		b.Fatal(err)
	}
	plain.Id, plain.Name = "", "visits_plain"
	plain.ListRule, plain.ViewRule, plain.UpdateRule, plain.DeleteRule = nil, nil, nil, nil
	rule := `@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.body.deputy = @request.auth.id`
	plain.CreateRule = &rule
	for i, idx := range plain.Indexes {
		plain.Indexes[i] = strings.ReplaceAll(strings.ReplaceAll(idx, "idx_visits_", "idx_visits_plain_"), "`visits`", "`visits_plain`")
	}
	if err := app.Save(plain); err != nil {
		b.Fatal(err)
	}
}

// holdVisits gives the benchmark's deputy n visits of this year in
// collection, written in SQL before anything is measured.
func holdVisits(b testing.TB, app core.App, collection string, n int, households []string) {
	if n == 0 {
		return
	}
	list, _ := json.Marshal(households)
	_, err := app.DB().NewQuery(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {:n})
		INSERT INTO ` + collection + ` (id, deputy, household, visited_at, notes, topics, problems, photo_manifest,
			complete, version, seq, schema_version, received_at, created, updated)
		SELECT printf('held%011d', i), {:deputy}, json_extract({:households}, '$[' || (i % {:count}) || ']'), {:at},
			'走访记录', '["道路交通"]', '[]', '[]', TRUE, 1, 0, 1, {:at}, {:at}, {:at} FROM n`).
		Bind(dbx.Params{"n": n, "deputy": testapp.F(b).Deputy, "households": string(list), "count": len(households),
			"at": heldAt().UTC().Format("2006-01-02 15:04:05.000Z")}).Execute()
	if err != nil {
		b.Fatal(err)
	}
}

// heldAt is a moment of this year (China time) before the benchmark's own
// visits, which go back up to a day from now.
func heldAt() time.Time {
	now := chinatime.In(time.Now())
	start := chinatime.YearStart(now.Year())
	return start.Add(now.Sub(start) / 2)
}

func benchSyncPath(b *testing.B, s *testapp.Server, households []string, start int) {
	{
		recs := make([]map[string]any, 0, 100)
		for i := start; i < start+100; i++ {
			recs = append(recs, map[string]any{"collection": "visits", "id": testapp.ClientID(), "base_version": 0, "schema_version": 1, "data": testapp.PacedVisitData(i, households, testapp.FieldPace)})
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
	d := testapp.PacedVisitData(i, households, testapp.FieldPace)
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
