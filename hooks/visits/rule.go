package visits

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/chinatime"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/fielderr"
	"simeng/hooks/internal/idlist"
	"simeng/hooks/internal/yearlog"
	"simeng/hooks/verification"
	"simeng/plausibility"
	"simeng/visitpace"
)

// The ≥12 households rule (R3), on top of package visitpace: the years'
// parameters (visit_years), the progress API, the monthly pace flags and
// the year close.

// yearRule is a year's parameters (visit_years, or the defaults).
type yearRule struct {
	visitpace.Rule
	ClosedAt types.DateTime
	record   *core.Record
}

// Rule is year's parameters: visit_years' households_required and
// grace_days, or the defaults. It is the one setting of the rule; the
// assessment reads it too.
func Rule(app core.App, year int) (visitpace.Rule, error) {
	y, err := loadYearRule(app, year)
	return y.Rule, err
}

func loadYearRule(app core.App, year int) (yearRule, error) {
	y := yearRule{Rule: visitpace.Rule{Year: year}}
	// By the column, not a filter: every rescore reads it, and a filter is
	// parsed anew each time.
	r := &core.Record{}
	err := app.RecordQuery("visit_years").AndWhere(dbx.HashExp{"year": year}).Limit(1).One(r)
	if errors.Is(err, sql.ErrNoRows) {
		y.Rule = y.Normalized()
		return y, nil
	}
	if err != nil {
		return y, err
	}
	y.record = r
	y.Required, y.GraceDays = r.GetInt("households_required"), r.GetInt("grace_days")
	y.Rule = y.Normalized()
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

// YearVisit is one visit of a deputy's year, as the ≥12 households rule and
// the 履职档案 see it.
type YearVisit struct {
	ID        string         `db:"id"`
	Deputy    string         `db:"deputy"`
	Household string         `db:"household"`
	VisitedAt types.DateTime `db:"visited_at"`
	Late      bool           `db:"late"`
	// The review, the latest callback and whether the household signed
	// (hooks/verification); Excluded is the township's counting setting's
	// verdict on them.
	Review   string `db:"review"`
	Callback string `db:"callback"`
	Signed   bool   `db:"signed"`
	Excluded bool   `db:"-"`
	// With names only: the household's head and the village's name.
	HeadName string `db:"head_name"`
	Village  string `db:"village"`
}

// Pace is the visit as package visitpace counts it.
func (v YearVisit) Pace() visitpace.Visit {
	return visitpace.Visit{ID: v.ID, Household: v.Household, At: v.VisitedAt.Time(), Late: v.Late, Excluded: v.Excluded}
}

// YearVisits lists the visits dated in year (China time) of one deputy,
// or of all when deputy is "", by time; late ones included (the rule
// counts them apart). withNames adds the household's head and village.
func YearVisits(app core.App, year int, deputy string, withNames bool) ([]YearVisit, error) {
	from, to := chinatime.Span(year)
	cols := []string{"v.id", "v.deputy", "v.household", "v.visited_at", "v.late", "v.review", "v.callback",
		"v.signed"}
	if withNames {
		cols = append(cols, "COALESCE(h.head_name, '') AS head_name", "COALESCE(vl.name, '') AS village")
	}
	q := app.DB().Select(cols...).From("visits v")
	if withNames {
		q = q.LeftJoin("households h", dbx.NewExp("h.id = v.household")).
			LeftJoin("villages vl", dbx.NewExp("vl.id = h.village"))
	}
	q = q.Where(dbx.NewExp("v.visited_at >= {:from} AND v.visited_at < {:to}", dbx.Params{"from": from, "to": to}))
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"v.deputy": deputy})
	}
	var rows []YearVisit
	if err := q.OrderBy("v.visited_at", "v.id").All(&rows); err != nil {
		return nil, err
	}
	mode := countMode(app)
	for i, v := range rows {
		rows[i].Excluded = excludedBy(mode, v.Review, v.Callback, v.Signed)
	}
	return rows, nil
}

