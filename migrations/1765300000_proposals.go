package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Rules of the supervision loops (issue 14), frozen with them.
const (
	// ruleOffice14: active office staff.
	ruleOffice14 = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	// ruleUnit14: an active handling unit (承办单位).
	ruleUnit14 = `@request.auth.collectionName = "units" && @request.auth.active = true`
	// rulePresidium14: an active presidium member.
	rulePresidium14 = `@request.auth.collectionName = "deputies" && @request.auth.active = true && @request.auth.presidium = true`
	// ruleDeputy14: any active deputy.
	ruleDeputy14 = `@request.auth.collectionName = "deputies" && @request.auth.active = true`
)

// The proposal lifecycle's stored statuses and steps (package proposal).
var (
	proposalStatuses = []string{"inviting", "submitted", "registered", "rejected", "withdrawn", "merged", "assigned", "answered", "closed"}
	proposalActions  = []string{"create", "invite", "confirm", "decline", "submit", "withdraw", "register", "classify",
		"merge", "assign", "extend", "return", "answer", "rate", "lapse", "escalate", "opinion", "golden"}
	escalationStages = []string{"none", "presidium", "supervised"}
	attachmentTypes  = []string{"application/pdf", "image/jpeg", "image/png", "image/webp",
		"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	defaultProposalCategories = []string{"经济发展", "乡村振兴", "农业农村", "城乡建设", "交通水利", "教育文化",
		"医疗卫生", "社会保障", "生态环保", "安全生产", "社会治理", "其他"}
)

