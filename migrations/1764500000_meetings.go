package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// meetingKinds are the meetings of the 2025 work plan (R10). The assessment
// reads presidium, party committee and 专题询问 meetings as activities,
// congress sessions for the attendance item, the others as meetings attended.
var meetingKinds = []string{"congress_session", "presidium", "party_committee", "training", "wuchang", "inquiry"}

// attendanceStatuses: present 出席, leave 请假 (approved), absent 缺席 (unexcused).
var attendanceStatuses = []string{"present", "leave", "absent"}

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}

		meetings := core.NewBaseCollection("meetings")
		meetings.ListRule = rule(ruleDeputy)
		meetings.ViewRule = rule(ruleDeputy)
		meetings.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: meetingKinds},
			&core.DateField{Name: "starts_at", Required: true},
			&core.DateField{Name: "ends_at"},
			&core.TextField{Name: "place", Required: true, Max: 100},
			&core.NumberField{Name: "half_days", OnlyInt: true, Min: ptr(0.0), Max: ptr(20.0)},
			&core.RelationField{Name: "expected", CollectionId: deputies.Id, MaxSelect: 999},
			&core.TextField{Name: "research", Max: 5000},
			&core.TextField{Name: "notes", Max: 2000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		meetings.AddIndex("idx_meetings_starts_at", false, "starts_at", "")
		if err := withHelp(meetings, map[string]string{
			"title":     "会议名称，例如 2026年第一季度主席团会议",
			"kind":      "会议类型：congress_session 镇人民代表大会，presidium 主席团会议，party_committee 党委人大工作会议，training 季度集训，wuchang 屋场会，inquiry 专题询问",
			"starts_at": "开始时间",
			"ends_at":   "结束时间（可选）",
			"place":     "地点",
			"half_days": "会期（半天数）；人代会请假、缺席按半天扣分",
			"expected":  "应到代表",
			"research":  "会前调研：调研情况摘要",
			"notes":     "备注",
		}); err != nil {
			return err
		}
		if err := app.Save(meetings); err != nil {
			return err
		}

		attendance := core.NewBaseCollection("meeting_attendance")
		attendance.ListRule = rule(ruleOwnOrPresidium)
		attendance.ViewRule = rule(ruleOwnOrPresidium)
		attendance.Fields.Add(
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: attendanceStatuses},
			&core.SelectField{Name: "method", MaxSelect: 1, Values: []string{"qr", "staff"}},
			&core.DateField{Name: "checked_in_at"},
			&core.NumberField{Name: "half_days", OnlyInt: true, Min: ptr(0.0), Max: ptr(20.0)},
			&core.TextField{Name: "leave_reason", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		attendance.AddIndex("idx_meeting_attendance_meeting_deputy", true, "meeting, deputy", "")
		attendance.AddIndex("idx_meeting_attendance_deputy", false, "deputy", "")
		if err := withHelp(attendance, map[string]string{
			"meeting":       "会议",
			"deputy":        "代表",
			"status":        "出席情况：present 出席，leave 请假（已批准），absent 无故缺席",
			"method":        "签到方式：qr 扫码签到，staff 工作人员代签",
			"checked_in_at": "签到时间（出席时自动填写）",
			"half_days":     "请假或缺席的半天数（人代会扣分用；留空则按会期计）",
			"leave_reason":  "请假事由",
		}); err != nil {
			return err
		}
		if err := app.Save(attendance); err != nil {
			return err
		}

		agenda := core.NewBaseCollection("meeting_agenda_items")
		agenda.ListRule = rule(ruleDeputy)
		agenda.ViewRule = rule(ruleDeputy)
		agenda.Fields.Add(
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: ptr(0.0)},
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "presenter", Max: 60},
			&core.TextField{Name: "research", Max: 5000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(agenda, map[string]string{
			"meeting":   "会议",
			"position":  "议程顺序",
			"title":     "议题",
			"presenter": "汇报人或汇报单位",
			"research":  "会前调研：与本议题相关的调研情况",
		}); err != nil {
			return err
		}
		if err := app.Save(agenda); err != nil {
			return err
		}

		resolutions := core.NewBaseCollection("meeting_resolutions")
		resolutions.ListRule = rule(ruleDeputy)
		resolutions.ViewRule = rule(ruleDeputy)
		resolutions.Fields.Add(
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "agenda_item", CollectionId: agenda.Id, MaxSelect: 1},
			&core.TextField{Name: "text", Required: true, Max: 2000, Presentable: true},
			&core.BoolField{Name: "adopted"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(resolutions, map[string]string{
			"meeting":     "会议",
			"agenda_item": "对应议题（可选）",
			"text":        "会中审议形成的决议或审议意见",
			"adopted":     "已通过",
		}); err != nil {
			return err
		}
		if err := app.Save(resolutions); err != nil {
			return err
		}

		tasks := core.NewBaseCollection("meeting_tasks")
		tasks.ListRule = rule(ruleDeputy)
		tasks.ViewRule = rule(ruleDeputy)
		// The deputy who owns a task reports progress on it, nothing else.
		tasks.UpdateRule = rule(`owner_deputy = @request.auth.id && ` + ruleDeputy +
			` && @request.body.meeting:isset = false && @request.body.resolution:isset = false` +
			` && @request.body.title:isset = false && @request.body.owner:isset = false` +
			` && @request.body.owner_deputy:isset = false && @request.body.deadline:isset = false` +
			` && @request.body.done_at:isset = false`)
		tasks.Fields.Add(
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "resolution", CollectionId: resolutions.Id, MaxSelect: 1},
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "owner", Required: true, Max: 60},
			&core.RelationField{Name: "owner_deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.DateField{Name: "deadline", Required: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"open", "in_progress", "done"}},
			&core.TextField{Name: "result", Max: 2000},
			&core.DateField{Name: "done_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		tasks.AddIndex("idx_meeting_tasks_status_deadline", false, "status, deadline", "")
		if err := withHelp(tasks, map[string]string{
			"meeting":      "会议",
			"resolution":   "对应决议（可选）",
			"title":        "会后督办事项",
			"owner":        "责任单位或责任人",
			"owner_deputy": "负责跟踪的代表（可选；该代表可更新进度）",
			"deadline":     "办结时限",
			"status":       "状态：open 待办，in_progress 办理中，done 已办结（须填写办理结果）",
			"result":       "办理结果",
			"done_at":      "办结时间（自动填写）",
		}); err != nil {
			return err
		}
		return app.Save(tasks)
	}, func(app core.App) error {
		return deleteCollections(app, "meeting_tasks", "meeting_resolutions", "meeting_agenda_items", "meeting_attendance", "meetings")
	})
}
