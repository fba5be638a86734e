package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// activityKinds are the deputy activities that staff record because no other
// part of the platform captures them yet (R9, R11–R14). Each feeds one
// assessment metric; see hooks/assessment/facts_activities.go.
var activityKinds = []string{
	"station_duty",         // 联络站值班、逢“四”“九”接待选民
	"report_to_voters",     // 向选民述职
	"proposal",             // 提交议案建议
	"golden_idea",          // 建议获评“金点子”
	"commendation_town",    // 镇级表彰
	"commendation_county",  // 县级及以上表彰
	"project_tracking",     // 民生实事跟踪问效
	"project_evaluation",   // 民生实事年终评议
	"research_report",      // 调研报告
	"supervision_activity", // 主席团活动、视察等（未作为会议或执法检查登记的）
}

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("deputy_activities")
		c.ListRule = rule(ruleOwnOrPresidium)
		c.ViewRule = rule(ruleOwnOrPresidium)
		c.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: activityKinds},
			&core.DateField{Name: "occurred_on", Required: true},
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "notes", Max: 2000},
			&core.FileField{Name: "evidence", MaxSelect: 5, MaxSize: 5 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		c.AddIndex("idx_deputy_activities_deputy_date", false, "deputy, occurred_on, kind, id", "")
		// Covers the full recompute's scan of a year (no table lookups).
		c.AddIndex("idx_deputy_activities_date", false, "occurred_on, deputy, kind, id", "")
		if err := withHelp(c, map[string]string{
			"deputy":      "代表",
			"kind":        "类型：station_duty 值班接待，report_to_voters 述职，proposal 议案建议，golden_idea 金点子，commendation_town/_county 表彰，project_tracking/_evaluation 民生实事，research_report 调研报告，supervision_activity 视察等",
			"occurred_on": "日期（计入该日期所在年度的考核）",
			"title":       "事项摘要，例如 2026年4月14日思蒙湾村联络站接待选民",
			"notes":       "备注",
			"evidence":    "佐证材料（照片或PDF，可选）",
		}); err != nil {
			return err
		}
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "deputy_activities")
	})
}