// 议案建议 (R11): deputies' proposals from the draft on the phone to 办结.
// Every step is a route (the rules are package proposal's); the records
// API only reads, so every rule that writes is nil (superusers, whose
// edits the same rules check on save). supervision_settings is the one
// row of the loops' settings that staff edit: joint sponsors, deadlines
// in working days, the rating window, the categories, 金点子 a year and
// the 民生实事 vote's defaults.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		units, err := app.FindCollectionByNameOrId("units")
		if err != nil {
			return err
		}

		settings := core.NewBaseCollection("supervision_settings")
		settings.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleUnit14 + `) || (` + ruleOffice14 + `)`)
		settings.ViewRule = settings.ListRule
		settings.UpdateRule = rule(ruleOffice14)
		settings.Fields.Add(
			&core.NumberField{Name: "min_joint_sponsors", Required: true, OnlyInt: true, Min: ptr(5.0), Max: ptr(100.0)},
			&core.NumberField{Name: "key_workdays", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(250.0)},
			&core.NumberField{Name: "normal_workdays", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(250.0)},
			&core.NumberField{Name: "redo_workdays", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(250.0)},
			&core.NumberField{Name: "rating_window_workdays", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(250.0)},
			&core.JSONField{Name: "categories", MaxSize: 4000},
			&core.NumberField{Name: "golden_max", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(20.0)},
			&core.NumberField{Name: "vote_seats", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(20.0)},
			&core.NumberField{Name: "vote_max_choices", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(20.0)},
			&core.BoolField{Name: "vote_majority"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(settings, map[string]string{
			"min_joint_sponsors":     "议案联名人数（含领衔代表），不少于5（地方组织法：代表五人以上联名）",
			"key_workdays":           "重点督办件的答复期限：交办之日起第N个工作日结束（默认30）",
			"normal_workdays":        "一般件的答复期限：交办之日起第N个工作日结束（默认60，约三个月）",
			"redo_workdays":          "不满意退回重新办理的答复期限（工作日，默认20，约一个月）",
			"rating_window_workdays": "领衔代表评价答复的期限（工作日，默认10）；逾期未评价视为办结",
			"categories":             `议案建议分类，例如 ["经济发展","乡村振兴",…]`,
			"golden_max":             "每年评选金点子的件数（默认2）",
			"vote_seats":             "民生实事票决拟确定的项目数（默认5）",
			"vote_max_choices":       "每张选票最多可选项目数（默认5，不多于拟确定项目数）",
			"vote_majority":          "项目须获得应到代表过半数的票才能入选（默认是）",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Load(map[string]any{
			"min_joint_sponsors": 5, "key_workdays": 30, "normal_workdays": 60, "redo_workdays": 20,
			"rating_window_workdays": 10, "categories": defaultProposalCategories, "golden_max": 2,
			"vote_seats": 5, "vote_max_choices": 5, "vote_majority": true,
		})
		if err := app.Save(row); err != nil {
			return err
		}

		proposals := core.NewBaseCollection("proposals")
		proposals.Fields.Add(
			&core.TextField{Name: "number", Max: 20},
			&core.SelectField{Name: "type", Required: true, MaxSelect: 1, Values: []string{"motion", "suggestion"}},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: proposalStatuses},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "body", Required: true, Max: 20000},
			&core.TextField{Name: "category", Max: 20},
			&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentTypes, Thumbs: []string{"320x320"}},
			&core.TextField{Name: "client_id", Max: 15, Pattern: `^[a-z0-9]{15}$`},
			&core.RelationField{Name: "sponsor", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "co_invited", CollectionId: deputies.Id, MaxSelect: 100},
			&core.RelationField{Name: "co_confirmed", CollectionId: deputies.Id, MaxSelect: 100},
			&core.NumberField{Name: "year", OnlyInt: true},
			&core.DateField{Name: "submitted_at"},
			&core.BoolField{Name: "converted"},
			&core.TextField{Name: "decision", Max: 1000},
			&core.SelectField{Name: "grade", MaxSelect: 1, Values: []string{"key", "normal"}},
			&core.RelationField{Name: "main_unit", CollectionId: units.Id, MaxSelect: 1},
			&core.RelationField{Name: "co_units", CollectionId: units.Id, MaxSelect: 20},
			&core.DateField{Name: "assigned_at"},
			&core.DateField{Name: "deadline"},
			&core.NumberField{Name: "round", OnlyInt: true, Min: ptr(0.0), Max: ptr(2.0)},
			&core.TextField{Name: "redo_reason", Max: 1000},
			&core.SelectField{Name: "reply_class", MaxSelect: 1, Values: []string{"A", "B", "C"}},
			&core.TextField{Name: "reply", Max: 10000},
			&core.FileField{Name: "reply_files", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentTypes},
			&core.DateField{Name: "answered_at"},
			&core.SelectField{Name: "rating", MaxSelect: 1, Values: []string{"satisfied", "basic", "unsatisfied"}},
			&core.TextField{Name: "rating_comment", Max: 1000},
			&core.DateField{Name: "closed_at"},
			&core.SelectField{Name: "closure", MaxSelect: 1, Values: []string{"rated", "lapsed"}},
			&core.BoolField{Name: "overdue"},
			&core.SelectField{Name: "escalation", MaxSelect: 1, Values: escalationStages},
			&core.DateField{Name: "escalated_at"},
			&core.NumberField{Name: "golden_year", OnlyInt: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		proposals.AddIndex("idx_proposals_client_id", true, "client_id", "client_id != ''")
		proposals.AddIndex("idx_proposals_number", true, "number", "number != ''")
		proposals.AddIndex("idx_proposals_sponsor", false, "sponsor", "")
		proposals.AddIndex("idx_proposals_year_status", false, "year, status", "")
		proposals.AddIndex("idx_proposals_main_unit", false, "main_unit, status", "")
		proposals.AddIndex("idx_proposals_status_deadline", false, "status, deadline", "")
		if err := app.Save(proposals); err != nil {
			return err
		}
		proposals.Fields.Add(&core.RelationField{Name: "main", CollectionId: proposals.Id, MaxSelect: 1})
		// Sponsors and those invited to co-sponsor see theirs (and the main
		// proposal theirs was merged into); the presidium every proposal
		// past the invitation; a unit what it was assigned; staff all.
		proposals.ListRule = rule(`(` + ruleDeputy14 + ` && (sponsor = @request.auth.id || co_invited.id ?= @request.auth.id || co_confirmed.id ?= @request.auth.id || proposals_via_main.sponsor ?= @request.auth.id || (@request.auth.presidium = true && status != "inviting"))) || (` +
			ruleUnit14 + ` && (main_unit = @request.auth.id || co_units.id ?= @request.auth.id)) || (` + ruleOffice14 + `)`)
		proposals.ViewRule = proposals.ListRule
		if err := withHelp(proposals, map[string]string{
			"number":         "编号，例如 2026-007（提交时自动编排）",
			"type":           "类型：motion 议案（须5名以上代表联名），suggestion 建议、批评和意见",
			"status":         "状态：inviting 征集附议，submitted 已提交待审查，registered 已立案待交办，rejected 不予立案，withdrawn 已撤回，merged 已并案，assigned 办理中，answered 已答复待评价，closed 已办结。只能按办理程序逐步改变",
			"title":          "标题",
			"body":           "内容：问题、理由和具体建议",
			"category":       "分类（见 supervision_settings）",
			"attachments":    "附件（图片、PDF、Word，最多5个）",
			"client_id":      "手机草稿编号（同一草稿重复提交只保存一次）",
			"sponsor":        "领衔代表（登录的代表，自动填写）",
			"co_invited":     "邀请附议的代表",
			"co_confirmed":   "已确认附议的代表（在自己的手机上确认）",
			"year":           "年度（提交时间的北京时间年份，自动）",
			"submitted_at":   "提交时间（自动）",
			"converted":      "议案转为建议（立案审查时）",
			"decision":       "转为建议或不予立案的理由",
			"grade":          "分级：key 重点督办，normal 一般",
			"main":           "并案：并入的主件",
			"main_unit":      "主办单位",
			"co_units":       "协办单位",
			"assigned_at":    "交办时间（自动）",
			"deadline":       "答复期限（按分级的工作日数自动计算，延期须写明理由）",
			"round":          "办理轮次：1 首次办理，2 不满意退回重新办理（只有一次）",
			"redo_reason":    "领衔代表不满意的理由（重新办理的依据）",
			"reply_class":    "答复类别：A 已解决或基本解决，B 正在解决或列入计划解决，C 因条件限制留作参考",
			"reply":          "答复内容",
			"reply_files":    "答复附件（答复函扫描件等）",
			"answered_at":    "答复时间（自动）",
			"rating":         "领衔代表评价：satisfied 满意，basic 基本满意，unsatisfied 不满意",
			"rating_comment": "评价意见（不满意时必填）",
			"closed_at":      "办结时间（自动）",
			"closure":        "办结方式：rated 代表已评价，lapsed 逾期未评价视为办结",
			"overdue":        "已逾期未答复（每日定时任务标记）",
			"escalation":     "督办：none 未逾期，presidium 已报主席团，supervised 逾期超过5个工作日挂牌督办",
			"escalated_at":   "最近一次升级督办的时间",
			"golden_year":    "评为金点子的年度（0 未评）",
		}); err != nil {
			return err
		}
		if err := app.Save(proposals); err != nil {
			return err
		}

		events := core.NewBaseCollection("proposal_events")
		events.ListRule = rule(`(` + ruleDeputy14 + ` && (proposal.sponsor = @request.auth.id || proposal.co_confirmed.id ?= @request.auth.id || proposal.co_invited.id ?= @request.auth.id || (@request.auth.presidium = true && proposal.status != "inviting"))) || (` +
			ruleUnit14 + ` && (proposal.main_unit = @request.auth.id || proposal.co_units.id ?= @request.auth.id)) || (` + ruleOffice14 + `)`)
		events.ViewRule = events.ListRule
		events.Fields.Add(
			&core.RelationField{Name: "proposal", CollectionId: proposals.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1, Values: proposalActions},
			&core.SelectField{Name: "status", MaxSelect: 1, Values: proposalStatuses},
			&core.SelectField{Name: "actor_kind", MaxSelect: 1, Values: []string{"deputy", "presidium", "unit", "staff", "system"}},
			&core.TextField{Name: "actor_label", Max: 120},
			&core.TextField{Name: "note", Max: 10000},
			&core.DateField{Name: "deadline"},
			&core.DateField{Name: "at", Required: true},
		)
		events.AddIndex("idx_proposal_events_proposal", false, "proposal, at", "")
		if err := withHelp(events, map[string]string{
			"proposal":    "议案建议",
			"action":      "办理步骤（见 package proposal 的 ActionKind；escalate 逾期督办，opinion 协办意见，golden 评为金点子）",
			"status":      "这一步之后的状态",
			"actor_kind":  "操作人身份",
			"actor_label": "操作人（姓名或单位名称，从不记录手机号）",
			"note":        "理由、答复、意见等",
			"deadline":    "这一步之后的答复期限",
			"at":          "时间",
		}); err != nil {
			return err
		}
		if err := app.Save(events); err != nil {
			return err
		}

		opinions := core.NewBaseCollection("proposal_opinions")
		opinions.ListRule = rule(`(` + ruleUnit14 + ` && (unit = @request.auth.id || proposal.main_unit = @request.auth.id)) || (` + rulePresidium14 + `) || (` + ruleOffice14 + `)`)
		opinions.ViewRule = opinions.ListRule
		opinions.Fields.Add(
			&core.RelationField{Name: "proposal", CollectionId: proposals.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "text", Required: true, Max: 5000},
			&core.FileField{Name: "files", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: attachmentTypes},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		opinions.AddIndex("idx_proposal_opinions_proposal", false, "proposal", "")
		if err := withHelp(opinions, map[string]string{
			"proposal": "议案建议",
			"unit":     "协办单位",
			"text":     "协办意见（主办单位答复前参阅）",
			"files":    "附件",
		}); err != nil {
			return err
		}
		if err := app.Save(opinions); err != nil {
			return err
		}

		rounds := core.NewBaseCollection("golden_rounds")
		rounds.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleOffice14 + `)`)
		rounds.ViewRule = rounds.ListRule
		rounds.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.RelationField{Name: "nominees", CollectionId: proposals.Id, MaxSelect: 50, Required: true},
			&core.NumberField{Name: "members", OnlyInt: true, Min: ptr(0.0)},
			&core.JSONField{Name: "votes", MaxSize: 4000},
			&core.RelationField{Name: "named", CollectionId: proposals.Id, MaxSelect: 20},
			&core.RelationField{Name: "tied", CollectionId: proposals.Id, MaxSelect: 50},
			&core.NumberField{Name: "seats_left", OnlyInt: true, Min: ptr(0.0)},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"open", "decided"}},
			&core.TextField{Name: "note", Max: 2000},
			&core.TextField{Name: "decided_by", Max: 120},
			&core.DateField{Name: "decided_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		rounds.AddIndex("idx_golden_rounds_year", false, "year", "")
		if err := withHelp(rounds, map[string]string{
			"year":       "年度",
			"nominees":   "主席团提名的议案建议",
			"members":    "有表决权的主席团成员人数（表决时）",
			"votes":      "表决结果：每件得票数",
			"named":      "评为金点子的议案建议",
			"tied":       "票数相同、须主席团再决定的",
			"seats_left": "票数相同时尚待决定的名额",
			"status":     "open 待决定，decided 已决定",
			"note":       "会议纪要：表决或决定的说明",
			"decided_by": "决定人（主席团成员或工作人员，记录会议决定）",
			"decided_at": "决定时间",
		}); err != nil {
			return err
		}
		return app.Save(rounds)
	}, func(app core.App) error {
		return deleteCollections(app, "golden_rounds", "proposal_opinions", "proposal_events", "proposals", "supervision_settings")
	})
}
