package proposal

import (
	"slices"
	"strings"
	"testing"
)

func nominee(id string, votes int) Nominee {
	p := complete(Closed)
	p.ID = id
	p.Title = "建议" + id
	return Nominee{Proposal: p, Votes: votes}
}

func TestSelectGolden(t *testing.T) {
	cases := []struct {
		name      string
		nominees  []Nominee
		seats     int
		named     []string
		tied      []string
		seatsLeft int
	}{
		{"clear top two", []Nominee{nominee("a", 3), nominee("b", 7), nominee("c", 5)}, 2, []string{"b", "c"}, nil, 0},
		{"majority needed", []Nominee{nominee("a", 4), nominee("b", 7), nominee("c", 3)}, 2, []string{"b"}, nil, 0},
		{"tie for the last place", []Nominee{nominee("a", 7), nominee("b", 5), nominee("c", 5)}, 2, []string{"a"}, []string{"b", "c"}, 1},
		{"tie for both places", []Nominee{nominee("a", 6), nominee("b", 6), nominee("c", 6)}, 2, nil, []string{"a", "b", "c"}, 2},
		{"a tie that fits", []Nominee{nominee("a", 6), nominee("b", 6), nominee("c", 5)}, 2, []string{"a", "b"}, nil, 0},
		{"one place left this year", []Nominee{nominee("a", 6), nominee("b", 7)}, 1, []string{"b"}, nil, 0},
		{"nobody passes", []Nominee{nominee("a", 4), nominee("b", 2)}, 2, nil, nil, 0},
		{"tie below the cut does not matter", []Nominee{nominee("a", 9), nominee("b", 8), nominee("c", 5), nominee("d", 5)}, 2, []string{"a", "b"}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, errs := SelectGolden(2026, c.nominees, c.seats, 9) // majority: 5 of 9
			if errs != nil {
				t.Fatal(errs)
			}
			if res.Majority != 5 {
				t.Errorf("majority %d", res.Majority)
			}
			if !slices.Equal(res.Named, c.named) || !slices.Equal(res.Tied, c.tied) || res.SeatsLeft != c.seatsLeft {
				t.Fatalf("named %v tied %v left %d; want %v %v %d", res.Named, res.Tied, res.SeatsLeft, c.named, c.tied, c.seatsLeft)
			}
			if len(res.Lines) != len(c.nominees) || res.Lines[0].Votes < res.Lines[len(res.Lines)-1].Votes {
				t.Errorf("lines %+v", res.Lines)
			}
		})
	}
}

func TestSelectGoldenRefuses(t *testing.T) {
	old := nominee("old", 5)
	old.Proposal.SubmittedAt = at(2025, 3, 1, 9)
	merged := nominee("m", 5)
	merged.Proposal.Status = Merged
	cases := []struct {
		name     string
		nominees []Nominee
		seats    int
		field    string
		want     string
	}{
		{"no seats", []Nominee{nominee("a", 5)}, 0, "seats", "已满"},
		{"nobody nominated", nil, 2, "nominees", "提名"},
		{"twice", []Nominee{nominee("a", 5), nominee("a", 6)}, 2, "nominees", "一次"},
		{"last year's", []Nominee{old}, 2, "nominees", "不是 2026 年"},
		{"merged", []Nominee{merged}, 2, "nominees", "主件"},
		{"more votes than members", []Nominee{nominee("a", 10)}, 2, "votes", "0 至 9"},
	}
	for _, c := range cases {
		_, errs := SelectGolden(2026, c.nominees, c.seats, 9)
		if !strings.Contains(errs[c.field], c.want) {
			t.Errorf("%s: %v, want %s containing %q", c.name, errs, c.field, c.want)
		}
	}
}

func TestCheckGoldenDecision(t *testing.T) {
	pool := []Proposal{nominee("b", 5).Proposal, nominee("c", 5).Proposal}
	if errs := CheckGoldenDecision(2026, []string{"c"}, pool, 1); errs != nil {
		t.Fatalf("valid decision refused: %v", errs)
	}
	for name, picks := range map[string][]string{
		"too many":    {"b", "c"},
		"none":        nil,
		"not in pool": {"z"},
		"twice":       {"b", "b"},
	} {
		if errs := CheckGoldenDecision(2026, picks, pool, 1); errs["picks"] == "" {
			t.Errorf("%s: accepted", name)
		}
	}
	if got := GoldenCredit(pool[0]); !slices.Equal(got, []string{"d1"}) {
		t.Errorf("credit %v", got)
	}
}
