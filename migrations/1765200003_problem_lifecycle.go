package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 急难愁盼 followed to the end (R4, issue 13): a problem's status moves
// only forward (open → forwarded → answered → closed; reopening needs a
// reason), each forward has a deadline in working days, an unanswered
// problem past it is flagged and escalated to the presidium member paired
// (包联) with its village, and every step is kept in problem_events, the
// timeline the deputy who raised it reads. The deadline, the stamps, the
// count of reopens and the escalation are the server's.
//
// problem_settings holds forward_workdays (default 15; see package
// problem for why), a single row staff edit.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}
		problems.Fields.Add(
			&core.DateField{Name: "deadline"},
			&core.TextField{Name: "reopen_reason", Max: 1000},
			&core.NumberField{Name: "reopens", OnlyInt: true, Min: ptr(0.0)},
			&core.BoolField{Name: "overdue"},
			&core.SelectField{Name: "escalation", MaxSelect: 1, Values: []string{"none", "presidium", "supervised"}},
			&core.DateField{Name: "escalated_at"},
			&core.RelationField{Name: "escalated_to", CollectionId: deputies.Id, MaxSelect: 1},
		)
		if err := withHelp(problems, map[string]string{
			"status":        "状态：open 待办，forwarded 已转办（代表直通车），answered 已答复，closed 已办结；只能按顺序办理，重新办理须写明理由",
			"forwarded_to":  "转办单位（名称）",
			"deadline":      "办理期限：转办之日起第N个工作日结束（N 见 problem_settings，默认15；自动计算）",
			"reopen_reason": "重新办理的理由（由已答复或已办结改回待办时必填）",
			"reopens":       "重新办理次数（自动）",
			"overdue":       "是否逾期：转办后超过办理期限仍未答复（每日定时任务标记）",
			"escalation":    "督办：none 未逾期，presidium 已报主席团，supervised 逾期超过5个工作日挂牌督办",
			"escalated_at":  "提交督办的时间（定时任务记录）",
			"escalated_to":  "督办的主席团成员：该村的包联主席团成员（未设包联时由全体主席团查看）",
		}); err != nil {
			return err
		}
		problems.AddIndex("idx_problems_status_deadline", false, "status, deadline", "")
		if err := app.Save(problems); err != nil {
			return err
		}

		events := core.NewBaseCollection("problem_events")
		// Whoever reads the problem reads its steps; only the server writes them.
		events.ListRule = rule(ruleDeputy + ` && (problem.deputy = @request.auth.id || @request.auth.presidium = true)`)
		events.ViewRule = events.ListRule
		events.Fields.Add(
			&core.RelationField{Name: "problem", CollectionId: problems.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1,
				Values: []string{"raise", "forward", "answer", "close", "reopen", "escalate"}},
			&core.SelectField{Name: "status", MaxSelect: 1, Values: problemStatuses},
			&core.DateField{Name: "at", Required: true},
			&core.TextField{Name: "actor", Max: 40},
			&core.TextField{Name: "actor_label", Max: 120},
			&core.TextField{Name: "note", Max: 2000},
			&core.DateField{Name: "deadline"},
		)
		events.AddIndex("idx_problem_events_problem", false, "problem, at", "")
		if err := withHelp(events, map[string]string{
			"problem":     "问题",
			"action":      "办理步骤：raise 提出，forward 转办，answer 答复，close 办结，reopen 重新办理，escalate 逾期督办",
			"status":      "这一步之后的状态",
			"at":          "时间",
			"actor":       "操作人账号编号",
			"actor_label": "操作人",
			"note":        "转办单位、答复内容或重新办理的理由",
			"deadline":    "转办时的办理期限",
		}); err != nil {
			return err
		}
		if err := app.Save(events); err != nil {
			return err
		}

		settings := core.NewBaseCollection("problem_settings")
		settings.ListRule = rule(ruleDeputy)
		settings.ViewRule = rule(ruleDeputy)
		settings.Fields.Add(
			&core.NumberField{Name: "forward_workdays", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(250.0)},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(settings, map[string]string{
			"forward_workdays": "急难愁盼转办后的办理期限（工作日，默认15），与群众建议同一工作日历（含法定节假日和调休）",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}
		row := core.NewRecord(settings)
		row.Set("forward_workdays", 15)
		return app.Save(row)
	}, func(app core.App) error {
		if err := deleteCollections(app, "problem_settings", "problem_events"); err != nil {
			return err
		}
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}
		for _, f := range []string{"deadline", "reopen_reason", "reopens", "overdue", "escalation", "escalated_at", "escalated_to"} {
			problems.Fields.RemoveByName(f)
		}
		problems.RemoveIndex("idx_problems_status_deadline")
		if err := withHelp(problems, map[string]string{
			"status":       "状态：open 待办，forwarded 已转办（代表直通车），answered 已答复，closed 已办结",
			"forwarded_to": "转办单位",
		}); err != nil {
			return err
		}
		return app.Save(problems)
	})
}
