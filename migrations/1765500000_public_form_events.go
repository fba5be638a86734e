package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// publicForms are the public no-JavaScript forms besides the suggestion
// form, which keeps its own tally: residents' comments on a 云端议事 topic
// (/topic/{code}) and survey answers (/survey/{code}).
var publicForms = []string{"topic_comment", "survey"}

// publicFormEventKinds are what the abuse guard turned away or asked about.
var publicFormEventKinds = []string{"honeypot", "too_fast", "bad_token", "challenged", "challenge_failed", "rate_limited", "invalid", "repeat"}

func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("public_form_events")
		// Staff only (nil rules): moderation data.
		c.Fields.Add(
			&core.SelectField{Name: "form", Required: true, MaxSelect: 1, Values: publicForms},
			&core.TextField{Name: "key", Required: true, Max: 40},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: publicFormEventKinds},
			&core.TextField{Name: "ip_hash", Max: 64},
			&core.TextField{Name: "window", Max: 20},
			&core.NumberField{Name: "count", OnlyInt: true, Min: ptr(1.0)},
			&core.TextField{Name: "detail", Max: 200},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		c.AddIndex("idx_public_form_events_key", true, "form, key, kind, ip_hash, window", "")
		if err := withHelp(c, map[string]string{
			"form":    "表单：topic_comment 云端议事群众留言，survey 微调研问卷",
			"key":     "议题或问卷的公开码",
			"kind":    "类型：honeypot 机器填写了隐藏栏，too_fast 填写过快，bad_token 表单过期或伪造，challenged 要求答题验证，challenge_failed 验证答错，rate_limited 超过频率被拒，invalid 内容不合格，repeat 同一手机或设备重复填写问卷",
			"ip_hash": "来源的密钥哈希（不保存IP本身）；问卷一律不记，以免与答卷对应",
			"window":  "10分钟统计时段（开始时间）",
			"count":   "该时段内的次数",
			"detail":  "说明",
		}); err != nil {
			return err
		}
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "public_form_events")
	})
}
