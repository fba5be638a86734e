package assessment_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/internal/testapp"
)

// BenchmarkRescoreBusyDeputy measures what one visit saved costs its
// deputy's rescore (the worker's run after the write, Flush) for a deputy
// with no visits yet and one holding 10,000 this year, interleaved in one
// run: the cost must not grow with the visits held (held/none ≈ 1). See
// BENCHMARKS.md ("Assessment").
//
//	go test ./hooks/assessment -run '^$' -bench RescoreBusyDeputy -benchtime 200x -count 3
func BenchmarkRescoreBusyDeputy(b *testing.B) {
	type side struct {
		s          *testapp.Server
		households []string
		took       time.Duration
	}
	sides := make([]*side, 2)
	for i, held := range []int{0, 10_000} {
		s, households := testapp.BenchServer(b)
		holdVisitsOf(b, s.App, held, households)
		assessment.Flush(s.App)
		if _, err := assessment.RecomputeYear(s.App, chinatime.CurrentYear()); err != nil {
			b.Fatal(err)
		}
		sides[i] = &side{s: s, households: households}
	}
	b.ResetTimer()
	for i := range b.N {
		for _, sd := range sides {
			b.StopTimer()
			visits := testapp.Collection(b, sd.s.App, "visits")
			d := testapp.VisitData(i, sd.households)
			r := core.NewRecord(visits)
			r.Set("deputy", testapp.F(b).Deputy)
			r.Set("household", d["household"])
			r.Set("visited_at", d["visited_at"])
			r.Set("notes", d["notes"])
			if err := sd.s.App.Save(r); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			assessment.Flush(sd.s.App)
			sd.took += time.Since(start)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(sides[0].took), "held0_ms/rescore")
	b.ReportMetric(ms(sides[1].took), "held10000_ms/rescore")
	b.ReportMetric(sides[1].took.Seconds()/sides[0].took.Seconds(), "held10000/held0")
}

// holdVisitsOf gives Deputy n visits this year, written in SQL.
func holdVisitsOf(b testing.TB, app interface{ DB() dbx.Builder }, n int, households []string) {
	if n == 0 {
		return
	}
	list, _ := json.Marshal(households)
	now := chinatime.In(time.Now())
	start := chinatime.YearStart(now.Year())
	at := start.Add(now.Sub(start) / 2).UTC().Format("2006-01-02 15:04:05.000Z")
	_, err := app.DB().NewQuery(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {:n})
		INSERT INTO visits (id, deputy, household, visited_at, notes, topics, problems, photo_manifest,
			complete, version, seq, schema_version, received_at, created, updated)
		SELECT printf('held%011d', i), {:deputy}, json_extract({:households}, '$[' || (i % {:count}) || ']'), {:at},
			'走访记录', '["道路交通"]', '[]', '[]', TRUE, 1, 0, 1, {:at}, {:at}, {:at} FROM n`).
		Bind(dbx.Params{"n": n, "deputy": testapp.F(b).Deputy, "households": string(list), "count": len(households),
			"at": at}).Execute()
	if err != nil {
		b.Fatal(err)
	}
}
