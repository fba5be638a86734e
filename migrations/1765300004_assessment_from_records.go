package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The assessment reads proposals, co-sponsorships, 金点子, the 票决
// register, the 年终评议 register, 专题视察 of projects and 专题询问 questions
// from their records (issue 14). Three metrics are new: co_sponsored,
// votes_cast, inquiries; each gets a rule row. To keep the scheme at 100
// points with the groups' maxima unchanged (建议办理 30, 民生实事 10), the
// shipped rows of proposals (cap 12 → 10), project_tracking (2.5 each, cap
// 5 → 1.5 each, cap 3) and project_evaluation (5 → 3) make room — only
// where they still hold the shipped values: a township that changed its
// scheme keeps it, and the new rows tell it what the new records are.
func init() {
	newMetrics := []string{"co_sponsored", "votes_cast", "inquiries"}
	type change struct {
		key                 string
		fromPoints, fromCap float64
		toPoints, toCap     float64
	}
	changes := []change{
		{"proposals", 3, 12, 3, 10},
		{"project_tracking", 2.5, 5, 1.5, 3},
		{"project_evaluation", 5, 5, 3, 3},
	}
	rows := []map[string]any{
		{"key": "co_sponsored", "group": "建议办理", "title": "附议议案", "metric": "co_sponsored", "kind": "per_unit", "points": 1, "cap": 2, "bonus": false, "position": 95},
		{"key": "votes_cast", "group": "民生实事", "title": "参加民生实事票决", "metric": "votes_cast", "kind": "flag", "points": 2, "cap": 2, "bonus": false, "position": 112},
		{"key": "inquiries", "group": "民生实事", "title": "专题询问", "metric": "inquiries", "kind": "per_unit", "points": 1, "cap": 2, "bonus": false, "position": 114},
	}

	m.Register(func(app core.App) error {
		rules, err := app.FindCollectionByNameOrId("assessment_rules")
		if err != nil {
			return err
		}
		metric := rules.Fields.GetByName("metric").(*core.SelectField)
		for _, name := range newMetrics {
			if !slices.Contains(metric.Values, name) {
				metric.Values = append(metric.Values, name)
			}
		}
		if err := app.Save(rules); err != nil {
			return err
		}
		for _, c := range changes {
			r, err := app.FindFirstRecordByData(rules, "key", c.key)
			if err != nil || r.GetFloat("points") != c.fromPoints || r.GetFloat("cap") != c.fromCap {
				continue // changed by the township, or removed: theirs
			}
			r.Set("points", c.toPoints)
			r.Set("cap", c.toCap)
			if err := app.Save(r); err != nil {
				return err
			}
		}
		for _, fields := range rows {
			if _, err := app.FindFirstRecordByData(rules, "key", fields["key"]); err == nil {
				continue
			}
			r := core.NewRecord(rules)
			r.Load(fields)
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		rules, err := app.FindCollectionByNameOrId("assessment_rules")
		if err != nil {
			return err
		}
		for _, fields := range rows {
			if r, err := app.FindFirstRecordByData(rules, "key", fields["key"]); err == nil {
				if err := app.Delete(r); err != nil {
					return err
				}
			}
		}
		for _, c := range changes {
			r, err := app.FindFirstRecordByData(rules, "key", c.key)
			if err != nil || r.GetFloat("points") != c.toPoints || r.GetFloat("cap") != c.toCap {
				continue
			}
			r.Set("points", c.fromPoints)
			r.Set("cap", c.fromCap)
			if err := app.Save(r); err != nil {
				return err
			}
		}
		metric := rules.Fields.GetByName("metric").(*core.SelectField)
		metric.Values = slices.DeleteFunc(metric.Values, func(v string) bool { return slices.Contains(newMetrics, v) })
		return app.Save(rules)
	})
}
