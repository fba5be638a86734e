package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Inspection kinds (R7), the values of inspections.kind.
var inspectionKinds = []string{"safety", "environment", "enterprise", "project"}

// Departments that join inspections; staff may add more values in the admin UI.
var inspectionDepartments = []string{"镇应急办", "市监所", "镇派出所", "镇中心学校", "镇自然资源所",
	"镇生态环境站", "镇林业站", "镇水利站", "镇交通站", "镇财政所", "镇司法所", "镇综治中心", "其他"}

// Rules for the inspection ledger. A deputy sees the inspections they recorded
// or took part in and the hazards found in them; the presidium sees all;
// residents see none of it.
const (
	ruleOwnInspection = ruleDeputy + ` && (@request.auth.presidium = true || deputy = @request.auth.id || participants.id ?= @request.auth.id)`
	ruleOwnHazard     = ruleDeputy + ` && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id || inspection.participants.id ?= @request.auth.id)`
	ruleEditHazard    = ruleDeputy + ` && (@request.auth.presidium = true || deputy = @request.auth.id || inspection.deputy = @request.auth.id)`
)

var photoTypes = []string{"image/jpeg", "image/png", "image/webp"}

// maxLedgerPhotos caps the photos of one inspection or hazard, as for a visit.
const maxLedgerPhotos = 6

