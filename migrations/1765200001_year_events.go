package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// year_events: the history of closing and reopening a year (年度关账、重新开账)
// of the assessment (量化考核) and of the visit logs (visit_years): who,
// when, why, each deputy's figure before and after, and, on a reopen, the
// closed snapshot itself. Written only by the server (no create, update or
// delete rule); the presidium reads it, deputies see their own lines in
// their 履职档案.
func init() {
	m.Register(func(app core.App) error {
		events := core.NewBaseCollection("year_events")
		events.ListRule = rule(rulePresidium)
		events.ViewRule = rule(rulePresidium)
		events.Fields.Add(
			&core.SelectField{Name: "ledger", Required: true, MaxSelect: 1, Values: []string{"assessment", "visits"}},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2000.0), Max: ptr(2100.0), Presentable: true},
			&core.SelectField{Name: "action", Required: true, MaxSelect: 1, Values: []string{"close", "reopen"}},
			&core.DateField{Name: "at", Required: true},
			&core.TextField{Name: "actor", Max: 40},
			&core.TextField{Name: "actor_label", Max: 120},
			&core.TextField{Name: "reason", Max: 1000},
			&core.BoolField{Name: "count_late"},
			&core.JSONField{Name: "changes", MaxSize: 1 << 20},
			&core.JSONField{Name: "snapshot", MaxSize: 4 << 20},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		events.AddIndex("idx_year_events_ledger_year", false, "ledger, year, at", "")
		if err := withHelp(events, map[string]string{
			"ledger":      "哪一本账：assessment 量化考核，visits 走访年度（≥12户）",
			"year":        "年度",
			"action":      "close 关账（结算），reopen 重新开账",
			"at":          "时间",
			"actor":       "操作人账号编号",
			"actor_label": "操作人",
			"reason":      "理由（重新开账必填）",
			"count_late":  "重新开账时是否把关账后补传的走访（迟报）计入",
			"changes":     "每名代表的变化：关账前后或重新开账前后的得分（走访：户数）",
			"snapshot":    "重新开账前冻结的全部结果（原样保留）",
		}); err != nil {
			return err
		}
		return app.Save(events)
	}, func(app core.App) error {
		return deleteCollections(app, "year_events")
	})
}
