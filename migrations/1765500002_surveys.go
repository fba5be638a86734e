package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 微调研、微协商 (R14): surveys residents answer on a public page
// (/survey/{code}), anonymously. What is kept of an answer is split so that
// nothing joins it to a person, or one person's answers to each other: the
// choice answers only as counts on the survey (tally, hidden), the short
// texts as rows holding the survey, question, village and text (no time, no
// relation that an expand could follow, stored in random order), and, for a
// survey limited to one answer per phone number, a keyed hash of the number
// in a table of its own. The last two are closed to the records API, even
// for superusers (hooks/surveys).
var surveyStatuses = []string{"draft", "open", "closed"}

func init() {
	m.Register(func(app core.App) error {
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}
		topics, err := app.FindCollectionByNameOrId("topics")
		if err != nil {
			return err
		}

		surveys := core.NewBaseCollection("surveys")
		surveys.ListRule = rule(ruleDeputy + ` && (status != "draft" || @request.auth.presidium = true)`)
		surveys.ViewRule = surveys.ListRule
		surveys.CreateRule = rule(rulePresidium)
		surveys.UpdateRule = rule(rulePresidium + ` && @request.body.code:isset = false` +
			` && @request.body.responses:isset = false && @request.body.tally:isset = false`)
		surveys.DeleteRule = rule(rulePresidium + ` && status = "draft"`)
		surveys.Fields.Add(
			&core.TextField{Name: "code", Pattern: publicCodePattern},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "intro", Max: 2000},
			&core.JSONField{Name: "questions", Required: true, MaxSize: 64 << 10},
			&core.RelationField{Name: "villages", CollectionId: villages.Id, MaxSelect: 200},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: surveyStatuses},
			&core.DateField{Name: "closes_at", Required: true},
			&core.BoolField{Name: "require_phone"},
			&core.RelationField{Name: "topic", CollectionId: topics.Id, MaxSelect: 1},
			&core.NumberField{Name: "responses", OnlyInt: true, Min: ptr(0.0)},
			&core.JSONField{Name: "tally", MaxSize: 1 << 20, Hidden: true},
			&core.DateField{Name: "opened_at"},
			&core.DateField{Name: "closed_at"},
			&core.TextField{Name: "created_by", Max: 100},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		surveys.AddIndex("idx_surveys_code", true, "code", "code != ''")
		surveys.AddIndex("idx_surveys_status", false, "status, closes_at", "")
		if err := withHelp(surveys, map[string]string{
			"code":          "公开码：群众扫二维码打开 /survey/{公开码}，由系统生成",
			"title":         "调查名称，例如 留守儿童课后看护需求微调研",
			"intro":         "说明：调查目的、用时，匿名填写",
			"questions":     `题目列表，例如 [{"kind":"single","title":"…","options":["…","…"],"required":true}]；kind：single 单选，multiple 多选（max 最多选几项），text 简答；开始收集后不能修改`,
			"villages":      "面向的村（不选则面向全镇；选了则填写人须选择其中一个村）",
			"status":        "状态：draft 草稿，open 进行中，closed 已结束",
			"closes_at":     "截止时间：之后不再收集",
			"require_phone": "每个手机号限填一次（填写人须留手机号；手机号只保存密钥哈希，不与答卷对应）",
			"topic":         "关联的云端议事议题（微协商，可选）",
			"responses":     "已收到的答卷数（自动统计）",
			"tally":         "选择题计数（按题、选项、村汇总，不保存单份答卷；由系统维护）",
			"opened_at":     "开始收集的时间（自动填写）",
			"closed_at":     "结束的时间（自动填写）",
			"created_by":    "发起人（自动填写）",
		}); err != nil {
			return err
		}
		if err := app.Save(surveys); err != nil {
			return err
		}

		texts := core.NewBaseCollection("survey_texts")
		texts.Fields.Add(
			&core.TextField{Name: "survey", Required: true, Max: 15},
			&core.TextField{Name: "question", Required: true, Max: 8},
			&core.TextField{Name: "village", Max: 15},
			&core.TextField{Name: "text", Required: true, Max: 500},
		)
		texts.AddIndex("idx_survey_texts_survey", false, "survey, question", "")
		if err := withHelp(texts, map[string]string{
			"survey":   "问卷编号（有意不设关联，以免展开查询）",
			"question": "题目编号",
			"village":  "填写人所选的村（可为空）",
			"text":     "简答内容（不保存时间、来源，也不与同一人的其他回答关联）",
		}); err != nil {
			return err
		}
		if err := app.Save(texts); err != nil {
			return err
		}

		participations := core.NewBaseCollection("survey_participations")
		participations.Fields.Add(
			&core.TextField{Name: "survey", Required: true, Max: 15},
			&core.TextField{Name: "key", Required: true, Max: 64},
		)
		participations.AddIndex("idx_survey_participations", true, "survey, key", "")
		if err := withHelp(participations, map[string]string{
			"survey": "问卷编号",
			"key":    "手机号的密钥哈希（每个问卷不同），只用于限填一次",
		}); err != nil {
			return err
		}
		return app.Save(participations)
	}, func(app core.App) error {
		return deleteCollections(app, "survey_participations", "survey_texts", "surveys")
	})
}
