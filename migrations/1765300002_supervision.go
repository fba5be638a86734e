package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 专题询问 (special inquiries into 3–5 projects or topics a year, with the
// questions deputies asked and the units' answers) and 监督通报 (the
// presidium's supervision reports, each listing problems found with
// rectification items tracked to done like hazards).
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
		meetings, err := app.FindCollectionByNameOrId("meetings")
		if err != nil {
			return err
		}
		projects, err := app.FindCollectionByNameOrId("projects")
		if err != nil {
			return err
		}
		manage := `(` + rulePresidium14 + `) || (` + ruleOffice14 + `)`

		inquiries := core.NewBaseCollection("inquiries")
		inquiries.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && (unit = @request.auth.id || project.unit = @request.auth.id))`)
		inquiries.ViewRule = inquiries.ListRule
		inquiries.CreateRule = rule(manage)
		inquiries.UpdateRule = rule(manage)
		inquiries.DeleteRule = rule(ruleOffice14)
		inquiries.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.TextField{Name: "topic", Required: true, Max: 100, Presentable: true},
			&core.RelationField{Name: "project", CollectionId: projects.Id, MaxSelect: 1},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1},
			&core.RelationField{Name: "meeting", CollectionId: meetings.Id, MaxSelect: 1},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"planned", "held"}},
			&core.DateField{Name: "held_on"},
			&core.TextField{Name: "summary", Max: 4000},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		inquiries.AddIndex("idx_inquiries_year", false, "year", "")
		if err := withHelp(inquiries, map[string]string{
			"year":    "年度（主席团每年选取3至5个项目或议题开展专题询问）",
			"topic":   "询问议题，例如 桥思公路建设进度",
			"project": "询问的民生实事项目（询问议题不是项目时留空）",
			"unit":    "应询单位（未填时为项目的责任单位）",
			"meeting": "专题询问会议（会议类型为 inquiry）",
			"status":  "planned 计划中，held 已召开",
			"held_on": "召开日期",
			"summary": "询问情况小结",
		}); err != nil {
			return err
		}
		if err := app.Save(inquiries); err != nil {
			return err
		}

		items := core.NewBaseCollection("inquiry_items")
		items.ListRule = rule(`(` + ruleDeputy14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && (inquiry.unit = @request.auth.id || inquiry.project.unit = @request.auth.id))`)
		items.ViewRule = items.ListRule
		items.CreateRule = rule(`(` + ruleDeputy14 + ` && deputy = @request.auth.id) || ` + manage)
		items.UpdateRule = rule(manage + ` || (` + ruleUnit14 + ` && (inquiry.unit = @request.auth.id || inquiry.project.unit = @request.auth.id) && @request.body.inquiry:isset = false && @request.body.deputy:isset = false && @request.body.question:isset = false)`)
		items.DeleteRule = rule(ruleOffice14)
		items.Fields.Add(
			&core.RelationField{Name: "inquiry", CollectionId: inquiries.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "question", Required: true, Max: 2000, Presentable: true},
			&core.TextField{Name: "answer", Max: 4000},
			&core.TextField{Name: "answered_by", Max: 60},
			&core.DateField{Name: "answered_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		items.AddIndex("idx_inquiry_items_inquiry", false, "inquiry", "")
		items.AddIndex("idx_inquiry_items_deputy", false, "deputy", "")
		if err := withHelp(items, map[string]string{
			"inquiry":     "专题询问",
			"deputy":      "提问的代表（代表自己记录时自动为本人）",
			"question":    "询问的问题",
			"answer":      "应询单位的回答",
			"answered_by": "回答人职务，例如 镇应急办主任",
			"answered_at": "回答记录时间（自动）",
		}); err != nil {
			return err
		}
		if err := app.Save(items); err != nil {
			return err
		}

		reports := core.NewBaseCollection("supervision_reports")
		// Units' read rule names the items: set once they exist (below).
		reports.ListRule = rule(`(` + ruleDeputy14 + ` && (status = "issued" || @request.auth.presidium = true)) || (` + ruleOffice14 + `)`)
		reports.ViewRule = reports.ListRule
		reports.CreateRule = rule(manage)
		reports.UpdateRule = rule(`(` + manage + `) && status = "draft"`)
		reports.DeleteRule = rule(ruleOffice14 + ` && status = "draft"`)
		reports.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0)},
			&core.TextField{Name: "number", Max: 40},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "summary", Required: true, Max: 10000},
			&core.RelationField{Name: "project", CollectionId: projects.Id, MaxSelect: 1},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"draft", "issued"}},
			&core.DateField{Name: "issued_at"},
			&core.TextField{Name: "issued_by", Max: 120},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		reports.AddIndex("idx_supervision_reports_year", false, "year", "")
		if err := withHelp(reports, map[string]string{
			"year":      "年度",
			"number":    "文号，例如 思蒙人大通〔2026〕1号（发布时自动编排）",
			"title":     "通报标题",
			"summary":   "通报正文：监督的事项、发现的问题和要求",
			"project":   "相关民生实事项目（可选）",
			"status":    "draft 草稿，issued 已发布（发布后不能修改，整改事项逐项跟踪）",
			"issued_at": "发布时间（自动）",
			"issued_by": "发布人（自动）",
		}); err != nil {
			return err
		}
		if err := app.Save(reports); err != nil {
			return err
		}

		rect := core.NewBaseCollection("rectification_items")
		rect.ListRule = rule(`(` + ruleDeputy14 + ` && (report.status = "issued" || @request.auth.presidium = true)) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && unit = @request.auth.id && report.status = "issued")`)
		rect.ViewRule = rect.ListRule
		rect.CreateRule = rule(`(` + manage + `) && report.status = "draft"`)
		rect.UpdateRule = rule(manage + ` || (` + ruleUnit14 + ` && unit = @request.auth.id && report.status = "issued" && @request.body.report:isset = false && @request.body.problem_text:isset = false && @request.body.requirement:isset = false && @request.body.unit:isset = false && @request.body.deadline:isset = false && @request.body.verification:isset = false && @request.body.position:isset = false)`)
		rect.DeleteRule = rule(`(` + manage + `) && report.status = "draft"`)
		rect.Fields.Add(
			&core.RelationField{Name: "report", CollectionId: reports.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "position", OnlyInt: true, Min: ptr(0.0)},
			&core.TextField{Name: "problem_text", Required: true, Max: 2000, Presentable: true},
			&core.TextField{Name: "requirement", Max: 2000},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1, Required: true},
			&core.DateField{Name: "deadline", Required: true},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"open", "rectifying", "rectified", "verified", "closed"}},
			&core.TextField{Name: "rectification", Max: 2000},
			&core.FileField{Name: "photos_after", MaxSelect: 3, MaxSize: maxPhotoBytes, Protected: true, MimeTypes: photoTypes, Thumbs: []string{"320x320"}},
			&core.TextField{Name: "verification", Max: 2000},
			&core.DateField{Name: "rectified_at"},
			&core.DateField{Name: "verified_at"},
			&core.DateField{Name: "closed_at"},
			&core.BoolField{Name: "overdue"},
			&core.SelectField{Name: "escalation", MaxSelect: 1, Values: escalationStages},
			&core.DateField{Name: "escalated_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		rect.AddIndex("idx_rectification_items_report", false, "report, position", "")
		rect.AddIndex("idx_rectification_items_unit", false, "unit, status", "")
		if err := withHelp(rect, map[string]string{
			"report":        "监督通报",
			"position":      "序号",
			"problem_text":  "发现的问题",
			"requirement":   "整改要求",
			"unit":          "整改责任单位",
			"deadline":      "整改期限（过期未整改自动标记逾期并报主席团；逾期超过5个工作日挂牌督办）",
			"status":        "open 待整改 → rectifying 整改中 → rectified 已整改（须写明整改情况并附整改后照片）→ verified 复查通过（主席团或工作人员，须写复查意见）→ closed 已销号",
			"rectification": "整改情况（责任单位填写）",
			"photos_after":  "整改后照片",
			"verification":  "复查意见（主席团或工作人员填写）",
			"rectified_at":  "整改完成时间（自动）",
			"verified_at":   "复查通过时间（自动）",
			"closed_at":     "销号时间（自动）",
			"overdue":       "已逾期未整改（每日定时任务标记）",
			"escalation":    "督办：none 未逾期，presidium 已报主席团，supervised 挂牌督办",
			"escalated_at":  "最近一次升级督办的时间",
		}); err != nil {
			return err
		}
		if err := app.Save(rect); err != nil {
			return err
		}
		reports.ListRule = rule(`(` + ruleDeputy14 + ` && (status = "issued" || @request.auth.presidium = true)) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && status = "issued" && rectification_items_via_report.unit ?= @request.auth.id)`)
		reports.ViewRule = reports.ListRule
		return app.Save(reports)
	}, func(app core.App) error {
		return deleteCollections(app, "rectification_items", "supervision_reports", "inquiry_items", "inquiries")
	})
}
