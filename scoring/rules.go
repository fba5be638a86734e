package scoring

// Kind is how a rule turns a fact into points.
type Kind string

const (
	// KindPerUnit: Points per unit of the metric, or marginal Tiers.
	KindPerUnit Kind = "per_unit"
	// KindRatioTiers: the points of the highest Threshold the ratio or mean reaches.
	KindRatioTiers Kind = "ratio_tiers"
	// KindBaseMinus: Base less Deductions per unit of other metrics, never below 0.
	KindBaseMinus Kind = "base_minus"
	// KindFlag: Points if the metric is above zero.
	KindFlag Kind = "flag"
	// KindLinear: Points scaled linearly from ScaleMin (0 points) to ScaleMax
	// (full points) by the ratio or mean.
	KindLinear Kind = "linear"
)

// Rules is a complete assessment scheme: the items and how totals map to grades.
type Rules struct {
	Items  []Rule           `json:"items"`
	Grades []GradeThreshold `json:"grades"`
	// BonusCap limits the sum of all bonus items.
	BonusCap float64 `json:"bonus_cap"`
	// HouseholdsRequired is the yearly minimum of distinct households visited
	// (R3); a deputy below it is graded no higher than CappedGrade. 0 disables the cap.
	HouseholdsRequired int    `json:"households_required"`
	CappedGrade        string `json:"capped_grade"`
}

// Rule is one assessment item, one row of the assessment_rules collection.
// Fields that do not apply to the rule's Kind must be left at zero.
type Rule struct {
	Key    string `json:"key"`   // stable identifier, e.g. "households"
	Group  string `json:"group"` // Chinese group title, e.g. 联系群众
	Title  string `json:"title"` // Chinese item title
	Metric string `json:"metric"`
	Kind   Kind   `json:"kind"`

	// Points: per_unit points per unit (when there are no Tiers); flag and
	// linear full points.
	Points float64 `json:"points"`
	// Tiers (per_unit): marginal points, e.g. the first 12 units at 1, the rest at 0.5.
	Tiers []Tier `json:"tiers,omitempty"`
	// Thresholds (ratio_tiers): the highest Min reached gives its Points.
	Thresholds []Threshold `json:"thresholds,omitempty"`
	// Base and Deductions (base_minus). Metric is optional there and only
	// adds its records as evidence.
	Base       float64     `json:"base,omitempty"`
	Deductions []Deduction `json:"deductions,omitempty"`
	// NoCases (rules with cases: ratio_tiers, linear, and base_minus with a
	// Metric counting the cases) is what a deputy who had no cases gets,
	// e.g. one who received no residents' suggestions: full points, no
	// points, or not scored with the remaining items rescaled. "" is the
	// default, NoCasesRescale (see the type for why).
	NoCases NoCases `json:"no_cases,omitempty"`
	// ScaleMin and ScaleMax (linear) are the values worth 0 and full Points.
	ScaleMin float64 `json:"scale_min,omitempty"`
	ScaleMax float64 `json:"scale_max,omitempty"`

	// Cap is the item's maximum (分值); every item has one.
	Cap float64 `json:"cap"`
	// Bonus items (加分项) count towards Result.Bonus, limited by Rules.BonusCap.
	Bonus bool `json:"bonus"`
}

// NoCases is what a rule gives a deputy who had no cases of its metric.
//
// The default is NoCasesRescale. Full points would reward a deputy for
// residents never writing to them (the assessment would then favour the
// deputies nobody asks); no points would punish them for it, although
// whether residents write is mostly not theirs to decide. Leaving the item
// out and scaling the items that were scored up to the scheme's full base
// judges each deputy on what they had, keeps totals out of 100 so the
// grade lines keep their meaning, and is what the dossier can say plainly.
// Staff choose per rule.
type NoCases string

const (
	NoCasesFull    NoCases = "full"    // the item's full points (its cap)
	NoCasesZero    NoCases = "zero"    // no points
	NoCasesRescale NoCases = "rescale" // not scored; the other base items are scaled up to the full base
)

// Policy is n, or the default when n is unset.
func (n NoCases) Policy() NoCases {
	if n == "" {
		return NoCasesRescale
	}
	return n
}

// Label is the Chinese name of the policy.
func (n NoCases) Label() string {
	switch n.Policy() {
	case NoCasesFull:
		return "得满分"
	case NoCasesZero:
		return "不得分"
	}
	return "不计分，其余各项按比例折算"
}

// HasCases reports whether the rule counts cases (and so has a NoCases
// policy): ratio and mean rules, and base_minus rules with a Metric, whose
// value is the number of cases (e.g. congress half-days expected).
func (rule Rule) HasCases() bool {
	switch rule.Kind {
	case KindRatioTiers, KindLinear:
		return true
	case KindBaseMinus:
		return rule.Metric != ""
	}
	return false
}

// Tier is a band of a per_unit rule: units up to UpTo (counted from the end
// of the previous tier) earn Points each. UpTo 0 means no upper bound and is
// allowed only on the last tier; units beyond a bounded last tier earn nothing.
type Tier struct {
	UpTo   float64 `json:"up_to,omitempty"`
	Points float64 `json:"points"`
}

// Threshold of a ratio_tiers rule: a value ≥ Min earns Points.
type Threshold struct {
	Min    float64 `json:"min"`
	Points float64 `json:"points"`
}

