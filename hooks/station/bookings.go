package station

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"simeng/booking"
	"simeng/dutyroster"
	"simeng/hooks/internal/access"
	"simeng/pii"
)

// Appointments (预约接待). A resident books a reception day at a station,
// with a named deputy on duty that day or with whoever is on duty, from
// the public pages; the rules are package booking's (capacity per day,
// book or cancel until the end of the day before, one booking per phone
// and day). The deputies on duty and staff see the day's bookings and mark
// them received or no-show; a booking received with a reception becomes a
// resident's suggestion (receptions.go).

// bookingDay is what package booking reads about one day at st.
func bookingDay(app core.App, st stationInfo, date string) (booking.Day, error) {
	day := booking.Day{Date: date}
	if !dutyroster.ValidDate(date) {
		return day, nil
	}
	ids, err := onDuty(app, st.ID, date)
	if err != nil {
		return day, err
	}
	day.OnDuty = ids
	day.Open = len(ids) > 0 || dutyroster.Receives(calendar(app), st.Policy, date)
	var rows []struct {
		Code   string `db:"code"`
		Deputy string `db:"deputy"`
		Status string `db:"status"`
		Hash   string `db:"resident_phone_hash"`
	}
	if err := app.DB().Select("code", "deputy", "status", "resident_phone_hash").From("bookings").
		Where(dbx.HashExp{"station": st.ID, "date": date}).All(&rows); err != nil {
		return day, err
	}
	for _, r := range rows {
		day.Bookings = append(day.Bookings, booking.Booking{Code: r.Code, Date: date, Deputy: r.Deputy,
			Status: booking.Status(r.Status), PhoneHash: r.Hash})
	}
	return day, nil
}

// newBooking is what a resident asked for.
type newBooking struct {
	Date, Deputy, Description, Phone string
	Consent                          bool
	IPHash                           string
}

// createBooking checks and stores a booking in one transaction, so two
// residents never both take the last place.
func createBooking(app core.App, st stationInfo, in newBooking) (*core.Record, error) {
	if !st.BookingOpen {
		return nil, &dutyroster.FieldError{Field: "date", Message: "该联络站暂未开放网上预约，接待日可直接到联络站"}
	}
	phone, hash := "", ""
	if in.Phone != "" {
		phone = pii.NormalizeMobile(in.Phone)
		v, err := pii.VaultFromEnv()
		if err != nil {
			return nil, err
		}
		hash = v.Hash(phone)
	}
	var rec *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		day, err := bookingDay(tx, st, in.Date)
		if err != nil {
			return err
		}
		if err := booking.Check(st.Booking, day, booking.Request{Deputy: in.Deputy, PhoneHash: hash}, now(tx)); err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		rec = core.NewRecord(col)
		rec.Set("station", st.ID)
		rec.Set("date", in.Date)
		rec.Set("deputy", in.Deputy)
		rec.Set("status", string(booking.Booked))
		rec.Set("description", in.Description)
		rec.Set("consent", in.Consent && phone != "")
		rec.Set("ip_hash", in.IPHash)
		if phone != "" {
			v, err := pii.VaultFromEnv()
			if err != nil {
				return err
			}
			sealed, err := v.Seal(phone)
			if err != nil {
				return err
			}
			rec.Set("resident_phone", sealed)
			rec.Set("resident_phone_hash", hash)
			rec.Set("resident_phone_masked", pii.MaskPhone(phone))
		}
		// A fresh code; the unique index catches the (1 in 10^12) clash.
		for range 5 {
			rec.Set("code", booking.NewCode())
			if n, err := tx.CountRecords("bookings", dbx.HashExp{"code": rec.GetString("code")}); err != nil {
				return err
			} else if n == 0 {
				break
			}
		}
		return tx.Save(rec)
	})
	return rec, err
}

// findBookingByCode finds a booking by what a resident typed.
func findBookingByCode(app core.App, typed string) (*core.Record, error) {
	code, ok := booking.NormalizeCode(typed)
	if !ok {
		return nil, sql.ErrNoRows
	}
	return app.FindFirstRecordByData("bookings", "code", code)
}

func bookingOf(r *core.Record) booking.Booking {
	return booking.Booking{Code: r.GetString("code"), Date: r.GetString("date"), Deputy: r.GetString("deputy"),
		Status: booking.Status(r.GetString("status")), PhoneHash: r.GetString("resident_phone_hash")}
}

