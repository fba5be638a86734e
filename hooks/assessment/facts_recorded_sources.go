package assessment

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// recordedWhere is, per metric, the collection and condition (with {:y}
// the year) whose rows mean the year recorded that metric's cases at all.
type recordedWhere struct {
	metric, collection, where string
}

// countRecorded reports each metric as recorded when its collection holds
// a row for the year.
func countRecorded(app core.App, span yearSpan, wheres []recordedWhere) (map[string]bool, error) {
	out := map[string]bool{}
	for _, w := range wheres {
		n, err := app.CountRecords(w.collection, dbx.NewExp(w.where, dbx.Params{"y": span.year}))
		if err != nil {
			return nil, err
		}
		out[w.metric] = out[w.metric] || n > 0
	}
	return out, nil
}

// proposalsRecorded: a year recorded proposals, co-sponsorships and 金点子
// once any proposal was submitted in it.
func proposalsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	const submitted = "year = {:y} AND status != 'inviting'"
	return countRecorded(app, span, []recordedWhere{
		{scoring.MetricProposals, "proposals", submitted},
		{scoring.MetricCoSponsored, "proposals", submitted},
		{scoring.MetricGoldenIdeas, "proposals", submitted},
	})
}

// projectsRecorded: the year's vote was opened, its 年终评议 held, its chosen
// projects tracked, its inquiries held.
func projectsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	return countRecorded(app, span, []recordedWhere{
		{scoring.MetricVotesCast, "votes", "year = {:y} AND status != 'draft'"},
		{scoring.MetricProjectEvaluation, "evaluations", "year = {:y} AND status != 'draft'"},
		{scoring.MetricProjectTracking, "projects", "year = {:y} AND status IN ('chosen','in_progress','done')"},
		{scoring.MetricInquiries, "inquiries", "year = {:y} AND status = 'held'"},
	})
}
