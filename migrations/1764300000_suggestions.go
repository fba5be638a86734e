package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Suggestion statuses (R6): received → acknowledged → answered → closed, or
// transferred to the problems list (急难愁盼, 代表直通车) when it needs the
// government.
var suggestionStatuses = []string{"received", "acknowledged", "answered", "transferred", "closed"}

// suggestionSources: scanned 代表码, hotline 民情直通车, liaison station, paper
// letter, or heard on a visit.
var suggestionSources = []string{"qr", "hotline", "station", "paper", "visit"}

// ruleSuggestionReader: the deputy the suggestion is addressed to, or any
// presidium member; items staff marked as spam are hidden from deputies.
const ruleSuggestionReader = ruleDeputy + ` && moderation != "spam" && (deputy = @request.auth.id || @request.auth.presidium = true)`

func init() {
	m.Register(func(app core.App) error {
		overrides := core.NewBaseCollection("calendar_overrides")
		overrides.ListRule = rule(ruleDeputy)
		overrides.ViewRule = rule(ruleDeputy)
		overrides.Fields.Add(
			&core.TextField{Name: "date", Required: true, Pattern: `^\d{4}-\d{2}-\d{2}$`, Presentable: true},
			&core.BoolField{Name: "workday"},
			&core.TextField{Name: "name", Required: true, Max: 40},
			&core.TextField{Name: "note", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		overrides.AddIndex("idx_calendar_overrides_date", true, "date", "")
		if err := withHelp(overrides, map[string]string{
			"date":    "日期，格式 2026-10-08；覆盖国务院放假安排（用于新一年安排公布后补录或更正）",
			"workday": "勾选＝当天上班（调休上班日）；不勾选＝当天放假",
			"name":    "名称，例如 国庆节 或 国庆调休上班",
			"note":    "备注，例如 文件文号",
		}); err != nil {
			return err
		}
		if err := app.Save(overrides); err != nil {
			return err
		}

		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}
		problems, err := app.FindCollectionByNameOrId("problems")
		if err != nil {
			return err
		}

		s := core.NewBaseCollection("suggestions")
		s.ListRule = rule(ruleSuggestionReader)
		s.ViewRule = rule(ruleSuggestionReader)
		// A deputy records what residents told them on a visit, addressed to
		// themself; residents come in through the public page, staff through
		// the admin UI. Status, reply and deadlines are the hooks' business.
		s.CreateRule = rule(ruleDeputy + ` && @request.body.deputy = @request.auth.id && @request.body.source = "visit"`)
		// Which fields a deputy may change (status, reply) is checked in
		// hooks/suggestions, which names the refused field.
		s.UpdateRule = rule(ruleSuggestionReader)
		s.Fields.Add(
			&core.TextField{Name: "tracking", Required: true, Pattern: `^[a-z0-9]{10}$`, Presentable: true},
			&core.SelectField{Name: "source", Required: true, MaxSelect: 1, Values: suggestionSources},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: topics},
			&core.TextField{Name: "content", Required: true, Min: 5, Max: 1000},
			&core.FileField{Name: "photos", MaxSelect: 3, MaxSize: 5 << 20,
				MimeTypes: []string{"image/jpeg", "image/png", "image/webp", "image/gif"}, Thumbs: []string{"320x0"}},
			&core.TextField{Name: "resident_name", Max: 20, Hidden: true},
			&core.TextField{Name: "resident_name_masked", Max: 20},
			&core.TextField{Name: "resident_phone", Max: 200, Hidden: true},
			&core.TextField{Name: "resident_phone_hash", Max: 64, Hidden: true},
			&core.TextField{Name: "resident_phone_masked", Max: 20},
			&core.BoolField{Name: "consent"},
			&core.DateField{Name: "received_at", Required: true},
			&core.DateField{Name: "ack_due"},
			&core.DateField{Name: "feedback_due"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: suggestionStatuses},
			&core.DateField{Name: "acknowledged_at"},
			&core.DateField{Name: "answered_at"},
			&core.DateField{Name: "closed_at"},
			&core.TextField{Name: "reply", Max: 2000},
			&core.RelationField{Name: "replied_by", CollectionId: deputies.Id, MaxSelect: 1},
			&core.RelationField{Name: "problem", CollectionId: problems.Id, MaxSelect: 1},
			&core.BoolField{Name: "ack_overdue"},
			&core.BoolField{Name: "feedback_overdue"},
			&core.DateField{Name: "escalated_at"},
			&core.RelationField{Name: "escalated_to", CollectionId: deputies.Id, MaxSelect: 1},
			&core.SelectField{Name: "satisfaction", MaxSelect: 1, Values: []string{"satisfied", "basic", "unsatisfied"}},
			&core.DateField{Name: "satisfaction_at"},
			&core.SelectField{Name: "moderation", Required: true, MaxSelect: 1, Values: []string{"ok", "review", "spam"}},
			&core.TextField{Name: "moderation_note", Max: 200},
			&core.TextField{Name: "ip_hash", Max: 64, Hidden: true},
			&core.NumberField{Name: "fill_seconds", OnlyInt: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		s.AddIndex("idx_suggestions_tracking", true, "tracking", "")
		s.AddIndex("idx_suggestions_deputy_status", false, "deputy, status", "")
		s.AddIndex("idx_suggestions_status_due", false, "status, feedback_due", "")
		s.AddIndex("idx_suggestions_phone_hash", false, "resident_phone_hash", "")
		if err := withHelp(s, map[string]string{
			"tracking":              "查询码（自动生成），群众凭它在 /t/查询码 查看办理情况",
			"source":                "来源：qr 扫代表码，hotline 民情直通车热线，station 代表联络站，paper 纸质来信，visit 代表走访",
			"deputy":                "负责答复的代表",
			"village":               "所属村（社区），默认取代表所在村",
			"category":              "类别（与走访问题同一分类，便于高频诉求分析）",
			"content":               "建议内容（5–1000字）",
			"photos":                "照片（仅图片，最多3张，每张不超过5MB）",
			"resident_name":         "群众姓名（个人信息，可不填；仅工作人员和负责代表可见）",
			"resident_name_masked":  "群众姓名（脱敏，自动生成）",
			"resident_phone":        "群众手机号（个人信息，加密保存；工作人员录入时直接填写号码即可，保存时自动加密）",
			"resident_phone_hash":   "手机号查找用的密钥哈希（自动生成，不可还原）",
			"resident_phone_masked": "群众手机号（脱敏，例如 138****1234，自动生成）",
			"consent":               "群众已同意留下姓名、电话用于联系答复（个人信息保护法）",
			"received_at":           "收到时间（热线、来信可填过去的真实时间），期限由此计算",
			"ack_due":               "响应期限：收到后24小时（自动计算）",
			"feedback_due":          "反馈期限：收到次日起第5个工作日结束（自动计算，含法定节假日和调休）",
			"status":                "状态：received 已收到，acknowledged 已响应，answered 已答复，transferred 已转急难愁盼清单（代表直通车），closed 已办结",
			"acknowledged_at":       "响应时间（自动记录）",
			"answered_at":           "答复时间（自动记录）",
			"closed_at":             "办结时间（自动记录）",
			"reply":                 "答复内容（群众在查询页面可见，不要写入个人信息）",
			"replied_by":            "答复的代表（自动记录）",
			"problem":               "转入急难愁盼清单后对应的问题（代表直通车跟踪督办）",
			"ack_overdue":           "是否超过24小时未响应（定时任务标记）",
			"feedback_overdue":      "是否超过5个工作日未反馈（定时任务标记）",
			"escalated_at":          "超期后提交主席团督办的时间（定时任务记录）",
			"escalated_to":          "督办的主席团成员：该村的包联主席团成员（定时任务记录；未设包联时由全体主席团查看）",
			"satisfaction":          "群众评价：satisfied 满意，basic 基本满意，unsatisfied 不满意",
			"satisfaction_at":       "评价时间",
			"moderation":            "审核：ok 正常，review 待审核（提交时检测到异常），spam 垃圾信息（代表不可见）",
			"moderation_note":       "审核备注",
			"ip_hash":               "提交来源的密钥哈希（不保存IP本身），用于识别恶意刷屏",
			"fill_seconds":          "群众填写表单用时（秒），过短可能是机器提交",
		}); err != nil {
			return err
		}
		if err := app.Save(s); err != nil {
			return err
		}

		abuse := core.NewBaseCollection("suggestion_abuse_events")
		abuse.Fields.Add(
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1,
				Values: []string{"honeypot", "too_fast", "bad_token", "challenged", "challenge_failed", "rate_limited", "invalid"}},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "ip_hash", Max: 64},
			&core.TextField{Name: "window", Max: 20},
			&core.NumberField{Name: "count", OnlyInt: true, Min: ptr(1.0)},
			&core.TextField{Name: "detail", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		abuse.AddIndex("idx_suggestion_abuse_key", true, "kind, deputy, ip_hash, window", "")
		if err := withHelp(abuse, map[string]string{
			"kind":    "类型：honeypot 机器填写了隐藏栏，too_fast 填写过快，bad_token 表单过期或伪造，challenged 要求答题验证，challenge_failed 验证答错，rate_limited 超过频率被拒，invalid 内容不合格",
			"deputy":  "被提交的代表码",
			"ip_hash": "来源的密钥哈希（不保存IP本身）",
			"window":  "10分钟统计时段（开始时间）",
			"count":   "该时段内的次数",
			"detail":  "说明",
		}); err != nil {
			return err
		}
		return app.Save(abuse)
	}, func(app core.App) error {
		return deleteCollections(app, "suggestion_abuse_events", "suggestions", "calendar_overrides")
	})
}
