package station

import (
	"database/sql"
	"errors"
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/dutyroster"
	"simeng/hooks/audit"
)

type periodBody struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// plan is a generated roster with the names staff read.
type plan struct {
	Station          string      `json:"station"`
	From             string      `json:"from"`
	To               string      `json:"to"`
	PerDay           int         `json:"per_day"`
	Policy           string      `json:"holiday_policy"`
	Days             []planDay   `json:"days"`
	Shortfalls       []planShort `json:"shortfalls"`
	Tallies          []planTally `json:"tallies"`
	UnscheduledYears []int       `json:"unscheduled_years"`
	Roster           string      `json:"roster,omitempty"` // the saved roster's id
	raw              dutyroster.Roster
	fixed            map[string]bool
}

type planDay struct {
	Date     string      `json:"date"`
	Label    string      `json:"label"`
	Lunar    string      `json:"lunar"`
	Holiday  string      `json:"holiday,omitempty"`
	Skipped  bool        `json:"skipped,omitempty"`
	Fixed    bool        `json:"fixed,omitempty"`
	Deputies []namedDuty `json:"deputies"`
}

type namedDuty struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type planShort struct {
	Date     string `json:"date"`
	Needed   int    `json:"needed"`
	Assigned int    `json:"assigned"`
}

type planTally struct {
	Deputy   string `json:"deputy"`
	Name     string `json:"name"`
	Prior    int    `json:"prior"`
	Assigned int    `json:"assigned"`
}

