package scoring

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fullFacts reaches the maximum of every base item and none of the bonus items.
func fullFacts() Facts {
	var f Facts
	f.DeputyID, f.Year = "dep1", 2025
	f.Set(MetricCongressHalfdays, 4)
	f.Set(MetricActivities, 5)
	f.Set(MetricHouseholds, 24)
	f.Set(MetricStationDuties, 4)
	f.Set(MetricReportToVoters, 1)
	f.Set(MetricProposals, 4)
	f.Set(MetricCoSponsored, 2)
	f.Set(MetricVotesCast, 1)
	f.Set(MetricInquiries, 2)
	f.SetOutOf(MetricAckOnTimeRatio, 10, 10)
	f.SetOutOf(MetricFeedbackOnTimeRatio, 10, 10)
	f.SetOutOf(MetricSatisfactionMean, 30, 10)
	f.Set(MetricProjectTracking, 2)
	f.Set(MetricProjectEvaluation, 1)
	return f
}

func mustScore(t *testing.T, r Rules, f Facts) Result {
	t.Helper()
	res, err := Score(r, f)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return res
}

func item(t *testing.T, res Result, key string) ItemResult {
	t.Helper()
	for _, it := range res.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %q", key)
	return ItemResult{}
}

func TestDefaultRulesAreValidAndAddUpTo100Plus10(t *testing.T) {
	r := DefaultRules()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	var base float64
	groups := map[string]float64{}
	for _, it := range r.Items {
		if !it.Bonus {
			base += it.Cap
			groups[it.Group] += it.Cap
		}
	}
	if base != 100 || r.BonusCap != 10 {
		t.Fatalf("base max %v, bonus cap %v; want 100 and 10", base, r.BonusCap)
	}
	want := map[string]float64{"会议活动": 25, "联系群众": 35, "建议办理": 30, "民生实事": 10}
	if !reflect.DeepEqual(groups, want) {
		t.Fatalf("group maxima %v, want %v", groups, want)
	}
}

// A deputy with no records at all gets nothing for free: the items that
// count cases (congress attendance, the three suggestion items) are not
// scored under the default policy, the rest score 0.
func TestEmptyFactsScoreNothing(t *testing.T) {
	res := mustScore(t, DefaultRules(), Facts{})
	if res.Total != 0 || res.Grade != GradeIncompetent || res.GradeCapped {
		t.Fatalf("total %v grade %s capped %v", res.Total, res.Grade, res.GradeCapped)
	}
	if !res.Rescaled || res.FullBase != 100 || res.ScoredMax != 72 {
		t.Fatalf("rescale %v: scored %v of %v", res.Rescaled, res.ScoredMax, res.FullBase)
	}
	for _, key := range []string{"congress_attendance", "ack_on_time", "feedback_on_time", "satisfaction"} {
		if it := item(t, res, key); !it.NotScored || it.NoCases != NoCasesRescale || it.Points != 0 {
			t.Errorf("%s: %+v", key, it)
		}
	}
	if e := item(t, res, "ack_on_time").Explanation; e != "本年度无计入考核的群众建议，此项按规则不计分，其余各项按比例折算" {
		t.Errorf("explanation %q", e)
	}
}

// What a deputy without cases gets is the rule's choice, and the dossier
// says which.
func TestNoCasesPolicies(t *testing.T) {
	f := fullFacts()
	delete(f.Metrics, MetricAckOnTimeRatio) // no suggestions decided this year
	tests := []struct {
		policy       NoCases
		points, base float64
		notScored    bool
		expl         string
	}{
		{"", 0, 100, true, "本年度无计入考核的群众建议，此项按规则不计分，其余各项按比例折算"},
		{NoCasesRescale, 0, 100, true, "本年度无计入考核的群众建议，此项按规则不计分，其余各项按比例折算"},
		{NoCasesFull, 8, 100, false, "本年度无计入考核的群众建议，此项按规则得满分（8 分）"},
		{NoCasesZero, 0, 92, false, "本年度无计入考核的群众建议，此项按规则不得分（0 分）"},
	}
	for _, tt := range tests {
		r := DefaultRules()
		r.Items[6].NoCases = tt.policy
		res := mustScore(t, r, f)
		it := item(t, res, "ack_on_time")
		if it.Points != tt.points || it.NotScored != tt.notScored || it.Explanation != tt.expl || it.NoCases != tt.policy.Policy() {
			t.Errorf("%q: %+v", tt.policy, it)
		}
		if res.Base != tt.base {
			t.Errorf("%q: base %v, want %v (%s)", tt.policy, res.Base, tt.base, res.Summary)
		}
	}
}

