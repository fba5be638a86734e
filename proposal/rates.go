package proposal

import (
	"simeng/chinatime"
	"sort"
	"time"

	"simeng/deadline"
	"simeng/workdays"
)

// InScope reports whether p counts in the rates (应办件): it was accepted
// for handling (立案, including 转为建议). Proposals still inviting or in
// review, rejected, withdrawn or merged are not: a merged proposal is
// handled, answered and rated through its main one, which already counts.
func InScope(p Proposal) bool {
	switch p.Status {
	case Registered, Assigned, Answered, Closed:
		return true
	}
	return false
}

// Concluded reports whether p counts as 办结 at now:
//
//   - answered and rated: the sponsor gave the final rating (满意 or 基本满意;
//     or 不满意 on the second reply, after the one 重新办理), or
//   - answered and the sponsor's rating window (Config.RatingWindowWorkdays)
//     passed without a rating.
//
// A reply alone is not 办结: while the window is open the sponsor may still
// send it back, and counting the reply would let a unit "conclude" with any
// answer. A rating alone is not the only way either: a deputy's silence
// must not hold a unit's rate hostage for ever. A first 不满意 is not 办结:
// the proposal is back with the unit. B and C replies count like A: 办结
// says the handling procedure is finished, not that the problem is solved;
// the A share is reported beside it (Rates.ClassA).
//
// Concluded looks at the clock rather than waiting for the lapse job, so
// the rates do not depend on when the cron last ran.
func Concluded(p Proposal, cfg Config, cal *workdays.Calendar, now time.Time) bool {
	switch p.Status {
	case Closed:
		return true
	case Answered:
		return now.After(RatingDue(p, cfg, cal))
	}
	return false
}

// Rates are the completion and satisfaction counts of a set of proposals.
type Rates struct {
	Handled        int // 应办件数: InScope
	Concluded      int // 办结件数: Concluded
	Rated          int // 已评价: the sponsor gave the final rating
	Satisfied      int // 满意 + 基本满意, of Rated
	FullySatisfied int // 满意 only, of Rated
	Lapsed         int // 逾期未评价视为办结, of Concluded
	Redone         int // sent back once for 重新办理
	Overdue        int // waiting for the unit's reply past the deadline now
	ClassA         int // concluded with an A reply (已解决或基本解决)
	ClassB         int // concluded with a B reply
	ClassC         int // concluded with a C reply
}

// Add counts p into r as of now. Proposals out of scope are ignored.
func (r *Rates) Add(p Proposal, cfg Config, cal *workdays.Calendar, now time.Time) {
	if !InScope(p) {
		return
	}
	r.Handled++
	if p.Round >= 2 {
		r.Redone++
	}
	if Overdue(cal, p, now) != deadline.StageNone {
		r.Overdue++
	}
	if !Concluded(p, cfg, cal, now) {
		return
	}
	r.Concluded++
	switch p.ReplyClass {
	case ClassA:
		r.ClassA++
	case ClassB:
		r.ClassB++
	case ClassC:
		r.ClassC++
	}
	if p.Status == Closed && p.Closure == ClosedRated && p.Rating.Valid() {
		r.Rated++
		if p.Rating.Counts() {
			r.Satisfied++
		}
		if p.Rating == Satisfied {
			r.FullySatisfied++
		}
		return
	}
	r.Lapsed++
}

// CompletionRate is the 办结率: Concluded over Handled. ok is false when
// nothing was handled: the rate is then unknown, shown as "—", never 0% or
// 100%.
func (r Rates) CompletionRate() (rate float64, ok bool) { return ratio(r.Concluded, r.Handled) }

// SatisfactionRate is the 满意率: (满意 + 基本满意) over the proposals whose
// sponsor gave the final rating.
//
// 基本满意 counts as satisfied. That is how people's congresses report it
// (代表对办理结果满意和基本满意的占 …%), and it is what the rating means
// here: a sponsor who is not satisfied says 不满意 and sends the proposal
// back; 基本满意 accepts the result. So that 基本满意 cannot hide a slide,
// FullSatisfactionRate (满意 only) is always shown beside it.
//
// Proposals concluded without a rating (Lapsed) are left out of the
// denominator: counting silence as satisfied would flatter the units,
// counting it as unsatisfied would punish them for the deputies' silence.
// Their number is shown with the rate. ok is false when nothing was rated.
func (r Rates) SatisfactionRate() (rate float64, ok bool) { return ratio(r.Satisfied, r.Rated) }

// FullSatisfactionRate is 满意 alone over the rated proposals.
func (r Rates) FullSatisfactionRate() (rate float64, ok bool) {
	return ratio(r.FullySatisfied, r.Rated)
}

func ratio(n, d int) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// Year is the year a proposal belongs to: the year of its submission in
// China time (the proposals of the 2026 session are 2026's, even those
// answered in 2027). A year's rates are final once its last proposal is
// concluded; until then reports say as of when.
func Year(p Proposal) int {
	return p.SubmittedAt.In(chinatime.Location()).Year()
}

// Tally counts ps into one Rates per key. key returns "" to leave a proposal
// out.
func Tally(ps []Proposal, key func(Proposal) string, cfg Config, cal *workdays.Calendar, now time.Time) map[string]Rates {
	out := map[string]Rates{}
	for _, p := range ps {
		k := key(p)
		if k == "" {
			continue
		}
		r := out[k]
		r.Add(p, cfg, cal, now)
		out[k] = r
	}
	return out
}

// ByYear returns the rates per submission year.
func ByYear(ps []Proposal, cfg Config, cal *workdays.Calendar, now time.Time) map[int]Rates {
	out := map[int]Rates{}
	for _, p := range ps {
		if p.SubmittedAt.IsZero() {
			continue
		}
		r := out[Year(p)]
		r.Add(p, cfg, cal, now)
		out[Year(p)] = r
	}
	return out
}

// Unassigned is the ByUnit key of proposals accepted but not (or no
// longer) with a unit.
const Unassigned = "-"

// ByUnit returns one year's rates per main unit (主办单位) id: the unit that
// answers for the reply. 协办 units are not charged with it.
func ByUnit(ps []Proposal, year int, cfg Config, cal *workdays.Calendar, now time.Time) map[string]Rates {
	return Tally(ps, func(p Proposal) string {
		if p.SubmittedAt.IsZero() || Year(p) != year {
			return ""
		}
		if p.MainUnit == "" {
			return Unassigned
		}
		return p.MainUnit
	}, cfg, cal, now)
}

// ByCategory returns one year's rates per category; proposals not yet
// classified are under "未分类".
func ByCategory(ps []Proposal, year int, cfg Config, cal *workdays.Calendar, now time.Time) map[string]Rates {
	return Tally(ps, func(p Proposal) string {
		if p.SubmittedAt.IsZero() || Year(p) != year {
			return ""
		}
		if p.Category == "" {
			return "未分类"
		}
		return p.Category
	}, cfg, cal, now)
}

// Keys returns the keys of a Tally in order, for stable exports.
func Keys(m map[string]Rates) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
