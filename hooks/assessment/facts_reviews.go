package assessment

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// reviewsSource reads the 述职评议 results (duty_reviews, hooks/reports): a
// deputy evaluated at a 述职评议会 in the year has reported to their voters
// (the report_to_voters item, which staff-typed deputy_activities also
// fill: it is a flag, so both together still count once), and the share of
// 满意 and 基本满意 votes is a ratio a rule item may score
// (duty_review_approval; the default scheme has no such item).
var reviewsSource = factSource{
	name:    "述职评议",
	metrics: []string{scoring.MetricReportToVoters, scoring.MetricDutyReviewApproval},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"duty_reviews": func(app core.App, r *core.Record) ([]deputyYear, error) {
			m, err := app.FindRecordById("meetings", r.GetString("meeting"))
			if err != nil {
				return nil, nil // the meeting is gone, and its reviews with it
			}
			return []deputyYear{{r.GetString("deputy"), yearOf(m.GetDateTime("starts_at"))}}, nil
		},
	},
	gather:   gatherReviews,
	entries:  reviewEntries,
	recorded: reviewsRecorded,
	reasons:  map[string]string{scoring.MetricDutyReviewApproval: "本年度没有述职评议会的评议结果"},
}

// reviewsRecorded: the year recorded 述职评议 when any result was entered
// for a 述职评议会 held in it.
func reviewsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	var n int
	err := app.DB().Select("count(*)").From("duty_reviews r").InnerJoin("meetings m", dbx.NewExp("m.id = r.meeting")).
		Where(dbx.NewExp("m.starts_at >= {:from} AND m.starts_at < {:to}", dbx.Params{"from": span.from, "to": span.to})).Row(&n)
	return map[string]bool{scoring.MetricReportToVoters: n > 0, scoring.MetricDutyReviewApproval: n > 0}, err
}

type reviewRow struct {
	ID          string `db:"id"`
	Deputy      string `db:"deputy"`
	Satisfied   int    `db:"satisfied"`
	Basic       int    `db:"basic"`
	Unsatisfied int    `db:"unsatisfied"`
	Title       string `db:"title"`
	StartsAt    string `db:"starts_at"`
}

func reviewRows(app core.App, span yearSpan, deputy string) ([]reviewRow, error) {
	q := app.DB().Select("r.id", "r.deputy", "r.satisfied", "r.basic", "r.unsatisfied", "m.title", "m.starts_at").
		From("duty_reviews r").InnerJoin("meetings m", dbx.NewExp("m.id = r.meeting")).
		Where(dbx.NewExp("m.starts_at >= {:from} AND m.starts_at < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"r.deputy": deputy})
	}
	var rows []reviewRow
	return rows, q.All(&rows)
}

func gatherReviews(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := reviewRows(app, span, deputy)
	if err != nil {
		return err
	}
	for _, r := range rows {
		sheet.add(r.Deputy, scoring.MetricReportToVoters, 1, r.ID)
		t := sheet.factTally(r.Deputy, scoring.MetricDutyReviewApproval)
		t.value += float64(r.Satisfied + r.Basic)
		t.total += float64(r.Satisfied + r.Basic + r.Unsatisfied)
		t.ids = append(t.ids, r.ID)
	}
	return nil
}

func reviewEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := reviewRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, len(rows))
	for i, r := range rows {
		out[i] = dossierEntry{DeputyID: r.Deputy, Date: r.StartsAt, Source: "述职评议", Kind: "述职评议会", Title: r.Title,
			Detail:     fmt.Sprintf("满意%d票，基本满意%d票，不满意%d票", r.Satisfied, r.Basic, r.Unsatisfied),
			Collection: "duty_reviews", ID: r.ID}
	}
	return out, nil
}
