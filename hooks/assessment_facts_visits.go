package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/pii"
	"simeng/scoring"
)

// visitsSource reads the visit logs (走访日志, R2/R3): distinct households
// visited in the year, and visits. Visits flagged late (synced after the
// visits year was closed) do not count, as in the ≥12 households rule.
var visitsSource = factSource{
	name:        "走访日志",
	collections: []string{"visits", "households"},
	metrics:     []string{scoring.MetricHouseholds, scoring.MetricVisits},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"visits": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			return []deputyYear{{r.GetString("deputy"), yearOf(r.GetDateTime("visited_at"))}}, nil
		},
	},
	gather:  gatherVisits,
	entries: visitEntries,
}

type visitRow struct {
	ID        string `db:"id"`
	Deputy    string `db:"deputy"`
	Household string `db:"household"`
	VisitedAt string `db:"visited_at"`
	Head      string `db:"head_name"`
	Village   string `db:"village"`
}

func visitRows(app core.App, span yearSpan, deputy string, withNames bool) ([]visitRow, error) {
	cols := []string{"v.id", "v.deputy", "v.household"}
	if withNames {
		cols = append(cols, "v.visited_at", "COALESCE(h.head_name, '') AS head_name", "COALESCE(vl.name, '') AS village")
	}
	q := app.DB().Select(cols...).From("visits v")
	if withNames {
		q = q.LeftJoin("households h", dbx.NewExp("h.id = v.household")).
			LeftJoin("villages vl", dbx.NewExp("vl.id = h.village"))
	}
	q = q.Where(dbx.NewExp("v.visited_at >= {:from} AND v.visited_at < {:to} AND v.late = FALSE", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"v.deputy": deputy})
	}
	var rows []visitRow
	return rows, q.OrderBy("v.visited_at", "v.id").All(&rows)
}

func gatherVisits(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := visitRows(app, span, deputy, false)
	if err != nil {
		return err
	}
	seen := map[[2]string]bool{}
	for _, r := range rows {
		sheet.add(r.Deputy, scoring.MetricVisits, 1, r.ID)
		// 12 visits to one household count once (R3); the household is the
		// record that counted.
		if key := [2]string{r.Deputy, r.Household}; !seen[key] {
			seen[key] = true
			sheet.add(r.Deputy, scoring.MetricHouseholds, 1, r.Household)
		}
	}
	return nil
}

// visitEntries lists visits with the head of household's name masked
// (residents' names are personal data, X2).
func visitEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := visitRows(app, span, deputy, true)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, len(rows))
	for i, r := range rows {
		out[i] = dossierEntry{DeputyID: r.Deputy, Date: r.VisitedAt, Source: "走访", Kind: "入户走访",
			Title: "走访 " + pii.MaskName(r.Head) + " 户", Detail: r.Village, Collection: "visits", ID: r.ID}
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
			if _, err := CloseAssessmentYear(app, e.Record.GetInt("year")); err != nil {
				logRescoreError(app, err)
			}
		}
		return nil
	}
	app.OnRecordCreate("visit_years").BindFunc(freeze)
	app.OnRecordUpdate("visit_years").BindFunc(freeze)
}
