package migrations

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(func(app core.App) error {
		deputies, err := app.FindCollectionByNameOrId("deputies")
		if err != nil {
			return err
		}

		// One row per rule item (scoring.Rule); the row's fields carry the
		// Rule's JSON names so a row maps onto a Rule directly.
		rules := core.NewBaseCollection("assessment_rules")
		rules.ListRule = rule(ruleDeputy) // deputies see how they are scored
		rules.ViewRule = rule(ruleDeputy)
		rules.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 40, Pattern: `^[a-z][a-z0-9_]*$`},
			&core.TextField{Name: "group", Required: true, Max: 40},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.SelectField{Name: "metric", MaxSelect: 1, Values: assessmentMetrics},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{
				"per_unit", "ratio_tiers", "base_minus", "flag", "linear"}},
			&core.NumberField{Name: "points"},
			&core.JSONField{Name: "tiers", MaxSize: 4000},
			&core.JSONField{Name: "thresholds", MaxSize: 4000},
			&core.NumberField{Name: "base"},
			&core.JSONField{Name: "deductions", MaxSize: 4000},
			&core.NumberField{Name: "no_data_points"},
			&core.NumberField{Name: "scale_min"},
			&core.NumberField{Name: "scale_max"},
			&core.NumberField{Name: "cap"},
			&core.BoolField{Name: "bonus"},
			&core.NumberField{Name: "position", OnlyInt: true},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		rules.AddIndex("idx_assessment_rules_key", true, "key", "")
		if err := withHelp(rules, map[string]string{
			"key":            "考核项编号（小写字母、数字、下划线），例如 households",
			"group":          "考核类别，例如 联系群众",
			"title":          "考核项名称",
			"metric":         "计分依据（统计的事项），例如 households 走访农户数",
			"kind":           "计分方式：per_unit 按次计分，ratio_tiers 按比例分档，base_minus 基础分减扣分，flag 完成即得分，linear 按均值折算",
			"points":         "每次分值（per_unit）或满分（flag、linear）；设置了分档（tiers）时填 0",
			"tiers":          `分档计分（per_unit），例如 [{"up_to":12,"points":1},{"points":0.5}] 表示前12户每户1分，超出每户0.5分`,
			"thresholds":     `比例分档（ratio_tiers），例如 [{"min":0.9,"points":8},{"min":0.8,"points":5}]，比例写小数`,
			"base":           "基础分（base_minus）",
			"deductions":     `扣分项（base_minus），例如 [{"metric":"congress_absences","points":5}] 表示每无故缺席半天扣5分`,
			"no_data_points": "全年无相关事项时的得分（ratio_tiers、linear）",
			"scale_min":      "折算下限：均值达到此值得 0 分（linear）",
			"scale_max":      "折算上限：均值达到此值得满分（linear）",
			"cap":            "本项最高分（封顶）",
			"bonus":          "是否加分项（加分合计不超过考核设置中的加分上限）",
			"position":       "显示顺序",
		}); err != nil {
			return err
		}
		if err := app.Save(rules); err != nil {
			return err
		}

		// The scheme-level part of scoring.Rules, a single row.
		settings := core.NewBaseCollection("assessment_settings")
		settings.ListRule = rule(ruleDeputy)
		settings.ViewRule = rule(ruleDeputy)
		settings.Fields.Add(
			&core.JSONField{Name: "grades", MaxSize: 4000},
			&core.NumberField{Name: "bonus_cap"},
			&core.NumberField{Name: "households_required", OnlyInt: true},
			&core.TextField{Name: "capped_grade", Max: 20},
			&core.DateField{Name: "rules_changed_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := withHelp(settings, map[string]string{
			"grades":              `等次线，例如 [{"min":90,"name":"优秀"},{"min":80,"name":"称职"},{"min":60,"name":"基本称职"},{"min":0,"name":"不称职"}]`,
			"bonus_cap":           "加分上限",
			"households_required": "全年走访户数要求（默认12户）；未达要求的代表等次不高于下面的封顶等次；0 表示不限",
			"capped_grade":        "未达走访户数要求时的最高等次，例如 基本称职",
			"rules_changed_at":    "考核规则最后修改时间（自动）；早于此时间计算的得分需重新计算",
		}); err != nil {
			return err
		}
		if err := app.Save(settings); err != nil {
			return err
		}

		scores := core.NewBaseCollection("assessment_scores")
		scores.ListRule = rule(ruleOwnOrPresidium)
		scores.ViewRule = rule(ruleOwnOrPresidium)
		scores.Fields.Add(
			&core.RelationField{Name: "deputy", CollectionId: deputies.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.NumberField{Name: "year", Required: true, OnlyInt: true, Min: ptr(2000.0), Max: ptr(2100.0)},
			&core.NumberField{Name: "total"},
			&core.NumberField{Name: "base"},
			&core.NumberField{Name: "bonus"},
			&core.TextField{Name: "grade", Max: 20},
			&core.BoolField{Name: "grade_capped"},
			&core.BoolField{Name: "frozen"},
			&core.JSONField{Name: "result", MaxSize: 1 << 20},
			&core.JSONField{Name: "facts", MaxSize: 1 << 20},
			&core.JSONField{Name: "inert", MaxSize: 20000},
			&core.DateField{Name: "computed_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		scores.AddIndex("idx_assessment_scores_deputy_year", true, "deputy, year", "")
		scores.AddIndex("idx_assessment_scores_year_total", false, "year, total", "")
		if err := withHelp(scores, map[string]string{
			"deputy":       "代表",
			"year":         "考核年度",
			"total":        "总分（自动计算，请勿手改）",
			"base":         "基础分",
			"bonus":        "加分",
			"grade":        "等次",
			"grade_capped": "是否因走访不足12户而降等",
			"frozen":       "年度已关账：得分冻结，不再随记录变化",
			"result":       "逐项得分与说明",
			"facts":        "计分所依据的统计数据和记录",
			"inert":        "数据来源尚未接入、暂不计分的考核项",
			"computed_at":  "计算时间",
		}); err != nil {
			return err
		}
		if err := app.Save(scores); err != nil {
			return err
		}
		return seedDefaultRules(app, settings, rules)
	}, func(app core.App) error {
		return deleteCollections(app, "assessment_scores", "assessment_settings", "assessment_rules")
	})
}

