// Package vocab is the platform's vocabulary, defined once: the lists a
// record's fields take their values from (topics, departments, statuses),
// their Chinese labels, and the limits a phone must respect (photos, device
// clocks). The server validates against it and sends it to the PWA
// (hooks/web serves it as app/vocab.js), so the two cannot disagree.
//
// The migrations keep their own literal copies (an applied migration never
// changes meaning); a test checks the schema they built against this
// package.
package vocab

import (
	"time"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/hazard"
	"simeng/meetingplan"
	"simeng/problem"
	"simeng/survey"
	"simeng/topic"
	"simeng/visitpace"
)

// Term is a stored value and its Chinese label.
type Term struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Values lists the stored values of terms, in order.
func Values(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Value
	}
	return out
}

// Label is the label of value among terms, value itself if it has none.
func Label(terms []Term, value string) string {
	for _, t := range terms {
		if t.Value == value {
			return t.Label
		}
	}
	return value
}

// Topics (议题) of visits, of problems (急难愁盼) and of residents'
// suggestions: one list, so that frequent concerns can be counted across
// all of them.
var Topics = []string{"道路交通", "饮水安全", "医疗卫生", "教育", "养老助残", "就业增收",
	"农业生产", "生态环境", "安全生产", "社会保障", "住房", "矛盾纠纷", "其他"}

// EnterpriseTopics are the kinds of problem the enterprise channel
// (企业诉求直报通道, 法治护企) takes.
var EnterpriseTopics = []string{"涉企执法", "惠企政策落实", "营商环境", "其他"}

// Departments (部门) that join inspections.
var Departments = []string{"镇应急办", "市监所", "镇派出所", "镇中心学校", "镇自然资源所",
	"镇生态环境站", "镇林业站", "镇水利站", "镇交通站", "镇财政所", "镇司法所", "镇综治中心", "其他"}

// InspectionKinds (执法检查类别): Label is what a deputy picks from, Short
// what the ledgers and the 履职档案 print.
var InspectionKinds = []Term{
	{"safety", "安全生产检查"},
	{"environment", "法治护绿（环保、森林）"},
	{"enterprise", "法治护企"},
	{"project", "专题视察"},
}

// InspectionKindShort are the short names of InspectionKinds, for tables.
var InspectionKindShort = []Term{
	{"safety", "安全生产"},
	{"environment", "法治护绿"},
	{"enterprise", "法治护企"},
	{"project", "专题视察"},
}

// ProblemStatuses of a problem (急难愁盼): open → forwarded (代表直通车) →
// answered → closed, as package problem names them.
var ProblemStatuses = func() []Term {
	out := make([]Term, len(problem.Statuses))
	for i, s := range problem.Statuses {
		out[i] = Term{string(s), s.Label()}
	}
	return out
}()

// EscalationStages of an item past its deadline (a problem, a task), as
// package deadline names them.
var EscalationStages = func() []Term {
	var out []Term
	for _, s := range []deadline.Stage{deadline.StageNone, deadline.StagePresidium, deadline.StageSupervised} {
		out = append(out, Term{string(s), s.Label()})
	}
	return out
}()

// HazardStatuses of the hazard ledger (隐患台账), in lifecycle order, as
// package hazard names them.
var HazardStatuses = func() []Term {
	out := make([]Term, len(hazard.Statuses))
	for i, s := range hazard.Statuses {
		out[i] = Term{string(s), s.Label()}
	}
	return out
}()

// SuggestionStatuses of a resident's suggestion as a deputy reads them
// (the resident's status page words them for residents).
var SuggestionStatuses = []Term{
	{"received", "待响应"},
	{"acknowledged", "已响应，办理中"},
	{"answered", "已答复"},
	{"transferred", "已转交镇党委政府（代表直通车）"},
	{"closed", "已办结"},
}

// SuggestionSources: how a suggestion came in.
var SuggestionSources = []Term{
	{"qr", "扫码"},
	{"hotline", "民情直通车"},
	{"station", "联络站"},
	{"paper", "书面"},
	{"visit", "走访"},
	{"enterprise", "企业直报"},
}

// DemandStates put every kind of resident's demand (suggestions, problems,
// later sources) on one scale for the analysis (高频诉求分析): each
// source's statuses map onto these.
var DemandStates = []Term{
	{"open", "待办理"},
	{"in_progress", "办理中"},
	{"answered", "已答复"},
	{"closed", "已办结"},
}

