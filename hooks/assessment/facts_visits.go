package assessment

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/visits"
	"simeng/pii"
	"simeng/scoring"
	"simeng/visitpace"
)

// visitsSource reads the visit logs (走访日志, R2/R3) through package visits:
// distinct households visited in the year, and visits, counted by the ≥12
// households rule itself (visitpace), so visits flagged late (synced after
// the visits year was closed) and visits the township's counting setting
// excludes (issue 21: not counted on review, or unconfirmed where only
// confirmed visits count) do not count here either.
var visitsSource = factSource{
	name:    "走访日志",
	metrics: []string{scoring.MetricHouseholds, scoring.MetricVisits},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"visits": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			return []deputyYear{{r.GetString("deputy"), yearOf(r.GetDateTime("visited_at"))}}, nil
		},
	},
	gather:   gatherVisits,
	entries:  visitEntries,
	recorded: visitsRecorded,
	kept:     keptVisits{},
	reasons: map[string]string{
		scoring.MetricHouseholds: "本年度全镇没有走访记录",
		scoring.MetricVisits:     "本年度全镇没有走访记录",
	},
}

// visitsRecorded: any visit of the year that is not late. A visit the
// counting setting excludes is still a record of the year: with no visit
// counted, deputies score nothing for visits rather than the item being
// left out of the year.
func visitsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	var n int
	err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM visits WHERE visited_at >= {:from} AND visited_at < {:to} AND late = FALSE)").
		Bind(dbx.Params{"from": span.from, "to": span.to}).Row(&n)
	return map[string]bool{scoring.MetricHouseholds: n == 1, scoring.MetricVisits: n == 1}, err
}

func gatherVisits(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	list, err := visits.YearVisits(app, span.year, deputy, false)
	if err != nil {
		return err
	}
	for d, vs := range visits.ByDeputy(list) {
		// 12 visits to one household count once (R3); the household is the
		// record that counted.
		ids, households := visitpace.Counted(span.year, vs)
		sheet.addEach(d, scoring.MetricVisits, ids)
		sheet.addEach(d, scoring.MetricHouseholds, households)
	}
	return nil
}

// keptVisits serves the visit facts from the year package visits keeps in
// memory (one deputy's: visits.CountedTotals; every deputy's:
// visits.EachCountedTotal, or visits.EachCounted with their ids), so
// rescoring a deputy after a push costs the same with 10 visits in the
// year as with 10,000.
type keptVisits struct{}

func (keptVisits) forget(app core.App) { visits.ForgetKept(app) }

func (keptVisits) take(app core.App, _ string, ids []string) error {
	return visits.RefreshVisits(app, ids)
}

func (keptVisits) gather(app core.App, span yearSpan, deputy string, withIDs bool, sheet factSheet) error {
	if deputy == "" && withIDs {
		return visits.EachCounted(app, span.year, func(deputy string, ids, households []string) {
			sheet.addEach(deputy, scoring.MetricVisits, ids)
			sheet.addEach(deputy, scoring.MetricHouseholds, households)
		})
	}
	if deputy == "" {
		return visits.EachCountedTotal(app, span.year, func(deputy string, n, households int) {
			sheet.addCount(deputy, scoring.MetricVisits, n)
			sheet.addCount(deputy, scoring.MetricHouseholds, households)
		})
	}
	// One deputy is gathered only to rescore them, which stores counts.
	n, households, err := visits.CountedTotals(app, span.year, deputy)
	if err != nil {
		return err
	}
	sheet.addCount(deputy, scoring.MetricVisits, n)
	sheet.addCount(deputy, scoring.MetricHouseholds, households)
	return nil
}

// visitEntries lists visits with the head of household's name masked
// (residents' names are personal data, X2).
func visitEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	list, err := visits.YearVisits(app, span.year, deputy, true)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, 0, len(list))
	for _, v := range list {
		if v.Late || v.Excluded {
			continue
		}
		out = append(out, dossierEntry{DeputyID: v.Deputy, Date: v.VisitedAt.String(), Source: "走访", Kind: "入户走访",
			Title: "走访 " + pii.MaskName(v.HeadName) + " 户", Detail: v.Village, Collection: "visits", ID: v.ID})
	}
	return out, nil
}

// bindVisitYearClose freezes the assessment of a year when staff close that
// year of the visit logs (visit_years.closed_at is set): from then on the
// households count, and with it the year's scores, no longer change.
func bindVisitYearClose(app core.App) {
	freeze := func(e *core.RecordEvent) error {
		wasClosed := false
		if old := e.Record.Original(); old != nil && !e.Record.IsNew() {
			wasClosed = !old.GetDateTime("closed_at").IsZero()
		}
		app := e.App // see rescoreAround
		if err := e.Next(); err != nil {
			return err
		}
		if !wasClosed && !e.Record.GetDateTime("closed_at").IsZero() {
			if _, err := CloseYearBy(app, e.Record.GetInt("year"), nil, "随走访年度结算一并关账"); err != nil {
				logRescoreError(app, err)
			}
		}
		return nil
	}
	app.OnRecordCreate("visit_years").BindFunc(freeze)
	app.OnRecordUpdate("visit_years").BindFunc(freeze)
}

// bindCountingSetting rescores the open years when staff change which
// visits count (verification_settings: count_mode, or confirmation, which
// forces confirmed counting when required): the visit facts read that
// setting, and no visit record changes to trigger the rescore. This year
// and last year (if scored, until its scores are frozen at its close) are
// recomputed;
// the year package visits keeps in memory is read afresh under the new
// setting (RecomputeYear forgets it, and it drops itself when it sees the
// setting change). A review or a callback result is a write of the visit:
// the rescore after it moves that deputy-year alone.
func bindCountingSetting(app core.App) {
	app.OnRecordAfterUpdateSuccess("verification_settings").BindFunc(func(e *core.RecordEvent) error {
		old := e.Record.Original()
		if old.GetString("count_mode") != e.Record.GetString("count_mode") ||
			old.GetString("confirmation") != e.Record.GetString("confirmation") {
			this := chinatime.CurrentYear()
			for _, year := range []int{this - 1, this} {
				var scored int
				_ = e.App.DB().Select("count(*)").From("assessment_scores").Where(dbx.HashExp{"year": year}).Row(&scored)
				if frozen, err := scoresFrozen(e.App, year); err != nil || frozen || (scored == 0 && year != this) {
					continue
				}
				if _, err := RecomputeYear(e.App, year); err != nil {
					logRescoreError(e.App, err)
				}
			}
		}
		return e.Next()
	})
}