// Items left out are made up for by scaling the others to the full base,
// and the summary shows the sum.
func TestRescaleArithmetic(t *testing.T) {
	var f Facts
	f.Set(MetricCongressHalfdays, 4)
	f.Set(MetricActivities, 2)        // 6 of 15
	f.Set(MetricHouseholds, 12)       // 12 of 18
	f.Set(MetricStationDuties, 2)     // 6 of 12
	f.Set(MetricReportToVoters, 1)    // 5 of 5
	f.Set(MetricProposals, 1)         // 3 of 10
	f.Set(MetricProjectTracking, 1)   // 1.5 of 3
	f.Set(MetricProjectEvaluation, 1) // 3 of 3
	// congress 10 of 10; 附议, 票决 and 询问 0 of 2 each; the three
	// suggestion items (18) not scored.
	res := mustScore(t, DefaultRules(), f)
	if res.RawBase != 46.5 || res.ScoredMax != 82 || res.Base != 56.71 || res.Total != 56.71 || res.Grade != GradeIncompetent {
		t.Fatalf("%+v", res)
	}
	want := "基础分 56.71（计分项满分 82，按 100 分折算：46.5 ÷ 82 × 100 = 56.71） + 加分 0 = 56.71"
	if res.Summary != want {
		t.Fatalf("summary %q, want %q", res.Summary, want)
	}
}

// A metric nothing was recorded for this year (e.g. no congress session
// registered) leaves its items out whatever the deputy's own numbers, with
// the reason; a year without visits caps no grade.
func TestUnrecordedMetrics(t *testing.T) {
	f := fullFacts()
	f.SetUnrecorded(MetricCongressHalfdays, "本年度未登记人代会出席情况")
	f.SetUnrecorded(MetricCongressAbsences, "本年度未登记人代会出席情况")
	res := mustScore(t, DefaultRules(), f)
	it := item(t, res, "congress_attendance")
	if !it.NotScored || !it.Unrecorded || it.Points != 0 || it.Explanation != "本年度未登记人代会出席情况，此项本年度不计分，其余各项按比例折算" {
		t.Fatalf("%+v", it)
	}
	if res.Base != 100 || res.ScoredMax != 90 {
		t.Fatalf("base %v scored %v", res.Base, res.ScoredMax)
	}

	var g Facts
	g.Set(MetricCongressHalfdays, 4)
	g.Set(MetricActivities, 5)
	g.Set(MetricStationDuties, 4)
	g.Set(MetricReportToVoters, 1)
	g.Set(MetricProposals, 4)
	g.SetUnrecorded(MetricHouseholds, "本年度没有走访记录")
	res = mustScore(t, DefaultRules(), g)
	if res.GradeCapped || item(t, res, "households").Points != 0 || !item(t, res, "households").NotScored {
		t.Fatalf("no visits recorded, yet %+v", res)
	}
}

func TestFullFactsScore100(t *testing.T) {
	res := mustScore(t, DefaultRules(), fullFacts())
	if res.Base != 100 || res.Bonus != 0 || res.Total != 100 || res.Grade != GradeExcellent {
		t.Fatalf("%+v", res)
	}
	for _, it := range res.Items {
		if !it.Bonus && it.Points != it.Max {
			t.Errorf("%s: %v of %v", it.Key, it.Points, it.Max)
		}
	}
	if res.DeputyID != "dep1" || res.Year != 2025 {
		t.Errorf("deputy/year not carried: %q %d", res.DeputyID, res.Year)
	}
}

