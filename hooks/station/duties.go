package station

import (
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/dutyroster"
	"simeng/hooks/internal/fielderr"
)

// Duty statuses (vocab.DutyStatuses): a cache of dutyroster.Attendance,
// kept on every save and by the nightly job.
const (
	dutyRostered = "rostered"
	dutyAttended = "attended"
	dutyMissed   = "missed"
)

// Duty sources (vocab.DutySources).
const (
	sourceGenerated = "generated"
	sourceStaff     = "staff"
	sourceSwap      = "swap"
)

// dutyStatus is a duty's status at now: attended once checked in (QR or
// staff), missed once its China day is over without a check-in, rostered
// until then. Recomputed on every save: a late staff confirmation turns a
// miss into attended.
func dutyStatus(r *core.Record, now time.Time) string {
	if r.GetString("checkin_method") != "" {
		return dutyAttended
	}
	if dutyroster.DayOver(r.GetString("date"), now) {
		return dutyMissed
	}
	return dutyRostered
}

func bindDutyRecords(app core.App) {
	// Whatever door a duty comes in by (routes, admin UI, seeders): it
	// belongs to its roster's station and period, and its status is true.
	app.OnRecordValidate("station_duties").BindFunc(func(e *core.RecordEvent) error {
		r := e.Record
		errs := validation.Errors{}
		if roster, err := e.App.FindRecordById("station_rosters", r.GetString("roster")); err == nil {
			if r.GetString("station") == "" {
				r.Set("station", roster.GetString("station"))
			}
			if r.GetString("station") != roster.GetString("station") {
				errs["station"] = validation.NewError("validation_station_mismatch", "值班的联络站必须与排班表一致")
			}
			if d := r.GetString("date"); dutyroster.ValidDate(d) && (d < roster.GetString("first_day") || d > roster.GetString("last_day")) {
				errs["date"] = validation.NewError("validation_outside_roster", "值班日期不在排班表的周期内（"+roster.GetString("first_day")+" 至 "+roster.GetString("last_day")+"）")
			}
		}
		if d := r.GetString("date"); d != "" && !dutyroster.ValidDate(d) {
			errs["date"] = validation.NewError("validation_invalid_date", "日期格式应为 2026-04-14")
		}
		if r.GetString("source") == "" {
			r.Set("source", sourceStaff)
		}
		if r.GetString("checkin_method") != "" && r.GetDateTime("checked_in_at").IsZero() {
			r.Set("checked_in_at", types.NowDateTime())
		}
		if r.GetString("checkin_method") == "" {
			r.Set("checked_in_at", "")
		}
		r.Set("status", dutyStatus(r, now(e.App)))
		return fielderr.Merge(e.Next(), errs)
	})
}

// dutyOn finds the published duty of deputy at station on date.
func dutyOn(app core.App, station, date, deputy string) (*core.Record, error) {
	return app.FindFirstRecordByFilter("station_duties",
		"station = {:s} && date = {:d} && deputy = {:dep} && roster.status = 'published'",
		dbx.Params{"s": station, "d": date, "dep": deputy})
}

// publishedDuties lists the duties of published rosters matching the
// filter, by date then deputy.
func publishedDuties(app core.App, filter string, params dbx.Params) ([]*core.Record, error) {
	if filter != "" {
		filter = "(" + filter + ") && "
	}
	return app.FindRecordsByFilter("station_duties", filter+"roster.status = 'published'", "date,deputy", 0, 0, params)
}

// onDuty lists the deputies on published duty at station on date.
func onDuty(app core.App, station, date string) ([]string, error) {
	var ids []string
	err := app.DB().Select("d.deputy").From("station_duties d").
		InnerJoin("station_rosters r", dbx.NewExp("r.id = d.roster")).
		Where(dbx.HashExp{"d.station": station, "d.date": date, "r.status": "published"}).
		OrderBy("d.deputy").Column(&ids)
	return ids, err
}

// stationDays is the station's published roster on the given dates, one
// DayDuty per date that has duties, as package dutyroster reads it.
func stationDays(app core.App, station string, dates ...string) ([]dutyroster.DayDuty, error) {
	var out []dutyroster.DayDuty
	for _, d := range dates {
		if d == "" {
			continue
		}
		ids, err := onDuty(app, station, d)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			out = append(out, dutyroster.DayDuty{Date: d, Deputies: ids})
		}
	}
	return out, nil
}

