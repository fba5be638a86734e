package assessment

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/scoring"
	"simeng/vocab"
)

// inspectionsSource reads law inspections and 视察 (R7): each inspection
// counts as an activity for the deputy who recorded it and for every
// participating deputy.
var inspectionsSource = factSource{
	name:    "执法检查与视察",
	metrics: []string{scoring.MetricActivities},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"inspections": func(_ core.App, r *core.Record) ([]deputyYear, error) {
			year := yearOf(r.GetDateTime("inspected_at"))
			var out []deputyYear
			for _, d := range inspectionDeputies(r.GetString("deputy"), r.GetStringSlice("participants")) {
				out = append(out, deputyYear{d, year})
			}
			return out, nil
		},
	},
	gather:  gatherInspections,
	entries: inspectionEntries,
}

func inspectionDeputies(recorder string, participants []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, d := range append([]string{recorder}, participants...) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

type inspectionRow struct {
	ID           string `db:"id"`
	Deputy       string `db:"deputy"`
	Participants string `db:"participants"`
	Kind         string `db:"kind"`
	Subject      string `db:"subject"`
	InspectedAt  string `db:"inspected_at"`
}

func inspectionRows(app core.App, span yearSpan, deputy string) ([]inspectionRow, error) {
	q := app.DB().Select("id", "deputy", "participants", "kind", "subject", "inspected_at").From("inspections").
		Where(dbx.NewExp("inspected_at >= {:from} AND inspected_at < {:to}", dbx.Params{"from": span.from, "to": span.to}))
	if deputy != "" {
		q = q.AndWhere(dbx.NewExp("(deputy = {:d} OR EXISTS (SELECT 1 FROM json_each(participants) WHERE value = {:d}))", dbx.Params{"d": deputy}))
	}
	var rows []inspectionRow
	return rows, q.OrderBy("inspected_at", "id").All(&rows)
}

// eachInspectionDeputy calls fn for every deputy of each row (only deputy,
// when one is given).
func eachInspectionDeputy(rows []inspectionRow, deputy string, fn func(r inspectionRow, d string)) {
	for _, r := range rows {
		var participants []string
		_ = json.Unmarshal([]byte(r.Participants), &participants)
		for _, d := range inspectionDeputies(r.Deputy, participants) {
			if deputy == "" || d == deputy {
				fn(r, d)
			}
		}
	}
}

func gatherInspections(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	rows, err := inspectionRows(app, span, deputy)
	if err != nil {
		return err
	}
	eachInspectionDeputy(rows, deputy, func(r inspectionRow, d string) {
		sheet.add(d, scoring.MetricActivities, 1, r.ID)
	})
	return nil
}

func inspectionEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	rows, err := inspectionRows(app, span, deputy)
	if err != nil {
		return nil, err
	}
	var out []dossierEntry
	eachInspectionDeputy(rows, deputy, func(r inspectionRow, d string) {
		kind := vocab.Label(vocab.InspectionKindShort, r.Kind)
		out = append(out, dossierEntry{DeputyID: d, Date: r.InspectedAt, Source: "执法检查", Kind: kind,
			Title: r.Subject, Collection: "inspections", ID: r.ID})
	})
	return out, nil
}
