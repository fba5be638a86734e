package plausibility

import (
	"math"
	"testing"
)

func TestCheckLocation(t *testing.T) {
	noPosition := Village{ID: "vil2", Name: "未定位村"}
	tests := []struct {
		name     string
		fix      *Fix
		village  *Village
		settings Settings
		want     []Kind
		reason   []string
	}{
		// Should flag.
		{"no fix", nil, &village, Settings{}, []Kind{NoFix}, []string{"没有定位"}},
		{"fix off the globe", &Fix{Lat: math.NaN(), Lon: 110}, &village, Settings{}, []Kind{NoFix}, nil},
		{"fix too coarse to place the visit", offset(0, 0, 12000), &village, Settings{}, []Kind{NoFix}, []string{"定位精度约 12.0 公里"}},
		{"8.2 km beyond the village, accurate", offset(1500+8200, 0, 50), &village, Settings{},
			[]Kind{FarFromVillage}, []string{"定位距离该户所在村（思蒙湾村）约 8.2 公里（定位精度 50 米）"}},
		{"just past the margin", offset(0, -(1500 + 3000 + 100 + 5), 100), &village, Settings{}, []Kind{FarFromVillage}, nil},
		{"far, no accuracy given", offset(1500+30000, 0, 0), &village, Settings{}, []Kind{FarFromVillage}, []string{"约 30 公里（定位未给出精度）"}},
		{"a tighter setting", offset(1500+2000, 0, 10), &village, Settings{FarBeyondM: 1000}, []Kind{FarFromVillage}, []string{"约 2.0 公里"}},
		{"no fix, with a village lacking a position", nil, &noPosition, Settings{}, []Kind{NoFix}, nil},

		// Should not flag.
		{"in the village", offset(300, -200, 20), &village, Settings{}, nil, nil},
		{"just outside the drawn circle", offset(1500+800, 0, 20), &village, Settings{}, nil, nil},
		{"at the margin exactly", offset(1500+3000+100, 0, 100), &village, Settings{}, nil, nil},
		{"beyond the margin but the accuracy circle reaches back", offset(1500+4000, 0, 1500), &village, Settings{}, nil, nil},
		{"a coarse cell fix overlapping the village", offset(1500+9000, 0, 9500), &village, Settings{}, nil, nil},
		{"village without a position", offset(50000, 0, 10), &noPosition, Settings{}, nil, nil},
		{"village unknown", offset(50000, 0, 10), nil, Settings{}, nil, nil},
		{"negative accuracy read as none", offset(100, 0, -5), &village, Settings{}, nil, nil},
		{"no fix, check off", nil, &village, Settings{Off: []Kind{NoFix}}, nil, nil},
		{"far, check off", offset(50000, 0, 10), &village, Settings{Off: []Kind{FarFromVillage}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := visit("v1", "h1", at(9, 30), tt.fix)
			checkFlags(t, v, CheckLocation(v, tt.village, tt.settings), tt.want, tt.reason, nil)
		})
	}
}

func TestDistanceM(t *testing.T) {
	// One degree of latitude, or of longitude on the equator, is 111.2 km;
	// at 60° north a degree of longitude is half that.
	tests := []struct {
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{27, 110, 28, 110, 111195, 1},
		{27.85, 110.72, 27.85, 110.72, 0, 0},
		{60, 10, 60, 11, 55597, 100},
		{0, -179.9, 0, 179.9, 22239, 5},
	}
	for _, tt := range tests {
		if got := distanceM(tt.lat1, tt.lon1, tt.lat2, tt.lon2); math.Abs(got-tt.want) > tt.tol {
			t.Errorf("distance(%v,%v → %v,%v) = %.0f, want %.0f ± %.0f", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want, tt.tol)
		}
	}
}
