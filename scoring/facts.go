package scoring

import (
	"fmt"
	"math"
	"sort"
)

// MetricType says how a metric's Fact is read.
type MetricType string

const (
	// TypeCount: Fact.Value is a number of things (households, duties, ...).
	TypeCount MetricType = "count"
	// TypeFlag: Fact.Value > 0 means done.
	TypeFlag MetricType = "flag"
	// TypeRatio: Fact.Value out of Fact.Total, e.g. 9 of 10 acknowledged on time.
	TypeRatio MetricType = "ratio"
	// TypeMean: Fact.Value is the sum of ratings over Fact.Total rated cases.
	TypeMean MetricType = "mean"
)

// Metric describes one fact the rules can read.
type Metric struct {
	Name  string     `json:"name"`
	Label string     `json:"label"` // Chinese, used in explanations
	Unit  string     `json:"unit"`  // Chinese counter word, e.g. 户, 次, 件
	Type  MetricType `json:"type"`
	// None says, in Chinese, that a deputy had no cases of it, e.g.
	// 本年度无群众建议 (metrics that count cases only).
	None string `json:"none,omitempty"`
}

// Metric names. Adding a metric here is the only code change needed for a new
// kind of fact; the fact gatherer must then fill it in.
const (
	MetricHouseholds            = "households"              // distinct households visited in the year (R3)
	MetricVisits                = "visits"                  // visit records (走访日志), may exceed households
	MetricCongressHalfdays      = "congress_halfdays"       // congress session half-days the deputy was registered for (the attendance item's cases)
	MetricCongressLeaveHalfdays = "congress_leave_halfdays" // congress session half-days on approved leave (请假)
	MetricCongressAbsences      = "congress_absences"       // congress session half-days missed without leave (无故缺席)
	MetricMeetingsAttended      = "meetings_attended"       // other meetings and trainings checked in to (R10)
	MetricActivities            = "activities"              // presidium activities, law inspections (执法检查), 视察
	MetricStationDuties         = "station_duties"          // liaison station and market-day reception duties (R13)
	MetricReportToVoters        = "report_to_voters"        // reported to voters (述职) this year
	MetricProposals             = "proposals"               // proposals and suggestions (议案建议) submitted by the deputy (R11)
	MetricAckOnTimeRatio        = "ack_on_time_ratio"       // residents' suggestions acknowledged within 24 h, of those received (R6)
	MetricFeedbackOnTimeRatio   = "feedback_on_time_ratio"  // residents' suggestions answered within 5 working days, of those received (R6)
	MetricSatisfactionMean      = "satisfaction_mean"       // satisfaction ratings on closed cases: sum over count
	MetricProjectTracking       = "project_tracking"        // livelihood project tracking visits (跟踪问效, R12)
	MetricProjectEvaluation     = "project_evaluation"      // took part in the year-end evaluation (年终评议, R12)
	MetricGoldenIdeas           = "golden_ideas"            // suggestions awarded 金点子 (R11)
	MetricCommendationsTown     = "commendations_town"      // township-level commendations (镇级表彰)
	MetricCommendationsCounty   = "commendations_county"    // county-level or higher commendations (县级及以上表彰)
	MetricResearchReports       = "research_reports"        // research reports (调研报告, R14)
	MetricCoSponsored           = "co_sponsored"            // confirmed co-sponsorships (附议) of accepted 议案 (R11)
	MetricVotesCast             = "votes_cast"              // voted in the year's 民生实事 票决 (R12)
	MetricInquiries             = "inquiries"               // questions asked in 专题询问 (R12)
	MetricDutyReviewApproval    = "duty_review_approval"    // 满意 and 基本满意 votes at the deputy's 述职评议, of all votes
)

var metrics = map[string]Metric{}

