package visits

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/yearlog"
	"simeng/visitpace"
)

// Reopening a closed visit year (重新开账): staff, with a written reason.
// The stored results are kept as they were in the year's history (the
// snapshot), then removed so the year counts again from the visits; visits
// synced after the close (flagged late) are counted from now on if staff
// choose (countLate), otherwise they stay apart. Closing it again stores
// fresh results and records the households before and after.

// actionReopen is the audit trail's action of reopening a closed year.
const actionReopen = "reopen"

// ErrYearOpen: the year is not closed.
var ErrYearOpen = errors.New("visits: year not closed")

// ReopenResult is what a reopen did.
type ReopenResult struct {
	Changes     []yearlog.Change `json:"changes"`
	LateCounted []string         `json:"late_counted"` // visits no longer flagged late
}

// ReopenYear reopens year as by for reason; countLate counts the late visits.
func ReopenYear(app core.App, year int, by *core.Record, reason string, countLate bool) (ReopenResult, error) {
	out := ReopenResult{Changes: []yearlog.Change{}, LateCounted: []string{}}
	err := app.RunInTransaction(func(tx core.App) error {
		y, err := loadYearRule(tx, year)
		if err != nil {
			return err
		}
		if y.ClosedAt.IsZero() || y.record == nil {
			return ErrYearOpen
		}
		results, err := tx.FindAllRecords("visit_year_results", dbx.HashExp{"year": year})
		if err != nil {
			return err
		}
		snapshot := make([]map[string]any, 0, len(results))
		for _, r := range results {
			snapshot = append(snapshot, map[string]any{"deputy": r.GetString("deputy"), "households": r.GetInt("households"),
				"visits": r.GetInt("visits"), "months_visited": r.GetInt("months_visited"), "required": r.GetInt("required"),
				"met": r.GetBool("met"), "closed_at": r.GetString("closed_at")})
			if err := tx.Delete(r); err != nil {
				return err
			}
		}
		y.record.Set("closed_at", "")
		y.record.Set("closed_by", "")
		if err := tx.Save(y.record); err != nil {
			return err
		}
		if countLate {
			from, to := chinatime.Span(year)
			late, err := tx.FindAllRecords("visits", dbx.NewExp("late = TRUE AND visited_at >= {:from} AND visited_at < {:to}",
				dbx.Params{"from": from, "to": to}))
			if err != nil {
				return err
			}
			for _, v := range late {
				v.Set("late", false)
				if err := tx.Save(v); err != nil {
					return err
				}
				out.LateCounted = append(out.LateCounted, v.Id)
			}
		}
		tallies, err := tallyYear(tx, year, "")
		if err != nil {
			return err
		}
		now := map[string]householdFigure{}
		for d, t := range tallies {
			st := visitpace.Assess(y.Rule, t, time.Now())
			now[d] = householdFigure{Households: st.Households, Met: st.Met}
		}
		for _, r := range results {
			if _, ok := now[r.GetString("deputy")]; !ok {
				now[r.GetString("deputy")] = householdFigure{}
			}
		}
		out.Changes = householdChanges(tx, resultHouseholds(results), now)
		return yearlog.Write(tx, yearlog.Event{Ledger: yearlog.Visits, Action: yearlog.Reopen, Year: year, By: by,
			Reason: reason, CountLate: countLate, Changes: out.Changes,
			Snapshot: map[string]any{"results": snapshot, "late_counted": out.LateCounted}})
	})
	return out, err
}

// householdFigure is a deputy's households in a year and whether they met
// the required number.
type householdFigure struct {
	Households int
	Met        bool
}

func resultHouseholds(results []*core.Record) map[string]householdFigure {
	out := make(map[string]householdFigure, len(results))
	for _, r := range results {
		out[r.GetString("deputy")] = householdFigure{Households: r.GetInt("households"), Met: r.GetBool("met")}
	}
	return out
}

// lastFrozenHouseholds are the households the year's last reopen found
// stored, nil if it was never reopened.
func lastFrozenHouseholds(app core.App, year int) (map[string]householdFigure, error) {
	entries, err := yearlog.List(app, year, yearlog.Visits)
	if err != nil {
		return nil, err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Action == yearlog.Reopen {
			out := map[string]householdFigure{}
			for _, c := range entries[i].Changes {
				if c.HadBefore {
					out[c.Deputy] = householdFigure{Households: int(c.Before), Met: c.GradeBefore == metLabel}
				}
			}
			return out, nil
		}
	}
	return nil, nil
}

const (
	metLabel    = "达到要求"
	notMetLabel = "未达要求"
)

func metText(m bool) string {
	if m {
		return metLabel
	}
	return notMetLabel
}

// householdChanges pairs before and after by deputy (before nil: a first
// close, nothing before).
func householdChanges(app core.App, before, after map[string]householdFigure) []yearlog.Change {
	ids := make([]string, 0, len(after))
	for d := range after {
		ids = append(ids, d)
	}
	names := map[string]string{}
	if recs, err := app.FindRecordsByIds("deputies", ids); err == nil {
		for _, r := range recs {
			names[r.Id] = r.GetString("name")
		}
	}
	out := []yearlog.Change{}
	for d, a := range after {
		c := yearlog.Change{Deputy: d, Name: names[d], After: float64(a.Households), GradeAfter: metText(a.Met)}
		if b, ok := before[d]; ok {
			c.HadBefore, c.Before, c.GradeBefore = true, float64(b.Households), metText(b.Met)
		}
		out = append(out, c)
	}
	sortChanges(out)
	return out
}

// handleReopenYear: POST /api/visits/years/{year}/reopen {"reason", "count_late"} (staff).
func handleReopenYear(e *core.RequestEvent) error {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return e.BadRequestError("年度无效。", fielderr.New("year", "invalid_year", "year 应为2020到2100之间的年份。"))
	}
	var body struct {
		Reason    string `json:"reason"`
		CountLate bool   `json:"count_late"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("请求格式错误。", err)
	}
	if err := yearlog.CheckReason(body.Reason); err != nil {
		return e.BadRequestError("请写明重新开账的理由。", err)
	}
	var res ReopenResult
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		if res, err = ReopenYear(tx, year, e.Auth, body.Reason, body.CountLate); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: actionReopen, Collection: "visit_years",
			RecordID: strconv.Itoa(year), Reason: body.Reason,
			Changes: map[string][2]any{"count_late": {nil, body.CountLate}, "late_counted": {nil, len(res.LateCounted)}}})
	})
	if errors.Is(err, ErrYearOpen) {
		return e.BadRequestError("该年度尚未结算。", validation.Errors{"year": validation.NewError("validation_year_open", "该年度尚未结算，无需重新开账。")})
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "reopened": true, "count_late": body.CountLate,
		"late_counted": len(res.LateCounted), "changes": res.Changes})
}

func sortChanges(cs []yearlog.Change) {
	slices.SortFunc(cs, func(a, b yearlog.Change) int { return strings.Compare(a.Name+a.Deputy, b.Name+b.Deputy) })
}
