package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The ≥12 households rule has one setting: visit_years.households_required
// (per year, default 12), which the visit progress, the monthly pace, the
// year close and now the assessment's grade cap all read. The assessment's
// own copy goes. A township that had switched the cap off with 0 keeps it
// off: an empty capped_grade now means "no cap".
func init() {
	m.Register(func(app core.App) error {
		settings, err := app.FindCollectionByNameOrId("assessment_settings")
		if err != nil {
			return err
		}
		rows, err := app.FindAllRecords(settings)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.GetInt("households_required") == 0 && r.GetString("capped_grade") != "" {
				r.Set("capped_grade", "")
				if err := app.SaveNoValidate(r); err != nil {
					return err
				}
			}
		}
		settings.Fields.RemoveByName("households_required")
		if err := withHelp(settings, map[string]string{
			"capped_grade": "全年走访户数未达要求（走访年度设置 visit_years 的户数，默认12户）的代表，等次最高为此，例如 基本称职；留空表示不因走访户数降等",
		}); err != nil {
			return err
		}
		return app.Save(settings)
	}, func(app core.App) error {
		settings, err := app.FindCollectionByNameOrId("assessment_settings")
		if err != nil {
			return err
		}
		settings.Fields.AddAt(2, &core.NumberField{Name: "households_required", OnlyInt: true,
			Help: "全年走访户数要求（默认12户）；未达要求的代表等次不高于下面的封顶等次；0 表示不限"})
		if err := withHelp(settings, map[string]string{"capped_grade": "未达走访户数要求时的最高等次，例如 基本称职"}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}
		rows, err := app.FindAllRecords(settings)
		if err != nil {
			return err
		}
		for _, r := range rows {
			required := 12
			if r.GetString("capped_grade") == "" {
				required = 0
			}
			r.Set("households_required", required)
			if err := app.SaveNoValidate(r); err != nil {
				return err
			}
		}
		return nil
	})
}
