package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	m "github.com/pocketbase/pocketbase/migrations"
)

// Numbers the township can stand behind (issue 13):
//
//   - assessment_rules: what a deputy with no cases gets is a per-rule
//     choice, no_cases (full 满分 / zero 不得分 / rescale 不计分、其余折算),
//     replacing no_data_points, which handed out full points for zero cases.
//     Rows still holding the shipped no-data points get the new default,
//     rescale; 0 becomes zero, at least the cap full, anything else rescale.
//     The attendance item counts its cases (congress_halfdays): a deputy
//     registered for no session is not scored on it.
//   - suggestions: entered_by (the deputy who logged it, stamped by the
//     server) and rating_key (the secret in the resident's /t link that
//     satisfaction needs; never the tracking code deputies see).
//   - inspections: confirmed_at and confirmed_by: an inspection counts
//     toward the assessment once someone other than its recorder confirmed
//     it. Inspections already stored are left unconfirmed; staff or the
//     presidium confirm them.
func init() {
	// The rule rows shipped in 1764500002 and the no-data points they had.
	shipped := map[string]float64{"ack_on_time": 8, "feedback_on_time": 5, "satisfaction": 5}
	noCasesValues := []string{"full", "zero", "rescale"}
	metricsNow := append(append([]string{}, assessmentMetrics...), "congress_halfdays")

	m.Register(func(app core.App) error {
		rules, err := app.FindCollectionByNameOrId("assessment_rules")
		if err != nil {
			return err
		}
		rules.Fields.GetByName("metric").(*core.SelectField).Values = metricsNow
		rules.Fields.Add(&core.SelectField{Name: "no_cases", MaxSelect: 1, Values: noCasesValues})
		if err := withHelp(rules, map[string]string{
			"metric":   "计分依据（统计的事项），例如 households 走访农户数；出席人代会一项为 congress_halfdays 应出席的半天数",
			"no_cases": "代表本年度没有相关事项时（例如没有收到群众建议）：full 得满分，zero 不得分，rescale 本项不计分、其余各项按比例折算（默认）。只用于按比例、按均值计分和有计分依据的基础分减扣分项",
		}); err != nil {
			return err
		}
		if err := app.Save(rules); err != nil {
			return err
		}
		rows, err := app.FindAllRecords(rules)
		if err != nil {
			return err
		}
		for _, r := range rows {
			kind, points, cap := r.GetString("kind"), r.GetFloat("no_data_points"), r.GetFloat("cap")
			switch {
			case kind == "ratio_tiers" || kind == "linear":
				switch {
				case shipped[r.GetString("key")] == points && points > 0:
					r.Set("no_cases", "rescale")
				case points == 0:
					r.Set("no_cases", "zero")
				case points >= cap:
					r.Set("no_cases", "full")
				default:
					r.Set("no_cases", "rescale")
				}
			case kind == "base_minus" && r.GetString("key") == "congress_attendance" && r.GetString("metric") == "":
				r.Set("metric", "congress_halfdays")
				r.Set("no_cases", "rescale")
			}
			if err := app.SaveNoValidate(r); err != nil {
				return err
			}
		}
		rules.Fields.RemoveByName("no_data_points")
		if err := app.Save(rules); err != nil {
			return err
		}
		// The scores computed under the old rules are stale until recomputed.
		settings, err := app.FindCollectionByNameOrId("assessment_settings")
		if err != nil {
			return err
		}
		srows, err := app.FindAllRecords(settings)
		if err != nil {
			return err
		}
		for _, s := range srows {
			s.Set("rules_changed_at", types.NowDateTime())
			if err := app.SaveNoValidate(s); err != nil {
				return err
			}
		}

		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}
		suggestions, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		suggestions.Fields.Add(
			&core.RelationField{Name: "entered_by", CollectionId: deputies.Id, MaxSelect: 1},
			&core.TextField{Name: "rating_key", Max: 64, Hidden: true},
		)
		if err := withHelp(suggestions, map[string]string{
			"entered_by": "登记的代表（代表本人在走访中登记时自动记录）；代表本人登记的建议不计入本人的响应、反馈和满意度考核",
			"rating_key": "评价密钥（自动生成）：只在群众提交后得到的查询链接里，群众凭它评价满意度；不是查询码，代表看不到",
		}); err != nil {
			return err
		}
		if err := app.Save(suggestions); err != nil {
			return err
		}

		inspections, err := app.FindCollectionByNameOrId("inspections")
		if err != nil {
			return err
		}
		inspections.Fields.Add(
			&core.DateField{Name: "confirmed_at"},
			&core.TextField{Name: "confirmed_by", Max: 100},
		)
		if err := withHelp(inspections, map[string]string{
			"confirmed_at": "确认时间：由其他参加代表、主席团成员或工作人员确认后，本次检查计入考核（记录人本人不能确认）",
			"confirmed_by": "确认人（自动记录）",
		}); err != nil {
			return err
		}
		return app.Save(inspections)
	}, func(app core.App) error {
		inspections, err := app.FindCollectionByNameOrId("inspections")
		if err != nil {
			return err
		}
		inspections.Fields.RemoveByName("confirmed_at")
		inspections.Fields.RemoveByName("confirmed_by")
		if err := app.Save(inspections); err != nil {
			return err
		}
		suggestions, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		suggestions.Fields.RemoveByName("entered_by")
		suggestions.Fields.RemoveByName("rating_key")
		if err := app.Save(suggestions); err != nil {
			return err
		}

		rules, err := app.FindCollectionByNameOrId("assessment_rules")
		if err != nil {
			return err
		}
		rules.Fields.AddAt(10, &core.NumberField{Name: "no_data_points", Help: "全年无相关事项时的得分（ratio_tiers、linear）"})
		if err := app.Save(rules); err != nil {
			return err
		}
		rows, err := app.FindAllRecords(rules)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.GetString("no_cases") == "full" || r.GetString("no_cases") == "rescale" {
				r.Set("no_data_points", r.GetFloat("cap"))
			}
			if r.GetString("metric") == "congress_halfdays" {
				r.Set("metric", "")
			}
			if err := app.SaveNoValidate(r); err != nil {
				return err
			}
		}
		rules.Fields.RemoveByName("no_cases")
		rules.Fields.GetByName("metric").(*core.SelectField).Values = assessmentMetrics
		if err := withHelp(rules, map[string]string{"metric": "计分依据（统计的事项），例如 households 走访农户数"}); err != nil {
			return err
		}
		return app.Save(rules)
	})
}
