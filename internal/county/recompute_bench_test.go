package county_test

import (
	"context"
	"runtime/pprof"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/hooks/assessment"
	"simeng/hooks/visits"
	"simeng/internal/county"
	"simeng/internal/testapp"
)

// BenchmarkCountyRecompute times the recompute of the year in process on
// the county and its tenth (the data dirs BenchmarkCounty serves), each
// app with its year read ahead and recomputed once first: 5 recomputes of
// the county, 50 of the tenth, so that a CPU profile of the run (labelled
// size=tenth and size=county) holds as many visits read of each. Where the
// recompute's growth above 10× comes from is read in that profile:
//
//	go test ./internal/county -run '^$' -bench 'BenchmarkCountyRecompute$' -benchtime 1x -cpuprofile cpu.out
//	go tool pprof -tagfocus 'size=^county$' -top -cum cpu.out
func BenchmarkCountyRecompute(b *testing.B) {
	year := chinatime.CurrentYear()
	for range b.N {
		var ms [2]float64
		for i, sz := range []struct {
			name    string
			size    county.Size
			repeats int
		}{{"tenth", county.County.Tenth(), 50}, {"county", county.County, 5}} {
			app := testapp.Derived(b, seededName(sz.size), seed(b, sz.size))
			if err := visits.ReadAhead(app); err != nil {
				b.Fatal(err)
			}
			if _, err := assessment.RecomputeYear(app, year); err != nil {
				b.Fatal(err)
			}
			var took time.Duration
			pprof.Do(context.Background(), pprof.Labels("size", sz.name), func(context.Context) {
				for range sz.repeats {
					start := time.Now()
					if _, err := assessment.RecomputeYear(app, year); err != nil {
						b.Fatal(err)
					}
					took += time.Since(start)
				}
			})
			ms[i] = took.Seconds() * 1000 / float64(sz.repeats)
			b.ReportMetric(ms[i], sz.name+"_recompute_ms")
		}
		b.ReportMetric(ms[1]/ms[0], "x10_recompute")
	}
}
