package scoring

import (
	"encoding/binary"
	"testing"
)

// factsFromBytes turns fuzz input into non-negative facts: 4 bytes per metric
// (in Metrics() order), giving a value in eighths so that fractions occur, and
// for ratio and mean metrics a total with the value kept consistent with it.
func factsFromBytes(data []byte) Facts {
	var f Facts
	for _, m := range Metrics() {
		if len(data) < 4 {
			break
		}
		a := float64(binary.LittleEndian.Uint16(data))
		b := float64(binary.LittleEndian.Uint16(data[2:]))
		data = data[4:]
		switch m.Type {
		case TypeRatio:
			f.SetOutOf(m.Name, float64(int(a)%(int(b)+1)), b, "r")
		case TypeMean:
			f.SetOutOf(m.Name, a/8, b, "r")
		default:
			f.Set(m.Name, a/8, "r")
		}
	}
	// What is left marks metrics as unrecorded this year, one bit each.
	for i, m := range Metrics() {
		if i/8 < len(data) && data[i/8]&(1<<(i%8)) != 0 {
			f.SetUnrecorded(m.Name, "本年度没有"+m.Label+"记录")
		}
	}
	return f
}

// rulesFromBytes gives the rules that count cases a no-cases policy each,
// from the input's first byte.
func rulesFromBytes(data []byte) Rules {
	r := DefaultRules()
	if len(data) == 0 {
		return r
	}
	policies := []NoCases{"", NoCasesFull, NoCasesZero, NoCasesRescale}
	for i := range r.Items {
		if r.Items[i].HasCases() {
			r.Items[i].NoCases = policies[(int(data[0])>>i)%4]
		}
	}
	return r
}

func FuzzScore(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	full := make([]byte, 4*len(Metrics()))
	for i := range full {
		full[i] = 0x40
	}
	f.Add(full)
	f.Add(append(append([]byte{}, full...), 0xff, 0x01, 0x80))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts := factsFromBytes(data)
		rules := rulesFromBytes(data)
		res, err := Score(rules, facts)
		if err != nil {
			t.Fatalf("Score: %v", err)
		}
		if res.Total < 0 || res.Total > 110 {
			t.Fatalf("total %v outside [0, 110]", res.Total)
		}
		if res.Bonus < 0 || res.Bonus > rules.BonusCap {
			t.Fatalf("bonus %v", res.Bonus)
		}
		var base, scored, full float64
		for _, it := range res.Items {
			if it.Points < 0 || it.Points > it.Max {
				t.Fatalf("%s: %v of %v", it.Key, it.Points, it.Max)
			}
			if it.NotScored && (it.Points != 0 || it.Explanation == "") {
				t.Fatalf("%s not scored yet %v points, %q", it.Key, it.Points, it.Explanation)
			}
			if !it.Bonus {
				full += it.Max
				if !it.NotScored {
					base += it.Points
					scored += it.Max
				}
			}
		}
		wantBase := round2(base)
		if scored < full {
			wantBase = 0
			if scored > 0 {
				wantBase = min(round2(base*full/scored), full)
			}
		}
		if res.Rescaled != (scored < full) || wantBase != res.Base || round2(res.Base+res.Bonus) != res.Total || res.Base > full {
			t.Fatalf("base %v (items %v of %v, full %v) + bonus %v != total %v", res.Base, base, scored, full, res.Bonus, res.Total)
		}

		want := GradeIncompetent
		switch {
		case res.Total >= 90:
			want = GradeExcellent
		case res.Total >= 80:
			want = GradeCompetent
		case res.Total >= 60:
			want = GradeBasic
		}
		_, noVisits := facts.Unrecorded[MetricHouseholds]
		short := facts.Metrics[MetricHouseholds].Value < 12 && !noVisits
		capped := short && (want == GradeExcellent || want == GradeCompetent)
		if capped {
			want = GradeBasic
		}
		if res.Grade != want || res.GradeCapped != capped || (res.CapReason != "") != capped {
			t.Fatalf("total %v households %v: grade %s capped %v; want %s %v",
				res.Total, facts.Metrics[MetricHouseholds].Value, res.Grade, res.GradeCapped, want, capped)
		}
	})
}

func BenchmarkScore(b *testing.B) {
	rules := DefaultRules()
	facts := fullFacts()
	facts.Set(MetricHouseholds, 14, "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14")
	facts.Set(MetricGoldenIdeas, 1, "g1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(rules, facts); err != nil {
			b.Fatal(err)
		}
	}
}
