package vocab

import (
	"simeng/evaluation"
	"simeng/proposal"
)

// The supervision loops' vocabulary (issue 14): proposals (议案建议, R11)
// as package proposal names them, and the livelihood projects (民生实事,
// R12) with their vote, evaluation, inquiries and supervision reports.

func terms[T ~string](values []T, label func(T) string) []Term {
	out := make([]Term, len(values))
	for i, v := range values {
		out[i] = Term{string(v), label(v)}
	}
	return out
}

// ProposalTypes: 议案 or 建议.
var ProposalTypes = terms(proposal.Types, proposal.Type.Label)

// ProposalStatuses as stored (a draft lives on the phone only).
var ProposalStatuses = terms(proposal.Statuses, proposal.Status.Label)

// ProposalGrades (分级).
var ProposalGrades = terms(proposal.Grades, proposal.Grade.Label)

// ReplyClasses of a unit's reply (答复类别 A/B/C).
var ReplyClasses = terms(proposal.ReplyClasses, proposal.ReplyClass.Label)

// ProposalRatings: the sponsor's 满意 / 基本满意 / 不满意.
var ProposalRatings = terms(proposal.Ratings, proposal.Rating.Label)

// ProposalActions label the steps on a proposal's timeline.
var ProposalActions = append(terms([]proposal.ActionKind{
	"create", proposal.ActInvite, proposal.ActConfirm, proposal.ActDecline, proposal.ActSubmit, proposal.ActWithdraw,
	proposal.ActRegister, proposal.ActClassify, proposal.ActMerge, proposal.ActAssign, proposal.ActExtend,
	proposal.ActReturn, proposal.ActAnswer, proposal.ActRate, proposal.ActLapse,
}, func(k proposal.ActionKind) string {
	if k == "create" {
		return "起草"
	}
	return k.Label()
}), Term{"escalate", "逾期督办"}, Term{"opinion", "协办意见"}, Term{"golden", "评为金点子"})

// RegisterOutcomes of the 立案 review.
var RegisterOutcomes = terms([]proposal.Outcome{proposal.OutcomeAccept, proposal.OutcomeConvert, proposal.OutcomeReject}, proposal.Outcome.Label)

// ProjectStatuses of a livelihood project (民生实事).
var ProjectStatuses = []Term{
	{"candidate", "候选"},
	{"chosen", "票决入选"},
	{"not_chosen", "未入选"},
	{"in_progress", "实施中"},
	{"done", "已完成"},
}

// ProjectSources: where a candidate came from.
var ProjectSources = []Term{
	{"suggestion", "群众建议"},
	{"problem", "急难愁盼问题"},
	{"proposal", "议案建议"},
	{"other", "其他"},
}

// VoteStatuses of a 票决.
var VoteStatuses = []Term{
	{"draft", "准备中"},
	{"open", "投票中"},
	{"closed", "已截止待计票"},
	{"counted", "已计票公布"},
}

// EvaluationStatuses of a 年终评议.
var EvaluationStatuses = []Term{
	{"draft", "准备中"},
	{"open", "评议中"},
	{"closed", "已结束"},
}

// EvaluationRatings of one project on a sheet (满意度测评).
var EvaluationRatings = terms(evaluation.Ratings, evaluation.Rating.Label)

// InquiryStatuses of a 专题询问.
var InquiryStatuses = []Term{
	{"planned", "计划中"},
	{"held", "已召开"},
}

// ReportStatuses of a 监督通报.
var ReportStatuses = []Term{
	{"draft", "草稿"},
	{"issued", "已发布"},
}

// RectificationStatuses of a 监督通报's items: the hazards' lifecycle.
var RectificationStatuses = HazardStatuses

// UnitKinds of a handling unit (承办单位).
var UnitKinds = []Term{
	{"department", "镇直部门"},
	{"station", "站所"},
	{"village_committee", "村委会"},
	{"other", "其他"},
}

// supervisionPWA is the part of the PWA's vocabulary these loops use.
func supervisionPWA() map[string]any {
	return map[string]any{
		"proposal_types":         ProposalTypes,
		"proposal_statuses":      ProposalStatuses,
		"proposal_grades":        ProposalGrades,
		"reply_classes":          ReplyClasses,
		"proposal_ratings":       ProposalRatings,
		"proposal_actions":       ProposalActions,
		"register_outcomes":      RegisterOutcomes,
		"escalation_stages":      EscalationStages,
		"project_statuses":       ProjectStatuses,
		"project_sources":        ProjectSources,
		"vote_statuses":          VoteStatuses,
		"evaluation_statuses":    EvaluationStatuses,
		"evaluation_ratings":     EvaluationRatings,
		"inquiry_statuses":       InquiryStatuses,
		"report_statuses":        ReportStatuses,
		"rectification_statuses": RectificationStatuses,
		"unit_kinds":             UnitKinds,
		"proposal_limits": map[string]any{
			"title_max": proposal.TitleMax, "body_min": proposal.BodyMin, "body_max": proposal.BodyMax,
			"reply_min": proposal.ReplyMin, "reply_max": proposal.ReplyMax, "reason_max": proposal.ReasonMax,
			"comment_max": evaluation.CommentMax,
		},
	}
}
