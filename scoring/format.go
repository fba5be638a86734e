package scoring

import (
	"math"
	"strconv"
)

// round2 rounds to 2 decimals, which removes float noise such as
// 0.1+0.2 = 0.30000000000000004 while keeping half and tenth points exact.
func round2(x float64) float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// num formats a score or count without trailing zeros: 13, 12.5, 3.33.
func num(x float64) string {
	return strconv.FormatFloat(round2(x), 'f', -1, 64)
}

// percent truncates rather than rounds, so that 0.8999 shows as 89.99%, not
// as a 90% that did not reach the 90% threshold.
func percent(ratio float64) string {
	p := math.Floor(ratio*10000+1e-6) / 100
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}
