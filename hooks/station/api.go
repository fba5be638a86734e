package station

import (
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/booking"
	"simeng/hooks/roster"
	"simeng/hooks/suggestions"
)

// Duty is a deputy's duty at a station as other capabilities read it.
type Duty struct {
	ID          string `db:"id"`
	Station     string `db:"station"`
	StationName string `db:"station_name"`
	Date        string `db:"date"` // China date
	Deputy      string `db:"deputy"`
	Status      string `db:"status"` // rostered, attended, missed
	Method      string `db:"checkin_method"`
}

// Duty statuses other capabilities compare with.
const (
	StatusAttended = dutyAttended
	StatusMissed   = dutyMissed
)

// YearDuties lists the duties of published rosters dated in the China
// year (of one deputy, or all when deputy is ""), by date: what the
// assessment's 值班接待 counts (attended ones) and lists (missed ones).
func YearDuties(app core.App, year int, deputy string) ([]Duty, error) {
	q := app.DB().Select("d.id", "d.station", "s.name AS station_name", "d.date", "d.deputy", "d.status", "d.checkin_method").
		From("station_duties d").
		InnerJoin("station_rosters r", dbx.NewExp("r.id = d.roster")).
		InnerJoin("stations s", dbx.NewExp("s.id = d.station")).
		Where(dbx.HashExp{"r.status": "published"}).
		AndWhere(dbx.Between("d.date", fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))).
		OrderBy("d.date", "d.deputy")
	if deputy != "" {
		q = q.AndWhere(dbx.HashExp{"d.deputy": deputy})
	}
	var out []Duty
	return out, q.All(&out)
}

// deputyReception is what /d/{code} shows about the deputy's receptions:
// their next duty days (published) with a link to book each, and the
// station. A deputy with no duty soon gets the station of their roster
// and a link to book whoever is on duty.
func deputyReception(app core.App, dep *core.Record, at time.Time) (suggestions.DeputyReception, bool) {
	t := today(at)
	duties, err := publishedDuties(app, "deputy = {:d} && date >= {:t} && station.active = true", dbx.Params{"d": dep.Id, "t": t})
	if err != nil {
		return suggestions.DeputyReception{}, false
	}
	var st stationInfo
	if len(duties) > 0 {
		if st, err = findStation(app, duties[0].GetString("station")); err != nil {
			return suggestions.DeputyReception{}, false
		}
	} else {
		all, err := activeStations(app)
		if err != nil {
			return suggestions.DeputyReception{}, false
		}
		for _, s := range all {
			if len(s.Deputies) == 0 || slices.Contains(s.Deputies, dep.Id) {
				st = s
				break
			}
		}
		if st.ID == "" {
			return suggestions.DeputyReception{}, false
		}
	}
	out := suggestions.DeputyReception{Station: st.Name, Address: st.Address, StationURL: "/s/" + st.Code,
		BookURL: "/s/" + st.Code + "/book"}
	code := dep.GetString("code")
	for _, d := range duties {
		if d.GetString("station") != st.ID || len(out.Days) == 3 {
			continue
		}
		date := d.GetString("date")
		day := suggestions.ReceptionDay{Label: dayLabel(date) + " 农历" + lunarLabel(date)}
		switch {
		case date == t:
			day.Note = "今天值班，可直接到联络站"
		case !st.BookingOpen || date > addDays(t, st.horizon()):
		default:
			bd, err := bookingDay(app, st, date)
			if err == nil && booking.Remaining(st.Booking, bd) > 0 {
				day.BookURL = "/s/" + st.Code + "/book?date=" + date + "&deputy=" + code
			} else {
				day.Note = "预约已满"
			}
		}
		out.Days = append(out.Days, day)
	}
	return out, true
}

// deputyByCode finds the active deputy behind a public code.
func deputyByCode(app core.App, code string) (*core.Record, error) {
	return roster.ActiveDeputyByCode(app, code)
}