// Satisfaction is what a resident answers about the reply (满意度).
var Satisfaction = []Term{
	{"satisfied", "满意"},
	{"basic", "基本满意"},
	{"unsatisfied", "不满意"},
}

// MeetingKinds are the meetings of the 2025 work plan (R10).
var MeetingKinds = []Term{
	{"congress_session", "镇人民代表大会"},
	{"presidium", "主席团会议"},
	{"party_committee", "党委人大工作会议"},
	{"training", "季度集训"},
	{"wuchang", "屋场会"},
	{"inquiry", "专题询问"},
	{"duty_review", "述职评议会"}, // issue 17: deputies report to voters and are evaluated
}

// TaskStatuses of a follow-up task (会后督办).
var TaskStatuses = []Term{
	{"open", "待办"},
	{"in_progress", "办理中"},
	{"done", "已办结"},
}

// MeetingPlanStatuses of a cell of the year's meeting plan grid, as
// package meetingplan names them.
var MeetingPlanStatuses = func() []Term {
	var out []Term
	for _, s := range []meetingplan.Status{meetingplan.Done, meetingplan.Scheduled, meetingplan.Due, meetingplan.Upcoming, meetingplan.Missed} {
		out = append(out, Term{string(s), s.Label()})
	}
	return out
}()

// The liaison station (代表联络站, R13): its duty roster, swaps and
// appointments (预约接待).
var (
	// HolidayPolicies: what a market day on a statutory holiday does.
	HolidayPolicies = []Term{{"keep", "照常接待"}, {"skip", "暂停接待"}}
	// RosterStatuses: a roster is visible to deputies once published.
	RosterStatuses = []Term{{"draft", "草稿"}, {"published", "已发布"}}
	// DutySources: how a deputy came to be on a duty.
	DutySources = []Term{{"generated", "自动排班"}, {"staff", "工作人员安排"}, {"swap", "换班"}}
	// DutyStatuses: a cache of package dutyroster's Attendance.
	DutyStatuses = []Term{{"rostered", "待值班"}, {"attended", "已到岗"}, {"missed", "缺岗"}}
	// CheckinMethods: how a duty was confirmed.
	CheckinMethods = []Term{{"qr", "扫码签到"}, {"staff", "工作人员确认"}}
	// SwapKinds: 代班 (the other takes the day) or 互换 (two days exchanged).
	SwapKinds = []Term{{"cover", "代班"}, {"exchange", "互换"}}
	// SwapStatuses of a swap request.
	SwapStatuses = []Term{{"pending", "待对方确认"}, {"accepted", "已同意"}, {"declined", "已婉拒"},
		{"withdrawn", "已撤回"}, {"void", "已失效"}}
	// BookingStatuses of an appointment.
	BookingStatuses = []Term{{"booked", "已预约"}, {"cancelled", "已取消"}, {"received", "已接待"}, {"no_show", "未到"}}
)

// Photos a phone takes for a record (a visit, an inspection, a hazard
// found): downscaled on the phone to at most PhotoMaxSide pixels and
// PhotoBudget bytes together, so a record's photos go up a 2G village link
// in seconds. Three photos at about 130 KB each is the most that budget
// holds at a readable quality; the server refuses a fourth.
const (
	PhotosPerRecord = 3
	PhotoBudget     = 400 << 10
	PhotoMaxSide    = 1600
	// MaxPhotoBytes caps one stored photo whatever door it comes in by
	// (the admin UI too).
	MaxPhotoBytes = 5 << 20
)

// PhotoTypes are the image types a record's photos may have.
var PhotoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// SuggestionPhotoTypes are the image types of a resident's photo (old
// phones still send GIFs).
var SuggestionPhotoTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"}

// Bounds of a time a phone stamps on a record (docs/SYNC.md): a few
// minutes of clock skew ahead (more when the phone says how far its clock
// runs ahead), nothing before the platform's records began.
const DeviceClockSkew = 10 * time.Minute

// EarliestDeviceTime is the earliest time a phone may stamp.
var EarliestDeviceTime = time.Date(2020, 1, 1, 0, 0, 0, 0, chinatime.Location())

// HouseholdsRequired is the default number of distinct households a deputy
// visits in a year (R3); staff set another per year (visit_years).
const HouseholdsRequired = visitpace.DefaultRequired

