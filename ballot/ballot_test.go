package ballot

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var cands = []string{"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"}

func TestRulesValidate(t *testing.T) {
	if errs := DefaultRules(20).Validate(cands); errs != nil {
		t.Fatalf("default rules: %v", errs)
	}
	cases := []struct {
		name  string
		rules Rules
		cands []string
		field string
		want  string
	}{
		{"no seats", Rules{Seats: 0, MaxChoices: 1, Expected: 20}, cands, "seats", "1 至 20"},
		{"nobody expected", Rules{Seats: 3, MaxChoices: 3}, cands, "expected", "大于 0"},
		{"as many candidates as seats", Rules{Seats: 3, MaxChoices: 3, Expected: 20}, cands[:3], "candidates", "差额票决"},
		{"duplicate candidate", Rules{Seats: 1, MaxChoices: 1, Expected: 20}, []string{"c1", "c1", "c2"}, "candidates", "重复"},
		{"empty candidate", Rules{Seats: 1, MaxChoices: 1, Expected: 20}, []string{"c1", ""}, "candidates", "为空"},
		{"more choices than candidates", Rules{Seats: 3, MaxChoices: 9, Expected: 20}, cands, "max_choices", "候选项目数"},
		{"zero choices", Rules{Seats: 3, MaxChoices: 0, Expected: 20}, cands, "max_choices", "1 至"},
	}
	for _, c := range cases {
		if msg := c.rules.Validate(c.cands)[c.field]; !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, want %s containing %q", c.name, msg, c.field, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name    string
		choices []string
		want    string // "" = valid
	}{
		{"five of eight", []string{"c5", "c1", "c3", "c2", "c8"}, ""},
		{"blank is an abstention", nil, ""},
		{"too many", []string{"c1", "c2", "c3", "c4", "c5", "c6"}, "最多可选 5 项"},
		{"unknown", []string{"c1", "c99"}, "不在候选名单"},
		{"empty id", []string{""}, "不在候选名单"},
		{"twice", []string{"c2", "c2"}, "只能选一次"},
	}
	for _, c := range cases {
		got, errs := Check(c.choices, cands, 5)
		if c.want == "" {
			if errs != nil || !slices.IsSorted(got) || len(got) != len(c.choices) {
				t.Errorf("%s: %v %v", c.name, got, errs)
			}
			continue
		}
		msg := errs["choices"]
		if !strings.Contains(msg, c.want) || got != nil {
			t.Errorf("%s: %v, want choices containing %q", c.name, errs, c.want)
		}
		// The request log keeps error details: they must not say what was chosen.
		for _, id := range append(c.choices, cands...) {
			if id != "" && strings.Contains(msg, id) {
				t.Errorf("%s: message %q names candidate %q", c.name, msg, id)
			}
		}
	}
}

// urn returns n ballots (random ids) with the given votes per candidate,
// at most k choices a ballot.
func urn(n, k int, votes map[string]int) []Ballot {
	bs := make([]Ballot, n)
	for i := range bs {
		bs[i].ID = "b" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	i := 0
	for _, c := range cands {
		for v := votes[c]; v > 0; v-- {
			for tries := 0; len(bs[i%n].Choices) >= k || slices.Contains(bs[i%n].Choices, c); tries++ {
				if tries > n {
					panic("urn: votes do not fit the ballots")
				}
				i++
			}
			bs[i%n].Choices = append(bs[i%n].Choices, c)
			i++
		}
	}
	return bs
}

func TestCount(t *testing.T) {
	rules := Rules{Seats: 3, MaxChoices: 3, Expected: 20, Majority: true} // majority: 11 of 20
	cases := []struct {
		name      string
		votes     map[string]int
		elected   []string
		tied      []string
		seatsLeft int
	}{
		{"clear", map[string]int{"c1": 17, "c2": 15, "c3": 12, "c4": 8, "c5": 2}, []string{"c1", "c2", "c3"}, nil, 0},
		{"majority leaves a place empty", map[string]int{"c1": 17, "c2": 15, "c3": 10, "c4": 10}, []string{"c1", "c2"}, nil, 0},
		{"tie for the last place", map[string]int{"c1": 16, "c2": 14, "c3": 12, "c4": 12}, []string{"c1", "c2"}, []string{"c3", "c4"}, 1},
		{"three tied for two places", map[string]int{"c1": 17, "c2": 12, "c3": 12, "c4": 12}, []string{"c1"}, []string{"c2", "c3", "c4"}, 2},
		{"a tie that fits", map[string]int{"c1": 14, "c2": 14, "c3": 12, "c4": 9}, []string{"c1", "c2", "c3"}, nil, 0},
		{"tie below the places", map[string]int{"c1": 15, "c2": 14, "c3": 13, "c4": 5, "c5": 5}, []string{"c1", "c2", "c3"}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bs := urn(18, 3, c.votes)
			res := Count(cands, bs, 18, rules)
			if res.Void != "" || res.Cast != 18 || res.Valid != 18 || res.Spoiled != 0 {
				t.Fatalf("counts: %+v", res)
			}
			if !slices.Equal(res.Elected, c.elected) || !slices.Equal(res.Tied, c.tied) || res.SeatsLeft != c.seatsLeft {
				t.Fatalf("elected %v tied %v left %d; want %v %v %d", res.Elected, res.Tied, res.SeatsLeft, c.elected, c.tied, c.seatsLeft)
			}
			for _, l := range res.Lines {
				if l.Votes != c.votes[l.Candidate] {
					t.Errorf("%s: %d votes, want %d", l.Candidate, l.Votes, c.votes[l.Candidate])
				}
				if l.Outcome == Elected && l.Votes < rules.MajorityLine() {
					t.Errorf("%s elected below the majority", l.Candidate)
				}
			}
			// The count is the same whatever order the ballots are read in.
			shuffled := slices.Clone(bs)
			rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			again := Count(cands, shuffled, 18, rules)
			if again.Digest != res.Digest || !slices.Equal(again.Elected, res.Elected) || !slices.Equal(again.Lines, res.Lines) {
				t.Fatal("the count depends on the order of the ballots")
			}
		})
	}
}

