package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 调研报告 (R14): a deputy or the presidium files a research report (a
// document and its summary) linked to the topics and surveys it drew on;
// the presidium accepts it (it then counts in the assessment) or returns
// it for rework.
var researchStatuses = []string{"submitted", "accepted", "returned"}

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		topics, err := app.FindCollectionByNameOrId("topics")
		if err != nil {
			return err
		}
		surveys, err := app.FindCollectionByNameOrId("surveys")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("research_reports")
		c.ListRule = rule(ruleDeputy + ` && (deputy = @request.auth.id || coauthors.id ?= @request.auth.id` +
			` || status = "accepted" || @request.auth.presidium = true)`)
		c.ViewRule = c.ListRule
		c.CreateRule = rule(ruleDeputy + ` && @request.body.deputy = @request.auth.id`)
		c.UpdateRule = rule(ruleDeputy + ` && (deputy = @request.auth.id || @request.auth.presidium = true)`)
		c.DeleteRule = rule(ruleDeputy + ` && deputy = @request.auth.id && status != "accepted"`)
		c.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "summary", Required: true, Max: 3000},
			&core.FileField{Name: "document", Required: true, MaxSelect: 1, MaxSize: 20 << 20, Protected: true, MimeTypes: documentTypes},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "coauthors", CollectionId: deputies.Id, MaxSelect: 20},
			&core.RelationField{Name: "topics", CollectionId: topics.Id, MaxSelect: 20},
			&core.RelationField{Name: "surveys", CollectionId: surveys.Id, MaxSelect: 20},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: researchStatuses},
			&core.TextField{Name: "review_note", Max: 500},
			&core.TextField{Name: "reviewed_by", Max: 100},
			&core.DateField{Name: "reviewed_at"},
			&core.DateField{Name: "filed_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		c.AddIndex("idx_research_reports_deputy", false, "deputy", "")
		c.AddIndex("idx_research_reports_filed", false, "status, filed_at", "")
		if err := withHelp(c, map[string]string{
			"title":       "报告题目，例如 关于思蒙镇留守儿童课后看护情况的调研报告",
			"summary":     "内容摘要（至少50个字）",
			"document":    "报告全文（PDF、Word或图片，不超过20MB）",
			"deputy":      "执笔代表（提交人）",
			"coauthors":   "共同调研的代表（可选）",
			"topics":      "依据的云端议事议题（可选）",
			"surveys":     "依据的微调研问卷（可选）",
			"status":      "状态：submitted 已提交，accepted 已采纳（计入量化考核），returned 退回修改（修改后重新提交）",
			"review_note": "主席团审阅意见（退回时必填）",
			"reviewed_by": "审阅人（自动填写）",
			"reviewed_at": "审阅时间（自动填写）",
			"filed_at":    "提交时间（自动填写；计入该时间所在年度的考核）",
		}); err != nil {
			return err
		}
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "research_reports")
	})
}
