package plausibility

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// fresh is a visit by d1 to household h, which d1 recorded for it.
func fresh(id, h string, tm time.Time) Visit {
	v := visit(id, h, tm, offset(0, 0, 20))
	v.HouseholdCreator, v.HouseholdCreated = "d1", tm.Add(time.Minute)
	return v
}

// sitting is n visits by d1 to n new households, every step from start.
func sitting(n int, start time.Time, step time.Duration) []Visit {
	var vs []Visit
	for i := range n {
		vs = append(vs, fresh(fmt.Sprintf("s%d", i), fmt.Sprintf("hs%d", i), start.Add(time.Duration(i)*step)))
	}
	return vs
}

func TestCheckSitting(t *testing.T) {
	twelve := sitting(12, at(20, 0), 50*time.Second) // the case: twelve in ten minutes
	six := sitting(6, at(9, 0), 4*time.Minute)
	spread := sitting(6, at(9, 0), 10*time.Minute)
	clockAhead := sitting(5, at(9, 0), 3*time.Minute)
	for i := range clockAhead { // the phone ran 40 hours ahead: households reached the server "before" the visits
		clockAhead[i].HouseholdCreated = clockAhead[i].VisitedAt.Add(-40 * time.Hour)
	}
	oldHouseholds := sitting(6, at(9, 0), 2*time.Minute)
	for i := range oldHouseholds {
		oldHouseholds[i].HouseholdCreated = at(9, 0).AddDate(0, -1, 0)
	}
	othersHouseholds := sitting(6, at(9, 0), 2*time.Minute)
	for i := range othersHouseholds {
		othersHouseholds[i].HouseholdCreator = "d2"
	}
	repeat := sitting(4, at(9, 0), 2*time.Minute)
	repeat = append(repeat, fresh("again", "hs0", at(9, 10)))
	known := visit("known", "h1", at(9, 8), offset(0, 0, 20))

	tests := []struct {
		name     string
		v        Visit
		nearby   []Visit
		settings Settings
		want     []Kind
		reason   []string
		related  []string
	}{
		// Should flag.
		{"twelve households in ten minutes", twelve[5], twelve, Settings{},
			[]Kind{OneSitting}, []string{"30 分钟内新登记并走访了 12 户（3月5日 20:00 至 20:09）"}, nil},
		{"six in twenty minutes, the first", six[0], six, Settings{},
			[]Kind{OneSitting}, []string{"新登记并走访了 6 户（3月5日 09:00 至 09:20）"}, []string{"s1", "s2", "s3", "s4", "s5"}},
		{"six in twenty minutes, the last", six[5], six, Settings{}, []Kind{OneSitting}, nil, nil},
		{"a phone clock 40 hours ahead", clockAhead[2], clockAhead, Settings{}, []Kind{OneSitting}, nil, nil},
		{"a stricter setting", spread[3], spread, Settings{SittingHouseholds: 3}, []Kind{OneSitting}, []string{"走访了 4 户"}, nil},

		// Should not flag.
		{"six spread over fifty minutes", spread[3], spread, Settings{}, nil, nil, nil},
		{"four new households", six[2], six[:4], Settings{}, nil, nil, nil},
		{"households recorded a month before", oldHouseholds[2], oldHouseholds, Settings{}, nil, nil, nil},
		{"households another deputy recorded", othersHouseholds[2], othersHouseholds, Settings{}, nil, nil, nil},
		{"a known household amid new ones", known, six, Settings{}, nil, nil, nil},
		{"a second visit to a new household counts once", repeat[4], repeat, Settings{}, nil, nil, nil},
		{"check off", six[0], six, Settings{Off: []Kind{OneSitting}}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFlags(t, tt.v, CheckSitting(tt.v, tt.nearby, tt.settings), tt.want, tt.reason, tt.related)
		})
	}
}

// sittingBySpans is CheckSitting's busiest span found the plain way: every
// span that starts at a visit up to v, its households counted afresh.
func sittingBySpans(v Visit, nearby []Visit, s Settings) (households int, span []string) {
	s = s.Normalized()
	w := s.sittingWindow()
	fresh := []Visit{v}
	for _, u := range nearby {
		if u.ID != v.ID && u.Deputy == v.Deputy && u.newHousehold(s.newHouseholdSlack()) && absDur(u.VisitedAt.Sub(v.VisitedAt)) <= w {
			fresh = append(fresh, u)
		}
	}
	slices.SortFunc(fresh, byTime)
	for i, first := range fresh {
		if first.VisitedAt.After(v.VisitedAt) || v.VisitedAt.Sub(first.VisitedAt) > w {
			continue
		}
		j := i
		for j < len(fresh) && !fresh[j].VisitedAt.After(first.VisitedAt.Add(w)) {
			j++
		}
		seen := map[string]bool{}
		for _, u := range fresh[i:j] {
			seen[u.Household] = true
		}
		if len(seen) > households {
			households, span = len(seen), nil
			for _, u := range fresh[i:j] {
				if u.ID != v.ID {
					span = append(span, u.ID)
				}
			}
		}
	}
	return households, span
}

// The sliding span finds what counting every span afresh finds, on random
// sittings with repeated households and visits sharing one time.
func TestCheckSittingSlidingSpanAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 21))
	for round := range 300 {
		n := 1 + rng.IntN(40)
		var vs []Visit
		for i := range n {
			tm := at(9, 0).Add(time.Duration(rng.IntN(90)) * time.Minute)
			if rng.IntN(3) == 0 {
				tm = at(9, 30) // many at one time
			}
			vs = append(vs, fresh(fmt.Sprintf("v%d", i), fmt.Sprintf("h%d", rng.IntN(n)), tm))
		}
		v := vs[rng.IntN(n)]
		s := Settings{SittingHouseholds: 1 + rng.IntN(8)}
		got := CheckSitting(v, vs, s)
		households, span := sittingBySpans(v, vs, s)
		if households < s.Normalized().SittingHouseholds {
			if len(got) != 0 {
				t.Fatalf("round %d: flagged with %d households in the busiest span", round, households)
			}
			continue
		}
		if len(got) != 1 {
			t.Fatalf("round %d: %d flags, want one (%d households)", round, len(got), households)
		}
		if !strings.Contains(got[0].Reason, fmt.Sprintf("走访了 %d 户", households)) {
			t.Fatalf("round %d: reason %q, want %d households", round, got[0].Reason, households)
		}
		slices.Sort(span)
		want := relatedIDs(pick(vs, span))
		if !slices.Equal(got[0].Related, want) {
			t.Fatalf("round %d: related %v, want %v", round, got[0].Related, want)
		}
	}
}

func pick(vs []Visit, ids []string) []*Visit {
	var out []*Visit
	for i, v := range vs {
		if slices.Contains(ids, v.ID) {
			out = append(out, &vs[i])
		}
	}
	return out
}

// A flag names at most MaxRelated other visits, however many share its
// time; its reason still says how many.
func TestRelatedCapped(t *testing.T) {
	vs := sitting(200, at(9, 0), 0)
	got := CheckSitting(vs[0], vs, Settings{})
	if len(got) != 1 || len(got[0].Related) != MaxRelated {
		t.Fatalf("flags %d, related %d, want one flag naming %d", len(got), len(got[0].Related), MaxRelated)
	}
	if !strings.Contains(got[0].Reason, "200 户") {
		t.Errorf("reason %q does not say 200 households", got[0].Reason)
	}
}
