package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

var (
	projectStatuses    = []string{"candidate", "chosen", "not_chosen", "in_progress", "done"}
	projectSourceKinds = []string{"suggestion", "problem", "proposal", "other"}
)

// The urns: plain tables, not collections, so that no records API, admin
// screen, filter, expand, realtime event or export can reach a ballot,
// for superusers neither; WITHOUT ROWID, so rows keep no insertion order;
// no time column (see package ballot and designs/14.md §5).
const (
	createBallotUrn     = `CREATE TABLE ballot_urn (vote TEXT NOT NULL, id TEXT NOT NULL, choices TEXT NOT NULL, spoiled INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (vote, id)) WITHOUT ROWID`
	createEvaluationUrn = `CREATE TABLE evaluation_urn (evaluation TEXT NOT NULL, id TEXT NOT NULL, marks TEXT NOT NULL, PRIMARY KEY (evaluation, id)) WITHOUT ROWID`
)

// 民生实事 (R12): candidates, the congress's secret 票决 (votes, a register
// of who voted apart from the anonymous ballots), the year's projects
// tracked by their responsible unit (milestones, progress reports with
// photos), and the 年终评议 (evaluations, a register and anonymous sheets).
// Writes that carry a rule go through hooks that apply the lifecycle;
// voting, opening, closing and counting are routes.
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
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}
		meetings, err := app.FindCollectionByNameOrId("meetings")
		if err != nil {
			return err
		}

		projects := core.NewBaseCollection("projects")
		projects.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && (unit = @request.auth.id || proposer_unit = @request.auth.id))`)
		projects.ViewRule = projects.ListRule
		projects.CreateRule = rule(`(` + rulePresidium14 + `) || (` + ruleOffice14 + `)`)
		projects.UpdateRule = rule(`(` + rulePresidium14 + `) || (` + ruleOffice14 + `)`)
		projects.DeleteRule = rule(ruleOffice14 + ` && status = "candidate"`)
		projects.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.TextField{Name: "title", Required: true, Max: 60, Presentable: true},
			&core.TextField{Name: "description", Required: true, Max: 4000},
			&core.RelationField{Name: "villages", CollectionId: villages.Id, MaxSelect: 50},
			&core.NumberField{Name: "est_funds", Min: ptr(0.0), Max: ptr(1e6)},
			&core.RelationField{Name: "proposer_unit", CollectionId: units.Id, MaxSelect: 1},
			&core.TextField{Name: "proposer", Max: 60},
			&core.SelectField{Name: "source_kind", Required: true, MaxSelect: 1, Values: projectSourceKinds},
			&core.TextField{Name: "source_id", Max: 15, Pattern: `^[a-z0-9]{15}$`},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: projectStatuses},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1},
			&core.NumberField{Name: "budget", Min: ptr(0.0), Max: ptr(1e6)},
			&core.NumberField{Name: "spent", Min: ptr(0.0), Max: ptr(1e6)},
			&core.NumberField{Name: "progress_pct", OnlyInt: true, Min: ptr(0.0), Max: ptr(100.0)},
			&core.NumberField{Name: "votes", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "rank", OnlyInt: true, Min: ptr(0.0)},
			&core.DateField{Name: "done_at"},
			&core.JSONField{Name: "evaluation", MaxSize: 20000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		projects.AddIndex("idx_projects_year_status", false, "year, status", "")
		projects.AddIndex("idx_projects_unit", false, "unit", "")
		if err := withHelp(projects, map[string]string{
			"year":          "年度",
			"title":         "项目名称，例如 思蒙湾村安全饮水提质工程",
			"description":   "项目内容",
			"villages":      "涉及的村（社区）",
			"est_funds":     "估算资金（万元）",
			"proposer_unit": "提出项目的单位",
			"proposer":      "提出方（未在承办单位名册中时填写，例如 镇党委政府）",
			"source_kind":   "来源：suggestion 群众建议，problem 急难愁盼问题，proposal 议案建议，other 其他",
			"source_id":     "来源记录编号（由群众建议、问题或议案建议生成候选项目时自动填写）",
			"status":        "状态：candidate 候选，chosen 票决入选，not_chosen 未入选，in_progress 实施中，done 已完成（入选与否只由票决计票决定）",
			"unit":          "责任单位（入选后确定）",
			"budget":        "预算资金（万元）",
			"spent":         "已使用资金（万元，取责任单位最近一次报告，自动）",
			"progress_pct":  "进度（%，取责任单位最近一次报告，自动）",
			"votes":         "票决得票数（计票后自动）",
			"rank":          "票决名次（计票后自动）",
			"done_at":       "完成时间（自动）",
			"evaluation":    "年终评议结果（评议结束后自动）",
		}); err != nil {
			return err
		}
		if err := app.Save(projects); err != nil {
			return err
		}

		milestones := core.NewBaseCollection("project_milestones")
		milestones.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && project.unit = @request.auth.id)`)
		milestones.ViewRule = milestones.ListRule
		milestones.CreateRule = rule(`(` + rulePresidium14 + `) || (` + ruleOffice14 + `)`)
		milestones.UpdateRule = rule(`(` + rulePresidium14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && project.unit = @request.auth.id && @request.body.project:isset = false && @request.body.title:isset = false && @request.body.due:isset = false && @request.body.position:isset = false)`)
		milestones.DeleteRule = rule(ruleOffice14)
		milestones.Fields.Add(
			&core.RelationField{Name: "project", CollectionId: projects.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: ptr(0.0)},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.DateField{Name: "due", Required: true},
			&core.DateField{Name: "done_at"},
			&core.TextField{Name: "note", Max: 1000},
			&core.BoolField{Name: "overdue"},
			&core.SelectField{Name: "escalation", MaxSelect: 1, Values: escalationStages},
			&core.DateField{Name: "escalated_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		milestones.AddIndex("idx_project_milestones_project", false, "project, due", "")
		milestones.AddIndex("idx_project_milestones_due", false, "done_at, due", "")
		if err := withHelp(milestones, map[string]string{
			"project":      "民生实事项目",
			"position":     "顺序",
			"title":        "节点，例如 完成施工招标",
			"due":          "节点期限",
			"done_at":      "完成日期（责任单位填写）",
			"note":         "说明",
			"overdue":      "已逾期未完成（每日定时任务标记）",
			"escalation":   "督办：none 未逾期，presidium 已报主席团，supervised 逾期超过5个工作日挂牌督办",
			"escalated_at": "最近一次升级督办的时间",
		}); err != nil {
			return err
		}
		if err := app.Save(milestones); err != nil {
			return err
		}

		reports := core.NewBaseCollection("project_reports")
		reports.ListRule = milestones.ListRule
		reports.ViewRule = milestones.ListRule
		reports.CreateRule = rule(`(` + ruleOffice14 + `) || (` + ruleUnit14 + ` && project.unit = @request.auth.id)`)
		reports.DeleteRule = rule(ruleOffice14)
		reports.Fields.Add(
			&core.RelationField{Name: "project", CollectionId: projects.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1},
			&core.TextField{Name: "text", Required: true, Max: 4000},
			&core.NumberField{Name: "progress_pct", Required: true, OnlyInt: true, Min: ptr(0.0), Max: ptr(100.0)},
			&core.NumberField{Name: "spent_total", Min: ptr(0.0), Max: ptr(1e6)},
			&core.FileField{Name: "photos", MaxSelect: 3, MaxSize: maxPhotoBytes, Protected: true, MimeTypes: photoTypes, Thumbs: []string{"320x320"}},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		reports.AddIndex("idx_project_reports_project", false, "project, created", "")
		if err := withHelp(reports, map[string]string{
			"project":      "民生实事项目",
			"unit":         "报告单位（登录的责任单位，自动填写）",
			"text":         "进展情况",
			"progress_pct": "总体进度（%）",
			"spent_total":  "截至目前已使用资金（万元，累计数）",
			"photos":       "现场照片（至少1张，最多3张）",
		}); err != nil {
			return err
		}
		if err := app.Save(reports); err != nil {
			return err
		}

		votes := core.NewBaseCollection("votes")
		votes.ListRule = rule(`(` + ruleDeputy14 + ` && status != "draft") || (` + ruleOffice14 + `)`)
		votes.ViewRule = votes.ListRule
		votes.CreateRule = rule(ruleOffice14)
		votes.UpdateRule = rule(ruleOffice14 + ` && status = "draft"`)
		votes.DeleteRule = rule(ruleOffice14 + ` && status = "draft"`)
		votes.Fields.Add(
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1}, // required of a draft by the hooks; a deleted meeting leaves a past vote whole
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.RelationField{Name: "candidates", CollectionId: projects.Id, MaxSelect: 50, Required: true},
			&core.NumberField{Name: "seats", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(20.0)},
			&core.NumberField{Name: "max_choices", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(20.0)},
			&core.BoolField{Name: "majority"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "open", "closed", "counted"}},
			&core.RelationField{Name: "expected", CollectionId: deputies.Id, MaxSelect: 999},
			&core.NumberField{Name: "registered", OnlyInt: true, Min: ptr(0.0)},
			&core.DateField{Name: "opened_at"},
			&core.DateField{Name: "closed_at"},
			&core.DateField{Name: "counted_at"},
			&core.JSONField{Name: "result", MaxSize: 100000},
			&core.TextField{Name: "digest", Max: 80},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		votes.AddIndex("idx_votes_year", false, "year", "")
		if err := app.Save(votes); err != nil {
			return err
		}
		votes.Fields.Add(&core.RelationField{Name: "runoff_of", CollectionId: votes.Id, MaxSelect: 1})
		if err := withHelp(votes, map[string]string{
			"meeting":     "票决所在的人代会（会议类型为 congress_session）",
			"year":        "年度",
			"title":       "例如 2026年民生实事项目票决",
			"candidates":  "候选项目（须多于拟确定项目数：差额票决）",
			"seats":       "拟确定的项目数（一般3至5项）",
			"max_choices": "每张选票最多可选项目数",
			"majority":    "须获应到代表过半数的票才能入选",
			"status":      "draft 准备中，open 投票中，closed 已截止（录入纸质选票），counted 已计票公布；由开始、截止、计票操作改变",
			"expected":    "应到代表（开始投票时取自会议的应到代表，只有他们可以投票）",
			"registered":  "已投票人数（自动）",
			"opened_at":   "开始投票时间",
			"closed_at":   "截止时间",
			"counted_at":  "计票时间",
			"result":      "计票结果（自动，可由公开的选票复核）",
			"digest":      "选票摘要 sha256（自动，任何人可据公开的选票复算）",
			"runoff_of":   "票数相同时的再次投票：原票决",
		}); err != nil {
			return err
		}
		if err := app.Save(votes); err != nil {
			return err
		}

		register := core.NewBaseCollection("ballot_register")
		register.ListRule = rule(`(` + ruleDeputy14 + ` && (deputy = @request.auth.id || @request.auth.presidium = true)) || (` + ruleOffice14 + `)`)
		register.ViewRule = register.ListRule
		// No created/updated: a time would join the register to the ballots.
		register.Fields.Add(
			&core.RelationField{Name: "vote", CollectionId: votes.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "method", Required: true, MaxSelect: 1, Values: []string{"app", "paper"}},
		)
		register.AddIndex("idx_ballot_register_vote_deputy", true, "vote, deputy", "")
		register.AddIndex("idx_ballot_register_deputy", false, "deputy", "")
		if err := withHelp(register, map[string]string{
			"vote":   "票决",
			"deputy": "已投票的代表（只记录是否投票，不记录投了什么）",
			"method": "app 手机投票，paper 纸质选票（工作人员登记）",
		}); err != nil {
			return err
		}
		if err := app.Save(register); err != nil {
			return err
		}
		if _, err := app.DB().NewQuery(createBallotUrn).Execute(); err != nil {
			return err
		}

		evaluations := core.NewBaseCollection("evaluations")
		evaluations.ListRule = rule(`(` + ruleDeputy14 + ` && status != "draft") || (` + ruleOffice14 + `)`)
		evaluations.ViewRule = evaluations.ListRule
		evaluations.CreateRule = rule(ruleOffice14)
		evaluations.UpdateRule = rule(ruleOffice14 + ` && status = "draft"`)
		evaluations.DeleteRule = rule(ruleOffice14 + ` && status = "draft"`)
		evaluations.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.RelationField{Name: "projects", CollectionId: projects.Id, MaxSelect: 50},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "open", "closed"}},
			&core.RelationField{Name: "expected", CollectionId: deputies.Id, MaxSelect: 999},
			&core.NumberField{Name: "registered", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "ignored", OnlyInt: true, Min: ptr(0.0)},
			&core.DateField{Name: "opened_at"},
			&core.DateField{Name: "closed_at"},
			&core.JSONField{Name: "results", MaxSize: 200000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		evaluations.AddIndex("idx_evaluations_year", false, "year", "")
		if err := withHelp(evaluations, map[string]string{
			"year":       "年度",
			"title":      "例如 2026年民生实事项目年终评议",
			"projects":   "评议的项目（开始评议时取本年度入选项目）",
			"status":     "draft 准备中，open 评议中，closed 已结束并公布",
			"expected":   "参加评议的代表（开始评议时的在任代表）",
			"registered": "已提交评议表的代表人数（自动）",
			"ignored":    "纸质评议表中无效的评价条数（自动）",
			"opened_at":  "开始时间",
			"closed_at":  "结束时间",
			"results":    "各项目满意度测评结果（自动）",
		}); err != nil {
			return err
		}
		if err := app.Save(evaluations); err != nil {
			return err
		}

		evalRegister := core.NewBaseCollection("evaluation_register")
		evalRegister.ListRule = rule(`(` + ruleDeputy14 + ` && (deputy = @request.auth.id || @request.auth.presidium = true)) || (` + ruleOffice14 + `)`)
		evalRegister.ViewRule = evalRegister.ListRule
		evalRegister.Fields.Add(
			&core.RelationField{Name: "evaluation", CollectionId: evaluations.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.SelectField{Name: "method", Required: true, MaxSelect: 1, Values: []string{"app", "paper"}},
		)
		evalRegister.AddIndex("idx_evaluation_register_eval_deputy", true, "evaluation, deputy", "")
		evalRegister.AddIndex("idx_evaluation_register_deputy", false, "deputy", "")
		if err := withHelp(evalRegister, map[string]string{
			"evaluation": "年终评议",
			"deputy":     "已提交评议表的代表（评议表本身不记录代表）",
			"method":     "app 手机提交，paper 纸质评议表（工作人员登记）",
		}); err != nil {
			return err
		}
		if err := app.Save(evalRegister); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(createEvaluationUrn).Execute()
		return err
	}, func(app core.App) error {
		for _, t := range []string{"ballot_urn", "evaluation_urn"} {
			if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS " + t).Execute(); err != nil {
				return err
			}
		}
		return deleteCollections(app, "evaluation_register", "evaluations", "ballot_register", "votes",
			"project_reports", "project_milestones", "projects")
	})
}
