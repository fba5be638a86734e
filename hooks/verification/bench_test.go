package verification_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/internal/testapp"
)

// BenchmarkFlagPush prices the plausibility flags on the sync push: 1,000
// visits pushed 100 at a time, flags on against flags off (the setting
// flags_off) on twin servers, interleaved so the machine's noise falls on
// both alike. Two data sets:
//
//   - honest: households recorded two months earlier, visits 30 minutes
//     apart with GPS fixes 100 m apart inside the village: no flag raised
//     (the offline period is set to 60 days on both twins, since 1,000
//     visits span three weeks: the threshold's value costs nothing);
//
//   - worst: the existing sync benchmark's pattern (BenchmarkVisitSync):
//     households created at setup, visits one minute apart, and no fixes
//     here, so every visit raises no_fix, too_soon and one_sitting;
//
//   - crowd: a fabricated year typed in at once (the black-box sync
//     check's pattern): 20 households made at setup, visits dated one to
//     nine months back at nine instants, all at one place, so every visit
//     raises late_upload and nearly every one one_sitting, and a push's
//     visits share their instant with hundreds of stored ones.
//
//     go test ./hooks/verification -run '^$' -bench BenchmarkFlagPush -benchtime 1x -count 3
func BenchmarkFlagPush(b *testing.B) {
	for _, data := range []string{"honest", "worst", "crowd"} {
		b.Run(data, func(b *testing.B) {
			var on, off cost
			for range b.N {
				sOn, hOn := benchTwin(b, data == "honest", false)
				sOff, hOff := benchTwin(b, data == "honest", true)
				for start := 0; start < 1000; start += 100 {
					on.add(func() { pushBench(b, sOn, hOn, start, data) })
					off.add(func() { pushBench(b, sOff, hOff, start, data) })
				}
			}
			b.ReportMetric(100*(on.wall.Seconds()/off.wall.Seconds()-1), "flags_wall_%")
			b.ReportMetric(100*(on.cpu.Seconds()/off.cpu.Seconds()-1), "flags_cpu_%")
			b.ReportMetric(float64(b.N*1000)/on.wall.Seconds(), "on_rec/s")
			b.ReportMetric(float64(b.N*1000)/off.wall.Seconds(), "off_rec/s")
		})
	}
}

func benchTwin(b testing.TB, honest, flagsOff bool) (*testapp.Server, []string) {
	s, households := testapp.BenchServer(b)
	f := testapp.F(b)
	v, err := s.App.FindRecordById("villages", f.VillageA)
	if err != nil {
		b.Fatal(err)
	}
	v.Set("position", types.GeoPoint{Lat: 27.7, Lon: 110.5})
	v.Set("radius_m", 1500)
	if err := s.App.Save(v); err != nil {
		b.Fatal(err)
	}
	if honest {
		old, _ := types.ParseDateTime(time.Now().Add(-60 * 24 * time.Hour))
		if _, err := s.App.DB().Update("households", dbx.Params{"created": old.String()}, dbx.NewExp("1=1")).Execute(); err != nil {
			b.Fatal(err)
		}
	}
	set, err := s.App.FindRecordsByFilter("verification_settings", "", "", 1, 0)
	if err != nil || len(set) != 1 {
		b.Fatal("settings")
	}
	set[0].Set("flags_off", flagsOff)
	if honest {
		set[0].Set("thresholds", map[string]any{"offline_period_h": 1440})
	}
	if err := s.App.Save(set[0]); err != nil {
		b.Fatal(err)
	}
	return s, households
}

func pushBench(b testing.TB, s *testapp.Server, households []string, start int, data string) {
	recs := make([]map[string]any, 0, 100)
	for i := start; i < start+100; i++ {
		d := testapp.VisitData(i, households)
		switch data {
		case "crowd":
			d["household"] = households[i%20]
			back := time.Now().UTC().AddDate(0, -(1 + i%9), 0) // one to nine months back, never ahead
			d["visited_at"] = time.Date(back.Year(), back.Month(), back.Day(), 1, 30, 0, 0, time.UTC).Format(time.RFC3339)
			d["location"] = map[string]any{"lat": 27.7, "lon": 110.5, "accuracy": 25}
		case "honest":
			d["visited_at"] = time.Now().Add(-time.Duration(i) * 30 * time.Minute).UTC().Format(time.RFC3339)
			d["location"] = map[string]any{"lat": 27.7 + float64(i%10)/1100, "lon": 110.5, "accuracy": 25}
		default:
			delete(d, "location")
		}
		recs = append(recs, map[string]any{"collection": "visits", "id": testapp.ClientID(), "base_version": 0, "schema_version": 1, "data": d})
	}
	for _, r := range s.Push(deputy, recs...) {
		if r["outcome"] != "created" {
			b.Fatalf("push: %v", r)
		}
	}
}

// cost sums the wall and process CPU time of one side's pushes.
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
