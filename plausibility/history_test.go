package plausibility

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	h := NewHistory()
	all := map[string]Visit{}
	for i := range 300 {
		v := visit(fmt.Sprintf("v%03d", rng.IntN(200)), "h1", at(0, 0).Add(time.Duration(rng.IntN(48*60))*time.Minute), nil)
		if i%7 == 0 {
			h.Remove(v.ID)
			delete(all, v.ID)
			continue
		}
		h.Put(v) // a repeated id moves the visit
		all[v.ID] = v
	}
	if h.Len() != len(all) {
		t.Fatalf("Len %d, want %d", h.Len(), len(all))
	}
	for range 100 {
		c := at(0, 0).Add(time.Duration(rng.IntN(50*60)) * time.Minute)
		d := time.Duration(rng.IntN(180)) * time.Minute
		var want []string
		for _, v := range all {
			if !v.VisitedAt.Before(c.Add(-d)) && !v.VisitedAt.After(c.Add(d)) {
				want = append(want, v.ID)
			}
		}
		var got []string
		near := h.Near(c, d)
		for i, v := range near {
			got = append(got, v.ID)
			if i > 0 && byTime(near[i-1], v) >= 0 {
				t.Fatalf("Near not in time order: %v", near)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("Near(%v, %v) = %v, want %v", c, d, got, want)
		}
	}
}

func TestNeedWindow(t *testing.T) {
	if _, _, ok := NeedWindow(nil, Settings{}); ok {
		t.Error("no times need no window")
	}
	from, to, ok := NeedWindow([]time.Time{at(10, 0), at(8, 0), at(9, 0)}, Settings{})
	if !ok || !from.Equal(at(6, 0)) || !to.Equal(at(12, 0)) {
		t.Errorf("window %v – %v, want 06:00 – 12:00 (two hours either side)", from, to)
	}
	if w := (Settings{PaceWindowMin: 10, SittingWindowMin: 45}).Window(); w != 45*time.Minute {
		t.Errorf("Window = %v, want the largest of the checks' windows", w)
	}
}

// NewHistory sorts once and holds what putting the visits one by one holds,
// a repeated id keeping its last version.
func TestNewHistoryEqualsPut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for range 50 {
		var vs []Visit
		for range rng.IntN(200) {
			tm := at(9, 0)
			if rng.IntN(2) == 0 {
				tm = tm.Add(time.Duration(rng.IntN(600)) * time.Minute)
			}
			vs = append(vs, visit(fmt.Sprintf("v%03d", rng.IntN(120)), fmt.Sprintf("h%d", rng.IntN(9)), tm, nil))
		}
		one := &History{at: map[string]time.Time{}}
		for _, v := range vs {
			one.Put(v)
		}
		batch := NewHistory(vs...)
		if !slices.EqualFunc(one.held(), batch.held(), func(a, b Visit) bool {
			return a.ID == b.ID && a.VisitedAt.Equal(b.VisitedAt) && a.Household == b.Household
		}) {
			t.Fatalf("NewHistory %v, Put one by one %v", batch.held(), one.held())
		}
		if len(batch.at) != len(one.at) {
			t.Fatalf("ids %d, want %d", len(batch.at), len(one.at))
		}
	}
}

