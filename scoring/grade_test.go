package scoring

import (
	"strings"
	"testing"
)

func TestGradeThresholds(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		total float64
		grade string
	}{
		{0, GradeIncompetent},
		{59.99, GradeIncompetent},
		{60, GradeBasic},
		{79.99, GradeBasic},
		{80, GradeCompetent},
		{89.99, GradeCompetent},
		{90, GradeExcellent},
		{110, GradeExcellent},
	}
	for _, tt := range tests {
		if got := r.GradeOf(tt.total); got != tt.grade {
			t.Errorf("GradeOf(%v) = %s, want %s", tt.total, got, tt.grade)
		}
	}
	// The order of Grades in the data does not matter.
	r.Grades[0], r.Grades[3] = r.Grades[3], r.Grades[0]
	if got := r.GradeOf(90); got != GradeExcellent {
		t.Errorf("reordered grades: %s", got)
	}
}

// withHouseholds returns full facts (100) with the given households; 11
// households score 11 instead of 18.
func withHouseholds(n float64, golden, town float64) Facts {
	f := fullFacts()
	f.Set(MetricHouseholds, n)
	f.Set(MetricGoldenIdeas, golden)
	f.Set(MetricCommendationsTown, town)
	return f
}

func TestHouseholdsRuleCapsTheGrade(t *testing.T) {
	tests := []struct {
		name       string
		facts      Facts
		total      float64
		grade      string
		capped     bool
		reasonPart string
	}{
		{"95 points, 11 households", withHouseholds(11, 0, 1), 95, GradeBasic, true, "全年走访 11 户，未达 12 户要求"},
		{"103 points, 11 households", withHouseholds(11, 2, 0), 103, GradeBasic, true, "按得分应为优秀"},
		{"84 points, 0 households", withHouseholds(0, 0, 1), 84, GradeBasic, true, "全年走访 0 户"},
		{"95 points, 12 households", withHouseholds(12, 0, 1), 96, GradeExcellent, false, ""},
		{"already 基本称职, 11 households", func() Facts {
			f := withHouseholds(11, 0, 0)
			f.Set(MetricActivities, 0) // 93 − 15
			return f
		}(), 78, GradeBasic, false, ""},
		{"不称职 stays 不称职", Facts{}, 0, GradeIncompetent, false, ""},
	}
	for _, tt := range tests {
		res := mustScore(t, DefaultRules(), tt.facts)
		if res.Total != tt.total || res.Grade != tt.grade || res.GradeCapped != tt.capped {
			t.Errorf("%s: total %v grade %s capped %v; want %v %s %v", tt.name, res.Total, res.Grade, res.GradeCapped, tt.total, tt.grade, tt.capped)
		}
		if !strings.Contains(res.CapReason, tt.reasonPart) || (tt.reasonPart == "") != (res.CapReason == "") {
			t.Errorf("%s: cap reason %q, want it to contain %q", tt.name, res.CapReason, tt.reasonPart)
		}
	}
}

func TestHouseholdsCapCanBeTurnedOff(t *testing.T) {
	r := DefaultRules()
	r.HouseholdsRequired = 0
	r.CappedGrade = ""
	res := mustScore(t, r, withHouseholds(11, 0, 1))
	if res.Grade != GradeExcellent || res.GradeCapped {
		t.Fatalf("grade %s capped %v", res.Grade, res.GradeCapped)
	}
}
