package scoring

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestValidateNamesTheBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Rules)
		field  string
	}{
		{"negative cap", func(r *Rules) { r.Items[3].Cap = -1 }, "items[3].cap"},
		{"zero cap", func(r *Rules) { r.Items[3].Cap = 0 }, "items[3].cap"},
		{"unknown metric", func(r *Rules) { r.Items[1].Metric = "housholds" }, "items[1].metric"},
		{"missing metric", func(r *Rules) { r.Items[1].Metric = "" }, "items[1].metric"},
		{"metric of the wrong type", func(r *Rules) { r.Items[1].Metric = MetricAckOnTimeRatio }, "items[1].metric"},
		{"unknown kind", func(r *Rules) { r.Items[4].Kind = "bonus_per_unit" }, "items[4].kind"},
		{"empty kind", func(r *Rules) { r.Items[4].Kind = "" }, "items[4].kind"},
		{"duplicate key", func(r *Rules) { r.Items[5].Key = r.Items[2].Key }, "items[5].key"},
		{"bad key", func(r *Rules) { r.Items[5].Key = "走访" }, "items[5].key"},
		{"empty title", func(r *Rules) { r.Items[5].Title = " " }, "items[5].title"},
		{"empty group", func(r *Rules) { r.Items[5].Group = "" }, "items[5].group"},
		{"negative points", func(r *Rules) { r.Items[1].Points = -3 }, "items[1].points"},
		{"points beside tiers", func(r *Rules) { r.Items[2].Points = 1 }, "items[2].points"},
		{"unbounded tier not last", func(r *Rules) { r.Items[2].Tiers = []Tier{{Points: 1}, {UpTo: 12, Points: 0.5}} }, "items[2].tiers[0].up_to"},
		{"tiers out of order", func(r *Rules) { r.Items[2].Tiers = []Tier{{UpTo: 12, Points: 1}, {UpTo: 6, Points: 0.5}} }, "items[2].tiers[1].up_to"},
		{"tiers on a flag", func(r *Rules) { r.Items[4].Tiers = []Tier{{Points: 1}} }, "items[4].tiers"},
		{"no thresholds", func(r *Rules) { r.Items[6].Thresholds = nil }, "items[6].thresholds"},
		{"ratio threshold as percent", func(r *Rules) { r.Items[6].Thresholds[0].Min = 90 }, "items[6].thresholds[0].min"},
		{"overlapping thresholds", func(r *Rules) { r.Items[6].Thresholds[1].Min = 0.9 }, "items[6].thresholds[1].min"},
		{"unknown no-cases policy", func(r *Rules) { r.Items[6].NoCases = "half" }, "items[6].no_cases"},
		{"no-cases policy on a count rule", func(r *Rules) { r.Items[2].NoCases = NoCasesFull }, "items[2].no_cases"},
		{"inverted scale", func(r *Rules) { r.Items[8].ScaleMin, r.Items[8].ScaleMax = 3, 1 }, "items[8].scale_max"},
		{"no base", func(r *Rules) { r.Items[0].Base = 0 }, "items[0].base"},
		{"base on per_unit", func(r *Rules) { r.Items[1].Base = 5 }, "items[1].base"},
		{"unknown deduction metric", func(r *Rules) { r.Items[0].Deductions[1].Metric = "absences" }, "items[0].deductions[1].metric"},
		{"zero deduction", func(r *Rules) { r.Items[0].Deductions[0].Points = 0 }, "items[0].deductions[0].points"},
		{"no items", func(r *Rules) { r.Items = nil }, "items"},
		{"negative bonus cap", func(r *Rules) { r.BonusCap = -1 }, "bonus_cap"},
		{"zero bonus cap with bonus items", func(r *Rules) { r.BonusCap = 0 }, "bonus_cap"},
		{"no grades", func(r *Rules) { r.Grades = nil }, "grades"},
		{"overlapping grades", func(r *Rules) { r.Grades[1].Min = 90 }, "grades[1].min"},
		{"duplicate grade name", func(r *Rules) { r.Grades[2].Name = GradeCompetent }, "grades[2].name"},
		{"negative grade min", func(r *Rules) { r.Grades[3].Min = -1 }, "grades[3].min"},
		{"no grade from 0", func(r *Rules) { r.Grades[3].Min = 10 }, "grades"},
		{"negative households", func(r *Rules) { r.HouseholdsRequired = -1 }, "households_required"},
		{"unknown capped grade", func(r *Rules) { r.CappedGrade = "合格" }, "capped_grade"},
	}
	for _, tt := range tests {
		r := DefaultRules()
		tt.change(&r)
		err := r.Validate()
		var ve ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: err %v, want ValidationError", tt.name, err)
			continue
		}
		if _, ok := ve.Fields()[tt.field]; !ok {
			t.Errorf("%s: %v does not name %s", tt.name, err, tt.field)
		}
	}
}

func TestValidateReportsEveryError(t *testing.T) {
	r := DefaultRules()
	r.Items[3].Cap = -1
	r.Items[5].Kind = "x"
	r.Grades[0].Name = ""
	var ve ValidationError
	if !errors.As(r.Validate(), &ve) || len(ve) != 3 {
		t.Fatalf("got %v", ve)
	}
	want := "items[3].cap: must be > 0; items[5].kind: unknown kind \"x\"; grades[0].name: must not be empty"
	if ve.Error() != want {
		t.Errorf("Error() = %q, want %q", ve.Error(), want)
	}
}

func TestRulesJSONRoundTrip(t *testing.T) {
	want := DefaultRules()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got Rules
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip changed the rules:\n%s", b)
	}
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
}

// A row of the assessment_rules collection, as PocketBase serialises it:
// every field present, the unused ones at zero or null.
func TestRuleFromCollectionRow(t *testing.T) {
	row := `{"key":"research_reports","group":"加分项目","title":"形成调研报告","metric":"research_reports",
		"kind":"per_unit","points":2,"tiers":null,"thresholds":null,"base":0,"deductions":null,
		"no_cases":"","scale_min":0,"scale_max":0,"cap":4,"bonus":true,"id":"abc123","created":"2025-01-01"}`
	var rule Rule
	if err := json.Unmarshal([]byte(row), &rule); err != nil {
		t.Fatal(err)
	}
	r := DefaultRules()
	r.Items = append(r.Items, rule)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	var f Facts
	f.Set(MetricResearchReports, 1, "rr1")
	it := item(t, mustScore(t, r, f), "research_reports")
	if it.Points != 2 || it.Explanation != "调研报告 1 篇：1×2 = 2" {
		t.Errorf("%+v", it)
	}
}

func TestMetricsAreDescribed(t *testing.T) {
	for _, m := range Metrics() {
		if m.Label == "" || m.Type == "" || (m.Type != TypeFlag && m.Unit == "") {
			t.Errorf("metric %+v is missing a label, unit or type", m)
		}
		if got, ok := LookupMetric(m.Name); !ok || got != m {
			t.Errorf("LookupMetric(%s) = %+v %v", m.Name, got, ok)
		}
	}
}