// Keep holds exactly the visits inside its span, and the history goes on
// working (Put, Remove, Near) afterwards.
func TestHistoryKeep(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 11))
	for range 100 {
		var vs []Visit
		for range rng.IntN(120) {
			vs = append(vs, visit(fmt.Sprintf("v%03d", rng.IntN(150)), "h1", at(0, 0).Add(time.Duration(rng.IntN(72*60))*time.Minute), nil))
		}
		h := NewHistory(vs...)
		from := at(0, 0).Add(time.Duration(rng.IntN(72*60)) * time.Minute)
		to := from.Add(time.Duration(rng.IntN(36*60)-6*60) * time.Minute) // sometimes before from: keeps nothing
		want := map[string]bool{}
		for _, v := range NewHistory(vs...).held() {
			if !v.VisitedAt.Before(from) && !v.VisitedAt.After(to) {
				want[v.ID] = true
			}
		}
		h.Keep(from, to)
		if h.Len() != len(want) || len(h.at) != len(want) {
			t.Fatalf("Keep(%v, %v) holds %d visits (%d ids), want %d", from, to, h.Len(), len(h.at), len(want))
		}
		for _, v := range h.held() {
			if !want[v.ID] {
				t.Fatalf("Keep(%v, %v) kept %s at %v", from, to, v.ID, v.VisitedAt)
			}
		}
		// A visit dropped can come back, and removing one kept works.
		for _, v := range vs {
			if !want[v.ID] {
				h.Put(v)
				if got := h.Near(v.VisitedAt, 0); !slices.ContainsFunc(got, func(n Visit) bool { return n.ID == v.ID }) {
					t.Fatalf("visit %s put back after Keep is not found", v.ID)
				}
				h.Remove(v.ID)
				break
			}
		}
		if h.Len() != len(want) {
			t.Fatalf("after a put and a remove: %d visits, want %d", h.Len(), len(want))
		}
	}
}

// Visits arriving from either end or anywhere between, removed and kept
// to a span in any order, leave the history exactly a sorted reference
// would hold, and the storage outside the held visits holds nothing (no
// note or id kept alive by a slot no longer used).
func TestHistoryOrders(t *testing.T) {
	orders := map[string]func(i, n int, rng *rand.Rand) time.Duration{
		"backwards from today": func(i, n int, _ *rand.Rand) time.Duration { return time.Duration(n-i) * time.Minute },
		"forwards":             func(i, _ int, _ *rand.Rand) time.Duration { return time.Duration(i) * time.Minute },
		"both ends in turn": func(i, _ int, _ *rand.Rand) time.Duration {
			if i%2 == 0 {
				return time.Duration(1000+i) * time.Minute
			}
			return time.Duration(1000-i) * time.Minute
		},
		"anywhere": func(_, _ int, rng *rand.Rand) time.Duration { return time.Duration(rng.IntN(2000)) * time.Minute },
		"one time": func(_, _ int, _ *rand.Rand) time.Duration { return 0 },
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 13))
			const n = 400
			h := &History{}
			ref := map[string]Visit{}
			for i := range n {
				v := visit(fmt.Sprintf("v%04d", i), "h1", at(0, 0).Add(order(i, n, rng)), nil)
				h.Put(v)
				ref[v.ID] = v
				switch rng.IntN(10) {
				case 0: // remove one held
					for id := range ref {
						h.Remove(id)
						delete(ref, id)
						break
					}
				case 1: // move one held in time
					for id, old := range ref {
						old.VisitedAt = old.VisitedAt.Add(time.Duration(rng.IntN(300)-150) * time.Minute)
						h.Put(old)
						ref[id] = old
						break
					}
				}
				if i%97 == 96 { // keep a span, as a moving window does
					from := at(0, 0).Add(time.Duration(rng.IntN(800)) * time.Minute)
					to := from.Add(time.Duration(rng.IntN(1500)) * time.Minute)
					h.Keep(from, to)
					for id, v := range ref {
						if v.VisitedAt.Before(from) || v.VisitedAt.After(to) {
							delete(ref, id)
						}
					}
				}
				want := make([]Visit, 0, len(ref))
				for _, v := range ref {
					want = append(want, v)
				}
				slices.SortFunc(want, byTime)
				if got := h.held(); !slices.EqualFunc(got, want, func(a, b Visit) bool { return a.ID == b.ID && a.VisitedAt.Equal(b.VisitedAt) }) {
					t.Fatalf("step %d: held %d visits, want %d in order", i, len(got), len(want))
				}
				if len(h.at) != len(ref) {
					t.Fatalf("step %d: %d ids, want %d", i, len(h.at), len(ref))
				}
				for j, v := range h.buf {
					if (j < h.lo || j >= h.hi) && v.ID != "" {
						t.Fatalf("step %d: slot %d outside [%d, %d) still holds %s", i, j, h.lo, h.hi, v.ID)
					}
				}
			}
		})
	}
}