// countMode is the township's counting setting (verification_settings:
// all, not_excluded or confirmed), read from its cache.
func countMode(app core.App) plausibility.CountMode {
	return verification.Load(app).CountMode
}

// excludedBy reports whether the counting setting leaves out a visit with
// this review, latest callback result and signature: package plausibility
// decides, for every path that counts a year (YearVisits, the kept year,
// the year counted in SQL), so they cannot disagree.
func excludedBy(mode plausibility.CountMode, review, callback string, signed bool) bool {
	return !mode.Counts(plausibility.Standing{Decision: plausibility.Decision(review), Signed: signed,
		Callback: plausibility.CallbackResult(callback)})
}

// countedColumns are what a year's count reads of each visit: its
// deputy, household and date, whether it is late, and what the counting
// setting judges it by (all in the covering indexes idx_visits_year_tally
// and idx_visits_deputy_visited).
var countedColumns = []string{"id", "deputy", "household", "visited_at", "late", "review", "callback", "signed"}

// VisitsByID reads the visits with the given ids as they are stored now;
// ids with no visit (deleted) are left out.
func VisitsByID(app core.App, ids []string) ([]YearVisit, error) {
	var rows []YearVisit
	if len(ids) == 0 {
		return rows, nil
	}
	q := app.DB().NewQuery("SELECT " + qualified("t", countedColumns) + " FROM " + idlist.ByID("visits")).Bind(idlist.Params(ids))
	err := scanCounted(q, func(v YearVisit) { rows = append(rows, v) })
	return rows, err
}

// qualified lists columns of the table aliased as alias.
func qualified(alias string, columns []string) string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = alias + "." + c
	}
	return strings.Join(out, ", ")
}

// scanCounted calls fn with the countedColumns of each visit q selects
// (in countedColumns' order), scanned by hand: reading a year by
// reflection cost several times the read itself.
func scanCounted(q *dbx.Query, fn func(YearVisit)) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	// One for every row (each scans every field it holds): scanned into
	// by address, a variable of each row's own was a heap allocation of
	// its own.
	var v YearVisit
	for rows.Next() {
		if err := rows.Scan(&v.ID, &v.Deputy, &v.Household, &v.VisitedAt, &v.Late, &v.Review, &v.Callback, &v.Signed); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}

// ByDeputy groups visits by deputy, as visitpace counts them.
func ByDeputy(visits []YearVisit) map[string][]visitpace.Visit {
	out := map[string][]visitpace.Visit{}
	for _, v := range visits {
		out[v.Deputy] = append(out[v.Deputy], v.Pace())
	}
	return out
}

// tallyYear counts the visits of year per deputy (all deputies if
// deputyID is ""): the database groups a year of visits by deputy,
// household, late, month and what the counting setting reads (review,
// callback, signed), from the index idx_visits_year_tally alone; the
// setting judges each group (excludedBy) and visitpace counts them.
func tallyYear(app core.App, year int, deputyID string) (map[string]visitpace.Tally, error) {
	from, to := chinatime.Span(year)
	params := dbx.Params{"from": from, "to": to, "deputy": deputyID}
	// The month (0–11, China time) is how many later month starts the
	// visit is at or after, compared as stored dates.
	month := make([]string, 0, 11)
	for m := 1; m < 12; m++ {
		key := fmt.Sprintf("m%d", m)
		params[key] = chinatime.YearStart(year).AddDate(0, m, 0).UTC().Format(chinatime.StoredLayout)
		month = append(month, "(visited_at >= {:"+key+"})")
	}
	where := "visited_at >= {:from} AND visited_at < {:to}"
	if deputyID != "" {
		where += " AND deputy = {:deputy}"
	}
	var groups []struct {
		Deputy    string `db:"deputy"`
		Household string `db:"household"`
		Late      bool   `db:"late"`
		Review    string `db:"review"`
		Callback  string `db:"callback"`
		Signed    bool   `db:"signed"`
		Month     int    `db:"month"`
		N         int    `db:"n"`
	}
	err := app.DB().NewQuery("SELECT deputy, household, late, review, callback, signed, " + strings.Join(month, " + ") + " AS month, COUNT(*) AS n" +
		" FROM visits WHERE " + where + " GROUP BY deputy, household, late, review, callback, signed, month").Bind(params).All(&groups)
	if err != nil {
		return nil, err
	}
	mode := countMode(app)
	byDeputy := map[string][]visitpace.Group{}
	for _, g := range groups {
		byDeputy[g.Deputy] = append(byDeputy[g.Deputy], visitpace.Group{Household: g.Household, Month: g.Month, Late: g.Late,
			Excluded: excludedBy(mode, g.Review, g.Callback, g.Signed), Visits: g.N})
	}
	out := make(map[string]visitpace.Tally, len(byDeputy))
	for d, gs := range byDeputy {
		out[d] = visitpace.CountGroups(gs)
	}
	return out, nil
}

