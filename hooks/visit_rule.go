package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The ≥12 households rule (R3): every deputy visits at least 12 distinct
// households in a calendar year (China time), at least one visit a month
// (代表走访月). Twelve visits to one household count once. Visits dated in a
// closed year are stored but flagged late and do not change its count.
const (
	defaultHouseholdsRequired = 12
	defaultGraceDays          = 15
)

// yearRule is a year's parameters (visit_years, or the defaults).
type yearRule struct {
	Year      int
	Required  int
	GraceDays int
	ClosedAt  types.DateTime
	record    *core.Record
}

func loadYearRule(app core.App, year int) (yearRule, error) {
	y := yearRule{Year: year, Required: defaultHouseholdsRequired, GraceDays: defaultGraceDays}
	r, err := app.FindFirstRecordByFilter("visit_years", "year = {:y}", dbx.Params{"y": year})
	if errors.Is(err, sql.ErrNoRows) {
		return y, nil
	}
	if err != nil {
		return y, err
	}
	y.record = r
	if v := r.GetInt("households_required"); v > 0 {
		y.Required = v
	}
	if v := r.GetInt("grace_days"); v > 0 {
		y.GraceDays = v
	}
	y.ClosedAt = r.GetDateTime("closed_at")
	return y, nil
}

// closedYearsKey caches the set of closed years in the app store: every
// visit save asks. Any write to visit_years drops it.
const closedYearsKey = "simeng.closedYears"

func yearClosed(app core.App, year int) (bool, error) {
	if cached, ok := app.Store().Get(closedYearsKey).(map[int]bool); ok {
		return cached[year], nil
	}
	var years []int
	if err := app.DB().NewQuery("SELECT year FROM visit_years WHERE closed_at != ''").Column(&years); err != nil {
		return false, err
	}
	closed := map[int]bool{}
	for _, y := range years {
		closed[y] = true
	}
	app.Store().Set(closedYearsKey, closed)
	return closed[year], nil
}

// closableFrom is the first moment year may be closed: 1 January of the
// next year plus the grace period for late offline syncs.
func (y yearRule) closableFrom() time.Time {
	return time.Date(y.Year+1, 1, 1, 0, 0, 0, 0, chinaTZ).AddDate(0, 0, y.GraceDays)
}

// expectedBy is the pace: households a deputy should have by the end of
// month m (1..12), rounding up.
func (y yearRule) expectedBy(m int) int {
	return (y.Required*m + 11) / 12
}

// tally is one deputy's counted visits of a year.
type tally struct {
	Households   int
	Visits       int
	LateVisits   int
	MonthVisits  [12]int
	HouseholdsBy [12]int // distinct households by the end of each month
}

// tallyYear counts the non-late visits of year per deputy (all deputies
// if deputyID is "").
func tallyYear(app core.App, year int, deputyID string) (map[string]*tally, error) {
	start := time.Date(year, 1, 1, 0, 0, 0, 0, chinaTZ).UTC()
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, chinaTZ).UTC()
	q := app.DB().Select("deputy", "household", "visited_at", "late").From("visits").
		Where(dbx.NewExp("visited_at >= {:s} AND visited_at < {:e}", dbx.Params{
			"s": start.Format(types.DefaultDateLayout), "e": end.Format(types.DefaultDateLayout)})).
		OrderBy("visited_at ASC")
	if deputyID != "" {
		q.AndWhere(dbx.HashExp{"deputy": deputyID})
	}
	var rows []struct {
		Deputy    string         `db:"deputy"`
		Household string         `db:"household"`
		VisitedAt types.DateTime `db:"visited_at"`
		Late      bool           `db:"late"`
	}
	if err := q.All(&rows); err != nil {
		return nil, err
	}
	out := map[string]*tally{}
	seen := map[string]map[string]bool{}
	for _, r := range rows {
		t := out[r.Deputy]
		if t == nil {
			t = &tally{}
			out[r.Deputy] = t
			seen[r.Deputy] = map[string]bool{}
		}
		if r.Late {
			t.LateVisits++
			continue
		}
		m := int(r.VisitedAt.Time().In(chinaTZ).Month()) - 1
		t.Visits++
		t.MonthVisits[m]++
		if !seen[r.Deputy][r.Household] {
			seen[r.Deputy][r.Household] = true
			t.Households++
			for i := m; i < 12; i++ {
				t.HouseholdsBy[i]++
			}
		}
	}
	return out, nil
}

