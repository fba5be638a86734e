// Package yearreport is the year's reports without PocketBase: the
// township's figures for a year (each a count or a rate with its
// definition), and the drafts made from them — the presidium's annual work
// report to the congress (年度工作报告) and each deputy's report to their
// voters (述职报告) — as plain text in paragraphs that people edit before
// printing.
package yearreport

import (
	"fmt"
	"math"
	"strconv"
)

// Figure is one number of the year.
type Figure struct {
	Key   string `json:"key"`
	Group string `json:"group"` // 联系群众, 建议办理…
	Label string `json:"label"`
	Unit  string `json:"unit"` // 户, 件, 次; "%" for a rate
	// Value is the count, or the rate in percent (one decimal); nil for a
	// rate of nothing (no cases: not 0 %, not 100 %).
	Value       *float64 `json:"value"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"` // rates only
	Rate        bool     `json:"rate"`
	Definition  string   `json:"definition"` // 口径, Chinese
	// Drill says the records behind the figure can be listed (the
	// numerator's records).
	Drill bool `json:"drill"`
}

// Count is a figure that counts n of something.
func Count(key, group, label, unit, definition string, n int) Figure {
	v := float64(n)
	return Figure{Key: key, Group: group, Label: label, Unit: unit, Value: &v, Numerator: n, Definition: definition}
}

// Rate is num out of den as a percentage, one decimal; no value when den
// is 0.
func Rate(key, group, label, definition string, num, den int) Figure {
	f := Figure{Key: key, Group: group, Label: label, Unit: "%", Numerator: num, Denominator: den, Rate: true, Definition: definition}
	if den > 0 {
		v := math.Round(float64(num)*1000/float64(den)) / 10
		f.Value = &v
	}
	return f
}

// Text is the figure as a report writes it: 120户, 87.5%（35/40）, or
// 无（没有可统计的事项） for a rate of nothing.
func (f Figure) Text() string {
	if f.Value == nil {
		return "无（没有可统计的事项）"
	}
	if f.Rate {
		return fmt.Sprintf("%s%%（%d/%d）", trim(*f.Value), f.Numerator, f.Denominator)
	}
	return trim(*f.Value) + f.Unit
}

// Short is the figure without its fraction: 120户, 87.5%, 无.
func (f Figure) Short() string {
	if f.Value == nil {
		return "无"
	}
	if f.Rate {
		return trim(*f.Value) + "%"
	}
	return trim(*f.Value) + f.Unit
}

func trim(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Set is the figures of a year, looked up by key.
type Set []Figure

// Get returns the figure with key, and whether there is one.
func (s Set) Get(key string) (Figure, bool) {
	for _, f := range s {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// N is the count (numerator) of the figure with key, 0 if none.
func (s Set) N(key string) int {
	f, _ := s.Get(key)
	return f.Numerator
}

// Groups lists the groups in the order their first figure appears.
func (s Set) Groups() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range s {
		if !seen[f.Group] {
			seen[f.Group] = true
			out = append(out, f.Group)
		}
	}
	return out
}