func TestHouseholdTiers(t *testing.T) {
	tests := []struct {
		households float64
		points     float64
		expl       string
	}{
		{0, 0, "走访农户 0 户：0×1 = 0"},
		{11, 11, "走访农户 11 户：11×1 = 11"},
		{12, 12, "走访农户 12 户：12×1 = 12"},
		{13, 12.5, "走访农户 13 户：12×1 + 1×0.5 = 12.5"},
		{14, 13, "走访农户 14 户：12×1 + 2×0.5 = 13"},
		{20, 16, "走访农户 20 户：12×1 + 8×0.5 = 16"},
		{24, 18, "走访农户 24 户：12×1 + 12×0.5 = 18"},
		{100, 18, "走访农户 100 户：12×1 + 88×0.5 = 56，封顶 18"},
	}
	for _, tt := range tests {
		var f Facts
		f.Set(MetricHouseholds, tt.households)
		it := item(t, mustScore(t, DefaultRules(), f), "households")
		if it.Points != tt.points || it.Max != 18 || it.Explanation != tt.expl {
			t.Errorf("%v households: %v/%v %q; want %v/18 %q", tt.households, it.Points, it.Max, it.Explanation, tt.points, tt.expl)
		}
	}
}

func TestPerUnitCaps(t *testing.T) {
	tests := []struct {
		key, metric string
		n, points   float64
	}{
		{"activities", MetricActivities, 1, 3},
		{"activities", MetricActivities, 5, 15},
		{"activities", MetricActivities, 6, 15},
		{"station_duties", MetricStationDuties, 3, 9},
		{"station_duties", MetricStationDuties, 4, 12},
		{"station_duties", MetricStationDuties, 9, 12},
		{"proposals", MetricProposals, 3, 9},
		{"proposals", MetricProposals, 4, 10},
		{"co_sponsored", MetricCoSponsored, 1, 1},
		{"co_sponsored", MetricCoSponsored, 5, 2},
		{"project_tracking", MetricProjectTracking, 1, 1.5},
		{"project_tracking", MetricProjectTracking, 3, 3},
		{"inquiries", MetricInquiries, 3, 2},
	}
	for _, tt := range tests {
		var f Facts
		f.Set(tt.metric, tt.n)
		if got := item(t, mustScore(t, DefaultRules(), f), tt.key).Points; got != tt.points {
			t.Errorf("%s ×%v = %v, want %v", tt.key, tt.n, got, tt.points)
		}
	}
	var f Facts
	f.Set(MetricProposals, 5)
	if e := item(t, mustScore(t, DefaultRules(), f), "proposals").Explanation; e != "提交议案建议 5 件：5×3 = 15，封顶 10" {
		t.Errorf("explanation %q", e)
	}
}

func TestCongressDeductionsAndFloor(t *testing.T) {
	tests := []struct {
		leave, absent, points float64
		expl                  string
	}{
		{0, 0, 10, "应出席人代会 8 个半天：基础 10，无扣分 = 10"},
		{1, 0, 8, "应出席人代会 8 个半天：基础 10 − 人代会请假 1 个半天×2 = 8"},
		{2, 0, 6, "应出席人代会 8 个半天：基础 10 − 人代会请假 2 个半天×2 = 6"},
		{0, 1, 5, "应出席人代会 8 个半天：基础 10 − 人代会无故缺席 1 个半天×5 = 5"},
		{1, 1, 3, "应出席人代会 8 个半天：基础 10 − 人代会请假 1 个半天×2 − 人代会无故缺席 1 个半天×5 = 3"},
		{5, 0, 0, "应出席人代会 8 个半天：基础 10 − 人代会请假 5 个半天×2 = 0"},
		{1, 2, 0, "应出席人代会 8 个半天：基础 10 − 人代会请假 1 个半天×2 − 人代会无故缺席 2 个半天×5 = -2，按 0 计"},
		{0, 4, 0, "应出席人代会 8 个半天：基础 10 − 人代会无故缺席 4 个半天×5 = -10，按 0 计"},
	}
	for _, tt := range tests {
		var f Facts
		f.Set(MetricCongressHalfdays, 8)
		f.Set(MetricCongressLeaveHalfdays, tt.leave, "leave1")
		f.Set(MetricCongressAbsences, tt.absent, "abs1")
		it := item(t, mustScore(t, DefaultRules(), f), "congress_attendance")
		if it.Points != tt.points || it.Explanation != tt.expl {
			t.Errorf("leave %v absent %v: %v %q; want %v %q", tt.leave, tt.absent, it.Points, it.Explanation, tt.points, tt.expl)
		}
		if !reflect.DeepEqual(it.RecordIDs, []string{"leave1", "abs1"}) {
			t.Errorf("record ids %v", it.RecordIDs)
		}
	}
}