// buildPlan generates the roster of st for [from, to]: the station's
// eligible deputies with the days they marked unavailable, their duties
// at the station before the period (count and last date: the rotation
// stays fair across periods; rostered duties count, not attended ones, so
// a missed duty does not lighten the next period), and the days of the
// period that are already decided as Fixed (roster is the draft being
// regenerated: its past days and the days staff or a swap touched).
func buildPlan(app core.App, st stationInfo, from, to, roster string) (*plan, error) {
	deputies, names, err := rosterDeputies(app, st, from, to)
	if err != nil {
		return nil, err
	}
	if !dutyroster.ValidDate(from) {
		return nil, &dutyroster.FieldError{Field: "from", Message: "开始日期格式应为 2026-04-01"}
	}
	var priors []struct {
		Deputy string `db:"deputy"`
		N      int    `db:"n"`
		Last   string `db:"last"`
	}
	if err := app.DB().Select("deputy", "count(*) AS n", "max(date) AS last").From("station_duties").
		Where(dbx.HashExp{"station": st.ID}).AndWhere(dbx.NewExp("date < {:from}", dbx.Params{"from": from})).
		GroupBy("deputy").All(&priors); err != nil {
		return nil, err
	}
	for i := range deputies {
		for _, p := range priors {
			if p.Deputy == deputies[i].ID {
				deputies[i].PriorDuties, deputies[i].LastDuty = p.N, p.Last
			}
		}
	}

	var fixed []dutyroster.DayDuty
	fixedDates := map[string]bool{}
	if roster != "" {
		existing, err := app.FindRecordsByFilter("station_duties", "roster = {:r}", "date,deputy", 0, 0, dbx.Params{"r": roster})
		if err != nil {
			return nil, err
		}
		todayDate := today(now(app))
		byDate := map[string][]*core.Record{}
		var dates []string
		for _, d := range existing {
			if byDate[d.GetString("date")] == nil {
				dates = append(dates, d.GetString("date"))
			}
			byDate[d.GetString("date")] = append(byDate[d.GetString("date")], d)
		}
		for _, date := range dates {
			keep := date <= todayDate
			for _, d := range byDate[date] {
				keep = keep || d.GetString("source") != sourceGenerated
			}
			if !keep || date < from || date > to {
				continue
			}
			day := dutyroster.DayDuty{Date: date}
			for _, d := range byDate[date] {
				day.Deputies = append(day.Deputies, d.GetString("deputy"))
			}
			fixed = append(fixed, day)
			fixedDates[date] = true
		}
	}
	// A fixed day that is no market day (a reception day staff added) is
	// kept as it is, outside the generator.
	market, err := dutyroster.MarketDays(calendar(app), st.Policy, from, to)
	if err != nil {
		return nil, err
	}
	receives := map[string]bool{}
	for _, md := range market {
		receives[md.Date] = !md.Skipped
	}
	var extra []dutyroster.DayDuty
	fixed = slices.DeleteFunc(fixed, func(d dutyroster.DayDuty) bool {
		if !receives[d.Date] {
			extra = append(extra, dutyroster.DayDuty{Date: d.Date, Fixed: true, Deputies: d.Deputies})
			return true
		}
		return false
	})

	r, err := dutyroster.Generate(calendar(app), dutyroster.Request{
		From: from, To: to, Policy: st.Policy, PerDay: st.PerDay, Deputies: deputies, Fixed: fixed,
	})
	if err != nil {
		return nil, err
	}
	r.Days = append(r.Days, extra...)
	slices.SortFunc(r.Days, func(a, b dutyroster.DayDuty) int {
		switch {
		case a.Date < b.Date:
			return -1
		case a.Date > b.Date:
			return 1
		}
		return 0
	})
	for _, d := range extra {
		for _, id := range d.Deputies {
			if _, ok := names[id]; !ok {
				names = mergeNames(names, deputyNames(app, []string{id}))
			}
		}
	}

	p := &plan{Station: st.ID, From: from, To: to, PerDay: st.PerDay, Policy: string(st.Policy), raw: r,
		fixed: fixedDates, UnscheduledYears: r.UnscheduledYears}
	if p.Policy == "" {
		p.Policy = string(dutyroster.HolidayKeep)
	}
	for _, d := range r.Days {
		pd := planDay{Date: d.Date, Label: dayLabel(d.Date), Lunar: lunarLabel(d.Date), Holiday: d.Holiday,
			Skipped: d.Skipped, Fixed: d.Fixed, Deputies: []namedDuty{}}
		for _, id := range d.Deputies {
			if _, ok := names[id]; !ok {
				names = mergeNames(names, deputyNames(app, []string{id}))
			}
			pd.Deputies = append(pd.Deputies, namedDuty{ID: id, Name: names[id]})
		}
		p.Days = append(p.Days, pd)
	}
	p.Shortfalls = []planShort{}
	for _, s := range r.Shortfalls {
		p.Shortfalls = append(p.Shortfalls, planShort{s.Date, s.Needed, s.Assigned})
	}
	for _, t := range r.Tallies {
		p.Tallies = append(p.Tallies, planTally{Deputy: t.Deputy, Name: names[t.Deputy], Prior: t.Prior, Assigned: t.Assigned})
	}
	return p, nil
}

func mergeNames(a, b map[string]string) map[string]string {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// overlapping finds the station's rosters that share a day with [from, to].
func overlapping(app core.App, station, from, to string) ([]*core.Record, error) {
	return app.FindRecordsByFilter("station_rosters", "station = {:s} && first_day <= {:to} && last_day >= {:from}",
		"first_day", 0, 0, dbx.Params{"s": station, "from": from, "to": to})
}

func stationFromPath(e *core.RequestEvent) (stationInfo, error) {
	st, err := findStation(e.App, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return st, e.NotFoundError("联络站不存在", nil)
	}
	return st, err
}

// rosterPreview generates without saving.
func rosterPreview(e *core.RequestEvent) error {
	st, err := stationFromPath(e)
	if err != nil {
		return err
	}
	var body periodBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	roster := ""
	if rs, err := overlapping(e.App, st.ID, body.From, body.To); err == nil && len(rs) == 1 &&
		rs[0].GetString("first_day") == body.From && rs[0].GetString("last_day") == body.To {
		roster = rs[0].Id
	}
	p, err := buildPlan(e.App, st, body.From, body.To, roster)
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, p)
}

