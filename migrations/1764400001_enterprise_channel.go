package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// enterpriseTopics are the kinds of problem the enterprise channel
// (企业诉求直报通道, 法治护企) takes: enforcement, policy, business climate.
var enterpriseTopics = []string{"涉企执法", "惠企政策落实", "营商环境", "其他"}

// The enterprise channel reuses the suggestions collection: a report from a
// business is a suggestion with source "enterprise", tracked by the same
// code, deadlines and overdue escalation, answered by the presidium. A
// hazard in the ledger can be promoted from a suggestion or an enterprise
// report.
func init() {
	m.Register(func(app core.App) error {
		s, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return err
		}
		source := s.Fields.GetByName("source").(*core.SelectField)
		if !slices.Contains(source.Values, "enterprise") {
			source.Values = append(source.Values, "enterprise")
		}
		source.Help += "，enterprise 企业诉求直报通道"
		s.Fields.Add(
			&core.TextField{Name: "enterprise_name", Max: 60},
			&core.SelectField{Name: "enterprise_topic", MaxSelect: 1, Values: enterpriseTopics},
		)
		if err := withHelp(s, map[string]string{
			"enterprise_name":  "企业诉求直报：企业（个体户）名称",
			"enterprise_topic": "企业诉求直报：诉求类型",
		}); err != nil {
			return err
		}
		if err := app.Save(s); err != nil {
			return err
		}

		hazards, err := app.FindCollectionByNameOrId("hazards")
		if err != nil {
			return err
		}
		hazards.Fields.Add(&core.RelationField{Name: "suggestion", CollectionId: s.Id, MaxSelect: 1,
			Help: "由群众建议或企业诉求转入时的原建议（诉求）"})
		return app.Save(hazards)
	}, func(app core.App) error {
		if hazards, err := app.FindCollectionByNameOrId("hazards"); err == nil {
			hazards.Fields.RemoveByName("suggestion")
			if err := app.Save(hazards); err != nil {
				return err
			}
		}
		s, err := app.FindCollectionByNameOrId("suggestions")
		if err != nil {
			return nil
		}
		s.Fields.RemoveByName("enterprise_name")
		s.Fields.RemoveByName("enterprise_topic")
		source := s.Fields.GetByName("source").(*core.SelectField)
		source.Values = slices.DeleteFunc(source.Values, func(v string) bool { return v == "enterprise" })
		return app.Save(s)
	})
}