// completeMonths is how many months of year have ended at now.
func completeMonths(year int, now time.Time) int {
	n := now.In(chinaTZ)
	switch {
	case year < n.Year():
		return 12
	case year > n.Year():
		return 0
	}
	return int(n.Month()) - 1
}

// monthProgress is one month of a deputy's year.
type monthProgress struct {
	Month              int  `json:"month"`
	Visits             int  `json:"visits"`
	HouseholdsToDate   int  `json:"households_to_date"`
	ExpectedToDate     int  `json:"expected_to_date"`
	Complete           bool `json:"complete"` // the month has ended
	VisitedInTheMonth  bool `json:"visited"`
	BehindAtMonthClose bool `json:"behind"`
}

// deputyProgress is a deputy's standing for a year (GET /api/visits/progress).
type deputyProgress struct {
	Deputy        string          `json:"deputy"`
	Name          string          `json:"name"`
	Village       string          `json:"village"`
	Year          int             `json:"year"`
	Required      int             `json:"required"`
	Households    int             `json:"households"`
	Visits        int             `json:"visits"`
	LateVisits    int             `json:"late_visits"`
	MonthsVisited int             `json:"months_visited"`
	MissedMonths  []int           `json:"missed_months"`
	ExpectedNow   int             `json:"expected_now"`
	Behind        bool            `json:"behind"`
	Met           bool            `json:"met"`
	Closed        bool            `json:"closed"`
	Months        []monthProgress `json:"months"`
}

func buildProgress(y yearRule, dep *core.Record, t *tally, now time.Time) deputyProgress {
	if t == nil {
		t = &tally{}
	}
	done := completeMonths(y.Year, now)
	p := deputyProgress{Deputy: dep.Id, Name: dep.GetString("name"), Village: dep.GetString("village"), Year: y.Year,
		Required: y.Required, Households: t.Households, Visits: t.Visits, LateVisits: t.LateVisits,
		MissedMonths: []int{}, ExpectedNow: y.expectedBy(done), Closed: !y.ClosedAt.IsZero()}
	for m := 1; m <= 12; m++ {
		mp := monthProgress{Month: m, Visits: t.MonthVisits[m-1], HouseholdsToDate: t.HouseholdsBy[m-1],
			ExpectedToDate: y.expectedBy(m), Complete: m <= done, VisitedInTheMonth: t.MonthVisits[m-1] > 0}
		if mp.VisitedInTheMonth {
			p.MonthsVisited++
		}
		if mp.Complete {
			mp.BehindAtMonthClose = !mp.VisitedInTheMonth || mp.HouseholdsToDate < mp.ExpectedToDate
			if !mp.VisitedInTheMonth {
				p.MissedMonths = append(p.MissedMonths, m)
			}
		}
		p.Months = append(p.Months, mp)
	}
	p.Met = p.Households >= y.Required
	p.Behind = !p.Met && (p.Households < p.ExpectedNow || len(p.MissedMonths) > 0)
	return p
}

// handleProgress: GET /api/visits/progress?year=2026[&deputy=ID]. A deputy
// sees their own; the presidium and staff see every deputy.
func handleProgress(e *core.RequestEvent) error {
	now := time.Now()
	year := now.In(chinaTZ).Year()
	if s := e.Request.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2020 || y > 2100 {
			return e.BadRequestError("年度无效。", fieldError("year", "invalid_year", "year 应为2020到2100之间的年份。"))
		}
		year = y
	}
	want := e.Request.URL.Query().Get("deputy")
	all := e.HasSuperuserAuth() || (e.Auth != nil && e.Auth.Collection().Name == "deputies" && e.Auth.GetBool("active") && e.Auth.GetBool("presidium"))
	if !all {
		if e.Auth == nil || e.Auth.Collection().Name != "deputies" {
			return e.UnauthorizedError("请先登录。", nil)
		}
		if !e.Auth.GetBool("active") {
			return e.ForbiddenError("该代表账号已停用。", nil)
		}
		if want != "" && want != e.Auth.Id {
			return e.ForbiddenError("只能查看本人的走访进度。", fieldError("deputy", "forbidden", "只有主席团成员可以查看其他代表的进度。"))
		}
		want = e.Auth.Id
	}
	out, err := progressFor(e.App, year, want, now)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, out)
}