// bookingView is a booking as the deputies on duty and staff see it:
// never the code (the resident's key to cancel), the phone masked.
type bookingView struct {
	ID          string `json:"id"`
	Station     string `json:"station"`
	Date        string `json:"date"`
	Deputy      string `json:"deputy"`
	DeputyName  string `json:"deputy_name"`
	Status      string `json:"status"`
	Description string `json:"description"`
	Phone       string `json:"resident_phone_masked"`
	Note        string `json:"note,omitempty"`
	Suggestion  string `json:"suggestion,omitempty"`
	Reception   string `json:"reception,omitempty"`
	Created     string `json:"created"`
}

func bookingViews(app core.App, rs []*core.Record) []bookingView {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.GetString("deputy")
	}
	names := deputyNames(app, ids)
	out := make([]bookingView, len(rs))
	for i, r := range rs {
		out[i] = bookingView{ID: r.Id, Station: r.GetString("station"), Date: r.GetString("date"),
			Deputy: r.GetString("deputy"), DeputyName: names[r.GetString("deputy")], Status: r.GetString("status"),
			Description: r.GetString("description"), Phone: r.GetString("resident_phone_masked"), Note: r.GetString("note"),
			Suggestion: r.GetString("suggestion"), Reception: r.GetString("reception"), Created: r.GetString("created")}
	}
	return out
}

// mayHandleDay: the caller may see and mark a station's bookings of a
// day: staff and the presidium always, a deputy on duty there that day.
func mayHandleDay(app core.App, auth *core.Record, station, date string) (bool, error) {
	if isOversight(auth) {
		return true, nil
	}
	_, err := dutyOn(app, station, date, auth.Id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// bookingsOfDay lists a day's bookings (?date=, default today; ?station=):
// all of a station's for the deputies on duty there that day, staff and
// the presidium; for any other deputy, the bookings that name them.
func bookingsOfDay(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	date := q.Get("date")
	if date == "" {
		date = today(now(e.App))
	}
	if !dutyroster.ValidDate(date) {
		return badField("date", "日期格式应为 2026-04-14")
	}
	stations := []string{}
	if s := q.Get("station"); s != "" {
		stations = append(stations, s)
	} else {
		all, err := activeStations(e.App)
		if err != nil {
			return err
		}
		for _, s := range all {
			stations = append(stations, s.ID)
		}
	}
	var items []*core.Record
	for _, s := range stations {
		ok, err := mayHandleDay(e.App, e.Auth, s, date)
		if err != nil {
			return err
		}
		filter, params := "station = {:s} && date = {:d}", dbx.Params{"s": s, "d": date}
		if !ok {
			filter += " && deputy = {:me}"
			params["me"] = e.Auth.Id
		}
		rs, err := e.App.FindRecordsByFilter("bookings", filter, "created", 0, 0, params)
		if err != nil {
			return err
		}
		items = append(items, rs...)
	}
	return e.JSON(http.StatusOK, map[string]any{"date": date, "label": dayLabel(date), "items": bookingViews(e.App, items)})
}

type markBody struct {
	Status string `json:"status"`
}

// bookingMark marks a booking received or no-show (from the market day on).
func bookingMark(e *core.RequestEvent) error {
	b, err := e.App.FindRecordById("bookings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("预约不存在", nil)
	}
	ok, err := mayHandleDay(e.App, e.Auth, b.GetString("station"), b.GetString("date"))
	if err != nil {
		return err
	}
	if !ok && !access.IsSelf(e.Auth, b.GetString("deputy")) {
		return e.ForbiddenError("只有当天值班的代表、被预约的代表和工作人员可以标记预约", nil)
	}
	var body markBody
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	to := booking.Status(strings.TrimSpace(body.Status))
	if b.GetString("status") == string(to) {
		return e.JSON(http.StatusOK, bookingViews(e.App, []*core.Record{b})[0])
	}
	if err := booking.CanMark(bookingOf(b), to, now(e.App)); err != nil {
		return answer(e, err)
	}
	b.Set("status", string(to))
	b.Set("marked_at", types.NowDateTime())
	b.Set("marked_by", access.ActorLabel(e.Auth))
	if err := e.App.Save(b); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, bookingViews(e.App, []*core.Record{b})[0])
}
