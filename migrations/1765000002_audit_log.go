package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The audit trail (操作记录): who changed what that counts, when and from
// where, one entry per change, written by the server in the transaction of
// the change (hooks/audit). Office staff read it; nobody writes it through
// the API (create, update and delete rules nil, and hooks/audit refuses
// superusers too); each entry's hash chains it to the one before.
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("audit_log")
		c.ListRule = rule(ruleStaff)
		c.ViewRule = rule(ruleStaff)
		c.Fields.Add(
			&core.NumberField{Name: "seq", Required: true, OnlyInt: true, Min: ptr(1.0)},
			&core.DateField{Name: "at", Required: true},
			&core.SelectField{Name: "actor_kind", Required: true, MaxSelect: 1,
				Values: []string{"system", "superuser", "staff", "presidium", "deputy", "unit", "former", "guest"}},
			&core.TextField{Name: "actor_id", Max: 40},
			&core.TextField{Name: "actor_name", Max: 100},
			&core.TextField{Name: "action", Required: true, Max: 30, Pattern: `^[a-z_]+$`},
			&core.TextField{Name: "collection", Required: true, Max: 60},
			&core.TextField{Name: "record_id", Max: 40},
			&core.JSONField{Name: "changes", MaxSize: 1 << 20},
			&core.TextField{Name: "reason", Max: 500},
			&core.TextField{Name: "ip", Max: 64},
			&core.TextField{Name: "via", Max: 60},
			&core.TextField{Name: "user_agent", Max: 300},
			&core.TextField{Name: "prev_hash", Max: 64},
			&core.TextField{Name: "hash", Required: true, Max: 64},
		)
		c.AddIndex("idx_audit_log_seq", true, "seq", "")
		c.AddIndex("idx_audit_log_record", false, "collection, record_id", "")
		c.AddIndex("idx_audit_log_at", false, "at", "")
		c.AddIndex("idx_audit_log_actor", false, "actor_id", "")
		if err := withHelp(c, map[string]string{
			"seq":        "序号（连续，不可修改）",
			"at":         "时间",
			"actor_kind": "操作人类别：staff 工作人员，superuser 技术管理员，presidium 主席团成员，deputy 代表，unit 承办单位，system 系统",
			"actor_id":   "操作人账号编号",
			"actor_name": "操作人姓名（记录时的快照）",
			"action":     "操作：create 新建，update 修改，delete 删除，close 结算/关账，recompute 重新计算，checkin 扫码签到，absences 登记缺席",
			"collection": "数据表",
			"record_id":  "记录编号",
			"changes":    "改动：{字段: [原值, 新值]}；个人信息只记「（已更改）」",
			"reason":     "原因",
			"ip":         "来源地址",
			"via":        "途径，例如 api、扫码签到、定时任务",
			"user_agent": "浏览器（仅工作人员和主席团成员）",
			"prev_hash":  "上一条的校验值",
			"hash":       "本条的校验值（sha256，连成链，改动可查）",
		}); err != nil {
			return err
		}
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "audit_log")
	})
}
