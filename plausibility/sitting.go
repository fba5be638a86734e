package plausibility

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CheckSitting raises OneSitting when the visit is to a household created
// for it (see Settings.NewHouseholdSlackH) and, within some span of
// s.SittingWindowMin minutes around it, the deputy created and visited at
// least s.SittingHouseholds such households. Related lists the other
// visits of the busiest such span.
func CheckSitting(v Visit, nearby []Visit, s Settings) []Flag {
	s = s.Normalized()
	slack := s.newHouseholdSlack()
	if !s.on(OneSitting) || v.VisitedAt.IsZero() || !v.newHousehold(slack) {
		return nil
	}
	w := s.sittingWindow()
	// The candidates by pointer, each with its offset from v (exact: they
	// lie within w of it), in time order: a visit among hundreds at one
	// time (a fabricated batch) must not copy them all at every visit, and
	// the span below slides over offsets, not over time.Time arithmetic.
	fresh := make([]sittingCandidate, 0, len(nearby)+1)
	for i := range nearby {
		u := &nearby[i]
		if u.ID == v.ID || u.Deputy != v.Deputy {
			continue
		}
		if off := u.VisitedAt.Sub(v.VisitedAt); absDur(off) <= w && u.newHousehold(slack) {
			fresh = append(fresh, sittingCandidate{u, off})
		}
	}
	if len(fresh)+1 < s.SittingHouseholds {
		return nil
	}
	if !slices.IsSortedFunc(fresh, bySittingOffset) {
		slices.SortFunc(fresh, bySittingOffset)
	}
	self := sittingCandidate{&v, 0}
	at, _ := slices.BinarySearchFunc(fresh, self, bySittingOffset)
	fresh = slices.Insert(fresh, at, self)

	// Every span that holds v starts at one of the visits up to v. The span
	// [i, j) slides: j only moves forward, and the households in it are
	// counted as visits enter and leave, so many visits at one time cost
	// linear, not quadratic, work. Households are numbered once, so the
	// counting is by index, not by map.
	number := make(map[string]int, 16)
	house := make([]int, len(fresh))
	for i, c := range fresh {
		n, ok := number[c.visit.Household]
		if !ok {
			n = len(number)
			number[c.visit.Household] = n
		}
		house[i] = n
	}
	inSpan := make([]int, len(number))
	var best []sittingCandidate
	bestHouseholds, households := 0, 0
	j := 0
	for i, first := range fresh {
		if first.offset > 0 {
			break
		}
		end := first.offset + w
		for j < len(fresh) && fresh[j].offset <= end {
			if inSpan[house[j]]++; inSpan[house[j]] == 1 {
				households++
			}
			j++
		}
		if households > bestHouseholds {
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
	for _, c := range best {
		if len(related) == MaxRelated {
			break
		}
		if u := c.visit; u.ID != v.ID && !slices.Contains(related, u.ID) {
			related = append(related, u.ID)
		}
	}
	from, to := best[0].visit.VisitedAt, best[len(best)-1].visit.VisitedAt
	toText := whenText(to, from)
	if from.In(China).YearDay() == to.In(China).YearDay() && from.In(China).Year() == to.In(China).Year() {
		toText = to.In(China).Format("15:04")
	}
	return []Flag{{Kind: OneSitting, Visit: v.ID,
		Reason: fmt.Sprintf("%d 分钟内新登记并走访了 %d 户（%s 至 %s）",
			s.SittingWindowMin, bestHouseholds, whenText(from, v.VisitedAt), toText),
		Related: related}}
}

// sittingCandidate is a visit CheckSitting counts, with its offset from
// the visit checked.
type sittingCandidate struct {
	visit  *Visit
	offset time.Duration
}

// bySittingOffset orders candidates as byTimeRef orders their visits: by
// time (their offsets from one visit), then by id.
func bySittingOffset(a, b sittingCandidate) int {
	if a.offset != b.offset {
		return cmp.Compare(a.offset, b.offset)
	}
	return strings.Compare(a.visit.ID, b.visit.ID)
}
