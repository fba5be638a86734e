package plausibility

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fixture village: 思蒙湾村, a circle of 1.5 km.
var village = Village{ID: "vil1", Name: "思蒙湾村", Lat: 27.85, Lon: 110.72, RadiusM: 1500}

var villages = map[string]Village{village.ID: village}

// at is a moment on 5 March 2026, China time.
func at(h, m int) time.Time { return time.Date(2026, 3, 5, h, m, 0, 0, China) }

// offset is the fix dn metres north and de metres east of the village
// centre, with accuracy acc.
func offset(dn, de, acc float64) *Fix {
	const mPerDeg = earthRadiusM * math.Pi / 180
	return &Fix{
		Lat:       village.Lat + dn/mPerDeg,
		Lon:       village.Lon + de/(mPerDeg*math.Cos(village.Lat*math.Pi/180)),
		AccuracyM: acc,
	}
}

// visit is a visit by deputy d1 to household h of the fixture village at
// t, with fix f, received a minute later; the household was recorded long
// before by another deputy.
func visit(id, h string, t time.Time, f *Fix) Visit {
	return Visit{ID: id, Deputy: "d1", Household: h, Village: village.ID, VisitedAt: t,
		ReceivedAt: t.Add(time.Minute), Fix: f,
		HouseholdCreated: t.AddDate(0, -3, 0), HouseholdCreator: "d9"}
}

// kinds lists the kinds of flags, in order.
func kinds(flags []Flag) []Kind {
	out := []Kind{}
	for _, f := range flags {
		out = append(out, f.Kind)
	}
	return out
}

// checkFlags compares flags with the wanted kinds, reason fragments and
// related ids, and checks what every flag must hold.
func checkFlags(t *testing.T, v Visit, got []Flag, want []Kind, reason []string, related []string) {
	t.Helper()
	if !slices.Equal(kinds(got), want) {
		t.Fatalf("kinds %v, want %v (%+v)", kinds(got), want, got)
	}
	for _, f := range got {
		if f.Visit != v.ID || f.Reason == "" || slices.Contains(f.Related, v.ID) {
			t.Errorf("malformed flag %+v", f)
		}
	}
	if len(got) == 0 {
		return
	}
	for _, r := range reason {
		if !strings.Contains(got[0].Reason, r) {
			t.Errorf("reason %q lacks %q", got[0].Reason, r)
		}
	}
	if related != nil && !slices.Equal(got[0].Related, related) {
		t.Errorf("related %v, want %v", got[0].Related, related)
	}
}
