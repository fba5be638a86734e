package dutyroster

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// randomRequest builds a roster request of 1..12 deputies over 1..200 days
// of 2025–2027. Deputies share one of a few availability patterns, so that
// the classes of equal availability the fairness bound speaks of are not
// all singletons. level makes every prior count equal; full makes everyone
// always available.
func randomRequest(rng *rand.Rand, level, full bool) Request {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3*365-200))
	end := start.AddDate(0, 0, rng.IntN(200))
	req := Request{
		From:   start.Format("2006-01-02"),
		To:     end.Format("2006-01-02"),
		PerDay: 1 + rng.IntN(4),
		Policy: []HolidayPolicy{HolidayKeep, HolidaySkip}[rng.IntN(2)],
	}
	patterns := make([][]string, 1+rng.IntN(3))
	for i := range patterns {
		if full {
			continue
		}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			if rng.IntN(5) == 0 {
				patterns[i] = append(patterns[i], d.Format("2006-01-02"))
			}
		}
	}
	prior := rng.IntN(4)
	for i := range 1 + rng.IntN(12) {
		d := Deputy{ID: fmt.Sprintf("d%02d", i), Unavailable: patterns[rng.IntN(len(patterns))], PriorDuties: prior}
		if !level {
			d.PriorDuties = rng.IntN(6)
		}
		req.Deputies = append(req.Deputies, d)
	}
	return req
}

// replay walks a roster and, for each reception day, reports every
// deputy's count and last duty as they stood when the day began.
type standing struct {
	count int
	last  string
}

func replay(req Request, r Roster, visit func(day DayDuty, before map[string]standing, prev []string)) {
	st := make(map[string]standing, len(req.Deputies))
	for _, d := range req.Deputies {
		st[d.ID] = standing{d.PriorDuties, d.LastDuty}
	}
	var prev []string
	for _, day := range r.Days {
		if day.Skipped {
			continue
		}
		visit(day, st, prev)
		next := make(map[string]standing, len(st))
		for id, s := range st {
			if slices.Contains(day.Deputies, id) {
				s = standing{s.count + 1, day.Date}
			}
			next[id] = s
		}
		st, prev = next, day.Deputies
	}
}

func unavailableOn(d Deputy, date string) bool { return slices.Contains(d.Unavailable, date) }

// checkRoster asserts what holds for every roster, whatever the input.
func checkRoster(t *testing.T, req Request, r Roster) {
	t.Helper()
	var short []Shortfall
	for _, day := range r.Days {
		if day.Skipped {
			if len(day.Deputies) != 0 {
				t.Fatalf("%s is skipped but has %v", day.Date, day.Deputies)
			}
			continue
		}
		if !slices.IsSorted(day.Deputies) || len(slices.Compact(slices.Clone(day.Deputies))) != len(day.Deputies) {
			t.Fatalf("%s: deputies not sorted and distinct: %v", day.Date, day.Deputies)
		}
		available := 0
		for _, d := range req.Deputies {
			on := slices.Contains(day.Deputies, d.ID)
			if on && unavailableOn(d, day.Date) {
				t.Fatalf("%s: %s is on duty on a day marked unavailable", day.Date, d.ID)
			}
			if !unavailableOn(d, day.Date) {
				available++
			}
		}
		if want := min(req.PerDay, available); len(day.Deputies) != want {
			t.Fatalf("%s: %d on duty, want %d (%d available)", day.Date, len(day.Deputies), want, available)
		}
		if len(day.Deputies) < req.PerDay {
			short = append(short, Shortfall{day.Date, req.PerDay, len(day.Deputies)})
		}
	}
	if !slices.Equal(short, r.Shortfalls) {
		t.Fatalf("shortfalls %v, want %v", r.Shortfalls, short)
	}
	assigned := map[string]int{}
	for _, day := range r.Days {
		for _, id := range day.Deputies {
			assigned[id]++
		}
	}
	for _, tl := range r.Tallies {
		if tl.Assigned != assigned[tl.Deputy] {
			t.Fatalf("tally of %s says %d, roster has %d", tl.Deputy, tl.Assigned, assigned[tl.Deputy])
		}
	}
}

