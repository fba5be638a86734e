package assessment

import (
	"slices"
	"strings"
	"testing"

	"simeng/scoring"
)

// An item reading a metric nothing was recorded for is listed inert with
// the reason, and scoring leaves it out instead of handing out points; a
// year without visits lists the grade cap too. A source with nothing in it
// never leaves the list silently empty.
func TestInertItemsFollowWhatWasNotRecorded(t *testing.T) {
	tests := []struct {
		name       string
		unrecorded map[string]string
		inert      []string
	}{
		{"everything recorded", map[string]string{}, nil},
		{"no congress session", map[string]string{
			scoring.MetricCongressHalfdays: congressUnrecorded, scoring.MetricCongressLeaveHalfdays: congressUnrecorded,
			scoring.MetricCongressAbsences: congressUnrecorded}, []string{"congress_attendance"}},
		{"no visits, no suggestions decided", map[string]string{
			scoring.MetricHouseholds: "本年度全镇没有走访记录", scoring.MetricAckOnTimeRatio: "x", scoring.MetricFeedbackOnTimeRatio: "x"},
			[]string{"households", "ack_on_time", "feedback_on_time", "households_required"}},
		{"a source not connected", map[string]string{scoring.MetricGoldenIdeas: notConnected}, []string{"golden_ideas"}},
	}
	for _, tt := range tests {
		rules := scoring.DefaultRules()
		inert := inertItems(rules, tt.unrecorded)
		var keys []string
		for _, in := range inert {
			keys = append(keys, in.Key)
			if !strings.Contains(in.Reason, "不") || in.Reason == "" {
				t.Errorf("%s: %s without a reason: %q", tt.name, in.Key, in.Reason)
			}
		}
		if !slices.Equal(keys, tt.inert) {
			t.Errorf("%s: inert %v, want %v", tt.name, keys, tt.inert)
		}
		facts := scoring.Facts{Unrecorded: tt.unrecorded}
		facts.Set(scoring.MetricHouseholds, 3)
		facts.Set(scoring.MetricCongressHalfdays, 4)
		res, err := scoring.Score(rules, facts)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			if slices.Contains(tt.inert, it.Key) && (!it.NotScored || !it.Unrecorded || it.Points != 0) {
				t.Errorf("%s: inert item %s scored %+v", tt.name, it.Key, it)
			}
		}
		if _, none := tt.unrecorded[scoring.MetricHouseholds]; none && res.GradeCapped {
			t.Errorf("%s: a year without visits capped a grade", tt.name)
		}
	}
}

// Every metric of the scheme is gathered by some source, and each source's
// custom reasons are about its own metrics.
func TestEveryDefaultMetricHasASource(t *testing.T) {
	from := metricSources(factSources)
	for _, it := range scoring.DefaultRules().Items {
		for _, m := range append([]string{it.Metric}, deductionMetrics(it)...) {
			if m != "" && len(from[m]) == 0 {
				t.Errorf("%s reads %s, which no source gathers", it.Key, m)
			}
		}
	}
	for _, s := range factSources {
		for m := range s.reasons {
			if !slices.Contains(s.metrics, m) {
				t.Errorf("%s words a reason for %s, which it does not gather", s.name, m)
			}
		}
		if s.recorded == nil {
			t.Errorf("%s cannot say what it recorded", s.name)
		}
	}
}
