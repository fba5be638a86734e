package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Meetings followed through (会后督办, issue 13):
//
//   - meeting_tasks get the overdue job's flag and escalation (overdue,
//     escalated_at, escalated_to: the presidium member paired with the
//     owner's village), server-owned;
//   - meeting_task_progress: the owner's progress reports on a task, one
//     row each (who, what, when), written by the owner deputy;
//   - meeting_rhythm: the plan's rhythm of meetings (presidium meeting and
//     季度集训 every quarter, 屋场会 every half year, 党委人大工作会议 as
//     configured), which the year's plan grid checks.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		tasks, err := app.FindCollectionByNameOrId("meeting_tasks")
		if err != nil {
			return err
		}
		tasks.Fields.Add(
			&core.BoolField{Name: "overdue"},
			&core.DateField{Name: "escalated_at"},
			&core.RelationField{Name: "escalated_to", CollectionId: deputies.Id, MaxSelect: 1},
		)
		if err := withHelp(tasks, map[string]string{
			"overdue":      "是否逾期：过了办结时限仍未办结（每日定时任务标记）",
			"escalated_at": "逾期后提交主席团督办的时间（定时任务记录）",
			"escalated_to": "督办的主席团成员：负责代表所在村的包联主席团成员（未设包联时由全体主席团查看）",
		}); err != nil {
			return err
		}
		tasks.AddIndex("idx_meeting_tasks_owner_deputy", false, "owner_deputy", "")
		if err := app.Save(tasks); err != nil {
			return err
		}

		progress := core.NewBaseCollection("meeting_task_progress")
		progress.ListRule = rule(ruleDeputy)
		progress.ViewRule = rule(ruleDeputy)
		progress.CreateRule = rule(ruleDeputy + ` && task.owner_deputy = @request.auth.id`)
		progress.Fields.Add(
			&core.RelationField{Name: "task", CollectionId: tasks.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "author", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "note", Required: true, Min: 4, Max: 1000},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		progress.AddIndex("idx_meeting_task_progress_task", false, "task, created", "")
		if err := withHelp(progress, map[string]string{
			"task":   "督办事项",
			"author": "报告人（自动记录）",
			"note":   "进展情况（4–1000字）",
		}); err != nil {
			return err
		}
		if err := app.Save(progress); err != nil {
			return err
		}

		rhythm := core.NewBaseCollection("meeting_rhythm")
		rhythm.ListRule = rule(ruleDeputy)
		rhythm.ViewRule = rule(ruleDeputy)
		rhythm.Fields.Add(
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: meetingKinds, Presentable: true},
			&core.SelectField{Name: "per", Required: true, MaxSelect: 1, Values: []string{"quarter", "half", "year"}},
			&core.NumberField{Name: "count", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(12.0)},
			&core.BoolField{Name: "active"},
		)
		rhythm.AddIndex("idx_meeting_rhythm_kind", true, "kind", "")
		if err := withHelp(rhythm, map[string]string{
			"kind":   "会议类型",
			"per":    "周期：quarter 每季度，half 每半年，year 每年",
			"count":  "每个周期至少召开的次数",
			"active": "是否纳入年度会议计划检查",
		}); err != nil {
			return err
		}
		if err := app.Save(rhythm); err != nil {
			return err
		}
		for _, r := range []struct {
			kind, per string
			count     int
		}{{"presidium", "quarter", 1}, {"training", "quarter", 1}, {"wuchang", "half", 1}, {"party_committee", "year", 1}} {
			rec := core.NewRecord(rhythm)
			rec.Set("kind", r.kind)
			rec.Set("per", r.per)
			rec.Set("count", r.count)
			rec.Set("active", true)
			if err := app.Save(rec); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		if err := deleteCollections(app, "meeting_rhythm", "meeting_task_progress"); err != nil {
			return err
		}
		tasks, err := app.FindCollectionByNameOrId("meeting_tasks")
		if err != nil {
			return err
		}
		for _, f := range []string{"overdue", "escalated_at", "escalated_to"} {
			tasks.Fields.RemoveByName(f)
		}
		tasks.RemoveIndex("idx_meeting_tasks_owner_deputy")
		return app.Save(tasks)
	})
}