func progressFor(app core.App, year int, deputyID string, now time.Time) (map[string]any, error) {
	y, err := loadYearRule(app, year)
	if err != nil {
		return nil, err
	}
	tallies, err := tallyYear(app, year, deputyID)
	if err != nil {
		return nil, err
	}
	var deputies []*core.Record
	if deputyID != "" {
		d, err := app.FindRecordById("deputies", deputyID)
		if err != nil {
			return map[string]any{"year": year, "required": y.Required, "closed": !y.ClosedAt.IsZero(), "deputies": []deputyProgress{}}, nil
		}
		deputies = []*core.Record{d}
	} else if deputies, err = app.FindRecordsByFilter("deputies", "active = true", "name", 0, 0); err != nil {
		return nil, err
	}
	list := make([]deputyProgress, 0, len(deputies))
	for _, d := range deputies {
		p := buildProgress(y, d, tallies[d.Id], now)
		if p.Closed {
			// A closed year answers with what was stored at closing.
			if r, err := app.FindFirstRecordByFilter("visit_year_results", "deputy = {:d} && year = {:y}", dbx.Params{"d": d.Id, "y": year}); err == nil {
				p.Households, p.Visits, p.Met = r.GetInt("households"), r.GetInt("visits"), r.GetBool("met")
				p.Behind = !p.Met
			}
		}
		list = append(list, p)
	}
	return map[string]any{"year": year, "required": y.Required, "closed": !y.ClosedAt.IsZero(),
		"closed_at": y.ClosedAt, "closable_from": y.closableFrom().Format(time.DateOnly), "deputies": list}, nil
}

// FlagBehindPace records, for month m of year, every active deputy who had
// no visit that month or fewer households than the pace expects by its
// end (visit_pace_flags). Idempotent: a flag exists once per deputy and
// month. It returns how many deputies are flagged for that month.
func FlagBehindPace(app core.App, year, month int) (int, error) {
	y, err := loadYearRule(app, year)
	if err != nil {
		return 0, err
	}
	tallies, err := tallyYear(app, year, "")
	if err != nil {
		return 0, err
	}
	deputies, err := app.FindRecordsByFilter("deputies", "active = true", "", 0, 0)
	if err != nil {
		return 0, err
	}
	col, err := app.FindCachedCollectionByNameOrId("visit_pace_flags")
	if err != nil {
		return 0, err
	}
	flagged := 0
	for _, d := range deputies {
		t := tallies[d.Id]
		if t == nil {
			t = &tally{}
		}
		var reasons []string
		if t.MonthVisits[month-1] == 0 {
			reasons = append(reasons, "no_visit_in_month")
		}
		if t.HouseholdsBy[month-1] < y.expectedBy(month) {
			reasons = append(reasons, "households_behind")
		}
		if len(reasons) == 0 {
			continue
		}
		flagged++
		_, err := app.FindFirstRecordByFilter(col, "deputy = {:d} && year = {:y} && month = {:m}", dbx.Params{"d": d.Id, "y": year, "m": month})
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		f := core.NewRecord(col)
		f.Set("deputy", d.Id)
		f.Set("year", year)
		f.Set("month", month)
		f.Set("households", t.HouseholdsBy[month-1])
		f.Set("expected", y.expectedBy(month))
		f.Set("visits_in_month", t.MonthVisits[month-1])
		f.Set("reasons", reasons)
		if err := app.Save(f); err != nil {
			return 0, err
		}
	}
	return flagged, nil
}

// flagLastMonth runs FlagBehindPace for the month before now (China time).
// The cron runs it daily, so a server that was down on the 1st catches up.
func flagLastMonth(app core.App, now time.Time) error {
	last := now.In(chinaTZ).AddDate(0, 0, -now.In(chinaTZ).Day()) // last day of previous month
	_, err := FlagBehindPace(app, last.Year(), int(last.Month()))
	return err
}