func TestRatioThresholds(t *testing.T) {
	tests := []struct {
		onTime, total    float64
		ack, feedback    float64
		ackExplainSubstr string
	}{
		{0, 0, 0, 0, "本年度无计入考核的群众建议，此项按规则不计分"},
		{10, 10, 8, 5, "10/10 件（100%），达到 90%，得 8 分"},
		{9, 10, 8, 5, "9/10 件（90%），达到 90%，得 8 分"},
		{8999, 10000, 5, 0, "8999/10000 件（89.99%），达到 80%，得 5 分"},
		{8, 10, 5, 0, "8/10 件（80%），达到 80%，得 5 分"},
		{7999, 10000, 0, 0, "7999/10000 件（79.99%），未达 80%，得 0 分"},
		{0, 3, 0, 0, "0/3 件（0%），未达 80%，得 0 分"},
	}
	for _, tt := range tests {
		var f Facts
		f.SetOutOf(MetricAckOnTimeRatio, tt.onTime, tt.total)
		f.SetOutOf(MetricFeedbackOnTimeRatio, tt.onTime, tt.total)
		res := mustScore(t, DefaultRules(), f)
		ack, fb := item(t, res, "ack_on_time"), item(t, res, "feedback_on_time")
		if ack.Points != tt.ack || fb.Points != tt.feedback {
			t.Errorf("%v/%v: ack %v feedback %v; want %v %v", tt.onTime, tt.total, ack.Points, fb.Points, tt.ack, tt.feedback)
		}
		if !strings.Contains(ack.Explanation, tt.ackExplainSubstr) {
			t.Errorf("%v/%v: explanation %q lacks %q", tt.onTime, tt.total, ack.Explanation, tt.ackExplainSubstr)
		}
	}
}

func TestSatisfactionScale(t *testing.T) {
	tests := []struct {
		sum, n, points float64
	}{
		{0, 0, 0}, // no closed cases: not scored (the default policy)
		{3, 1, 5},
		{30, 10, 5},
		{2, 1, 2.5},
		{1, 1, 0},
		{5, 2, 3.75},
		{7, 3, 3.33},
		{0, 2, 0}, // below the scale: clamped, not negative
	}
	for _, tt := range tests {
		var f Facts
		f.SetOutOf(MetricSatisfactionMean, tt.sum, tt.n)
		if got := item(t, mustScore(t, DefaultRules(), f), "satisfaction").Points; got != tt.points {
			t.Errorf("satisfaction %v/%v = %v, want %v", tt.sum, tt.n, got, tt.points)
		}
	}
	var f Facts
	f.SetOutOf(MetricSatisfactionMean, 10, 4)
	want := "办结满意度 均值 2.5（4 件），按 1–3 折算：5×(2.5−1)÷(3−1) = 3.75"
	if e := item(t, mustScore(t, DefaultRules(), f), "satisfaction").Explanation; e != want {
		t.Errorf("explanation %q, want %q", e, want)
	}
}

