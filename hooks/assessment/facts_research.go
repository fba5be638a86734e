package assessment

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// researchSource reads research reports (调研报告, R14, hooks/research):
// each report the presidium accepted counts once for its lead author and
// once for each co-author, in the year it was filed. Reports typed into
// deputy_activities before these records existed keep counting through
// activitiesSource; new ones can no longer be typed there, so no report
// counts twice.
var researchSource = factSource{
	name:    "调研报告",
	metrics: []string{scoring.MetricResearchReports},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"research_reports": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			year := yearOf(r.GetDateTime("filed_at"))
			var out []deputyYear
			for _, d := range reportAuthors(r.GetString("deputy"), r.GetStringSlice("coauthors")) {
				out = append(out, deputyYear{d, year})
			}
			return out, nil
		},
	},
	gather:   gatherResearch,
	entries:  researchEntries,
	recorded: researchRecorded,
}

// researchRecorded: reports were recorded in the year when anyone filed
// one (whatever the presidium then decided), so a year where nobody did is
// said to be unrecorded rather than scored as zero for everyone.
func researchRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	var n int
	err := app.DB().Select("count(*)").From("research_reports").
		Where(dbx.NewExp("filed_at >= {:from} AND filed_at < {:to}", dbx.Params{"from": span.from, "to": span.to})).Row(&n)
	return map[string]bool{scoring.MetricResearchReports: n > 0}, err
}

func reportAuthors(lead string, coauthors []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, d := range append([]string{lead}, coauthors...) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

type researchRow struct {
	ID        string `db:"id"`
	Deputy    string `db:"deputy"`
	Coauthors string `db:"coauthors"`
	Title     string `db:"title"`
	FiledAt   string `db:"filed_at"`
}

func researchRows(app core.App, span yearSpan, deputy string) ([]researchRow, error) {
	q := app.DB().Select("id", "deputy", "coauthors", "title", "filed_at").From("research_reports").
		Where(dbx.HashExp{"status": "accepted"}).
		AndWhere(dbx.NewExp("filed_at >= {:from} AND filed_at < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.NewExp("(deputy = {:d} OR EXISTS (SELECT 1 FROM json_each(coauthors) WHERE value = {:d}))", dbx.Params{"d": deputy}))
	}
	var rows []researchRow
	return rows, q.OrderBy("filed_at", "id").All(&rows)
}

// eachReportAuthor calls fn for every author of each row (only deputy,
// when one is given).
func eachReportAuthor(rows []researchRow, deputy string, fn func(r researchRow, d string)) {
	for _, r := range rows {
		var co []string
		_ = json.Unmarshal([]byte(r.Coauthors), &co)
		for _, d := range reportAuthors(r.Deputy, co) {
			if deputy == "" || d == deputy {
				fn(r, d)
			}
		}
	}
}

func gatherResearch(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := researchRows(app, span, deputy)
	if err != nil {
		return err
	}
	eachReportAuthor(rows, deputy, func(r researchRow, d string) {
		sheet.add(d, scoring.MetricResearchReports, 1, r.ID)
	})
	return nil
}

func researchEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := researchRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	var out []dossierEntry
	eachReportAuthor(rows, deputy, func(r researchRow, d string) {
		kind := "调研报告（执笔）"
		if d != r.Deputy {
			kind = "调研报告（共同调研）"
		}
		out = append(out, dossierEntry{DeputyID: d, Date: r.FiledAt, Source: "调研报告", Kind: kind,
			Title: r.Title, Collection: "research_reports", ID: r.ID})
	})
	return out, nil
}