// TopicStatuses of a 云端议事 topic, as package topic names them.
var TopicStatuses = func() []Term {
	out := make([]Term, len(topic.Statuses))
	for i, s := range topic.Statuses {
		out[i] = Term{string(s), s.Label()}
	}
	return out
}()

// TopicAudiences: who a topic asks to comment.
var TopicAudiences = func() []Term {
	out := make([]Term, len(topic.Audiences))
	for i, a := range topic.Audiences {
		out[i] = Term{string(a), a.Label()}
	}
	return out
}()

// TopicOutcomes: what a closed topic was turned into.
var TopicOutcomes = func() []Term {
	out := make([]Term, len(topic.Outcomes))
	for i, o := range topic.Outcomes {
		out[i] = Term{string(o), o.Label()}
	}
	return out
}()

// CommentModeration: a resident's comment is public only once approved
// (pre-moderation); a deputy's is approved when written.
var CommentModeration = []Term{
	{"pending", "待审核"},
	{"approved", "已公开"},
	{"rejected", "不予公开"},
}

// CommentAuthors: who wrote a topic comment.
var CommentAuthors = []Term{
	{"deputy", "代表"},
	{"resident", "群众"},
}

// SurveyStatuses of a survey (微调研): draft → open → closed.
var SurveyStatuses = []Term{
	{"draft", "草稿"},
	{"open", "进行中"},
	{"closed", "已结束"},
}

// SurveyQuestionKinds are the kinds of question a survey asks.
var SurveyQuestionKinds = func() []Term {
	out := make([]Term, len(survey.Kinds))
	for i, k := range survey.Kinds {
		out[i] = Term{string(k), k.Label()}
	}
	return out
}()

// SurveyMinGroup is the fewest respondents shown as a group (a village, a
// whole survey) in the results.
const SurveyMinGroup = survey.MinGroup

// ResearchStatuses of a research report (调研报告): submitted, then
// accepted by the presidium (counted in the assessment) or returned for
// rework.
var ResearchStatuses = []Term{
	{"submitted", "已提交"},
	{"accepted", "已采纳"},
	{"returned", "退回修改"},
}

// ArticleCategories of the learning board (学习园地).
var ArticleCategories = []Term{
	{"policy", "政策解读"},
	{"case", "履职案例"},
	{"training", "培训资料"},
	{"rules", "制度文件"},
}

// PWA is the vocabulary as the PWA reads it (app/vocab.js).
func PWA() map[string]any {
	out := map[string]any{
		"topics":              Topics,
		"enterprise_topics":   EnterpriseTopics,
		"departments":         Departments,
		"inspection_kinds":    InspectionKinds,
		"problem_statuses":    ProblemStatuses,
		"escalation_stages":   EscalationStages,
		"hazard_statuses":     HazardStatuses,
		"suggestion_statuses": SuggestionStatuses,
		"suggestion_sources":  SuggestionSources,
		"demand_states":       DemandStates,
		"meeting_kinds":       MeetingKinds,
		"task_statuses":       TaskStatuses,
		"meeting_plan":        MeetingPlanStatuses,
		"photos": map[string]any{
			"per_record": PhotosPerRecord, "budget_bytes": PhotoBudget, "max_side": PhotoMaxSide,
			"max_bytes": MaxPhotoBytes, "types": PhotoTypes,
		},
		"device_clock": map[string]any{
			"skew_minutes": int(DeviceClockSkew / time.Minute), "earliest_year": EarliestDeviceTime.Year(),
		},
		"visits": map[string]any{"households_required": HouseholdsRequired},
		"station": map[string]any{
			"holiday_policies": HolidayPolicies, "roster_statuses": RosterStatuses, "duty_sources": DutySources,
			"duty_statuses": DutyStatuses, "checkin_methods": CheckinMethods, "swap_kinds": SwapKinds,
			"swap_statuses": SwapStatuses, "booking_statuses": BookingStatuses,
		},
		"topic_statuses":     TopicStatuses,
		"topic_audiences":    TopicAudiences,
		"topic_outcomes":     TopicOutcomes,
		"comment_moderation": CommentModeration,
		"survey_statuses":    SurveyStatuses,
		"survey_kinds":       SurveyQuestionKinds,
		"survey_min_group":   SurveyMinGroup,
		"research_statuses":  ResearchStatuses,
		"article_categories": ArticleCategories,
	}
	for k, v := range supervisionPWA() {
		out[k] = v
	}
	return out
}