func TestRanksAndOutcomes(t *testing.T) {
	res := Count(cands, urn(18, 3, map[string]int{"c1": 15, "c2": 12, "c3": 12, "c4": 12, "c5": 3}), 18,
		Rules{Seats: 3, MaxChoices: 3, Expected: 20, Majority: true})
	want := []Line{
		{"c1", 15, 1, Elected}, {"c2", 12, 2, Tied}, {"c3", 12, 2, Tied}, {"c4", 12, 2, Tied},
		{"c5", 3, 5, BelowMajority}, {"c6", 0, 6, BelowMajority}, {"c7", 0, 6, BelowMajority}, {"c8", 0, 6, BelowMajority},
	}
	if !slices.Equal(res.Lines, want) {
		t.Fatalf("lines\n got %v\nwant %v", res.Lines, want)
	}
	cs, rr, ok := res.Runoff()
	if !ok || !slices.Equal(cs, []string{"c2", "c3", "c4"}) || rr.Seats != 2 || rr.MaxChoices != 2 || rr.Majority {
		t.Fatalf("runoff %v %+v %v", cs, rr, ok)
	}
	if errs := rr.Validate(cs); errs != nil {
		t.Fatalf("runoff rules invalid: %v", errs)
	}
	// The runoff: c3 and c4 take the two places.
	second := []Ballot{
		{ID: "r1", Choices: []string{"c3", "c4"}}, {ID: "r2", Choices: []string{"c3", "c2"}},
		{ID: "r3", Choices: []string{"c4"}}, {ID: "r4", Choices: []string{"c4", "c3"}},
		{ID: "r5", Choices: []string{"c2"}}, {ID: "r6"}, {ID: "r7", Choices: []string{"c3"}},
		{ID: "r8", Choices: []string{"c4", "c2"}}, {ID: "r9", Choices: []string{"c3", "c4"}},
		{ID: "r10", Choices: []string{"c2", "c3"}}, {ID: "r11", Choices: []string{"c4"}},
	}
	rres := Count(cs, second, 11, rr)
	if !slices.Equal(rres.Elected, []string{"c3", "c4"}) || rres.Blank != 1 || len(rres.Tied) != 0 {
		t.Fatalf("runoff count %+v", rres)
	}
	if _, _, ok := rres.Runoff(); ok {
		t.Fatal("a runoff without a tie")
	}
}

func TestSpoiledAndVoid(t *testing.T) {
	rules := Rules{Seats: 2, MaxChoices: 2, Expected: 9, Majority: true}
	bs := []Ballot{
		{ID: "a", Choices: []string{"c1", "c2"}},
		{ID: "b", Choices: []string{"c1"}},
		{ID: "c"},                                      // blank
		{ID: "d", Choices: []string{"c1", "c2", "c3"}}, // over-marked paper ballot
		{ID: "e", Choices: []string{"c1", "c1"}},       // repeated
		{ID: "f", Choices: []string{"zz"}},             // unknown
		{ID: "g", Choices: []string{"c2"}, Spoiled: true},
	}
	res := Count(cands, bs, 7, rules)
	if res.Valid != 3 || res.Blank != 1 || res.Spoiled != 4 || res.Valid+res.Spoiled != res.Cast {
		t.Fatalf("%+v", res)
	}
	if res.Lines[0].Candidate != "c1" || res.Lines[0].Votes != 2 || len(res.Elected) != 0 {
		t.Fatalf("2 votes of 9 expected must not pass: %+v", res)
	}
	if v := Count(cands, bs, 6, rules).Void; !strings.Contains(v, "多于投票人数") {
		t.Errorf("more ballots than voters: %q", v)
	}
	if v := Count(cands, bs[:4], 4, rules).Void; !strings.Contains(v, "未超过应到代表") {
		t.Errorf("4 of 9 voted: %q", v)
	}
	if v := Count(cands, bs[:5], 5, rules); v.Void != "" {
		t.Errorf("5 of 9 voted: %q", v.Void)
	}
}

func TestDigest(t *testing.T) {
	a := []Ballot{{ID: "x", Choices: []string{"c2", "c1"}}, {ID: "y"}}
	b := []Ballot{{ID: "y"}, {ID: "x", Choices: []string{"c1", "c2"}}}
	if Digest(a) != Digest(b) || !strings.HasPrefix(Digest(a), "sha256:") {
		t.Fatal("digest depends on order")
	}
	c := []Ballot{{ID: "x", Choices: []string{"c1", "c3"}}, {ID: "y"}}
	d := []Ballot{{ID: "x", Choices: []string{"c2", "c1"}}, {ID: "y", Spoiled: true}}
	if Digest(a) == Digest(c) || Digest(a) == Digest(d) {
		t.Fatal("digest misses a change")
	}
}
