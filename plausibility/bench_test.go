package plausibility

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// The benchmarks price flagging on the push path for a deputy with 10,000
// visits in the year (far beyond the 12 the rule asks: the worst case),
// against a township photo index of 30,000 photos. Figures go in
// designs/21.md:
//
//	go test ./plausibility -run '^$' -bench . -benchtime 2s -count 3

const (
	yearVisits    = 10000
	indexedPhotos = 30000
)

// cpu is the process's CPU time so far. The shared machine's load
// stretches wall time several-fold; CPU time per visit is what flagging
// adds to a push.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report adds ns/visit (wall) and cpu_ns/visit for n visits since cpu0.
func report(b *testing.B, n int, cpu0 time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/visit")
	b.ReportMetric(float64((cpu()-cpu0).Nanoseconds())/float64(n), "cpu_ns/visit")
}

// year is one deputy's 10,000 visits over 2026: working hours, 1,500
// households of the fixture village, fixes within it (one in five
// missing), one or two photos each; new households now and then.
func year() []Visit {
	rng := rand.New(rand.NewPCG(2026, 12))
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, China)
	vs := make([]Visit, yearVisits)
	for i := range vs {
		day := i * 365 / yearVisits
		t := start.AddDate(0, 0, day).Add(time.Duration(rng.IntN(10*60)) * time.Minute)
		var f *Fix
		if rng.IntN(5) > 0 {
			f = offset(float64(rng.IntN(2400)-1200), float64(rng.IntN(2400)-1200), float64(10+rng.IntN(50)))
		}
		h := fmt.Sprintf("h%04d", rng.IntN(1500))
		v := visit(fmt.Sprintf("v%05d", i), h, t, f)
		if rng.IntN(10) == 0 {
			v.HouseholdCreator, v.HouseholdCreated = "d1", t.Add(time.Hour)
		}
		for p := range 1 + rng.IntN(2) {
			v.Photos = append(v.Photos, Photo{Key: fmt.Sprint("ph", p), SHA256: fakeSHA(i, p), PHash: PHash(rng.Uint64()), Hashed: true})
		}
		vs[i] = v
	}
	return vs
}

func fakeSHA(i, p int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d", i, p))
	return hex.EncodeToString(sum[:])
}

