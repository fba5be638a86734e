package ledger

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/inspectplan"
)

// PlanCell is one site in one quarter of the plan view.
type PlanCell struct {
	Quarter string `json:"quarter"`
	// Status is done, due or missed; "" when the site was not on the plan
	// that quarter.
	Status      string `json:"status"`
	Label       string `json:"label"`
	Inspection  string `json:"inspection,omitempty"`
	InspectedAt string `json:"inspected_at,omitempty"` // YYYY-MM-DD, China time
}

// PlanRow is one planned site over a year.
type PlanRow struct {
	Site    string      `json:"site"`
	Name    string      `json:"name"`
	Cells   [4]PlanCell `json:"cells"`
	Done    int         `json:"done"`
	Planned int         `json:"planned"`
}

// EnsureInspectionPlan puts every active quarterly site on the plan of p
// and sets each entry's status at now. The daily job calls it for the
// current quarter; the demo seeder for past ones.
func EnsureInspectionPlan(app core.App, p inspectplan.Period, now time.Time) error {
	return ensurePlan(app, p, now)
}

// buildPlan returns the plan of year as the presidium sees it, computed from
// the inspections on record at now. A quarter counts for a site when a plan
// entry exists for it, or, from the current quarter on, when the site is on
// the plan.
func buildPlan(app core.App, year int, now time.Time) ([]PlanRow, error) {
	rows, err := app.FindRecordsByFilter("inspection_plan", "quarter ~ {:y}", "", 0, 0,
		dbx.Params{"y": strconv.Itoa(year) + "-Q%"})
	if err != nil {
		return nil, err
	}
	entries := map[[2]string]bool{}
	siteIDs := map[string]bool{}
	for _, r := range rows {
		entries[[2]string{r.GetString("site"), r.GetString("quarter")}] = true
		siteIDs[r.GetString("site")] = true
	}
	planned, err := app.FindAllRecords("inspection_sites", dbx.HashExp{"quarterly": true, "active": true})
	if err != nil {
		return nil, err
	}
	for _, s := range planned {
		siteIDs[s.Id] = true
	}
	ids := make([]string, 0, len(siteIDs))
	for id := range siteIDs {
		ids = append(ids, id)
	}
	sites, err := app.FindRecordsByIds("inspection_sites", ids)
	if err != nil {
		return nil, err
	}
	current := inspectplan.Of(now)
	out := make([]PlanRow, 0, len(sites))
	for _, s := range sites {
		row := PlanRow{Site: s.Id, Name: s.GetString("name")}
		onPlan := s.GetBool("quarterly") && s.GetBool("active")
		for i, p := range inspectplan.Quarters(year) {
			cell := PlanCell{Quarter: p.String(), Label: "未列入计划"}
			laterQuarter := p.Year > current.Year || (p.Year == current.Year && p.Quarter >= current.Quarter)
			if entries[[2]string{s.Id, p.String()}] || (onPlan && laterQuarter) {
				first, err := firstPlannedInspection(app, p, s.Id)
				if err != nil {
					return nil, err
				}
				st := inspectplan.StatusAt(p, first != nil, now)
				cell.Status, cell.Label = string(st), st.Label()
				if first != nil {
					cell.Inspection = first.Id
					cell.InspectedAt = chinatime.Date(first.GetDateTime("inspected_at").Time())
					row.Done++
				}
				row.Planned++
			}
			row.Cells[i] = cell
		}
		out = append(out, row)
	}
	sortByName(out)
	return out, nil
}

// planOrder puts the work plan's four sites first, in its order.
var planOrder = map[string]int{"思蒙镇学校": 1, "思蒙镇幼儿园": 2, "校园周边商店": 3, "思蒙湾村集镇": 4}

func sortByName(rows []PlanRow) {
	rank := func(r PlanRow) int {
		if n, ok := planOrder[r.Name]; ok {
			return n
		}
		return len(planOrder) + 1
	}
	slices.SortFunc(rows, func(a, b PlanRow) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.Name, b.Name))
	})
}
