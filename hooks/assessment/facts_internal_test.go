package assessment

import (
	"slices"
	"testing"

	"simeng/scoring"
)

// An item whose metric no source provides is dropped (inert), not scored
// from missing data; without a households source the grade cap goes too.
func TestEffectiveRulesLeaveItemsWithoutASourceInert(t *testing.T) {
	tests := []struct {
		name               string
		sources            []factSource
		inert              []string
		householdsRequired int
	}{
		{"meetings and activities only", []factSource{meetingsSource, activitiesSource},
			[]string{"households", "ack_on_time", "feedback_on_time", "satisfaction", "co_sponsored", "votes_cast", "inquiries", "households_required"}, 0},
		{"with visits", []factSource{meetingsSource, activitiesSource, visitsSource},
			[]string{"ack_on_time", "feedback_on_time", "satisfaction", "co_sponsored", "votes_cast", "inquiries"}, 12},
		{"everything", factSources, []string{}, 12},
	}
	for _, tt := range tests {
		rules, inert := effectiveRules(scoring.DefaultRules(), providedMetrics(tt.sources))
		var keys []string
		for _, in := range inert {
			keys = append(keys, in.Key)
		}
		if !slices.Equal(keys, tt.inert) && !(len(keys) == 0 && len(tt.inert) == 0) {
			t.Errorf("%s: inert %v, want %v", tt.name, keys, tt.inert)
		}
		if rules.HouseholdsRequired != tt.householdsRequired {
			t.Errorf("%s: households required %d, want %d", tt.name, rules.HouseholdsRequired, tt.householdsRequired)
		}
		if err := rules.Validate(); err != nil {
			t.Errorf("%s: effective rules invalid: %v", tt.name, err)
		}
		// No facts at all: an inert item must not hand out its no-data points.
		res, err := scoring.Score(rules, scoring.Facts{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			if slices.Contains(tt.inert, it.Key) {
				t.Errorf("%s: inert item %s scored %v", tt.name, it.Key, it.Points)
			}
		}
		if res.GradeCapped != false {
			t.Errorf("%s: a deputy with no data was capped: %+v", tt.name, res)
		}
	}
}
