package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The notification outbox (通知发件箱, hooks/notify): one row per message,
// recipient and channel with its delivery state; the in-app notices
// (站内通知) deputies pull with the sync and staff read in the workbench; and
// the one-row channel settings (SMS, 企业微信 robot), superusers only, off
// until filled in.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		staff, err := app.FindCollectionByNameOrId("staff")
		if err != nil {
			return err
		}
		stamps := func() []core.Field {
			return []core.Field{
				&core.AutodateField{Name: "created", OnCreate: true},
				&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
			}
		}

		outbox := core.NewBaseCollection("notify_outbox")
		outbox.ListRule = rule(ruleStaff)
		outbox.ViewRule = rule(ruleStaff)
		outbox.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 64, Presentable: true},
			&core.TextField{Name: "event_key", Required: true, Max: 200},
			&core.TextField{Name: "recipient", Required: true, Max: 100},
			&core.SelectField{Name: "channel", Required: true, MaxSelect: 1, Values: []string{"inapp", "sms", "wecom"}},
			&core.TextField{Name: "template", Required: true, Max: 40},
			&core.JSONField{Name: "params", MaxSize: 4096, Hidden: true},
			&core.BoolField{Name: "urgent"},
			&core.DateField{Name: "not_before"},
			&core.DateField{Name: "not_after"},
			&core.SelectField{Name: "state", Required: true, MaxSelect: 1, Values: []string{"pending", "sending", "sent", "failed", "dead"}},
			&core.NumberField{Name: "attempts", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "reconciles", OnlyInt: true, Min: ptr(0.0)},
			&core.DateField{Name: "next_at"},
			&core.DateField{Name: "attempted_at"},
			&core.DateField{Name: "lease_until"},
			&core.DateField{Name: "sent_at"},
			&core.TextField{Name: "ref", Max: 100},
			&core.TextField{Name: "last_error", Max: 500},
		)
		outbox.Fields.Add(stamps()...)
		outbox.AddIndex("idx_notify_outbox_key", true, "key", "")
		outbox.AddIndex("idx_notify_outbox_state", false, "state, next_at", "")
		outbox.AddIndex("idx_notify_outbox_attempted", false, "channel, attempted_at", "")
		if err := withHelp(outbox, map[string]string{
			"key":          "去重键（同一事件、同一接收人、同一渠道只发一次）",
			"event_key":    "事件",
			"recipient":    "接收人编号（代表、工作人员、单位；群众为 suggestion:建议编号；企业微信为 office 联络员群）",
			"channel":      "渠道：inapp 站内通知，sms 短信，wecom 企业微信群机器人",
			"template":     "模板",
			"params":       "模板参数（验证码发送后清除）",
			"urgent":       "紧急（夜间 21:00–08:00 也发短信）",
			"not_before":   "最早发送时间",
			"not_after":    "过期时间（过后不再发送）",
			"state":        "状态：pending 待发，sending 发送中，sent 已发，failed 失败待重试，dead 放弃",
			"attempts":     "已尝试次数",
			"reconciles":   "查询发送结果的次数",
			"next_at":      "下次尝试时间",
			"attempted_at": "最近一次尝试时间",
			"lease_until":  "发送中的租期（过期视为中断）",
			"sent_at":      "发送成功时间",
			"ref":          "服务商回执编号",
			"last_error":   "最近的错误或放弃原因",
		}); err != nil {
			return err
		}
		if err := app.Save(outbox); err != nil {
			return err
		}

		notices := core.NewBaseCollection("notices")
		ownNotice := `(deputy != "" && deputy = @request.auth.id && ` + ruleDeputy + `) || (staff != "" && staff = @request.auth.id && ` + ruleStaff + `)`
		notices.ListRule = rule(ownNotice)
		notices.ViewRule = rule(ownNotice)
		notices.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 64},
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, CascadeDelete: true},
			&core.RelationField{Name: "staff", CollectionId: staff.Id, MaxSelect: 1, CascadeDelete: true},
			&core.TextField{Name: "template", Required: true, Max: 40},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "body", Required: true, Max: 500},
			&core.TextField{Name: "link", Max: 200},
			&core.DateField{Name: "read_at"},
		)
		if err := addSyncFields(notices); err != nil {
			return err
		}
		notices.Fields.Add(stamps()...)
		notices.AddIndex("idx_notices_key", true, "key", "")
		notices.AddIndex("idx_notices_deputy", false, "deputy, read_at", "")
		notices.AddIndex("idx_notices_staff", false, "staff, read_at", "")
		if err := withHelp(notices, map[string]string{
			"key":      "去重键",
			"deputy":   "接收的代表",
			"staff":    "接收的工作人员",
			"template": "模板",
			"title":    "标题",
			"body":     "内容",
			"link":     "应用内链接",
			"read_at":  "已读时间",
		}); err != nil {
			return err
		}
		if err := app.Save(notices); err != nil {
			return err
		}

		settings := core.NewBaseCollection("notify_settings")
		settings.Fields.Add(
			&core.TextField{Name: "sms_access_key_id", Max: 100},
			&core.TextField{Name: "sms_access_key_secret", Max: 200, Hidden: true},
			&core.TextField{Name: "sms_sign_name", Max: 20},
			&core.TextField{Name: "sms_endpoint", Max: 200},
			&core.SelectField{Name: "sms_scheme", MaxSelect: 1, Values: []string{"https", "http"}},
			&core.JSONField{Name: "sms_templates", MaxSize: 8192},
			&core.URLField{Name: "wecom_webhook", Hidden: true},
		)
		settings.Fields.Add(stamps()...)
		if err := withHelp(settings, map[string]string{
			"sms_access_key_id":     "阿里云短信 AccessKey ID（RAM 用户，仅授权 dysms:SendSms 和 dysms:QuerySendDetails）",
			"sms_access_key_secret": "阿里云短信 AccessKey Secret（保密）",
			"sms_sign_name":         "短信签名，例如 思蒙镇人大",
			"sms_endpoint":          "短信接口地址（留空为 dysmsapi.aliyuncs.com）",
			"sms_scheme":            "协议（留空为 https；http 只允许本机测试地址）",
			"sms_templates":         "模板编号：{\"模板\": \"SMS_…\"}，见 README「短信设置」",
			"wecom_webhook":         "企业微信群机器人 Webhook 地址（保密）",
		}); err != nil {
			return err
		}
		return app.Save(settings)
	}, func(app core.App) error {
		return deleteCollections(app, "notices", "notify_settings", "notify_outbox")
	})
}