// deputyProgress is a deputy's standing for a year (GET /api/visits/progress).
type deputyProgress struct {
	Deputy  string `json:"deputy"`
	Name    string `json:"name"`
	Village string `json:"village"`
	Year    int    `json:"year"`
	Closed  bool   `json:"closed"`
	visitpace.Standing
}

func buildProgress(y yearRule, dep progressDeputy, t visitpace.Tally, now time.Time) deputyProgress {
	return deputyProgress{Deputy: dep.ID, Name: dep.Name, Village: dep.Village,
		Year: y.Year, Closed: !y.ClosedAt.IsZero(), Standing: visitpace.Assess(y.Rule, t, now)}
}

// progressDeputy is what a progress row shows of its deputy.
type progressDeputy struct {
	ID      string `db:"id"`
	Name    string `db:"name"`
	Village string `db:"village"`
}

func progressDeputyOf(r *core.Record) progressDeputy {
	return progressDeputy{ID: r.Id, Name: r.GetString("name"), Village: r.GetString("village")}
}

// handleProgress: GET /api/visits/progress?year=2026[&deputy=ID]. A deputy
// sees their own; the presidium and staff see every deputy.
func handleProgress(e *core.RequestEvent) error {
	now := time.Now()
	year := now.In(chinatime.Location()).Year()
	if s := e.Request.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2020 || y > 2100 {
			return e.BadRequestError("年度无效。", fielderr.New("year", "invalid_year", "year 应为2020到2100之间的年份。"))
		}
		year = y
	}
	want := e.Request.URL.Query().Get("deputy")
	role := access.Of(e.Auth)
	if !role.IsPresidiumOrOffice() {
		if role == access.Guest {
			return e.UnauthorizedError("请先登录。", nil)
		}
		if role == access.Former {
			return e.ForbiddenError("该代表账号已停用。", nil)
		}
		if !role.IsActiveDeputy() {
			return e.ForbiddenError("只有代表、主席团成员和工作人员可以查看走访进度。", nil)
		}
		if want != "" && want != e.Auth.Id {
			return e.ForbiddenError("只能查看本人的走访进度。", fielderr.New("deputy", "forbidden", "只有主席团成员可以查看其他代表的进度。"))
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
	tallies, err := keptTallies(app, year, deputyID)
	if err != nil {
		return nil, err
	}
	var deputies []progressDeputy
	if deputyID != "" {
		d, err := app.FindRecordById("deputies", deputyID)
		if err != nil {
			return map[string]any{"year": year, "required": y.Required, "closed": !y.ClosedAt.IsZero(), "count_mode": countMode(app),
				"deputies": []deputyProgress{}}, nil
		}
		deputies = []progressDeputy{progressDeputyOf(d)}
	} else {
		// The three columns shown, not whole records: a county's 1,500
		// deputy records cost more to build than the rest of the answer.
		// Same WHERE and ORDER BY as FindRecordsByFilter("active = true",
		// "name") wrote, so equal names keep their order.
		err := app.DB().Select("id", "COALESCE(name, '') AS name", "COALESCE(village, '') AS village").From("deputies").
			Where(dbx.NewExp("deputies.active = 1")).OrderBy("deputies.name ASC").All(&deputies)
		if err != nil {
			return nil, err
		}
	}
	list := make([]deputyProgress, 0, len(deputies))
	for _, d := range deputies {
		p := buildProgress(y, d, tallies[d.ID], now)
		if p.Closed {
			// A closed year answers with what was stored at closing.
			if r, err := app.FindFirstRecordByFilter("visit_year_results", "deputy = {:d} && year = {:y}", dbx.Params{"d": d.ID, "y": year}); err == nil {
				p.Households, p.Visits, p.Met = r.GetInt("households"), r.GetInt("visits"), r.GetBool("met")
				p.Behind = !p.Met
			}
		}
		list = append(list, p)
	}
	return map[string]any{"year": year, "required": y.Required, "closed": !y.ClosedAt.IsZero(), "count_mode": countMode(app),
		"closed_at": y.ClosedAt, "closable_from": y.ClosableFrom().Format(time.DateOnly), "deputies": list}, nil
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
		reasons := visitpace.MonthFlags(y.Rule, t, month)
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
		f.Set("expected", y.ExpectedBy(month))
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
	n := now.In(chinatime.Location())
	last := n.AddDate(0, 0, -n.Day()) // last day of previous month
	_, err := FlagBehindPace(app, last.Year(), int(last.Month()))
	return err
}

// CloseYear stores every deputy's result for year (visit_year_results) and
// marks it closed, once its grace period has passed. Closing again returns
// the stored results unchanged. by names who closed it (closed_by).
func CloseYear(app core.App, year int, now time.Time, by string) ([]*core.Record, error) {
	return closeYear(app, year, now, nil, by)
}

// CloseYearBy is CloseYear by an account, recorded in the year's history
// (year_events) with each deputy's households before (what the last close
// froze, if the year was reopened) and after.
func CloseYearBy(app core.App, year int, now time.Time, by *core.Record) ([]*core.Record, error) {
	return closeYear(app, year, now, by, access.ActorLabel(by))
}

func closeYear(app core.App, year int, now time.Time, auth *core.Record, by string) ([]*core.Record, error) {
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
		if from := y.ClosableFrom(); now.Before(from) {
			return fielderr.New("year", "grace_period", fmt.Sprintf("%d年度要到 %s 才能结算（次年1月1日后留%d天给离线补传）。", year, from.Format(time.DateOnly), y.GraceDays))
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
			p := buildProgress(y, progressDeputyOf(d), tallies[d.Id], now)
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
		if err := tx.Save(yr); err != nil {
			return err
		}
		before, err := lastFrozenHouseholds(tx, year)
		if err != nil {
			return err
		}
		return yearlog.Write(tx, yearlog.Event{Ledger: yearlog.Visits, Action: yearlog.Close, Year: year, By: auth,
			Reason: "", Changes: householdChanges(tx, before, resultHouseholds(results))})
	})
	return results, err
}

