package proposal

import (
	"sort"
	"strconv"
)

// GoldenMax is the default number of 金点子 a year (每年评选2件"金点子").
const GoldenMax = 2

// GoldenEligible returns why p cannot be named a 金点子 of year, or "" if it
// can: it must have been submitted that year and accepted for handling
// (InScope). It need not be concluded: a good idea is recognised at year
// end whether or not the works are done. A merged proposal is represented by
// its main one.
func GoldenEligible(p Proposal, year int) string {
	switch {
	case p.SubmittedAt.IsZero() || Year(p) != year:
		return "不是 " + strconv.Itoa(year) + " 年提出的议案建议"
	case p.Status == Merged:
		return "已并案，请提名主件"
	case !InScope(p):
		return "尚未立案或未予立案（" + p.Status.Label() + "）"
	}
	return ""
}

// Nominee is a proposal the presidium nominated, with the votes for it.
type Nominee struct {
	Proposal Proposal
	Votes    int // presidium members who voted for it (赞成票)
}

// GoldenLine is one nominee's result.
type GoldenLine struct {
	ID    string
	Votes int
	Named bool
	Tied  bool
}

// GoldenResult is the outcome of the presidium's vote.
type GoldenResult struct {
	Lines     []GoldenLine // most votes first; equal votes in nomination order
	Named     []string     // ids named 金点子
	Tied      []string     // tied for the SeatsLeft remaining places
	SeatsLeft int          // places the presidium still decides among Tied
	Majority  int          // the fewest votes that pass: more than half the members
}

// SelectGolden counts the presidium's vote on the nominees of year. seats is
// how many 金点子 may still be named this year (Config: at most GoldenMax a
// year, less those already named); members is the number of presidium
// members entitled to vote.
//
// A nominee needs the votes of more than half of all members (过半数, as for
// the presidium's other decisions). Those that pass are taken by votes,
// most first, up to seats. When nominees with equal votes compete for the
// last places and would exceed them, none of them is named by the count:
// they are Tied, and the presidium decides among them for SeatsLeft places
// (CheckGoldenDecision), by a further vote or a recorded decision. Nothing
// is drawn by lot or by id, so every name has a reason the minutes can give.
func SelectGolden(year int, nominees []Nominee, seats, members int) (GoldenResult, FieldErrors) {
	errs := FieldErrors{}
	if seats < 1 {
		errs["seats"] = "本年度金点子名额已满"
	}
	if members < 1 {
		errs["members"] = "主席团成员人数须大于 0"
	}
	seen := map[string]bool{}
	for _, n := range nominees {
		id := n.Proposal.ID
		switch {
		case seen[id]:
			errs["nominees"] = "同一件议案建议只能提名一次"
		case GoldenEligible(n.Proposal, year) != "":
			errs["nominees"] = "《" + n.Proposal.Title + "》" + GoldenEligible(n.Proposal, year)
		case n.Votes < 0 || n.Votes > members:
			errs["votes"] = "《" + n.Proposal.Title + "》的票数须在 0 至 " + strconv.Itoa(members) + " 之间"
		}
		seen[id] = true
	}
	if len(nominees) == 0 {
		errs["nominees"] = "请先提名"
	}
	if len(errs) > 0 {
		return GoldenResult{}, errs
	}

	res := GoldenResult{Majority: members/2 + 1}
	order := make([]Nominee, len(nominees))
	copy(order, nominees)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Votes > order[j].Votes })
	passed := 0
	for _, n := range order {
		if n.Votes >= res.Majority {
			passed++
		}
	}
	named := 0
	for i := 0; i < passed; {
		j := i
		for j < passed && order[j].Votes == order[i].Votes {
			j++
		}
		group := order[i:j]
		switch {
		case named+len(group) <= seats:
			for _, n := range group {
				res.Named = append(res.Named, n.Proposal.ID)
			}
			named += len(group)
		case named < seats:
			for _, n := range group {
				res.Tied = append(res.Tied, n.Proposal.ID)
			}
			res.SeatsLeft = seats - named
			named = seats
		}
		i = j
	}
	for _, n := range order {
		res.Lines = append(res.Lines, GoldenLine{
			ID: n.Proposal.ID, Votes: n.Votes,
			Named: contains(res.Named, n.Proposal.ID), Tied: contains(res.Tied, n.Proposal.ID),
		})
	}
	return res, nil
}

// CheckGoldenDecision checks the presidium's decision naming picks as 金点子
// of year, from pool (the nominees, or the Tied ones after a vote) for at
// most seats places.
func CheckGoldenDecision(year int, picks []string, pool []Proposal, seats int) FieldErrors {
	byID := map[string]Proposal{}
	for _, p := range pool {
		byID[p.ID] = p
	}
	errs := FieldErrors{}
	switch {
	case len(picks) == 0:
		errs["picks"] = "请选择要评为金点子的议案建议"
	case len(picks) > seats:
		errs["picks"] = "最多还能评选 " + strconv.Itoa(max(seats, 0)) + " 件金点子"
	}
	seen := map[string]bool{}
	for _, id := range picks {
		p, ok := byID[id]
		switch {
		case seen[id]:
			errs["picks"] = "同一件议案建议不能重复评选"
		case !ok:
			errs["picks"] = "只能从提名（或票数相同）的议案建议中评选"
		case GoldenEligible(p, year) != "":
			errs["picks"] = "《" + p.Title + "》" + GoldenEligible(p, year)
		}
		seen[id] = true
	}
	return errs.orNil()
}

// GoldenCredit is who the assessment credits for a 金点子 (MetricGoldenIdeas):
// the sponsor (领衔代表) alone. Co-sponsors signed it; the idea and the work
// of writing it are the sponsor's, and crediting all five joint sponsors of
// a 议案 would turn one award into 25 bonus points.
func GoldenCredit(p Proposal) []string {
	return []string{p.Sponsor}
}
