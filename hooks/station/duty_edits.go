package station

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/dutyroster"
	"simeng/hooks/audit"
	"simeng/hooks/internal/access"
)

// Staff edit a roster day by day (排班调整): add a deputy to a day (also
// a reception day that is no market day), put another deputy on a duty,
// remove a duty, and confirm a deputy was there (工作人员确认到岗). A
// change voids the pending swaps it overtakes and hands the bookings that
// named a deputy who left the day to whoever is on duty.

type dutyBody struct {
	Date   string `json:"date"`
	Deputy string `json:"deputy"`
	Note   string `json:"note"`
}

// checkAssignable: the deputy may serve at st on date.
func checkAssignable(app core.App, st stationInfo, deputy, date string) error {
	ok, err := isEligible(app, st, deputy)
	if err != nil {
		return err
	}
	if !ok {
		return badField("deputy", "该代表不是本联络站在任的值班代表")
	}
	if n, err := app.CountRecords("duty_unavailability", dbx.HashExp{"deputy": deputy, "date": date}); err != nil {
		return err
	} else if n > 0 {
		return badField("deputy", "该代表已登记 "+date+" 不能值班")
	}
	if n, err := app.CountRecords("station_duties", dbx.HashExp{"station": st.ID, "deputy": deputy, "date": date}); err != nil {
		return err
	} else if n > 0 {
		return badField("deputy", "该代表 "+date+" 已在值班")
	}
	return nil
}

// dutyAdd puts a deputy on a day of the roster.
func dutyAdd(e *core.RequestEvent) error {
	roster, err := e.App.FindRecordById("station_rosters", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("排班表不存在", nil)
	}
	var body dutyBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if !dutyroster.ValidDate(body.Date) {
		return badField("date", "日期格式应为 2026-04-14")
	}
	if body.Date < roster.GetString("first_day") || body.Date > roster.GetString("last_day") {
		return badField("date", "日期不在排班表的周期内（"+roster.GetString("first_day")+" 至 "+roster.GetString("last_day")+"）")
	}
	st, err := findStation(e.App, roster.GetString("station"))
	if err != nil {
		return err
	}
	var duty *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := checkAssignable(tx, st, body.Deputy, body.Date); err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("station_duties")
		if err != nil {
			return err
		}
		duty = core.NewRecord(col)
		duty.Set("roster", roster.Id)
		duty.Set("station", st.ID)
		duty.Set("date", body.Date)
		duty.Set("deputy", body.Deputy)
		duty.Set("source", sourceStaff)
		duty.Set("note", strings.TrimSpace(body.Note))
		if err := tx.Save(duty); err != nil {
			return err
		}
		return auditDuty(tx, e, audit.ActionCreate, nil, duty)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, dutyJSON(e.App, duty))
}

func findDuty(e *core.RequestEvent) (*core.Record, error) {
	d, err := e.App.FindRecordById("station_duties", e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("值班记录不存在", nil)
	}
	return d, nil
}

