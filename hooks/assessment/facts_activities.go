package assessment

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/scoring"
)

// activityMetrics maps each deputy_activities kind to the metric it counts.
var activityMetrics = map[string]string{
	"station_duty":         scoring.MetricStationDuties,
	"report_to_voters":     scoring.MetricReportToVoters,
	"proposal":             scoring.MetricProposals,
	"golden_idea":          scoring.MetricGoldenIdeas,
	"commendation_town":    scoring.MetricCommendationsTown,
	"commendation_county":  scoring.MetricCommendationsCounty,
	"project_tracking":     scoring.MetricProjectTracking,
	"project_evaluation":   scoring.MetricProjectEvaluation,
	"research_report":      scoring.MetricResearchReports,
	"supervision_activity": scoring.MetricActivities,
}

var activityLabels = map[string]string{
	"station_duty":         "联络站值班接待",
	"report_to_voters":     "向选民述职",
	"proposal":             "提交议案建议",
	"golden_idea":          "金点子",
	"commendation_town":    "镇级表彰",
	"commendation_county":  "县级及以上表彰",
	"project_tracking":     "民生实事跟踪问效",
	"project_evaluation":   "民生实事年终评议",
	"research_report":      "调研报告",
	"supervision_activity": "主席团活动、视察",
}

var activitiesSource = factSource{
	name: "履职活动登记",
	metrics: []string{scoring.MetricStationDuties, scoring.MetricReportToVoters, scoring.MetricProposals,
		scoring.MetricGoldenIdeas, scoring.MetricCommendationsTown, scoring.MetricCommendationsCounty,
		scoring.MetricProjectTracking, scoring.MetricProjectEvaluation, scoring.MetricResearchReports,
		scoring.MetricActivities},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"deputy_activities": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			return []deputyYear{{r.GetString("deputy"), yearOf(r.GetDateTime("occurred_on"))}}, nil
		},
	},
	gather:   gatherActivities,
	entries:  activityEntries,
	recorded: activitiesRecorded,
}

// activitiesRecorded: a metric is recorded once staff entered one
// activity of its kind in the year, for anyone.
func activitiesRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	var kinds []string
	err := app.DB().Select("kind").Distinct(true).From("deputy_activities").
		Where(dbx.NewExp("occurred_on >= {:from} AND occurred_on < {:to}", dbx.Params{"from": span.from, "to": span.to})).
		Column(&kinds)
	out := map[string]bool{}
	for _, k := range kinds {
		if m, ok := activityMetrics[k]; ok {
			out[m] = true
		}
	}
	return out, err
}

type activityRow struct {
	ID         string `db:"id"`
	Deputy     string `db:"deputy"`
	Kind       string `db:"kind"`
	Title      string `db:"title"`
	OccurredOn string `db:"occurred_on"`
}

func activityRows(app core.App, span yearSpan, deputy string, cols ...string) ([]activityRow, error) {
	q := app.DB().Select(cols...).From("deputy_activities").
		Where(dbx.NewExp("occurred_on >= {:from} AND occurred_on < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"deputy": deputy})
	}
	var rows []activityRow
	return rows, q.All(&rows)
}

func gatherActivities(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := activityRows(app, span, deputy, "id", "deputy", "kind", "occurred_on")
	if err != nil {
		return err
	}
	shadowed, err := dutyDays(app, span.year, deputy)
	if err != nil {
		return err
	}
	replaced, err := replacedKinds(app, span.year) // facts_recorded.go
	if err != nil {
		return err
	}
	for _, r := range rows {
		if replaced[r.Kind] {
			continue
		}
		if r.Kind == "station_duty" && shadowed[r.Deputy+"|"+chinaDateOf(r.OccurredOn)] {
			continue // the station's duty record of that day counts instead (facts_station.go)
		}
		if metric, ok := activityMetrics[r.Kind]; ok {
			sheet.add(r.Deputy, metric, 1, r.ID)
		}
	}
	return nil
}

// chinaDateOf is the China date of a stored date.
func chinaDateOf(stored string) string {
	d, err := types.ParseDateTime(stored)
	if err != nil || d.IsZero() {
		return ""
	}
	return chinatime.Date(d.Time())
}

func activityEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := activityRows(app, span, deputy, "id", "deputy", "kind", "title", "occurred_on")
	if err != nil {
		return nil, err
	}
	shadowed, err := dutyDays(app, span.year, deputy)
	if err != nil {
		return nil, err
	}
	replaced, err := replacedKinds(app, span.year) // facts_recorded.go
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, len(rows))
	for i, r := range rows {
		out[i] = dossierEntry{DeputyID: r.Deputy, Date: r.OccurredOn, Source: "履职活动",
			Kind: activityLabels[r.Kind], Title: r.Title, Collection: "deputy_activities", ID: r.ID}
		if replaced[r.Kind] {
			out[i].Detail = "本年度已由平台记录计分，这条手工登记不计分"
		} else if r.Kind == "station_duty" && shadowed[r.Deputy+"|"+chinaDateOf(r.OccurredOn)] {
			out[i].Detail = "当天已有联络站值班记录，以值班记录为准，本条不重复计分"
		}
	}
	return out, nil
}