// addSyncedRecordFields adds what a record captured on a phone carries after
// its own fields: the photo fields, the sync fields and the timestamps.
func addSyncedRecordFields(c *core.Collection) error {
	if err := addPhotoFields(c, maxLedgerPhotos); err != nil {
		return err
	}
	if err := addSyncFields(c); err != nil {
		return err
	}
	c.Fields.Add(
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	return nil
}

func init() {
	m.Register(func(app core.App) error {
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}

		sites := core.NewBaseCollection("inspection_sites")
		sites.ListRule = rule(ruleDeputy)
		sites.ViewRule = rule(ruleDeputy)
		sites.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 60, Presentable: true},
			&core.SelectField{Name: "kind", MaxSelect: 1, Required: true,
				Values: []string{"school", "kindergarten", "shop", "market", "enterprise", "project", "river", "forest", "other"}},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.TextField{Name: "address", Max: 120},
			&core.BoolField{Name: "quarterly"},
			&core.BoolField{Name: "active"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		sites.AddIndex("idx_inspection_sites_name", true, "name", "")
		if err := withHelp(sites, map[string]string{
			"name":      "检查场所名称，例如 思蒙镇幼儿园",
			"kind":      "场所类型：school 学校，kindergarten 幼儿园，shop 商店，market 集镇，enterprise 企业，project 工程项目，river 河道，forest 林地，other 其他",
			"village":   "所在村（社区）",
			"address":   "地址",
			"quarterly": "列入每季度安全生产执法检查计划（每季度必须检查一次）",
			"active":    "在用；取消勾选后不再列入计划，也不能再选择",
		}); err != nil {
			return err
		}
		if err := app.Save(sites); err != nil {
			return err
		}

		inspections := core.NewBaseCollection("inspections")
		inspections.ListRule = rule(ruleOwnInspection)
		inspections.ViewRule = rule(ruleOwnInspection)
		inspections.CreateRule = rule(ruleDeputy)
		inspections.UpdateRule = rule(ruleDeputy + ` && deputy = @request.auth.id`)
		inspections.Fields.Add(
			&core.SelectField{Name: "kind", MaxSelect: 1, Required: true, Values: inspectionKinds},
			&core.RelationField{Name: "site", CollectionId: sites.Id, MaxSelect: 1},
			&core.TextField{Name: "subject", Max: 100, Presentable: true},
			&core.DateField{Name: "inspected_at", Required: true},
			&core.TextField{Name: "quarter", Max: 7, Pattern: `^[0-9]{4}-Q[1-4]$`},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.RelationField{Name: "participants", CollectionId: deputies.Id, MaxSelect: 60},
			&core.SelectField{Name: "departments", MaxSelect: len(inspectionDepartments), Values: inspectionDepartments},
			&core.TextField{Name: "findings", Max: 4000},
			&core.TextField{Name: "progress", Max: 2000},
			&core.TextField{Name: "quality", Max: 2000},
			&core.TextField{Name: "funds", Max: 2000},
			&core.FileField{Name: "documents", MaxSelect: 10, MaxSize: 20 << 20, Protected: true, MimeTypes: []string{
				"application/pdf", "image/jpeg", "image/png",
				"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
				"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
			&core.SelectField{Name: "status", MaxSelect: 1, Required: true, Values: []string{"ongoing", "completed"}},
		)
		// Recorded on site, often offline: synced like visits (docs/SYNC.md).
		if err := addSyncedRecordFields(inspections); err != nil {
			return err
		}
		inspections.AddIndex("idx_inspections_quarter_site", false, "quarter, site", "")
		inspections.AddIndex("idx_inspections_deputy", false, "deputy", "")
		if err := withHelp(inspections, map[string]string{
			"kind":         "检查类别：safety 安全生产，environment 法治护绿（《环境保护法》《森林法》：生态红线、河道治理、林地违规占用），enterprise 法治护企，project 专题视察（如桥思公路：进度、质量、资金）",
			"site":         "检查场所（安全生产检查必填）",
			"subject":      "检查事项或视察项目，例如 桥思公路工程进度（专题视察必填）",
			"inspected_at": "检查时间（现场手机时间）",
			"quarter":      "所属季度，例如 2026-Q1，由检查时间自动计算（北京时间）",
			"deputy":       "记录人（登录的代表，自动填写）",
			"participants": "参加检查的代表",
			"departments":  "联合检查的部门，例如 镇应急办、市监所",
			"findings":     "检查发现的问题和意见",
			"progress":     "专题视察：工程进度",
			"quality":      "专题视察：质量安全",
			"funds":        "专题视察：资金使用",
			"photos":       "现场照片（手机离线拍摄后同步上传；仅记录人、主席团和工作人员可见）",
			"documents":    "检查文书、通知书等附件",
			"status":       "状态：ongoing 检查中，completed 已完成（已完成的安全生产检查计入季度计划）",
		}); err != nil {
			return err
		}
		if err := app.Save(inspections); err != nil {
			return err
		}

		hazards := core.NewBaseCollection("hazards")
		hazards.ListRule = rule(ruleOwnHazard)
		hazards.ViewRule = rule(ruleOwnHazard)
		hazards.CreateRule = rule(ruleDeputy)
		hazards.UpdateRule = rule(ruleEditHazard)
		hazards.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 60, Presentable: true},
			&core.TextField{Name: "description", Required: true, Max: 2000},
			&core.SelectField{Name: "source", MaxSelect: 1, Required: true, Values: []string{"inspection", "suggestion", "problem", "enterprise", "other"}},
			&core.RelationField{Name: "inspection", CollectionId: inspections.Id, MaxSelect: 1},
			&core.RelationField{Name: "site", CollectionId: sites.Id, MaxSelect: 1},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.SelectField{Name: "severity", MaxSelect: 1, Required: true, Values: []string{"general", "major"}},
			&core.FileField{Name: "photos_after", MaxSelect: 9, MaxSize: 5 << 20, MimeTypes: photoTypes, Thumbs: []string{"320x320"}, Protected: true},
			&core.TextField{Name: "responsible_unit", Required: true, Max: 60},
			&core.TextField{Name: "responsible_person", Max: 20},
			&core.DateField{Name: "deadline", Required: true},
			&core.SelectField{Name: "status", MaxSelect: 1, Required: true, Values: []string{"open", "rectifying", "rectified", "verified", "closed"}},
			&core.TextField{Name: "rectification", Max: 2000},
			&core.DateField{Name: "rectified_at"},
			&core.RelationField{Name: "verify_inspection", CollectionId: inspections.Id, MaxSelect: 1},
			&core.TextField{Name: "verification", Max: 2000},
			&core.DateField{Name: "verified_at"},
			&core.TextField{Name: "verified_by", Max: 80},
			&core.DateField{Name: "closed_at"},
			&core.TextField{Name: "closed_by", Max: 80},
			&core.BoolField{Name: "supervised"},
			&core.DateField{Name: "supervised_at"},
			&core.TextField{Name: "supervised_by", Max: 80},
			&core.BoolField{Name: "overdue"},
			&core.SelectField{Name: "escalation", MaxSelect: 1, Values: []string{"none", "presidium", "supervised"}},
			&core.DateField{Name: "escalated_at"},
			&core.RelationField{Name: "escalated_to", CollectionId: deputies.Id, MaxSelect: 1},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.RelationField{Name: "problem", CollectionId: problems.Id, MaxSelect: 1},
		)
		// Found on site, often offline: the photos before rectification
		// (photos) sync like visits; the photos after are uploaded online.
		if err := addSyncedRecordFields(hazards); err != nil {
			return err
		}
		hazards.AddIndex("idx_hazards_status_deadline", false, "status, deadline", "")
		hazards.AddIndex("idx_hazards_inspection", false, "inspection", "")
		hazards.AddIndex("idx_hazards_deputy", false, "deputy", "")
		if err := withHelp(hazards, map[string]string{
			"title":              "隐患名称（简短），例如 幼儿园消防通道堵塞",
			"description":        "隐患描述",
			"source":             "来源：inspection 执法检查发现，suggestion 群众建议转入，problem 走访问题转入，enterprise 企业诉求直报，other 其他",
			"inspection":         "发现隐患的执法检查",
			"site":               "隐患所在场所",
			"village":            "所在村（社区）",
			"severity":           "等级：general 一般隐患，major 重大隐患",
			"photos":             "整改前照片（发现隐患时拍摄，手机离线拍摄后同步上传）",
			"problem":            "由走访问题（急难愁盼）转入时的原问题",
			"photos_after":       "整改后照片（标记已整改和销号时必须有）",
			"responsible_unit":   "整改责任单位",
			"responsible_person": "整改责任人",
			"deadline":           "整改期限（过期未整改自动标记逾期并报主席团；逾期超过5个工作日自动挂牌督办）",
			"status":             "状态：open 待整改 → rectifying 整改中 → rectified 已整改（须整改后照片）→ verified 复查通过（须关联复查记录）→ closed 已销号。不能跳步",
			"rectification":      "整改情况（标记已整改时必填）",
			"rectified_at":       "整改完成时间（自动填写）",
			"verify_inspection":  "复查：验证整改的那次执法检查（须是另一次检查）",
			"verification":       "复查意见",
			"verified_at":        "复查通过时间（自动填写）",
			"verified_by":        "复查确认人（自动填写）",
			"closed_at":          "销号时间（自动填写）",
			"closed_by":          "销号人（自动填写；只有主席团成员或工作人员可以销号）",
			"supervised":         "挂牌督办（只有主席团成员或工作人员可以挂牌或摘牌）",
			"supervised_at":      "挂牌时间（自动填写）",
			"supervised_by":      "挂牌人（自动填写）",
			"overdue":            "已逾期（超过整改期限仍未整改，由系统每天标记）",
			"escalation":         "升级情况：none 未升级，presidium 已报主席团，supervised 逾期自动挂牌督办",
			"escalated_at":       "最近一次升级的时间",
			"escalated_to":       "逾期报送的主席团成员：隐患所在村（或场所所在村）的包联主席团成员；未设包联时由全体主席团查看",
			"deputy":             "登记人（登录的代表，自动填写）",
		}); err != nil {
			return err
		}
		if err := app.Save(hazards); err != nil {
			return err
		}

		plan := core.NewBaseCollection("inspection_plan")
		plan.ListRule = rule(ruleDeputy)
		plan.ViewRule = rule(ruleDeputy)
		plan.Fields.Add(
			&core.TextField{Name: "quarter", Required: true, Max: 7, Pattern: `^[0-9]{4}-Q[1-4]$`, Presentable: true},
			&core.RelationField{Name: "site", CollectionId: sites.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "status", MaxSelect: 1, Required: true, Values: []string{"due", "done", "missed"}},
			&core.RelationField{Name: "inspection", CollectionId: inspections.Id, MaxSelect: 1},
			&core.DateField{Name: "missed_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		plan.AddIndex("idx_inspection_plan_quarter_site", true, "quarter, site", "")
		if err := withHelp(plan, map[string]string{
			"quarter":    "季度，例如 2026-Q1",
			"site":       "计划检查的场所",
			"status":     "due 待检查，done 已完成，missed 逾期未检（季度结束仍未检查，由系统每天核对）",
			"inspection": "完成该计划的执法检查",
			"missed_at":  "系统标记逾期未检的时间",
		}); err != nil {
			return err
		}
		if err := app.Save(plan); err != nil {
			return err
		}

		// The four places the 2025 work plan names for the quarterly safety
		// inspections.
		smw, _ := app.FindFirstRecordByData("villages", "name", "思蒙湾村")
		for _, s := range []struct{ name, kind string }{
			{"思蒙镇学校", "school"},
			{"思蒙镇幼儿园", "kindergarten"},
			{"校园周边商店", "shop"},
			{"思蒙湾村集镇", "market"},
		} {
			r := core.NewRecord(sites)
			r.Set("name", s.name)
			r.Set("kind", s.kind)
			r.Set("quarterly", true)
			r.Set("active", true)
			if s.kind == "market" && smw != nil {
				r.Set("village", smw.Id)
			}
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "inspection_plan", "hazards", "inspections", "inspection_sites")
	})
}