// dutyReassign puts another deputy on a duty.
func dutyReassign(e *core.RequestEvent) error {
	duty, err := findDuty(e)
	if err != nil {
		return err
	}
	var body dutyBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if duty.GetString("checkin_method") != "" {
		return badField("deputy", "该值班已签到，不能改换代表")
	}
	st, err := findStation(e.App, duty.GetString("station"))
	if err != nil {
		return err
	}
	old, date := duty.GetString("deputy"), duty.GetString("date")
	before := duty.Original()
	err = e.App.RunInTransaction(func(tx core.App) error {
		if body.Deputy == old {
			return nil
		}
		if err := checkAssignable(tx, st, body.Deputy, date); err != nil {
			return err
		}
		if err := voidSwapsOn(tx, st.ID, date, old, "工作人员调整了排班"); err != nil {
			return err
		}
		if err := releaseBookings(tx, st.ID, date, old, "原预约代表当天不再值班，改由当天值班代表接待"); err != nil {
			return err
		}
		duty.Set("deputy", body.Deputy)
		duty.Set("source", sourceStaff)
		if n := strings.TrimSpace(body.Note); n != "" {
			duty.Set("note", n)
		}
		if err := tx.Save(duty); err != nil {
			return err
		}
		return auditDuty(tx, e, audit.ActionUpdate, before, duty)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, dutyJSON(e.App, duty))
}

// dutyDelete removes a duty nobody checked in for.
func dutyDelete(e *core.RequestEvent) error {
	duty, err := findDuty(e)
	if err != nil {
		return err
	}
	if duty.GetString("checkin_method") != "" {
		return badField("id", "该值班已签到，不能删除")
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		st, date, dep := duty.GetString("station"), duty.GetString("date"), duty.GetString("deputy")
		if err := voidSwapsOn(tx, st, date, dep, "工作人员调整了排班"); err != nil {
			return err
		}
		if err := releaseBookings(tx, st, date, dep, "原预约代表当天不再值班，改由当天值班代表接待"); err != nil {
			return err
		}
		if err := tx.Delete(duty); err != nil {
			return err
		}
		return auditDuty(tx, e, audit.ActionDelete, duty, nil)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// dutyConfirm records that staff saw the deputy on duty (also after the
// day: a miss becomes attended).
func dutyConfirm(e *core.RequestEvent) error {
	duty, err := findDuty(e)
	if err != nil {
		return err
	}
	var body dutyBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if duty.GetString("date") > today(now(e.App)) {
		return badField("date", "值班日还没到，不能确认到岗")
	}
	if duty.GetString("checkin_method") == "" {
		duty.Set("checkin_method", string(dutyroster.CheckInStaff))
		duty.Set("checked_in_at", types.NowDateTime())
		duty.Set("confirmed_by", access.ActorLabel(e.Auth))
	}
	if n := strings.TrimSpace(body.Note); n != "" {
		duty.Set("note", n)
	}
	before := duty.Original()
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(duty); err != nil {
			return err
		}
		return auditDuty(tx, e, audit.ActionUpdate, before, duty)
	})
	if err != nil {
		return answer(e, err)
	}
	return e.JSON(http.StatusOK, dutyJSON(e.App, duty))
}

// dutyView is a duty as the routes answer it.
type dutyView struct {
	ID          string `json:"id"`
	Roster      string `json:"roster"`
	Station     string `json:"station"`
	Date        string `json:"date"`
	Label       string `json:"label"`
	Deputy      string `json:"deputy"`
	DeputyName  string `json:"deputy_name"`
	Source      string `json:"source"`
	Status      string `json:"status"`
	Method      string `json:"checkin_method"`
	CheckedInAt string `json:"checked_in_at"`
	ConfirmedBy string `json:"confirmed_by,omitempty"`
	Note        string `json:"note,omitempty"`
}

func dutyJSON(app core.App, d *core.Record) dutyView {
	return dutyViews(app, []*core.Record{d})[0]
}

func dutyViews(app core.App, ds []*core.Record) []dutyView {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.GetString("deputy")
	}
	names := deputyNames(app, ids)
	out := make([]dutyView, len(ds))
	for i, d := range ds {
		out[i] = dutyView{ID: d.Id, Roster: d.GetString("roster"), Station: d.GetString("station"), Date: d.GetString("date"),
			Label: dayLabel(d.GetString("date")), Deputy: d.GetString("deputy"), DeputyName: names[d.GetString("deputy")],
			Source: d.GetString("source"), Status: d.GetString("status"), Method: d.GetString("checkin_method"),
			CheckedInAt: d.GetString("checked_in_at"), ConfirmedBy: d.GetString("confirmed_by"), Note: d.GetString("note")}
	}
	return out
}

// dutyList is the office's list of duties (?station=&from=&to=&status=,
// default the last 40 days and the next 60): missed duties are flagged
// here (status=missed).
func dutyList(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	t := today(now(e.App))
	from, to := q.Get("from"), q.Get("to")
	if from == "" {
		from = addDays(t, -40)
	}
	if to == "" {
		to = addDays(t, 60)
	}
	if !dutyroster.ValidDate(from) {
		return badField("from", "日期格式应为 2026-04-01")
	}
	if !dutyroster.ValidDate(to) {
		return badField("to", "日期格式应为 2026-06-30")
	}
	filter := "date >= {:from} && date <= {:to}"
	params := dbx.Params{"from": from, "to": to}
	if s := q.Get("station"); s != "" {
		filter += " && station = {:s}"
		params["s"] = s
	}
	if s := q.Get("status"); s != "" {
		if !slices.Contains([]string{dutyRostered, dutyAttended, dutyMissed}, s) {
			return badField("status", "状态只能是 rostered、attended 或 missed")
		}
		filter += " && status = {:status}"
		params["status"] = s
	}
	ds, err := e.App.FindRecordsByFilter("station_duties", filter, "date,station,deputy", 0, 0, params)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"from": from, "to": to, "items": dutyViews(e.App, ds)})
}