// assessmentMetrics are the metrics a rule could read when this migration
// was written (package scoring's Metrics then).
var assessmentMetrics = []string{"ack_on_time_ratio", "activities", "commendations_county", "commendations_town", "congress_absences", "congress_leave_halfdays", "feedback_on_time_ratio", "golden_ideas", "households", "meetings_attended", "project_evaluation", "project_tracking", "proposals", "report_to_voters", "research_reports", "satisfaction_mean", "station_duties", "visits"}

// defaultAssessmentRules is the scheme shipped with the platform, as
// package scoring's DefaultRules was when this migration was written: one
// JSON object per assessment_rules row.
const defaultAssessmentRules = `[
	{"key":"congress_attendance","group":"会议活动","title":"出席人代会","metric":"","kind":"base_minus","points":0,"base":10,"deductions":[{"metric":"congress_leave_halfdays","points":2},{"metric":"congress_absences","points":5}],"cap":10,"bonus":false},
	{"key":"activities","group":"会议活动","title":"参加主席团活动、执法检查、视察","metric":"activities","kind":"per_unit","points":3,"cap":15,"bonus":false},
	{"key":"households","group":"联系群众","title":"走访农户","metric":"households","kind":"per_unit","points":0,"tiers":[{"up_to":12,"points":1},{"points":0.5}],"cap":18,"bonus":false},
	{"key":"station_duties","group":"联系群众","title":"联络站值班及逢“四”“九”接待选民","metric":"station_duties","kind":"per_unit","points":3,"cap":12,"bonus":false},
	{"key":"report_to_voters","group":"联系群众","title":"向选民述职","metric":"report_to_voters","kind":"flag","points":5,"cap":5,"bonus":false},
	{"key":"proposals","group":"建议办理","title":"提交议案建议","metric":"proposals","kind":"per_unit","points":3,"cap":12,"bonus":false},
	{"key":"ack_on_time","group":"建议办理","title":"群众建议24小时内响应","metric":"ack_on_time_ratio","kind":"ratio_tiers","points":0,"thresholds":[{"min":0.9,"points":8},{"min":0.8,"points":5}],"no_data_points":8,"cap":8,"bonus":false},
	{"key":"feedback_on_time","group":"建议办理","title":"群众建议5个工作日内反馈","metric":"feedback_on_time_ratio","kind":"ratio_tiers","points":0,"thresholds":[{"min":0.9,"points":5}],"no_data_points":5,"cap":5,"bonus":false},
	{"key":"satisfaction","group":"建议办理","title":"办结满意度","metric":"satisfaction_mean","kind":"linear","points":5,"no_data_points":5,"scale_min":1,"scale_max":3,"cap":5,"bonus":false},
	{"key":"project_tracking","group":"民生实事","title":"民生实事跟踪问效","metric":"project_tracking","kind":"per_unit","points":2.5,"cap":5,"bonus":false},
	{"key":"project_evaluation","group":"民生实事","title":"民生实事年终评议","metric":"project_evaluation","kind":"flag","points":5,"cap":5,"bonus":false},
	{"key":"golden_ideas","group":"加分项目","title":"建议获评“金点子”","metric":"golden_ideas","kind":"per_unit","points":5,"cap":10,"bonus":true},
	{"key":"commendations_town","group":"加分项目","title":"受到镇级表彰","metric":"commendations_town","kind":"per_unit","points":2,"cap":10,"bonus":true},
	{"key":"commendations_county","group":"加分项目","title":"受到县级及以上表彰","metric":"commendations_county","kind":"per_unit","points":5,"cap":10,"bonus":true}
]`

// seedDefaultRules writes the default scheme into the two collections.
func seedDefaultRules(app core.App, settings, rules *core.Collection) error {
	s := core.NewRecord(settings)
	s.Set("grades", []map[string]any{{"min": 90, "name": "优秀"}, {"min": 80, "name": "称职"}, {"min": 60, "name": "基本称职"}, {"min": 0, "name": "不称职"}})
	s.Set("bonus_cap", 10)
	s.Set("households_required", 12)
	s.Set("capped_grade", "基本称职")
	if err := app.Save(s); err != nil {
		return err
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(defaultAssessmentRules), &items); err != nil {
		return err
	}
	for i, fields := range items {
		r := core.NewRecord(rules)
		for k, v := range fields {
			r.Set(k, v)
		}
		r.Set("position", (i+1)*10)
		if err := app.Save(r); err != nil {
			return err
		}
	}
	return nil
}
