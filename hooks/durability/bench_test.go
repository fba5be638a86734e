package durability_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkReplication measures, in one run against the real binary:
//
//   - write throughput (records/s of /api/sync/push, 4 phones pushing 100
//     records at a time) with replication off and on, phases interleaved
//     off, on, off, on on fresh data dirs; cost_% = 1 − on/off;
//
//   - replication lag: at a steady rate of pushes (2 a second, 10 visits
//     each: a township's evening peak several times over), the time from a
//     push's reply until the status route shows its transaction in the
//     replica (polled every 5 ms), for a file replica and for an
//     in-process S3 server.
//
//     go test ./hooks/durability -run '^$' -bench BenchmarkReplication -benchtime 1x
func BenchmarkReplication(b *testing.B) {
	bin := buildBinary(b)
	for range b.N {
		var off, on []float64
		for i := range 4 {
			env := []string(nil)
			if i%2 == 1 {
				env = []string{"SIMENG_REPLICA_URL=file://" + filepath.Join(b.TempDir(), "replica")}
			}
			rate := throughput(b, bin, env)
			if env == nil {
				off = append(off, rate)
			} else {
				on = append(on, rate)
			}
		}
		offRate, onRate := (off[0]+off[1])/2, (on[0]+on[1])/2
		b.ReportMetric(offRate, "recs/s_off")
		b.ReportMetric(onRate, "recs/s_on")
		b.ReportMetric(100*(1-onRate/offRate), "cost_%")

		fileLag := steadyLag(b, bin, []string{"SIMENG_REPLICA_URL=file://" + filepath.Join(b.TempDir(), "replica")})
		b.ReportMetric(ms(fileLag[len(fileLag)/2]), "file_lag_p50_ms")
		b.ReportMetric(ms(fileLag[len(fileLag)*95/100]), "file_lag_p95_ms")
		b.ReportMetric(ms(fileLag[len(fileLag)-1]), "file_lag_max_ms")

		k := s3Replica(b, false)
		s3Lag := steadyLag(b, bin, k.env)
		b.ReportMetric(ms(s3Lag[len(s3Lag)/2]), "s3_lag_p50_ms")
		b.ReportMetric(ms(s3Lag[len(s3Lag)*95/100]), "s3_lag_p95_ms")
		b.ReportMetric(ms(s3Lag[len(s3Lag)-1]), "s3_lag_max_ms")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seeded starts a fresh seeded server with env.
func seeded(b *testing.B, bin string, env []string) (*server, township) {
	dir := filepath.Join(b.TempDir(), "pb_data")
	if out, err := run(b, bin, nil, "superuser", "upsert", suEmail, suPass, "--dir", dir); err != nil {
		b.Fatalf("superuser upsert: %v\n%s", err, out)
	}
	s := startServer(b, bin, dir, env)
	return s, seed(b, s, nil)
}

// pushBody is one push of households and their visits (no photos).
func pushBody(village string, households, visitsEach int) map[string]any {
	var recs []map[string]any
	for h := range households {
		hid := newID()
		recs = append(recs, map[string]any{"collection": "households", "id": hid, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"village": village, "head_name": "户主" + hid[:4], "address": fmt.Sprintf("%d组%s号", h+1, hid[:5])}})
		for range visitsEach {
			recs = append(recs, map[string]any{"collection": "visits", "id": newID(), "base_version": 0, "schema_version": 1,
				"data": map[string]any{"household": hid, "visited_at": time.Now().Add(-time.Hour).Format(time.RFC3339),
					"notes": "走访了解用水情况", "topics": []string{"饮水安全"}}})
		}
	}
	return map[string]any{"device": "benchphone", "records": recs}
}

// throughput pushes 24 batches of 100 records from 4 phones at once.
func throughput(b *testing.B, bin string, env []string) float64 {
	s, tw := seeded(b, bin, env)
	defer s.kill(b)
	const pushes, phones = 24, 4
	bodies := make(chan map[string]any, pushes)
	for range pushes {
		bodies <- pushBody(tw.village, 20, 4)
	}
	close(bodies)
	start := time.Now()
	var wg sync.WaitGroup
	for range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range bodies {
				s.mustCall(b, http.MethodPost, "/api/sync/push", tw.deputy, body, nil)
			}
		}()
	}
	wg.Wait()
	return float64(pushes*100) / time.Since(start).Seconds()
}

// steadyLag pushes 2 times a second for 20 s and returns each push's lag
// until it is in the replica, sorted.
func steadyLag(b *testing.B, bin string, env []string) []time.Duration {
	s, tw := seeded(b, bin, env)
	defer s.kill(b)
	s.waitReplicated(b, 250*time.Millisecond)
	var lags []time.Duration
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for range 40 {
		<-tick.C
		before := s.status(b).Databases[0].LocalTXID
		s.mustCall(b, http.MethodPost, "/api/sync/push", tw.deputy, pushBody(tw.village, 2, 5), nil)
		replied := time.Now()
		for deadline := replied.Add(10 * time.Second); ; {
			st := s.status(b).Databases[0]
			if st.LocalTXID > before && st.ReplicaTXID >= st.LocalTXID {
				lags = append(lags, time.Since(replied))
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("push not replicated within 10 s: %+v", st)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	slices.Sort(lags)
	return lags
}
