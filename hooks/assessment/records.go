package assessment

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
)

// An open year's score row stores counts only (factSheet.counts): writing
// every counted record's id after each write would make a busy deputy's
// rescore grow with their visits. Whoever shows the records behind a
// score (the 履职档案, tests) asks withRecords, which lists them from the
// records now, as the rescore worker counted them. A closed (frozen)
// year's row keeps its own ids: they must not move with later edits.

// withRecords fills in facts and res (deputy's stored score of an open
// year) the ids of the records behind each metric and item, from sheet
// (the year's facts as gathered now; the deputy's or everyone's).
func withRecords(app core.App, sc *scorer, sheet factSheet, facts *scoring.Facts, res *scoring.Result) error {
	full := sheet.facts(facts.DeputyID, facts.Year)
	fullRes, err := sc.score(app, &full)
	if err != nil {
		return err
	}
	if facts.Metrics == nil {
		facts.Metrics = map[string]scoring.Fact{}
	}
	for metric, f := range full.Metrics {
		stored := facts.Metrics[metric]
		stored.RecordIDs = f.RecordIDs
		facts.Metrics[metric] = stored
	}
	byKey := make(map[string][]string, len(fullRes.Items))
	for _, it := range fullRes.Items {
		byKey[it.Key] = it.RecordIDs
	}
	for i := range res.Items {
		if ids := byKey[res.Items[i].Key]; ids != nil {
			res.Items[i].RecordIDs = ids
		} else if res.Items[i].RecordIDs == nil {
			res.Items[i].RecordIDs = []string{}
		}
	}
	return nil
}

// ScoreOf is deputy's stored score of year with the records behind it:
// the facts and the result, each metric and item naming the ids of the
// records that counted (listed now for an open year, as stored for a
// closed one). Writes made so far are scored first (Flush).
func ScoreOf(app core.App, deputy string, year int) (scoring.Facts, scoring.Result, error) {
	Flush(app)
	var facts scoring.Facts
	var res scoring.Result
	row, err := app.FindFirstRecordByFilter("assessment_scores", "deputy = {:d} && year = {:y}", dbx.Params{"d": deputy, "y": year})
	if err != nil {
		return facts, res, err
	}
	if err := decodeJSONField(row, "facts", &facts); err != nil {
		return facts, res, err
	}
	if err := decodeJSONField(row, "result", &res); err != nil {
		return facts, res, err
	}
	if row.GetBool("frozen") {
		return facts, res, nil
	}
	sc, err := newScorer(app)
	if err != nil {
		return facts, res, err
	}
	sheet, err := gatherFacts(app, sc.sources, year, deputy)
	if err != nil {
		return facts, res, err
	}
	err = withRecords(app, sc, sheet, &facts, &res)
	return facts, res, err
}
