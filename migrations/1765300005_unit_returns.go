package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// 退办 (a handling unit returning an item outside its remit): the units'
// requests and the office's decisions, and the limit in working days
// (supervision_settings.return_workdays, default 5). Requests are written
// only by the server's routes (POST /api/units/me/returns, POST
// /api/returns/{id}/decide), so no create, update or delete rule; a unit
// reads its own, the presidium and staff all of them.
func init() {
	m.Register(func(app core.App) error {
		units, err := app.FindCollectionByNameOrId("units")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("unit_returns")
		c.ListRule = rule(`(` + rulePresidium14 + `) || (` + ruleOffice14 + `) || (` + ruleUnit14 + ` && unit = @request.auth.id)`)
		c.ViewRule = c.ListRule
		c.Fields.Add(
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"proposal", "problem", "rectification", "hazard"}},
			&core.TextField{Name: "record_id", Required: true, Max: 15, Pattern: `^[a-z0-9]{15}$`},
			&core.TextField{Name: "title", Max: 200, Presentable: true},
			&core.RelationField{Name: "unit", CollectionId: units.Id, MaxSelect: 1, Required: true},
			&core.TextField{Name: "reason", Required: true, Max: 500},
			&core.DateField{Name: "assigned_at"},
			&core.DateField{Name: "last_day"},
			&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"pending", "reassigned", "insisted"}},
			&core.RelationField{Name: "new_unit", CollectionId: units.Id, MaxSelect: 1},
			&core.DateField{Name: "new_deadline"},
			&core.TextField{Name: "note", Max: 500},
			&core.TextField{Name: "decided_by", Max: 120},
			&core.DateField{Name: "decided_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		c.AddIndex("idx_unit_returns_record", false, "kind, record_id", "")
		c.AddIndex("idx_unit_returns_status", false, "status, created", "")
		c.AddIndex("idx_unit_returns_unit", false, "unit", "")
		if err := withHelp(c, map[string]string{
			"kind":         "退办的事项：proposal 议案建议，problem 急难愁盼问题，rectification 监督通报整改事项，hazard 隐患整改",
			"record_id":    "退办事项的记录编号",
			"title":        "事项标题（申请时的）",
			"unit":         "申请退办的承办单位",
			"reason":       "退办理由（承办单位填写，5至500字）",
			"assigned_at":  "该单位接到交办的时间",
			"last_day":     "可申请退办的最后一天（交办后N个工作日，见设置 return_workdays）",
			"status":       "pending 待处理，reassigned 已改派，insisted 维持交办",
			"new_unit":     "改派的承办单位",
			"new_deadline": "改派后的期限",
			"note":         "镇人大办公室的处理说明（维持交办须写明理由）",
			"decided_by":   "处理人",
			"decided_at":   "处理时间",
		}); err != nil {
			return err
		}
		if err := app.Save(c); err != nil {
			return err
		}

		settings, err := app.FindCollectionByNameOrId("supervision_settings")
		if err != nil {
			return err
		}
		settings.Fields.Add(&core.NumberField{Name: "return_workdays", OnlyInt: true, Min: ptr(1.0), Max: ptr(30.0)})
		if err := withHelp(settings, map[string]string{
			"return_workdays": "承办单位申请退办的期限：交办之日起第N个工作日结束（按国家法定节假日和调休计算，默认5）",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("UPDATE supervision_settings SET return_workdays = 5 WHERE return_workdays = 0").Execute()
		return err
	}, func(app core.App) error {
		if settings, err := app.FindCollectionByNameOrId("supervision_settings"); err == nil {
			settings.Fields.RemoveByName("return_workdays")
			if err := app.Save(settings); err != nil {
				return err
			}
		}
		return deleteCollections(app, "unit_returns")
	})
}