// unavailableOn maps each deputy to the dates (of those given, all when
// none are) they marked unavailable.
func unavailableOn(app core.App, deputies []string, from, to string) (map[string][]string, error) {
	if len(deputies) == 0 {
		return map[string][]string{}, nil
	}
	ids := make([]any, len(deputies))
	for i, d := range deputies {
		ids[i] = d
	}
	var rows []struct {
		Deputy string `db:"deputy"`
		Date   string `db:"date"`
	}
	err := app.DB().Select("deputy", "date").From("duty_unavailability").
		Where(dbx.In("deputy", ids...)).
		AndWhere(dbx.Between("date", from, to)).
		OrderBy("date").All(&rows)
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Deputy] = append(out[r.Deputy], r.Date)
	}
	return out, err
}

// rosterDeputies are the station's eligible deputies as package
// dutyroster reads them, with the days they marked unavailable in
// [from, to].
func rosterDeputies(app core.App, st stationInfo, from, to string) ([]dutyroster.Deputy, map[string]string, error) {
	recs, err := eligibleDeputies(app, st)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(recs))
	names := make(map[string]string, len(recs))
	for i, r := range recs {
		ids[i] = r.Id
		names[r.Id] = r.GetString("name")
	}
	un, err := unavailableOn(app, ids, from, to)
	if err != nil {
		return nil, nil, err
	}
	out := make([]dutyroster.Deputy, len(ids))
	for i, id := range ids {
		out[i] = dutyroster.Deputy{ID: id, Unavailable: un[id]}
	}
	return out, names, nil
}

// deputyNames maps deputy ids to names.
func deputyNames(app core.App, ids []string) map[string]string {
	out := map[string]string{}
	if len(ids) == 0 {
		return out
	}
	in := make([]any, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(in, any(id)) {
			in = append(in, id)
		}
	}
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	app.DB().Select("id", "name").From("deputies").Where(dbx.In("id", in...)).All(&rows)
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out
}

// voidSwapsOn marks void the pending swaps that give away or take the
// duty of deputy at station on date: the roster changed under them.
func voidSwapsOn(app core.App, station, date, deputy, reason string) error {
	pending, err := app.FindRecordsByFilter("duty_swaps",
		"station = {:s} && status = 'pending' && ((requester = {:d} && date = {:day}) || (other = {:d} && other_date = {:day}))",
		"", 0, 0, dbx.Params{"s": station, "d": deputy, "day": date})
	if err != nil {
		return err
	}
	for _, s := range pending {
		s.Set("status", "void")
		s.Set("void_reason", reason)
		s.Set("decided_at", types.NowDateTime())
		if err := app.Save(s); err != nil {
			return err
		}
	}
	return nil
}

// releaseBookings hands the bookings that named deputy at station on date
// to whoever is on duty: the deputy no longer is.
func releaseBookings(app core.App, station, date, deputy, note string) error {
	named, err := app.FindRecordsByFilter("bookings", "station = {:s} && date = {:d} && deputy = {:dep} && status = 'booked'",
		"", 0, 0, dbx.Params{"s": station, "d": date, "dep": deputy})
	if err != nil {
		return err
	}
	for _, b := range named {
		b.Set("deputy", "")
		b.Set("note", note)
		if err := app.Save(b); err != nil {
			return err
		}
	}
	return nil
}

// markMissed refreshes the status of published duties whose day is over
// without a check-in (the nightly job): they become missed. Returns how
// many changed.
func markMissed(app core.App, at time.Time) (int, error) {
	stale, err := publishedDuties(app, "status = 'rostered' && date < {:today}", dbx.Params{"today": today(at)})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range stale {
		if err := app.Save(d); err != nil {
			return n, err
		}
		if d.GetString("status") == dutyMissed {
			n++
		}
	}
	return n, nil
}

// missedDutyCron runs at 00:45 China time (16:45 UTC), after the QR codes'
// 30-minute grace, and flags yesterday's duties nobody checked in for.
const missedDutyCron = "45 16 * * *"

func bindMissedDutyJob(app core.App) {
	app.Cron().MustAdd("station_missed_duties", missedDutyCron, func() {
		n, err := markMissed(app, now(app))
		if err != nil {
			app.Logger().Error("station: flag missed duties", "error", err)
			return
		}
		if n > 0 {
			app.Logger().Info("station: missed duties flagged", "count", n)
		}
	})
}