// photoIndex holds the year's photos and other deputies' up to 30,000.
func photoIndex(vs []Visit) *PhotoIndex {
	ix := NewPhotoIndex()
	n := 0
	for _, v := range vs {
		var refs []PhotoRef
		for _, p := range v.Photos {
			refs = append(refs, PhotoRef{Photo: p, Visit: v.ID, Household: v.Household, Deputy: v.Deputy, VisitedAt: v.VisitedAt})
		}
		ix.Put(v.ID, refs...)
		n += len(refs)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := 0; n < indexedPhotos; i++ {
		id := fmt.Sprintf("o%05d", i)
		ix.Put(id, PhotoRef{Photo: Photo{SHA256: fakeSHA(-i-1, 0), PHash: PHash(rng.Uint64()), Hashed: true},
			Visit: id, Household: "other", Deputy: "d2"})
		n++
	}
	return ix
}

// atPush is v as a push sees it: photos declared (sha256) but not yet
// uploaded, so not yet perceptually hashed.
func atPush(v Visit) Visit {
	v.Photos = append([]Photo(nil), v.Photos...)
	for i := range v.Photos {
		v.Photos[i].Hashed = false
	}
	return v
}

// BenchmarkFlagPush: evaluating one pushed visit with the state kept per
// deputy (History: neighbours by binary search) and the photo index.
func BenchmarkFlagPush(b *testing.B) {
	vs := year()
	h, ix := NewHistory(vs...), photoIndex(vs)
	s := Settings{}.Normalized()
	in := Inputs{Settings: s, Villages: villages}
	flagged, i, cpu0 := 0, 0, cpu()
	for b.Loop() {
		v := atPush(vs[i%len(vs)])
		in.Nearby = h.Near(v.VisitedAt, s.Window())
		in.Photos = ix.Candidates(v, s.SimilarPhotoMaxBits)
		flagged += len(Evaluate(v, in))
		i++
	}
	report(b, b.N, cpu0)
	b.ReportMetric(float64(flagged)/float64(b.N), "flags/visit")
}

// BenchmarkFlagPushOf100: a whole push of 100 new visits spanning three
// days: the History the push's range query would fill (the window), then
// each visit put and evaluated in turn.
func BenchmarkFlagPushOf100(b *testing.B) {
	vs := year()
	ix := photoIndex(vs)
	s := Settings{}.Normalized()
	in := Inputs{Settings: s, Villages: villages}
	const first = 5000 // the push's visits are vs[first:first+100], about 3.6 days
	pushed := vs[first : first+100]
	times := make([]time.Time, len(pushed))
	for i, v := range pushed {
		times[i] = v.VisitedAt
	}
	from, to, _ := NeedWindow(times, s)
	var window []Visit // what the range query returns: the stored visits around the push
	for _, v := range vs {
		if !v.VisitedAt.Before(from) && !v.VisitedAt.After(to) && (v.ID < pushed[0].ID || v.ID > pushed[99].ID) {
			window = append(window, v)
		}
	}
	cpu0 := cpu()
	for b.Loop() {
		h := NewHistory(window...)
		for _, v := range pushed {
			v = atPush(v)
			h.Put(v)
			in.Nearby = h.Near(v.VisitedAt, s.Window())
			in.Photos = ix.Candidates(v, s.SimilarPhotoMaxBits)
			Evaluate(v, in)
		}
	}
	report(b, b.N*len(pushed), cpu0)
	b.ReportMetric(float64(len(window)), "window_visits")
}

// BenchmarkFlagRereadYear: the same evaluation handed the deputy's whole
// year instead of the window: what incremental evaluation avoids.
func BenchmarkFlagRereadYear(b *testing.B) {
	vs := year()
	ix := photoIndex(vs)
	s := Settings{}.Normalized()
	in := Inputs{Settings: s, Villages: villages, Nearby: vs}
	i, cpu0 := 0, cpu()
	for b.Loop() {
		v := atPush(vs[i%len(vs)])
		in.Photos = ix.Candidates(v, s.SimilarPhotoMaxBits)
		Evaluate(v, in)
		i++
	}
	report(b, b.N, cpu0)
}

// BenchmarkFlagCrowd: one visit among 200 of its deputy at the same
// minute (fabricated work, or paper records typed in with one default
// time), fixes at one point, to 20 households: each visit of such a push
// is judged against all the others. "fresh" households were created for
// the visits (the one-sitting check counts them too).
func BenchmarkFlagCrowd(b *testing.B) {
	for _, fresh := range []bool{false, true} {
		b.Run(fmt.Sprint("fresh=", fresh), func(b *testing.B) {
			t := time.Date(2026, 3, 5, 9, 30, 0, 0, China)
			mk := func(i int) Visit {
				v := visit(fmt.Sprintf("v%05d", i), fmt.Sprintf("h%02d", i%20), t, &Fix{Lat: 27.7, Lon: 110.5, AccuracyM: 25})
				v.ReceivedAt = t.AddDate(0, 9, 0)
				if fresh {
					v.HouseholdCreator, v.HouseholdCreated = "d1", v.ReceivedAt.Add(-time.Hour)
				}
				return v
			}
			h := NewHistory()
			for i := range 200 {
				h.Put(mk(i))
			}
			v := mk(999)
			in := Inputs{Settings: Settings{}.Normalized(), Nearby: h.Near(t, time.Minute)}
			flagged, cpu0 := 0, cpu()
			for b.Loop() {
				flagged += len(Evaluate(v, in))
			}
			report(b, b.N, cpu0)
			b.ReportMetric(float64(flagged)/float64(b.N), "flags/visit")
		})
	}
}

// BenchmarkFlagPhotoArrival: a photo arrives and is hashed; its visit's
// photos are matched against the index of 30,000 (a scan of the hashes).
func BenchmarkFlagPhotoArrival(b *testing.B) {
	vs := year()
	ix := photoIndex(vs)
	s := Settings{}.Normalized()
	i, cpu0 := 0, cpu()
	for b.Loop() {
		v := vs[i%len(vs)]
		CheckPhotos(v, ix.Candidates(v, s.SimilarPhotoMaxBits), s)
		i++
	}
	report(b, b.N, cpu0)
}

// BenchmarkPerceptualHash: hashing a decoded 1600 × 1200 photo (the PWA's
// largest), next to decoding its JPEG, which the upload path pays anyway.
func BenchmarkPerceptualHash(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scene(1, 1600, 1200), &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	raw := buf.Bytes()
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(raw)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hash", func(b *testing.B) {
		for b.Loop() {
			if _, err := PerceptualHash(img); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHistoryPut: a deputy's window of visits (300, four days at
// field pace) takes one visit more, arriving after all it holds (a day's
// visits typed in order), before all (paper records typed from today
// backwards) or anywhere; the window then lets go of its oldest or newest
// so that it stays at 300.
func BenchmarkHistoryPut(b *testing.B) {
	const held = 300
	t0 := time.Date(2026, 3, 5, 9, 30, 0, 0, China)
	for _, order := range []string{"forwards", "backwards", "anywhere"} {
		b.Run(order, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			vs := make([]Visit, held)
			for i := range vs {
				vs[i] = visit(fmt.Sprintf("w%05d", i), "h1", t0.Add(time.Duration(i)*20*time.Minute), nil)
			}
			h := NewHistory(vs...)
			first, last := 0, held-1
			i := 0
			for b.Loop() {
				i++
				id := fmt.Sprintf("n%07d", i)
				switch order {
				case "forwards":
					last++
					h.Put(visit(id, "h1", t0.Add(time.Duration(last)*20*time.Minute), nil))
					first++
					h.Keep(t0.Add(time.Duration(first)*20*time.Minute), t0.Add(time.Duration(last)*20*time.Minute))
				case "backwards":
					first--
					h.Put(visit(id, "h1", t0.Add(time.Duration(first)*20*time.Minute), nil))
					last--
					h.Keep(t0.Add(time.Duration(first)*20*time.Minute), t0.Add(time.Duration(last)*20*time.Minute))
				default:
					v := visit(id, "h1", t0.Add(time.Duration(rng.IntN(held*20))*time.Minute), nil)
					h.Put(v)
					h.Remove(v.ID)
				}
			}
			if h.Len() < held-1 || h.Len() > held+1 {
				b.Fatalf("window holds %d visits, want about %d", h.Len(), held)
			}
		})
	}
}