// rosterSave generates the period's roster and stores it as a draft, or
// regenerates the draft of exactly that period (its past days and the
// days staff or swaps touched stay as they are). A published roster is
// edited day by day, never regenerated.
func rosterSave(e *core.RequestEvent) error {
	st, err := stationFromPath(e)
	if err != nil {
		return err
	}
	var body periodBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	var p *plan
	err = e.App.RunInTransaction(func(tx core.App) error {
		if !dutyroster.ValidDate(body.From) || !dutyroster.ValidDate(body.To) {
			_, err := dutyroster.MarketDays(nil, "", body.From, body.To)
			return err
		}
		others, err := overlapping(tx, st.ID, body.From, body.To)
		if err != nil {
			return err
		}
		var roster *core.Record
		for _, o := range others {
			if o.GetString("first_day") != body.From || o.GetString("last_day") != body.To {
				return badField("from", "与已有排班表（"+o.GetString("first_day")+" 至 "+o.GetString("last_day")+"）重叠，请调整日期或修改原排班表")
			}
			if o.GetString("status") == "published" {
				return badField("from", "该周期的排班表已发布，不能重新生成；请逐日调整")
			}
			roster = o
		}
		id := ""
		if roster != nil {
			id = roster.Id
		}
		if p, err = buildPlan(tx, st, body.From, body.To, id); err != nil {
			return err
		}
		if roster == nil {
			col, err := tx.FindCachedCollectionByNameOrId("station_rosters")
			if err != nil {
				return err
			}
			roster = core.NewRecord(col)
			roster.Set("station", st.ID)
			roster.Set("first_day", body.From)
			roster.Set("last_day", body.To)
			roster.Set("status", "draft")
		}
		roster.Set("per_day", p.PerDay)
		roster.Set("holiday_policy", p.Policy)
		roster.Set("shortfalls", p.Shortfalls)
		roster.Set("unscheduled_years", p.UnscheduledYears)
		roster.Set("generated_at", types.NowDateTime())
		if err := tx.Save(roster); err != nil {
			return err
		}
		p.Roster = roster.Id
		return writeGenerated(tx, roster, p)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, p)
}

// writeGenerated replaces the roster's generated, not fixed duties with
// the plan's.
func writeGenerated(tx core.App, roster *core.Record, p *plan) error {
	old, err := tx.FindRecordsByFilter("station_duties", "roster = {:r}", "", 0, 0, dbx.Params{"r": roster.Id})
	if err != nil {
		return err
	}
	for _, d := range old {
		if !p.fixed[d.GetString("date")] {
			if err := tx.Delete(d); err != nil {
				return err
			}
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId("station_duties")
	if err != nil {
		return err
	}
	for _, day := range p.raw.Days {
		if day.Skipped || p.fixed[day.Date] {
			continue
		}
		for _, id := range day.Deputies {
			d := core.NewRecord(col)
			d.Set("roster", roster.Id)
			d.Set("station", roster.GetString("station"))
			d.Set("date", day.Date)
			d.Set("deputy", id)
			d.Set("source", sourceGenerated)
			if err := tx.Save(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// rosterPublish makes a roster visible to the deputies.
func rosterPublish(e *core.RequestEvent) error {
	r, err := e.App.FindRecordById("station_rosters", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("排班表不存在", nil)
	}
	if r.GetString("status") != "published" {
		before := r.Original()
		r.Set("status", "published")
		r.Set("published_at", types.NowDateTime())
		err := e.App.RunInTransaction(func(tx core.App) error {
			if err := tx.Save(r); err != nil {
				return err
			}
			return audit.Write(tx, audit.Entry{Actor: audit.ActorOf(e, "api"), Action: audit.ActionUpdate,
				Collection: "station_rosters", RecordID: r.Id, Changes: audit.Diff(before, r, "status", "published_at")})
		})
		if err != nil {
			return err
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"id": r.Id, "status": "published", "published_at": r.GetString("published_at")})
}
