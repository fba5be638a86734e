package plausibility

import (
	"fmt"
	"math"
	"time"
)

// CheckPace compares the visit with the deputy's other visits to other
// households near it in time. With usable fixes on both, TooFast when the
// distance between the fixes, less both accuracies, needs more than
// s.MaxSpeedKmh; without, TooSoon when they are less than
// s.MinGapNoFixMin minutes apart. nearby may hold anything: visits of other
// deputies, of the same household, or farther than s.PaceWindowMin are
// ignored.
func CheckPace(v Visit, nearby []Visit, s Settings) []Flag {
	s = s.Normalized()
	if v.VisitedAt.IsZero() || (!s.on(TooFast) && !s.on(TooSoon)) {
		return nil
	}
	vf, vOK := v.usable(&s)
	mps := s.MaxSpeedKmh * 1000 / 3600
	window, minGap := s.paceWindow(), s.minGapNoFix()

	var fast, soon []*Visit
	var worstFast, worstSoon *Visit
	var worstSpeed, worstDist float64 // m/s (+Inf at the same moment), metres
	var worstGap time.Duration
	for i := range nearby {
		u := &nearby[i]
		if u.ID == v.ID || u.Deputy != v.Deputy || u.Household == v.Household || u.VisitedAt.IsZero() {
			continue
		}
		gap := absDur(v.VisitedAt.Sub(u.VisitedAt))
		if gap > window {
			continue
		}
		uf, uOK := u.usable(&s)
		if vOK && uOK {
			within := vf.AccuracyM + uf.AccuracyM + mps*gap.Seconds()
			if distanceAtMostM(vf.Lat, vf.Lon, uf.Lat, uf.Lon) <= within {
				continue // as the exact distance below would decide
			}
			apart := distanceM(vf.Lat, vf.Lon, uf.Lat, uf.Lon) - vf.AccuracyM - uf.AccuracyM
			if apart <= 0 || apart <= mps*gap.Seconds() {
				continue
			}
			speed := math.Inf(1)
			if gap > 0 {
				speed = apart / gap.Seconds()
			}
			fast = append(fast, u)
			if worstFast == nil || speed > worstSpeed || (speed == worstSpeed && apart > worstDist) {
				worstFast, worstSpeed, worstDist = u, speed, apart
			}
			continue
		}
		if gap < minGap {
			soon = append(soon, u)
			if worstSoon == nil || gap < worstGap {
				worstSoon, worstGap = u, gap
			}
		}
	}

	var flags []Flag
	if len(fast) > 0 && s.on(TooFast) {
		var reason string
		if math.IsInf(worstSpeed, 1) {
			reason = fmt.Sprintf("与 %s 走访的另一户时间相同，两处定位却相距约 %s（已扣除定位精度）",
				whenText(worstFast.VisitedAt, v.VisitedAt), distanceText(worstDist))
		} else {
			reason = fmt.Sprintf("与 %s 走访的另一户相隔 %s，两处定位相距约 %s（已扣除定位精度），需时速约 %d 公里",
				whenText(worstFast.VisitedAt, v.VisitedAt), durationText(v.VisitedAt.Sub(worstFast.VisitedAt)),
				distanceText(worstDist), speedKmh(worstSpeed))
		}
		flags = append(flags, Flag{Kind: TooFast, Visit: v.ID, Reason: reason + alsoText(len(fast)), Related: relatedIDs(fast)})
	}
	if len(soon) > 0 && s.on(TooSoon) {
		reason := fmt.Sprintf("与 %s 走访的另一户仅相隔 %s，且缺少定位无法核对行程",
			whenText(worstSoon.VisitedAt, v.VisitedAt), durationText(worstGap))
		flags = append(flags, Flag{Kind: TooSoon, Visit: v.ID, Reason: reason + alsoText(len(soon)), Related: relatedIDs(soon)})
	}
	return flags
}

// speedKmh rounds a speed in m/s to km/h, saturating absurd values.
func speedKmh(mps float64) int {
	return int(math.Round(min(mps*3.6, 1e6)))
}

// alsoText mentions the other visits in the same situation as the one
// described: 「；另有 2 次走访也是如此」.
func alsoText(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf("；另有 %d 次走访也是如此", n-1)
}