func TestFlags(t *testing.T) {
	var f Facts
	res := mustScore(t, DefaultRules(), f)
	if it := item(t, res, "report_to_voters"); it.Points != 0 || it.Explanation != "未向选民述职，得 0 分" {
		t.Errorf("%+v", it)
	}
	f.Set(MetricReportToVoters, 1, "rep1")
	f.Set(MetricProjectEvaluation, 1, "eval1")
	res = mustScore(t, DefaultRules(), f)
	if it := item(t, res, "report_to_voters"); it.Points != 5 || it.Explanation != "已向选民述职，得 5 分" || !reflect.DeepEqual(it.RecordIDs, []string{"rep1"}) {
		t.Errorf("%+v", it)
	}
	if it := item(t, res, "project_evaluation"); it.Points != 3 {
		t.Errorf("%+v", it)
	}
}

func TestBonusCap(t *testing.T) {
	tests := []struct {
		golden, town, county float64
		bonus                float64
		summaryCapped        bool
	}{
		{0, 0, 0, 0, false},
		{1, 0, 0, 5, false},
		{0, 1, 0, 2, false},
		{1, 1, 0, 7, false},
		{2, 0, 0, 10, false},
		{3, 0, 0, 10, false}, // item cap, not the bonus cap
		{1, 1, 1, 10, true},  // 5+2+5 = 12
		{2, 5, 2, 10, true},
	}
	for _, tt := range tests {
		f := fullFacts()
		f.Set(MetricGoldenIdeas, tt.golden)
		f.Set(MetricCommendationsTown, tt.town)
		f.Set(MetricCommendationsCounty, tt.county)
		res := mustScore(t, DefaultRules(), f)
		if res.Bonus != tt.bonus || res.Total != 100+tt.bonus {
			t.Errorf("%+v: bonus %v total %v", tt, res.Bonus, res.Total)
		}
		if got := strings.Contains(res.Summary, "封顶"); got != tt.summaryCapped {
			t.Errorf("%+v: summary %q", tt, res.Summary)
		}
	}
}

func TestRecordIDsAreCarriedThrough(t *testing.T) {
	var f Facts
	f.Set(MetricHouseholds, 2, "v1", "v2", "v2", "v3")
	f.Set(MetricProposals, 0)
	res := mustScore(t, DefaultRules(), f)
	if got := item(t, res, "households").RecordIDs; !reflect.DeepEqual(got, []string{"v1", "v2", "v3"}) {
		t.Errorf("households ids %v", got)
	}
	if got := item(t, res, "proposals").RecordIDs; got == nil || len(got) != 0 {
		t.Errorf("proposals ids %#v, want empty non-nil (JSON [])", got)
	}
}

func TestScoreRejectsBadFacts(t *testing.T) {
	tests := []struct {
		name  string
		set   func(*Facts)
		field string
	}{
		{"negative count", func(f *Facts) { f.Set(MetricHouseholds, -1) }, "metrics.households.value"},
		{"negative total", func(f *Facts) { f.SetOutOf(MetricSatisfactionMean, 1, -1) }, "metrics.satisfaction_mean.total"},
		{"ratio above total", func(f *Facts) { f.SetOutOf(MetricAckOnTimeRatio, 11, 10) }, "metrics.ack_on_time_ratio.value"},
	}
	for _, tt := range tests {
		var f Facts
		tt.set(&f)
		_, err := Score(DefaultRules(), f)
		ve, ok := err.(ValidationError)
		if !ok {
			t.Fatalf("%s: err %v, want ValidationError", tt.name, err)
		}
		if _, ok := ve.Fields()[tt.field]; !ok {
			t.Errorf("%s: %v does not name %s", tt.name, err, tt.field)
		}
	}
	// Facts the rules do not read are ignored.
	var f Facts
	f.Set("not_a_metric", -5)
	if _, err := Score(DefaultRules(), f); err != nil {
		t.Error(err)
	}
}

func TestScoreRejectsInvalidRules(t *testing.T) {
	r := DefaultRules()
	r.Items[0].Cap = -1
	if _, err := Score(r, Facts{}); err == nil {
		t.Fatal("want an error")
	}
}

func TestResultJSON(t *testing.T) {
	b, err := json.Marshal(mustScore(t, DefaultRules(), Facts{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"record_ids":[]`, `"grade":"不称职"`, `"grade_capped":false`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}