// TestRosterFairness proves the guarantees Generate documents on many
// random rosters (fixed seeds: the same cases every run).
func TestRosterFairness(t *testing.T) {
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 15))
		req := randomRequest(rng, seed%2 == 0, false)
		r, err := Generate(cal, req)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkRoster(t, req, r)
		byID := map[string]Deputy{}
		for _, d := range req.Deputies {
			byID[d.ID] = d
		}

		// Whoever is left out on a day had at least as many duties as
		// everyone picked, and when equal, a duty at least as recent: the
		// fewest duties first, then longest waiting.
		replay(req, r, func(day DayDuty, before map[string]standing, prev []string) {
			for _, x := range day.Deputies {
				for _, y := range req.Deputies {
					if slices.Contains(day.Deputies, y.ID) || unavailableOn(y, day.Date) {
						continue
					}
					sx, sy := before[x], before[y.ID]
					if sx.count > sy.count || sx.count == sy.count && sx.last > sy.last {
						t.Fatalf("seed %d %s: %s (%v) picked over %s (%v)", seed, day.Date, x, sx, y.ID, sy)
					}
					// Twice in a row only when the one left out had more
					// duties or was also on the day before.
					if slices.Contains(prev, x) && sx.count == sy.count && !slices.Contains(prev, y.ID) {
						t.Fatalf("seed %d %s: %s on duty twice in a row while %s waited", seed, day.Date, x, y.ID)
					}
				}
			}
		})

		// Among deputies with the same availability the spread of totals
		// never exceeds max(1, the spread they started with).
		classes := map[string][]Tally{}
		for _, tl := range r.Tallies {
			key := fmt.Sprint(byID[tl.Deputy].Unavailable)
			classes[key] = append(classes[key], tl)
		}
		for _, class := range classes {
			prior := spread(class, Tally.priorOnly)
			if got := spread(class, Tally.Total); got > max(1, prior) {
				t.Fatalf("seed %d: totals %v spread %d, started at %d", seed, class, got, prior)
			}
		}
	}
}

func (t Tally) priorOnly() int { return t.Prior }

func spread(ts []Tally, f func(Tally) int) int {
	lo, hi := f(ts[0]), f(ts[0])
	for _, t := range ts {
		lo, hi = min(lo, f(t)), max(hi, f(t))
	}
	return hi - lo
}

// TestRosterLevelStartNeverTwiceInARow: everyone available, level prior
// counts and at least twice PerDay deputies: nobody serves two reception
// days in a row, and everyone ends within one duty of each other.
func TestRosterLevelStartNeverTwiceInARow(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 16))
		req := randomRequest(rng, true, true)
		if len(req.Deputies) < 2*req.PerDay {
			continue
		}
		r, err := Generate(cal, req)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		replay(req, r, func(day DayDuty, _ map[string]standing, prev []string) {
			for _, x := range day.Deputies {
				if slices.Contains(prev, x) {
					t.Fatalf("seed %d: %s on duty twice in a row (%s)", seed, x, day.Date)
				}
			}
		})
		if s := spread(r.Tallies, Tally.Total); s > 1 {
			t.Fatalf("seed %d: totals %v spread %d", seed, r.Tallies, s)
		}
	}
}

// TestRosterIgnoresInputOrder: shuffling the deputies and their dates
// changes nothing.
func TestRosterIgnoresInputOrder(t *testing.T) {
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 17))
		req := randomRequest(rng, false, false)
		want, err := Generate(cal, req)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := req
		shuffled.Deputies = slices.Clone(req.Deputies)
		for i := range shuffled.Deputies {
			u := slices.Clone(shuffled.Deputies[i].Unavailable)
			rng.Shuffle(len(u), func(a, b int) { u[a], u[b] = u[b], u[a] })
			shuffled.Deputies[i].Unavailable = u
		}
		rng.Shuffle(len(shuffled.Deputies), func(a, b int) {
			shuffled.Deputies[a], shuffled.Deputies[b] = shuffled.Deputies[b], shuffled.Deputies[a]
		})
		got, err := Generate(cal, shuffled)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: shuffled input gave another roster (%v)", seed, err)
		}
	}
}

// FuzzGenerate drives Generate with staff-typed shapes of input: it never
// panics, refuses only with a FieldError, and every roster it returns keeps
// the invariants of checkRoster.
func FuzzGenerate(f *testing.F) {
	f.Add("2025-09-21", "2025-10-12", 2, "keep", []byte{3, 0, 1, 7, 200})
	f.Add("2026-04-01", "2026-06-30", 1, "skip", []byte{12, 9, 9, 9})
	f.Add("2025-02-30", "2025-03-01", 0, "", []byte{})
	f.Fuzz(func(t *testing.T, from, to string, perDay int, policy string, shape []byte) {
		req := Request{From: from, To: to, PerDay: perDay, Policy: HolidayPolicy(policy)}
		start, ok := parseDate(from)
		for i, b := range shape {
			d := Deputy{ID: fmt.Sprintf("d%d", int(b)%16), PriorDuties: int(b>>4) - 1}
			if ok {
				for j := range 8 {
					if b&(1<<j) != 0 {
						d.Unavailable = append(d.Unavailable, start.AddDate(0, 0, i*3+j*5).Format("2006-01-02"))
					}
				}
			}
			req.Deputies = append(req.Deputies, d)
		}
		r, err := Generate(cal, req)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		checkRoster(t, req, r)
	})
}
