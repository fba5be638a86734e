package ballot

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Outcome of one candidate in a count.
type Outcome string

const (
	Elected       Outcome = "elected"        // 当选
	Tied          Outcome = "tied"           // 票数相同，须再次投票
	BelowMajority Outcome = "below_majority" // 未过全体代表半数
	NotElected    Outcome = "not_elected"    // 未当选
)

// Label is the Chinese name of o.
func (o Outcome) Label() string {
	switch o {
	case Elected:
		return "当选"
	case Tied:
		return "票数相同，须再次投票"
	case BelowMajority:
		return "未过全体代表半数"
	case NotElected:
		return "未当选"
	}
	return string(o)
}

// Line is one candidate's result.
type Line struct {
	Candidate string  `json:"candidate"`
	Votes     int     `json:"votes"`
	Rank      int     `json:"rank"` // 1, 2, 2, 4: equal votes share a rank
	Outcome   Outcome `json:"outcome"`
}

// Result is a count. Counts are of ballots; Lines are in rank order, equal
// votes in candidate-list order.
type Result struct {
	Rules      Rules    `json:"rules"`
	Registered int      `json:"registered"` // deputies recorded as having voted (投票人数)
	Cast       int      `json:"cast"`       // ballots in the urn (收回选票)
	Valid      int      `json:"valid"`      // 有效票, blank ones included
	Blank      int      `json:"blank"`      // 弃权票: valid, nothing chosen
	Spoiled    int      `json:"spoiled"`    // 废票: flagged, over-marked, unknown or repeated choices
	Lines      []Line   `json:"lines"`
	Elected    []string `json:"elected"` // in rank order
	Tied       []string `json:"tied"`    // tied for the last SeatsLeft places
	SeatsLeft  int      `json:"seats_left"`
	// Void is why the whole vote is void (Chinese), "" when it stands.
	Void string `json:"void"`
	// Digest identifies the set of ballots counted (see Digest).
	Digest string `json:"digest"`
}

// Count counts ballots for candidates (in list order) under rules, with
// registered the number of deputies in the register.
//
// The vote is void when the urn holds more ballots than the register has
// voters (收回选票多于投票人数), or when no more than half of the expected
// deputies voted. Otherwise candidates that pass the majority line are
// taken by votes, most first, up to Seats. When candidates with equal votes
// compete for the last places and would exceed them, none of them is
// chosen by this count: they are Tied, and a further vote among them
// (Runoff) fills SeatsLeft places — the rule the Election Law gives for
// equal votes (得票数相等不能确定当选时，就票数相等的再次投票). No lot, no
// order of submission and no id decides, so the count stays reproducible
// and every place has a reason.
func Count(candidates []string, ballots []Ballot, registered int, rules Rules) Result {
	res := Result{Rules: rules, Registered: registered, Cast: len(ballots), Digest: Digest(ballots)}
	votes := make(map[string]int, len(candidates))
	for _, b := range ballots {
		if b.Spoiled || problem(b.Choices, candidates, rules.MaxChoices) != "" {
			res.Spoiled++
			continue
		}
		res.Valid++
		if len(b.Choices) == 0 {
			res.Blank++
		}
		for _, c := range b.Choices {
			votes[c]++
		}
	}
	order := slices.Clone(candidates)
	sort.SliceStable(order, func(i, j int) bool { return votes[order[i]] > votes[order[j]] })
	for i, c := range order {
		rank := i + 1
		if i > 0 && votes[c] == votes[order[i-1]] {
			rank = res.Lines[i-1].Rank
		}
		res.Lines = append(res.Lines, Line{Candidate: c, Votes: votes[c], Rank: rank, Outcome: NotElected})
	}

	switch {
	case res.Cast > registered:
		res.Void = "收回选票 " + strconv.Itoa(res.Cast) + " 张，多于投票人数 " + strconv.Itoa(registered) + " 人，本次票决无效"
	case registered*2 <= rules.Expected:
		res.Void = "投票代表 " + strconv.Itoa(registered) + " 人，未超过应到代表 " + strconv.Itoa(rules.Expected) + " 人的半数，本次票决无效"
	}
	if res.Void != "" {
		return res
	}

	line := rules.MajorityLine()
	chosen := 0
	for i := 0; i < len(res.Lines); {
		j := i
		for j < len(res.Lines) && res.Lines[j].Votes == res.Lines[i].Votes {
			j++
		}
		group := res.Lines[i:j]
		switch {
		case group[0].Votes < line:
			setOutcome(group, BelowMajority)
		case group[0].Votes == 0, chosen >= rules.Seats:
			// NotElected already: nobody chose them, or the places are taken.
			// NotElected already.
		case chosen+len(group) <= rules.Seats:
			setOutcome(group, Elected)
			for _, l := range group {
				res.Elected = append(res.Elected, l.Candidate)
			}
			chosen += len(group)
		default:
			setOutcome(group, Tied)
			for _, l := range group {
				res.Tied = append(res.Tied, l.Candidate)
			}
			res.SeatsLeft = rules.Seats - chosen
			chosen = rules.Seats
		}
		i = j
	}
	return res
}

func setOutcome(lines []Line, o Outcome) {
	for i := range lines {
		lines[i].Outcome = o
	}
}

// Runoff returns the candidates and rules of the further vote that breaks
// a tie (再次投票): the Tied candidates, SeatsLeft places, at most SeatsLeft
// choices a ballot, and no majority line, since the tied candidates have
// already passed it; the runoff only decides among them. ok is false when
// res has no tie. A runoff that ties again leaves the decision to another
// runoff or to the congress's presidium, recorded in the minutes.
func (res Result) Runoff() (candidates []string, rules Rules, ok bool) {
	if len(res.Tied) == 0 {
		return nil, Rules{}, false
	}
	return slices.Clone(res.Tied), Rules{
		Seats: res.SeatsLeft, MaxChoices: res.SeatsLeft, Expected: res.Rules.Expected, Majority: false,
	}, true
}

// Digest is the SHA-256, in hex after "sha256:", of the ballots in
// canonical form: one line per ballot, sorted, each
//
//	<id> TAB <choices sorted, joined by ","> TAB <"spoiled" or "">  LF
//
// Anyone with the published ballots recomputes it to check that they hold
// the set that was counted. Ids and choices are PocketBase ids ([a-z0-9]),
// so no TAB, LF or comma can make two sets read alike.
func Digest(ballots []Ballot) string {
	lines := make([]string, len(ballots))
	for i, b := range ballots {
		cs := slices.Clone(b.Choices)
		slices.Sort(cs)
		mark := ""
		if b.Spoiled {
			mark = "spoiled"
		}
		lines[i] = b.ID + "\t" + strings.Join(cs, ",") + "\t" + mark + "\n"
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
