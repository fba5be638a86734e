package ballot

import "strconv"

// Rules of one vote.
type Rules struct {
	// Seats is how many projects the vote chooses (拟确定项目数), typically
	// 3–5 a year.
	Seats int `json:"seats"`
	// MaxChoices (K) is the most candidates one ballot may choose. Default:
	// Seats, as a ballot may not choose more projects than will be taken
	// (所选项目不得多于拟确定项目数); a township may allow fewer.
	MaxChoices int `json:"max_choices"`
	// Expected is the number of deputies expected to vote (应到代表).
	Expected int `json:"expected"`
	// Majority: a candidate is chosen only with the votes of more than half
	// of Expected (全体代表过半数), not merely of those who voted, as a
	// congress decision needs. Default true.
	Majority bool `json:"majority"`
}

// DefaultRules are the shipped rules for expected deputies: 5 projects,
// up to 5 choices per ballot, a majority of all deputies needed.
func DefaultRules(expected int) Rules {
	return Rules{Seats: 5, MaxChoices: 5, Expected: expected, Majority: true}
}

// MajorityLine is the fewest votes that pass the majority rule, or 0 when
// the rule is off.
func (r Rules) MajorityLine() int {
	if !r.Majority {
		return 0
	}
	return r.Expected/2 + 1
}

// Validate checks the rules against the candidate list before the vote
// opens. Field names are those of the vote record.
func (r Rules) Validate(candidates []string) FieldErrors {
	errs := FieldErrors{}
	if r.Seats < 1 || r.Seats > 20 {
		errs["seats"] = "拟确定项目数须在 1 至 20 之间"
	}
	if r.Expected < 1 {
		errs["expected"] = "应到代表人数须大于 0"
	}
	seen := map[string]bool{}
	for _, c := range candidates {
		switch {
		case c == "":
			errs["candidates"] = "候选项目不能为空"
		case seen[c]:
			errs["candidates"] = "候选项目不能重复"
		}
		seen[c] = true
	}
	if _, bad := errs["candidates"]; !bad && len(candidates) <= r.Seats {
		errs["candidates"] = "候选项目数须多于拟确定项目数（差额票决），目前候选 " +
			strconv.Itoa(len(candidates)) + " 项、拟确定 " + strconv.Itoa(r.Seats) + " 项"
	}
	if r.MaxChoices < 1 || r.MaxChoices > len(candidates) {
		errs["max_choices"] = "每票最多可选项目数须在 1 至候选项目数之间"
	}
	return errs.orNil()
}

// FieldErrors maps a field name to a Chinese message, in the shape of
// PocketBase's 400 response data.
type FieldErrors map[string]string

func (e FieldErrors) orNil() FieldErrors {
	if len(e) == 0 {
		return nil
	}
	return e
}
