package migrations

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 云端议事 (R14): topics the presidium opens to deputies, residents or both
// until a deadline, and the comments on them. A topic goes draft → open →
// closed (with its conclusion, 结论), and may then become a proposal or a
// problem (outcome, outcome_id). Residents' comments are public only once
// the presidium or staff approved them (moderation).
var (
	topicStatuses     = []string{"draft", "open", "closed"}
	topicAudiences    = []string{"deputies", "residents", "both"}
	topicOutcomes     = []string{"problem", "proposal"}
	commentAuthors    = []string{"deputy", "resident"}
	commentModeration = []string{"pending", "approved", "rejected"}
)

// publicCodePattern: the random public code of a topic or survey (its QR).
const publicCodePattern = `^[a-z0-9]{8,16}$`

// documentTypes are the attachments and documents staff and deputies upload.
var documentTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/webp",
	"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

// problemSourceDeliberation: a problem made from a closed topic.
const problemSourceDeliberation = "deliberation"

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		villages, err := app.FindCollectionByNameOrId("villages")
		if err != nil {
			return err
		}

		topics := core.NewBaseCollection("topics")
		topics.ListRule = rule(ruleDeputy + ` && (status != "draft" || @request.auth.presidium = true)`)
		topics.ViewRule = topics.ListRule
		topics.CreateRule = rule(rulePresidium)
		topics.UpdateRule = rule(rulePresidium + ` && @request.body.code:isset = false` +
			` && @request.body.outcome:isset = false && @request.body.outcome_id:isset = false`)
		topics.DeleteRule = rule(rulePresidium + ` && status = "draft"`)
		topics.Fields.Add(
			&core.TextField{Name: "code", Pattern: publicCodePattern},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "background", Required: true, Max: 3000},
			&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true, MimeTypes: documentTypes},
			&core.DateField{Name: "deadline", Required: true},
			&core.SelectField{Name: "audience", Required: true, MaxSelect: 1, Values: topicAudiences},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: topicStatuses},
			&core.TextField{Name: "conclusion", Max: 2000},
			&core.DateField{Name: "opened_at"},
			&core.DateField{Name: "closed_at"},
			&core.TextField{Name: "opened_by", Max: 100},
			&core.TextField{Name: "closed_by", Max: 100},
			&core.SelectField{Name: "outcome", MaxSelect: 1, Values: topicOutcomes},
			&core.TextField{Name: "outcome_id", Max: 40},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		topics.AddIndex("idx_topics_code", true, "code", "code != ''")
		topics.AddIndex("idx_topics_status_deadline", false, "status, deadline", "")
		if err := withHelp(topics, map[string]string{
			"code":        "公开码：群众扫二维码打开 /topic/{公开码}，由系统生成",
			"title":       "议题，例如 思蒙湾村集镇停车场选址",
			"background":  "背景情况：为什么议、议什么（不超过3000字；详细材料请作为附件上传）",
			"attachments": "附件（方案、图纸等，PDF或图片，每个不超过10MB）",
			"deadline":    "征求意见截止时间",
			"audience":    "征求意见对象：deputies 代表，residents 群众，both 代表和群众",
			"status":      "状态：draft 草稿（仅主席团可见），open 征求意见中，closed 已形成结论",
			"conclusion":  "结论：结束议题时填写（不超过2000字），填写后不能修改",
			"opened_at":   "开始征求意见的时间（自动填写）",
			"closed_at":   "形成结论的时间（自动填写）",
			"opened_by":   "发起人（自动填写）",
			"closed_by":   "作出结论的人（自动填写）",
			"outcome":     "转办结果：problem 转为急难愁盼问题，proposal 转为议案建议（由系统填写）",
			"outcome_id":  "转成的问题或议案建议的编号（由系统填写）",
		}); err != nil {
			return err
		}
		if err := app.Save(topics); err != nil {
			return err
		}

		comments := core.NewBaseCollection("topic_comments")
		// Deputies read deputies' comments and approved residents' ones; the
		// presidium reads all to moderate. Residents' comments come in by
		// the public page, deputies' by the offline sync (docs/SYNC.md).
		comments.ListRule = rule(ruleDeputy + ` && topic.status != "draft"` +
			` && (moderation = "approved" || deputy = @request.auth.id || @request.auth.presidium = true)`)
		comments.ViewRule = comments.ListRule
		// The presidium moderates; nothing else of a comment changes.
		comments.UpdateRule = rule(rulePresidium + ` && @request.body.topic:isset = false && @request.body.author:isset = false` +
			` && @request.body.deputy:isset = false && @request.body.body:isset = false && @request.body.village:isset = false` +
			` && @request.body.written_at:isset = false`)
		comments.Fields.Add(
			&core.RelationField{Name: "topic", CollectionId: topics.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.SelectField{Name: "author", Required: true, MaxSelect: 1, Values: commentAuthors},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "body", Required: true, Max: 1000, Presentable: true},
			&core.RelationField{Name: "village", CollectionId: villages.Id, MaxSelect: 1},
			&core.SelectField{Name: "moderation", Required: true, MaxSelect: 1, Values: commentModeration},
			&core.TextField{Name: "moderation_note", Max: 200},
			&core.TextField{Name: "moderated_by", Max: 100},
			&core.DateField{Name: "moderated_at"},
			&core.DateField{Name: "written_at"},
			&core.TextField{Name: "ip_hash", Max: 64, Hidden: true},
		)
		if err := addSyncFields(comments); err != nil {
			return err
		}
		comments.Fields.Add(
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		comments.AddIndex("idx_topic_comments_topic", false, "topic, moderation", "")
		comments.AddIndex("idx_topic_comments_deputy", false, "deputy", "")
		if err := withHelp(comments, map[string]string{
			"topic":           "议题",
			"author":          "发言人：deputy 代表（手机应用），resident 群众（扫码页面）",
			"deputy":          "发言的代表（群众留言为空）",
			"body":            "意见内容",
			"village":         "所在村（群众自选，可不填；代表为其所在村）",
			"moderation":      "审核：pending 待审核，approved 已公开，rejected 不予公开；群众留言审核通过后才公开",
			"moderation_note": "审核说明（不公开）",
			"moderated_by":    "审核人（自动填写）",
			"moderated_at":    "审核时间（自动填写）",
			"written_at":      "写下意见的时间（代表离线填写时为手机时间）",
			"ip_hash":         "群众来源的密钥哈希，仅用于识别刷屏（不保存IP本身）",
		}); err != nil {
			return err
		}
		if err := app.Save(comments); err != nil {
			return err
		}
		return setProblemSource(app, true)
	}, func(app core.App) error {
		if err := setProblemSource(app, false); err != nil {
			return err
		}
		return deleteCollections(app, "topic_comments", "topics")
	})
}

// setProblemSource adds (or removes) deliberation among the problems'
// sources: a closed topic can become a problem (急难愁盼).
func setProblemSource(app core.App, add bool) error {
	problems, err := app.FindCollectionByNameOrId("problems")
	if err != nil {
		return err
	}
	const help = "，deliberation 云端议事"
	f := problems.Fields.GetByName("source").(*core.SelectField)
	has := slices.Contains(f.Values, problemSourceDeliberation)
	switch {
	case add && !has:
		f.Values = append(f.Values, problemSourceDeliberation)
		f.Help += help
	case !add && has:
		f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return v == problemSourceDeliberation })
		f.Help = strings.TrimSuffix(f.Help, help)
	default:
		return nil
	}
	return app.Save(problems)
}