func init() {
	for _, m := range []Metric{
		{MetricHouseholds, "走访农户", "户", TypeCount, ""},
		{MetricVisits, "走访记录", "次", TypeCount, ""},
		{MetricCongressHalfdays, "应出席人代会", "个半天", TypeCount, "本年度没有该代表应出席的人代会"},
		{MetricCongressLeaveHalfdays, "人代会请假", "个半天", TypeCount, ""},
		{MetricCongressAbsences, "人代会无故缺席", "个半天", TypeCount, ""},
		{MetricMeetingsAttended, "参加会议培训", "次", TypeCount, ""},
		{MetricActivities, "参加主席团活动、执法检查、视察", "次", TypeCount, ""},
		{MetricStationDuties, "联络站值班接待", "次", TypeCount, ""},
		{MetricReportToVoters, "向选民述职", "", TypeFlag, ""},
		{MetricProposals, "提交议案建议", "件", TypeCount, ""},
		{MetricAckOnTimeRatio, "24小时内响应群众建议", "件", TypeRatio, "本年度无计入考核的群众建议"},
		{MetricFeedbackOnTimeRatio, "5个工作日内反馈群众建议", "件", TypeRatio, "本年度无计入考核的群众建议"},
		{MetricSatisfactionMean, "办结满意度", "件", TypeMean, "本年度无群众满意度评价"},
		{MetricProjectTracking, "民生实事跟踪问效", "次", TypeCount, ""},
		{MetricProjectEvaluation, "参加民生实事年终评议", "", TypeFlag, ""},
		{MetricGoldenIdeas, "金点子", "件", TypeCount, ""},
		{MetricCommendationsTown, "镇级表彰", "次", TypeCount, ""},
		{MetricCommendationsCounty, "县级及以上表彰", "次", TypeCount, ""},
		{MetricResearchReports, "调研报告", "篇", TypeCount, ""},
		{MetricCoSponsored, "附议议案", "件", TypeCount, ""},
		{MetricVotesCast, "参加民生实事票决", "", TypeFlag, ""},
		{MetricInquiries, "专题询问提问", "次", TypeCount, ""},
		{MetricDutyReviewApproval, "述职评议满意（含基本满意）票", "票", TypeRatio, "本年度没有该代表的述职评议"},
	} {
		metrics[m.Name] = m
	}
}

// Metrics lists the known metrics by name, e.g. for the rule editor.
func Metrics() []Metric {
	out := make([]Metric, 0, len(metrics))
	for _, m := range metrics {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupMetric returns the metric with the given name.
func LookupMetric(name string) (Metric, bool) {
	m, ok := metrics[name]
	return m, ok
}

// Fact is one metric's value for a deputy and year, with the ids of the
// records it was computed from so that explanations can point at them.
type Fact struct {
	Value     float64  `json:"value"`
	Total     float64  `json:"total,omitempty"` // ratio and mean metrics only: the number of cases
	RecordIDs []string `json:"record_ids,omitempty"`
}

// Facts are everything the rules can read about one deputy in one year.
// A metric missing from Metrics counts as zero (and, for ratio and mean
// metrics, as "no cases").
type Facts struct {
	DeputyID string          `json:"deputy_id"`
	Year     int             `json:"year"`
	Metrics  map[string]Fact `json:"metrics"`
	// Unrecorded names the metrics nothing was recorded for this year (not
	// for this deputy: for anyone), with the reason in Chinese, e.g. no
	// congress session was registered. A rule reading one is not scored,
	// whatever the deputy's own value, and the other base items are
	// rescaled: a source with nothing in it is no evidence either way.
	Unrecorded map[string]string `json:"unrecorded,omitempty"`
}

// SetUnrecorded marks metric as having no records this year, for reason.
func (f *Facts) SetUnrecorded(metric, reason string) {
	if f.Unrecorded == nil {
		f.Unrecorded = map[string]string{}
	}
	f.Unrecorded[metric] = reason
}

// Set records a count or flag metric.
func (f *Facts) Set(metric string, value float64, recordIDs ...string) {
	f.put(metric, Fact{Value: value, RecordIDs: recordIDs})
}

// SetOutOf records a ratio or mean metric: value (on-time cases, or the sum
// of ratings) out of total cases.
func (f *Facts) SetOutOf(metric string, value, total float64, recordIDs ...string) {
	f.put(metric, Fact{Value: value, Total: total, RecordIDs: recordIDs})
}

func (f *Facts) put(metric string, fact Fact) {
	if f.Metrics == nil {
		f.Metrics = map[string]Fact{}
	}
	f.Metrics[metric] = fact
}

func (f Facts) get(metric string) Fact {
	return f.Metrics[metric]
}

// validate checks the facts that the rules read. Facts for other metrics are
// ignored: the gatherer may collect more than a given rule set uses.
func (f Facts) validate(used map[string]bool) error {
	var errs ValidationError
	names := make([]string, 0, len(used))
	for name := range used {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fact, ok := f.Metrics[name]
		if !ok {
			continue
		}
		field := "metrics." + name
		if !finite(fact.Value) || fact.Value < 0 {
			errs.add(field+".value", "must be a number ≥ 0")
		}
		if !finite(fact.Total) || fact.Total < 0 {
			errs.add(field+".total", "must be a number ≥ 0")
		}
		if metrics[name].Type == TypeRatio && fact.Value > fact.Total {
			errs.add(field+".value", fmt.Sprintf("must not exceed total (%s)", num(fact.Total)))
		}
	}
	return errs.orNil()
}

func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}