// handleCloseYear: POST /api/visits/years/{year}/close (staff).
func handleCloseYear(e *core.RequestEvent) error {
	year, err := strconv.Atoi(e.Request.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return e.BadRequestError("年度无效。", fielderr.New("year", "invalid_year", "year 应为2020到2100之间的年份。"))
	}
	var results []*core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		if results, err = CloseYearBy(tx, year, time.Now(), e.Auth); err != nil {
			return err
		}
		return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: audit.ActionClose,
			Collection: "visit_years", RecordID: strconv.Itoa(year), Changes: map[string][2]any{"deputies": {nil, len(results)}}})
	})
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

func registerRule(app core.App) {
	bindKept(app)
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
		se.Router.POST("/api/visits/years/{year}/close", handleCloseYear).BindFunc(access.RequireOffice("只有工作人员可以结算年度。"))
		se.Router.POST("/api/visits/years/{year}/reopen", handleReopenYear).BindFunc(access.RequireOffice("只有工作人员可以重新开账。"))
		return se.Next()
	})
	// 00:30 China time every day; see flagLastMonth.
	app.Cron().MustAdd("visitPaceFlags", "30 16 * * *", func() {
		if err := flagLastMonth(app, time.Now()); err != nil {
			app.Logger().Error("visit pace flags", "error", err)
		}
	})
}
