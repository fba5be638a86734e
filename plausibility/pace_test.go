package plausibility

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestCheckPace(t *testing.T) {
	centre := offset(0, 0, 20)
	far := offset(25000+40, 0, 20) // 25 km apart once both accuracies are taken off
	other := func(id, h string, tm time.Time, f *Fix) Visit { return visit(id, h, tm, f) }
	byOther := visit("u1", "h2", at(9, 18), far)
	byOther.Deputy = "d2"

	tests := []struct {
		name     string
		v        Visit
		nearby   []Visit
		settings Settings
		want     []Kind
		reason   []string
		related  []string
	}{
		// Should flag.
		{"25 km in 12 minutes", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(9, 18), far)}, Settings{},
			[]Kind{TooFast}, []string{"与 3月5日 09:18 走访的另一户相隔 12 分钟", "相距约 25 公里", "需时速约 125 公里"}, []string{"u1"}},
		{"the next visit is the impossible one", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(9, 50), far)}, Settings{},
			[]Kind{TooFast}, []string{"相隔 20 分钟"}, []string{"u1"}},
		{"the same moment, 2 km apart", visit("v1", "h1", at(9, 30), offset(0, 0, 10)),
			[]Visit{other("u1", "h2", at(9, 30), offset(2020, 0, 10))}, Settings{},
			[]Kind{TooFast}, []string{"时间相同", "相距约 2.0 公里"}, nil},
		{"worst pair described, all related", visit("v1", "h1", at(10, 0), centre),
			[]Visit{other("u2", "h3", at(10, 10), far), other("u1", "h2", at(9, 55), far), other("u3", "h4", at(9, 0), far)}, Settings{},
			[]Kind{TooFast}, []string{"09:55", "相隔 5 分钟", "另有 1 次走访也是如此"}, []string{"u1", "u2"}},
		{"no fix, 3 minutes after another household", visit("v1", "h1", at(9, 30), nil),
			[]Visit{other("u1", "h2", at(9, 27), centre)}, Settings{},
			[]Kind{TooSoon}, []string{"与 3月5日 09:27 走访的另一户仅相隔 3 分钟", "缺少定位"}, []string{"u1"}},
		{"the other visit lacks the fix", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(9, 30).Add(30*time.Second), nil)}, Settings{},
			[]Kind{TooSoon}, []string{"不到 1 分钟"}, nil},
		{"a slower speed limit", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(8, 0), far)}, Settings{MaxSpeedKmh: 15},
			[]Kind{TooFast}, []string{"相隔 1 小时 30 分钟", "需时速约 17 公里"}, nil},

		// Should not flag.
		{"25 km in 40 minutes", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(8, 50), far)}, Settings{}, nil, nil, nil},
		{"the same household", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h1", at(9, 28), far), other("u2", "h1", at(9, 29), nil)}, Settings{}, nil, nil, nil},
		{"another deputy's visit", visit("v1", "h1", at(9, 30), centre),
			[]Visit{byOther}, Settings{}, nil, nil, nil},
		{"itself", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("v1", "h2", at(9, 30), far)}, Settings{}, nil, nil, nil},
		{"accuracy circles touch", visit("v1", "h1", at(9, 30), offset(0, 0, 1500)),
			[]Visit{other("u1", "h2", at(9, 31), offset(3000, 0, 1500))}, Settings{}, nil, nil, nil},
		{"neighbours 100 m apart, 2 minutes", visit("v1", "h1", at(9, 30), offset(0, 0, 10)),
			[]Visit{other("u1", "h2", at(9, 28), offset(100, 0, 10))}, Settings{}, nil, nil, nil},
		{"no fix, 5 minutes apart", visit("v1", "h1", at(9, 30), nil),
			[]Visit{other("u1", "h2", at(9, 25), nil), other("u2", "h3", at(9, 35), nil)}, Settings{}, nil, nil, nil},
		{"beyond the pace window", visit("v1", "h1", at(12, 30), centre),
			[]Visit{other("u1", "h2", at(9, 0), offset(300000, 0, 10))}, Settings{}, nil, nil, nil},
		{"no time", visit("v1", "h1", time.Time{}, nil),
			[]Visit{other("u1", "h2", time.Time{}, nil)}, Settings{}, nil, nil, nil},
		{"both checks off", visit("v1", "h1", at(9, 30), centre),
			[]Visit{other("u1", "h2", at(9, 29), far), other("u2", "h3", at(9, 29), nil)}, Settings{Off: []Kind{TooFast, TooSoon}}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFlags(t, tt.v, CheckPace(tt.v, tt.nearby, tt.settings), tt.want, tt.reason, tt.related)
		})
	}
}

// The bound the pace check settles most pairs with never falls under the
// distance it stands for, anywhere on the globe, near or far.
func TestDistanceAtMostNeverUnder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 21))
	for range 200_000 {
		lat1, lon1 := rng.Float64()*180-90, rng.Float64()*360-180
		var lat2, lon2 float64
		switch rng.IntN(3) {
		case 0: // anywhere
			lat2, lon2 = rng.Float64()*180-90, rng.Float64()*360-180
		case 1: // a village apart
			lat2, lon2 = lat1+rng.NormFloat64()*0.01, lon1+rng.NormFloat64()*0.01
		default: // the same place, or a hair off
			lat2, lon2 = lat1, lon1+float64(rng.IntN(3))*1e-12
		}
		if d, ub := distanceM(lat1, lon1, lat2, lon2), distanceAtMostM(lat1, lon1, lat2, lon2); ub < d {
			t.Fatalf("(%v,%v)-(%v,%v): bound %v under distance %v", lat1, lon1, lat2, lon2, ub, d)
		}
	}
}