// CloseYear stores every deputy's result for year (visit_year_results) and
// marks it closed, once its grace period has passed. Closing again returns
// the stored results unchanged.
func CloseYear(app core.App, year int, now time.Time, by string) ([]*core.Record, error) {
	var results []*core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		y, err := loadYearRule(tx, year)
		if err != nil {
			return err
		}
		if !y.ClosedAt.IsZero() {
			results, err = tx.FindRecordsByFilter("visit_year_results", "year = {:y}", "", 0, 0, dbx.Params{"y": year})
			return err
		}
		if from := y.closableFrom(); now.Before(from) {
			return fieldError("year", "grace_period", fmt.Sprintf("%d年度要到 %s 才能结算（次年1月1日后留%d天给离线补传）。", year, from.Format(time.DateOnly), y.GraceDays))
		}
		tallies, err := tallyYear(tx, year, "")
		if err != nil {
			return err
		}
		deputies, err := tx.FindRecordsByFilter("deputies", "active = true", "", 0, 0)
		if err != nil {
			return err
		}
		for id := range tallies {
			if !slices.ContainsFunc(deputies, func(d *core.Record) bool { return d.Id == id }) {
				if d, err := tx.FindRecordById("deputies", id); err == nil {
					deputies = append(deputies, d)
				}
			}
		}
		col, err := tx.FindCachedCollectionByNameOrId("visit_year_results")
		if err != nil {
			return err
		}
		closedAt := types.NowDateTime()
		for _, d := range deputies {
			p := buildProgress(y, d, tallies[d.Id], now)
			r := core.NewRecord(col)
			r.Set("deputy", d.Id)
			r.Set("year", year)
			r.Set("households", p.Households)
			r.Set("visits", p.Visits)
			r.Set("months_visited", p.MonthsVisited)
			r.Set("required", y.Required)
			r.Set("met", p.Met)
			r.Set("closed_at", closedAt)
			if err := tx.Save(r); err != nil {
				return err
			}
			results = append(results, r)
		}
		yr := y.record
		if yr == nil {
			ycol, err := tx.FindCachedCollectionByNameOrId("visit_years")
			if err != nil {
				return err
			}
			yr = core.NewRecord(ycol)
			yr.Set("year", year)
		}
		yr.Set("closed_at", closedAt)
		yr.Set("closed_by", by)
		return tx.Save(yr)
	})
	return results, err
}

// handleCloseYear: POST /api/visits/years/{year}/close (staff).
func handleCloseYear(e *core.RequestEvent) error {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return e.BadRequestError("年度无效。", fieldError("year", "invalid_year", "year 应为2020到2100之间的年份。"))
	}
	results, err := CloseYear(e.App, year, time.Now(), e.Auth.GetString("email"))
	var ve validation.Errors
	if errors.As(err, &ve) {
		return e.BadRequestError("还不能结算。", ve)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	out := make([]map[string]any, 0, len(results))
	for _, r := range results {
		out = append(out, map[string]any{"deputy": r.GetString("deputy"), "households": r.GetInt("households"),
			"visits": r.GetInt("visits"), "met": r.GetBool("met"), "required": r.GetInt("required")})
	}
	return e.JSON(http.StatusOK, map[string]any{"year": year, "closed": true, "results": out})
}

func bindVisitRule(app core.App) {
	// Forget the cache when a write starts and when it ends (committed or
	// rolled back), so no reader keeps a stale or uncommitted answer.
	forget := func(e *core.ModelEvent) error {
		e.App.Store().Remove(closedYearsKey)
		err := e.Next()
		e.App.Store().Remove(closedYearsKey)
		return err
	}
	forgetErr := func(e *core.ModelErrorEvent) error {
		e.App.Store().Remove(closedYearsKey)
		return e.Next()
	}
	app.OnModelCreate("visit_years").BindFunc(forget)
	app.OnModelUpdate("visit_years").BindFunc(forget)
	app.OnModelDelete("visit_years").BindFunc(forget)
	app.OnModelAfterCreateSuccess("visit_years").BindFunc(forget)
	app.OnModelAfterUpdateSuccess("visit_years").BindFunc(forget)
	app.OnModelAfterDeleteSuccess("visit_years").BindFunc(forget)
	app.OnModelAfterCreateError("visit_years").BindFunc(forgetErr)
	app.OnModelAfterUpdateError("visit_years").BindFunc(forgetErr)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/visits/progress", handleProgress)
		se.Router.POST("/api/visits/years/{year}/close", handleCloseYear).BindFunc(requireSuperuser)
		return se.Next()
	})
	// 00:30 China time every day; see flagLastMonth.
	app.Cron().MustAdd("visitPaceFlags", "30 16 * * *", func() {
		if err := flagLastMonth(app, time.Now()); err != nil {
			app.Logger().Error("visit pace flags", "error", err)
		}
	})
}

func requireSuperuser(e *core.RequestEvent) error {
	if !e.HasSuperuserAuth() {
		if e.Auth == nil {
			return e.UnauthorizedError("请以工作人员身份登录。", nil)
		}
		return e.ForbiddenError("只有工作人员可以结算年度。", nil)
	}
	return e.Next()
}
