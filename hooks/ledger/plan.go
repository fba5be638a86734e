package ledger

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/inspectplan"
)

// planCron runs at 00:20 China time (16:20 UTC; the cron ticks in UTC), right
// after a quarter ends, so a missed inspection shows the morning after.
const planCron = "20 16 * * *"

func bindInspectionPlan(app core.App) {
	app.Cron().MustAdd("inspection_plan", planCron, func() {
		if err := CheckInspectionPlan(app, time.Now()); err != nil {
			app.Logger().Error("inspection plan check failed", "error", err)
		}
	})
	// A site put on the quarterly plan is due this quarter at once.
	app.OnRecordAfterCreateSuccess("inspection_sites").BindFunc(func(e *core.RecordEvent) error {
		if err := ensurePlan(e.App, inspectplan.Of(time.Now()), time.Now()); err != nil {
			e.App.Logger().Error("inspection plan for a new site", "error", err)
		}
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess("inspection_sites").BindFunc(func(e *core.RecordEvent) error {
		if err := ensurePlan(e.App, inspectplan.Of(time.Now()), time.Now()); err != nil {
			e.App.Logger().Error("inspection plan for a changed site", "error", err)
		}
		return e.Next()
	})
}

// CheckInspectionPlan is the daily plan job: it puts every active quarterly
// site on the plan of the quarter that now falls in, and re-checks every
// planned inspection not yet done, flagging the ones whose quarter ended
// without an inspection as missed (逾期未检).
func CheckInspectionPlan(app core.App, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		if err := ensurePlan(tx, inspectplan.Of(now), now); err != nil {
			return err
		}
		due, err := tx.FindAllRecords("inspection_plan", dbx.HashExp{"status": string(inspectplan.Due)})
		if err != nil {
			return err
		}
		for _, row := range due {
			// A site taken off the plan is no longer due.
			site, err := tx.FindRecordById("inspection_sites", row.GetString("site"))
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if site == nil || !site.GetBool("quarterly") || !site.GetBool("active") {
				if err := tx.Delete(row); err != nil {
					return err
				}
				continue
			}
			p, err := inspectplan.Parse(row.GetString("quarter"))
			if err != nil {
				return err
			}
			if err := refreshPlanRow(tx, p, row.GetString("site"), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ensurePlan adds the missing plan rows of p for active quarterly sites.
func ensurePlan(app core.App, p inspectplan.Period, now time.Time) error {
	sites, err := app.FindAllRecords("inspection_sites", dbx.HashExp{"quarterly": true, "active": true})
	if err != nil {
		return err
	}
	for _, s := range sites {
		if err := refreshPlanRow(app, p, s.Id, now); err != nil {
			return err
		}
	}
	return nil
}

// refreshPlanFor updates the plan rows an inspection counted for before and
// after a change (either may be nil).
func refreshPlanFor(app core.App, before, after *core.Record) error {
	now := time.Now()
	seen := map[[2]string]bool{}
	for _, r := range []*core.Record{before, after} {
		if r == nil || r.GetString("site") == "" || r.GetString("quarter") == "" {
			continue
		}
		key := [2]string{r.GetString("quarter"), r.GetString("site")}
		if seen[key] {
			continue
		}
		seen[key] = true
		p, err := inspectplan.Parse(key[0])
		if err != nil {
			continue
		}
		site, err := app.FindRecordById("inspection_sites", key[1])
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if !site.GetBool("quarterly") {
			continue
		}
		if err := refreshPlanRow(app, p, key[1], now); err != nil {
			return err
		}
	}
	return nil
}

// refreshPlanRow sets the plan row of (p, site) from the inspections on
// record, creating the row if it is missing.
func refreshPlanRow(app core.App, p inspectplan.Period, siteID string, now time.Time) error {
	row, err := app.FindFirstRecordByFilter("inspection_plan", "quarter = {:q} && site = {:s}",
		dbx.Params{"q": p.String(), "s": siteID})
	if errors.Is(err, sql.ErrNoRows) {
		col, err := app.FindCachedCollectionByNameOrId("inspection_plan")
		if err != nil {
			return err
		}
		row = core.NewRecord(col)
		row.Set("quarter", p.String())
		row.Set("site", siteID)
	} else if err != nil {
		return err
	}
	first, err := firstPlannedInspection(app, p, siteID)
	if err != nil {
		return err
	}
	inspectionID := ""
	if first != nil {
		inspectionID = first.Id
	}
	status := inspectplan.StatusAt(p, first != nil, now)
	if !row.IsNew() && row.GetString("status") == string(status) && row.GetString("inspection") == inspectionID {
		return nil
	}
	row.Set("status", string(status))
	row.Set("inspection", inspectionID)
	switch {
	case status != inspectplan.Missed:
		row.Set("missed_at", "")
	case row.GetDateTime("missed_at").IsZero():
		row.Set("missed_at", now)
		app.Logger().Warn("planned safety inspection missed", "quarter", p.String(), "site", siteID)
	}
	return app.Save(row)
}

// firstPlannedInspection returns the earliest completed safety inspection of
// site in p, or nil.
func firstPlannedInspection(app core.App, p inspectplan.Period, siteID string) (*core.Record, error) {
	rs, err := app.FindRecordsByFilter("inspections",
		"kind = 'safety' && status = 'completed' && site = {:s} && quarter = {:q}", "inspected_at", 1, 0,
		dbx.Params{"s": siteID, "q": p.String()})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0], nil
}
