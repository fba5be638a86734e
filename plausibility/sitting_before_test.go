package plausibility

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// CheckSitting slides over offsets from the visit instead of times (a
// crowd of visits at one time cost more in time arithmetic than in
// counting); on random crowds and spreads it answers exactly as the
// version that compared times did (checkSittingBefore, kept here as the
// reference).
func TestCheckSittingAsBefore(t *testing.T) {
	base := time.Date(2026, 3, 5, 9, 30, 0, 0, China)
	rng := rand.New(rand.NewPCG(7, 19))
	raised := 0
	for round := range 3000 {
		n := rng.IntN(40)
		spread := time.Duration(rng.IntN(120)) * time.Minute
		households := 1 + rng.IntN(12)
		mk := func(i int) Visit {
			at := base.Add(time.Duration(rng.Int64N(int64(2*spread)+1)) - spread)
			if rng.IntN(10) == 0 {
				at = base.Add(time.Duration(rng.IntN(3)) * time.Hour * 24 * 365 * 300) // beyond a Duration away
			}
			v := visit(fmt.Sprintf("v%03d", rng.IntN(60)), fmt.Sprintf("h%02d", rng.IntN(households)), at, nil)
			v.HouseholdCreator, v.HouseholdCreated = "d1", at.Add(-time.Duration(rng.IntN(72))*time.Hour)
			if rng.IntN(8) == 0 {
				v.Deputy = "d2"
			}
			return v
		}
		nearby := make([]Visit, 0, n)
		for i := range n {
			nearby = append(nearby, mk(i))
		}
		if rng.IntN(2) == 0 {
			slices.SortFunc(nearby, byTime)
		}
		v := mk(-1)
		v.Deputy = "d1"
		s := Settings{SittingHouseholds: 2 + rng.IntN(6), SittingWindowMin: 5 + rng.IntN(60)}
		got, want := CheckSitting(v, nearby, s), checkSittingBefore(v, nearby, s)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d: %v, before %v", round, got, want)
		}
		raised += len(want)
	}
	if raised < 300 || raised > 2700 {
		t.Fatalf("%d of 3000 rounds raise the flag: the crowds should test both answers", raised)
	}
}

func checkSittingBefore(v Visit, nearby []Visit, s Settings) []Flag {
	s = s.Normalized()
	slack := s.newHouseholdSlack()
	if !s.on(OneSitting) || v.VisitedAt.IsZero() || !v.newHousehold(slack) {
		return nil
	}
	w := s.sittingWindow()
	// The candidates by pointer, in time order: a visit among hundreds at
	// one time (a fabricated batch) must not copy them all at every visit.
	fresh := make([]*Visit, 0, 16)
	for i := range nearby {
		u := &nearby[i]
		if u.ID != v.ID && u.Deputy == v.Deputy && u.newHousehold(slack) && absDur(u.VisitedAt.Sub(v.VisitedAt)) <= w {
			fresh = append(fresh, u)
		}
	}
	if len(fresh)+1 < s.SittingHouseholds {
		return nil
	}
	if !slices.IsSortedFunc(fresh, byTimeRef) {
		slices.SortFunc(fresh, byTimeRef)
	}
	at, _ := slices.BinarySearchFunc(fresh, &v, byTimeRef)
	fresh = slices.Insert(fresh, at, &v)

	// Every span that holds v starts at one of the visits up to v. The span
	// [i, j) slides: j only moves forward, and the households in it are
	// counted as visits enter and leave, so many visits at one time cost
	// linear, not quadratic, work. Households are numbered once, so the
	// counting is by index, not by map.
	number := make(map[string]int, 16)
	house := make([]int, len(fresh))
	for i, u := range fresh {
		n, ok := number[u.Household]
		if !ok {
			n = len(number)
			number[u.Household] = n
		}
		house[i] = n
	}
	inSpan := make([]int, len(number))
	var best []*Visit
	bestHouseholds, households := 0, 0
	j := 0
	for i, first := range fresh {
		if first.VisitedAt.After(v.VisitedAt) {
			break
		}
		end := first.VisitedAt.Add(w)
		for j < len(fresh) && !fresh[j].VisitedAt.After(end) {
			if inSpan[house[j]]++; inSpan[house[j]] == 1 {
				households++
			}
			j++
		}
		if households > bestHouseholds && v.VisitedAt.Sub(first.VisitedAt) <= w {
			best, bestHouseholds = fresh[i:j], households
		}
		if inSpan[house[i]]--; inSpan[house[i]] == 0 {
			households--
		}
	}
	if bestHouseholds < s.SittingHouseholds {
		return nil
	}
	// The others of the span, by time then id (best is in that order),
	// once each, at most MaxRelated: as relatedIDs gives them.
	related := make([]string, 0, min(len(best), MaxRelated))
	for _, u := range best {
		if len(related) == MaxRelated {
			break
		}
		if u.ID != v.ID && !slices.Contains(related, u.ID) {
			related = append(related, u.ID)
		}
	}
	from, to := best[0].VisitedAt, best[len(best)-1].VisitedAt
	toText := whenText(to, from)
	if from.In(China).YearDay() == to.In(China).YearDay() && from.In(China).Year() == to.In(China).Year() {
		toText = to.In(China).Format("15:04")
	}
	return []Flag{{Kind: OneSitting, Visit: v.ID,
		Reason: fmt.Sprintf("%d 分钟内新登记并走访了 %d 户（%s 至 %s）",
			s.SittingWindowMin, bestHouseholds, whenText(from, v.VisitedAt), toText),
		Related: related}}
}