// Deduction of a base_minus rule: Points off per unit of Metric.
type Deduction struct {
	Metric string  `json:"metric"`
	Points float64 `json:"points"`
}

// GradeThreshold: a total ≥ Min earns grade Name, unless a higher one applies.
type GradeThreshold struct {
	Min  float64 `json:"min"`
	Name string  `json:"name"`
}

// Grade names of the default scheme.
const (
	GradeExcellent   = "优秀"
	GradeCompetent   = "称职"
	GradeBasic       = "基本称职"
	GradeIncompetent = "不称职"
)

// DefaultRules is the scheme shipped with the platform: 100 points in four
// groups plus up to 10 bonus points, modelled on county deputy assessment
// schemes and the 2025 work plan. Staff adjust it as data.
func DefaultRules() Rules {
	const (
		meetings = "会议活动"
		contact  = "联系群众"
		advice   = "建议办理"
		projects = "民生实事"
		bonus    = "加分项目"
	)
	return Rules{
		Items: []Rule{
			{Key: "congress_attendance", Group: meetings, Title: "出席人代会", Metric: MetricCongressHalfdays, Kind: KindBaseMinus,
				Base: 10, Cap: 10, Deductions: []Deduction{
					{Metric: MetricCongressLeaveHalfdays, Points: 2},
					{Metric: MetricCongressAbsences, Points: 5},
				}},
			{Key: "activities", Group: meetings, Title: "参加主席团活动、执法检查、视察", Metric: MetricActivities,
				Kind: KindPerUnit, Points: 3, Cap: 15},

			{Key: "households", Group: contact, Title: "走访农户", Metric: MetricHouseholds,
				Kind: KindPerUnit, Tiers: []Tier{{UpTo: 12, Points: 1}, {Points: 0.5}}, Cap: 18},
			{Key: "station_duties", Group: contact, Title: "联络站值班及逢“四”“九”接待选民", Metric: MetricStationDuties,
				Kind: KindPerUnit, Points: 3, Cap: 12},
			{Key: "report_to_voters", Group: contact, Title: "向选民述职", Metric: MetricReportToVoters,
				Kind: KindFlag, Points: 5, Cap: 5},

			// Proposals and co-sponsorships count from the proposals
			// themselves (accepted for handling); see hooks/assessment
			// facts_proposals.go.
			{Key: "proposals", Group: advice, Title: "提交议案建议", Metric: MetricProposals,
				Kind: KindPerUnit, Points: 3, Cap: 10},
			{Key: "ack_on_time", Group: advice, Title: "群众建议24小时内响应", Metric: MetricAckOnTimeRatio,
				Kind: KindRatioTiers, Thresholds: []Threshold{{Min: 0.9, Points: 8}, {Min: 0.8, Points: 5}},
				Cap: 8},
			{Key: "feedback_on_time", Group: advice, Title: "群众建议5个工作日内反馈", Metric: MetricFeedbackOnTimeRatio,
				Kind: KindRatioTiers, Thresholds: []Threshold{{Min: 0.9, Points: 5}},
				Cap: 5},
			// Ratings are 1 不满意, 2 基本满意, 3 满意.
			{Key: "satisfaction", Group: advice, Title: "办结满意度", Metric: MetricSatisfactionMean,
				Kind: KindLinear, Points: 5, ScaleMin: 1, ScaleMax: 3, Cap: 5},
			{Key: "co_sponsored", Group: advice, Title: "附议议案", Metric: MetricCoSponsored,
				Kind: KindPerUnit, Points: 1, Cap: 2},

			// 代表票决—跟踪问效—年终评议, and 专题询问: each part of the
			// loop a deputy takes part in (facts_projects.go).
			{Key: "project_tracking", Group: projects, Title: "民生实事跟踪问效", Metric: MetricProjectTracking,
				Kind: KindPerUnit, Points: 1.5, Cap: 3},
			{Key: "project_evaluation", Group: projects, Title: "民生实事年终评议", Metric: MetricProjectEvaluation,
				Kind: KindFlag, Points: 3, Cap: 3},
			{Key: "votes_cast", Group: projects, Title: "参加民生实事票决", Metric: MetricVotesCast,
				Kind: KindFlag, Points: 2, Cap: 2},
			{Key: "inquiries", Group: projects, Title: "专题询问", Metric: MetricInquiries,
				Kind: KindPerUnit, Points: 1, Cap: 2},

			{Key: "golden_ideas", Group: bonus, Title: "建议获评“金点子”", Metric: MetricGoldenIdeas,
				Kind: KindPerUnit, Points: 5, Cap: 10, Bonus: true},
			{Key: "commendations_town", Group: bonus, Title: "受到镇级表彰", Metric: MetricCommendationsTown,
				Kind: KindPerUnit, Points: 2, Cap: 10, Bonus: true},
			{Key: "commendations_county", Group: bonus, Title: "受到县级及以上表彰", Metric: MetricCommendationsCounty,
				Kind: KindPerUnit, Points: 5, Cap: 10, Bonus: true},
		},
		Grades: []GradeThreshold{
			{Min: 90, Name: GradeExcellent},
			{Min: 80, Name: GradeCompetent},
			{Min: 60, Name: GradeBasic},
			{Min: 0, Name: GradeIncompetent},
		},
		BonusCap:           10,
		HouseholdsRequired: 12,
		CappedGrade:        GradeBasic,
	}
}
