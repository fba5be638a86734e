package ballot

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzCheck: choices come from a deputy's phone.
func FuzzCheck(f *testing.F) {
	f.Add("c1,c2,c3", uint8(3))
	f.Add("c1,c1", uint8(5))
	f.Add(",c9,\x00", uint8(1))
	f.Fuzz(func(t *testing.T, raw string, k uint8) {
		var choices []string
		if raw != "" {
			choices = strings.Split(raw, ",")
		}
		got, errs := Check(choices, cands, int(k))
		if errs != nil {
			if got != nil || errs["choices"] == "" || len(errs) != 1 {
				t.Fatalf("refusal %v with %v", errs, got)
			}
			// One of the fixed messages: nothing of what was chosen.
			fixed := []string{"最多可选 " + strconv.Itoa(int(k)) + " 项，请减少所选项目", "所选项目不在候选名单中，请刷新候选名单后重新选择", "同一项目只能选一次"}
			if !slices.Contains(fixed, errs["choices"]) {
				t.Fatalf("unexpected message %q", errs["choices"])
			}
			return
		}
		if len(got) > int(k) || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("accepted %v", got)
		}
		for _, c := range got {
			if !slices.Contains(cands, c) {
				t.Fatalf("accepted unknown %q", c)
			}
		}
	})
}

// FuzzCount: ballots typed in from paper can hold anything.
func FuzzCount(f *testing.F) {
	f.Add([]byte{1, 2, 3, 0, 4, 5, 0, 0, 1, 1, 9}, uint8(3), uint8(3), uint8(20), uint8(18), true)
	f.Add([]byte{}, uint8(1), uint8(1), uint8(1), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, seats, k, expected, registered uint8, majority bool) {
		// Each 0 byte ends a ballot; other bytes choose candidate b%10 (8 and 9 are unknown).
		var bs []Ballot
		cur := Ballot{ID: "b0"}
		for _, b := range data {
			if b == 0 {
				bs = append(bs, cur)
				cur = Ballot{ID: "b" + string(rune('a'+len(bs)%26)) + string(rune('a'+len(bs)/26%26)), Spoiled: len(bs)%7 == 6}
				continue
			}
			cur.Choices = append(cur.Choices, "c"+string(rune('0'+b%10)))
		}
		rules := Rules{Seats: int(seats%6) + 1, MaxChoices: int(k%8) + 1, Expected: int(expected) + 1, Majority: majority}
		res := Count(cands, bs, int(registered), rules)
		if res.Valid+res.Spoiled != res.Cast || res.Cast != len(bs) || res.Blank > res.Valid {
			t.Fatalf("counts do not add up: %+v", res)
		}
		total := 0
		for _, l := range res.Lines {
			total += l.Votes
		}
		if total > res.Valid*rules.MaxChoices {
			t.Fatalf("%d votes from %d valid ballots", total, res.Valid)
		}
		if len(res.Elected)+res.SeatsLeft > rules.Seats {
			t.Fatalf("%d elected and %d left for %d places", len(res.Elected), res.SeatsLeft, rules.Seats)
		}
		if (len(res.Tied) > 0) != (res.SeatsLeft > 0) || len(res.Tied) > 0 && len(res.Tied) <= res.SeatsLeft {
			t.Fatalf("tie of %v for %d places", res.Tied, res.SeatsLeft)
		}
		if res.Void != "" && (len(res.Elected) > 0 || len(res.Tied) > 0) {
			t.Fatal("a void vote elected something")
		}
		for i, l := range res.Lines {
			if l.Outcome == Elected && (l.Votes < rules.MajorityLine() || l.Votes == 0) {
				t.Fatalf("elected %v", l)
			}
			if i > 0 && l.Votes > res.Lines[i-1].Votes {
				t.Fatal("lines out of order")
			}
		}
		// Reading the ballots backwards changes nothing.
		rev := slices.Clone(bs)
		slices.Reverse(rev)
		again := Count(cands, rev, int(registered), rules)
		if again.Digest != res.Digest || !slices.Equal(again.Lines, res.Lines) || !slices.Equal(again.Tied, res.Tied) {
			t.Fatal("order matters")
		}
	})
}
