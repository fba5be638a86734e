package plausibility

import (
	"fmt"
	"testing"
	"time"
)

// fresh is a visit by d1 to household h, which d1 recorded for it.
func fresh(id, h string, tm time.Time) Visit {
	v := visit(id, h, tm, offset(0, 0, 20))
	v.HouseholdCreator, v.HouseholdCreated = "d1", tm.Add(time.Minute)
	return v
}

// sitting is n visits by d1 to n new households, every step from start.
func sitting(n int, start time.Time, step time.Duration) []Visit {
	var vs []Visit
	for i := range n {
		vs = append(vs, fresh(fmt.Sprintf("s%d", i), fmt.Sprintf("hs%d", i), start.Add(time.Duration(i)*step)))
	}
	return vs
}

func TestCheckSitting(t *testing.T) {
	twelve := sitting(12, at(20, 0), 50*time.Second) // the case: twelve in ten minutes
	six := sitting(6, at(9, 0), 4*time.Minute)
	spread := sitting(6, at(9, 0), 10*time.Minute)
	clockAhead := sitting(5, at(9, 0), 3*time.Minute)
	for i := range clockAhead { // the phone ran 40 hours ahead: households reached the server "before" the visits
		clockAhead[i].HouseholdCreated = clockAhead[i].VisitedAt.Add(-40 * time.Hour)
	}
	oldHouseholds := sitting(6, at(9, 0), 2*time.Minute)
	for i := range oldHouseholds {
		oldHouseholds[i].HouseholdCreated = at(9, 0).AddDate(0, -1, 0)
	}
	othersHouseholds := sitting(6, at(9, 0), 2*time.Minute)
	for i := range othersHouseholds {
		othersHouseholds[i].HouseholdCreator = "d2"
	}
	repeat := sitting(4, at(9, 0), 2*time.Minute)
	repeat = append(repeat, fresh("again", "hs0", at(9, 10)))
	known := visit("known", "h1", at(9, 8), offset(0, 0, 20))

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
		{"twelve households in ten minutes", twelve[5], twelve, Settings{},
			[]Kind{OneSitting}, []string{"30 分钟内新登记并走访了 12 户（3月5日 20:00 至 20:09）"}, nil},
		{"six in twenty minutes, the first", six[0], six, Settings{},
			[]Kind{OneSitting}, []string{"新登记并走访了 6 户（3月5日 09:00 至 09:20）"}, []string{"s1", "s2", "s3", "s4", "s5"}},
		{"six in twenty minutes, the last", six[5], six, Settings{}, []Kind{OneSitting}, nil, nil},
		{"a phone clock 40 hours ahead", clockAhead[2], clockAhead, Settings{}, []Kind{OneSitting}, nil, nil},
		{"a stricter setting", spread[3], spread, Settings{SittingHouseholds: 3}, []Kind{OneSitting}, []string{"走访了 4 户"}, nil},

		// Should not flag.
		{"six spread over fifty minutes", spread[3], spread, Settings{}, nil, nil, nil},
		{"four new households", six[2], six[:4], Settings{}, nil, nil, nil},
		{"households recorded a month before", oldHouseholds[2], oldHouseholds, Settings{}, nil, nil, nil},
		{"households another deputy recorded", othersHouseholds[2], othersHouseholds, Settings{}, nil, nil, nil},
		{"a known household amid new ones", known, six, Settings{}, nil, nil, nil},
		{"a second visit to a new household counts once", repeat[4], repeat, Settings{}, nil, nil, nil},
		{"check off", six[0], six, Settings{Off: []Kind{OneSitting}}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFlags(t, tt.v, CheckSitting(tt.v, tt.nearby, tt.settings), tt.want, tt.reason, tt.related)
		})
	}
}
