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
// participating deputy, once someone other than the recorder confirmed it
// (another participant, the presidium or staff: confirmed_at, set only by
// the ledger's confirm route or at once when staff record it). A deputy's
// own word is not enough to raise their score.
var inspectionsSource = factSource{
	name:     "执法检查与视察",
	metrics:  []string{scoring.MetricActivities},
	recorded: inspectionsRecorded,
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
	ConfirmedAt  string `db:"confirmed_at"`
	ConfirmedBy  string `db:"confirmed_by"`
}

func inspectionsRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	var n int
	err := app.DB().NewQuery("SELECT EXISTS (SELECT 1 FROM inspections WHERE inspected_at >= {:from} AND inspected_at < {:to} AND confirmed_at != '')").
		Bind(dbx.Params{"from": span.from, "to": span.to}).Row(&n)
	return map[string]bool{scoring.MetricActivities: n == 1}, err
}

func inspectionRows(app core.App, span yearSpan, deputy string) ([]inspectionRow, error) {
	q := app.DB().Select("id", "deputy", "participants", "kind", "subject", "inspected_at", "confirmed_at", "confirmed_by").From("inspections").
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
		if r.ConfirmedAt != "" {
			sheet.add(d, scoring.MetricActivities, 1, r.ID)
		}
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
		detail := "已确认（" + r.ConfirmedBy + "），计入"
		if r.ConfirmedAt == "" {
			detail = "待其他参加代表、主席团成员或工作人员确认，确认后计入"
		}
		out = append(out, dossierEntry{DeputyID: d, Date: r.InspectedAt, Source: "执法检查", Kind: kind,
			Title: r.Subject, Detail: detail, Collection: "inspections", ID: r.ID})
	})
	return out, nil
}
