package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The ≥12 households rule (R3): year closing, the closed results the
// assessment (量化考核) reads, and the monthly pace flags.
func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}

		// visit_years: per calendar year, the rule's parameters and whether
		// staff have closed it. A missing row means the defaults.
		years := core.NewBaseCollection("visit_years")
		years.ListRule = rule(ruleDeputy)
		years.ViewRule = years.ListRule
		years.Fields.Add(
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2020.0), Max: ptr(2100.0), Presentable: true},
			&core.NumberField{Name: "grace_days", OnlyInt: true, Min: ptr(0.0), Max: ptr(90.0)},
			&core.NumberField{Name: "households_required", OnlyInt: true, Min: ptr(0.0), Max: ptr(1000.0)},
			&core.DateField{Name: "closed_at"},
			&core.TextField{Name: "closed_by", Max: 100},
		)
		years.AddIndex("idx_visit_years_year", true, "year", "")
		if err := withHelp(years, map[string]string{
			"year":                "年度",
			"grace_days":          "结算宽限天数：次年1月1日后再等多少天才能结算（留给离线补传）；0 或不填按默认15天",
			"households_required": "每名代表全年至少走访的不同农户数；0 或不填按默认12户",
			"closed_at":           "结算时间；结算后该年度的走访户数不再变化",
			"closed_by":           "结算人",
		}); err != nil {
			return err
		}
		if err := app.Save(years); err != nil {
			return err
		}

		// visit_year_results: the closed result per deputy and year, read by
		// the assessment. Written once, when the year is closed.
		results := core.NewBaseCollection("visit_year_results")
		results.ListRule = rule(ruleOwnOrPresidium)
		results.ViewRule = results.ListRule
		results.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true},
			&core.NumberField{Name: "households", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "visits", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "months_visited", OnlyInt: true, Min: ptr(0.0), Max: ptr(12.0)},
			&core.NumberField{Name: "required", OnlyInt: true, Min: ptr(0.0)},
			&core.BoolField{Name: "met"},
			&core.DateField{Name: "closed_at", Required: true},
		)
		results.AddIndex("idx_visit_year_results", true, "deputy, year", "")
		if err := withHelp(results, map[string]string{
			"deputy":         "代表",
			"year":           "年度",
			"households":     "全年走访的不同农户数（同一户多次走访只算一户）",
			"visits":         "全年走访次数",
			"months_visited": "有走访的月份数（代表走访月）",
			"required":       "要求的户数",
			"met":            "是否达到要求",
			"closed_at":      "结算时间",
		}); err != nil {
			return err
		}
		if err := app.Save(results); err != nil {
			return err
		}

		// visit_pace_flags: the monthly check (代表走访月): a deputy with no
		// visit in a month, or fewer households than months elapsed.
		flags := core.NewBaseCollection("visit_pace_flags")
		flags.ListRule = rule(ruleOwnOrPresidium)
		flags.ViewRule = flags.ListRule
		flags.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true},
			&core.NumberField{Name: "month", Required: true, OnlyInt: true, Min: ptr(1.0), Max: ptr(12.0)},
			&core.NumberField{Name: "households", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "expected", OnlyInt: true, Min: ptr(0.0)},
			&core.NumberField{Name: "visits_in_month", OnlyInt: true, Min: ptr(0.0)},
			&core.SelectField{Name: "reasons", Values: []string{"no_visit_in_month", "households_behind"}, MaxSelect: 2, Required: true},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		flags.AddIndex("idx_visit_pace_flags", true, "deputy, year, month", "")
		if err := withHelp(flags, map[string]string{
			"deputy":          "代表",
			"year":            "年度",
			"month":           "月份",
			"households":      "截至该月底全年走访的不同农户数",
			"expected":        "按进度截至该月底应走访的户数",
			"visits_in_month": "该月走访次数",
			"reasons":         "原因：no_visit_in_month 当月没有走访，households_behind 户数落后于进度",
		}); err != nil {
			return err
		}
		return app.Save(flags)
	}, func(app core.App) error {
		return deleteCollections(app, "visit_pace_flags", "visit_year_results", "visit_years")
	})
}
