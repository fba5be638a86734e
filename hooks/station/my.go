package station

import (
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// myStation is a station as the PWA shows it.
type myStation struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Code    string `json:"code"`
	Address string `json:"address"`
	Notes   string `json:"opening_notes"`
}

type rosterDay struct {
	Station  string      `json:"station"`
	Date     string      `json:"date"`
	Label    string      `json:"label"`
	Deputies []namedDuty `json:"deputies"`
}

type unavailableDay struct {
	ID     string `json:"id"`
	Date   string `json:"date"`
	Label  string `json:"label"`
	Reason string `json:"reason,omitempty"`
}

// myStationView is everything the PWA's duty and roster screens need in
// one request over a slow link (kept on the phone for offline use): the
// deputy's stations, their duties from a week back to four months ahead,
// the stations' published roster ahead (for choosing a swap), the days the
// deputy marked unavailable, the swaps they asked and were asked, and the
// colleagues they may ask.
type myStationView struct {
	Today       string           `json:"today"`
	Stations    []myStation      `json:"stations"`
	Duties      []dutyView       `json:"duties"`
	Roster      []rosterDay      `json:"roster"`
	Unavailable []unavailableDay `json:"unavailable"`
	Incoming    []swapView       `json:"incoming"`
	Outgoing    []swapView       `json:"outgoing"`
	Colleagues  []namedDuty      `json:"colleagues"`
}

func myStationData(e *core.RequestEvent) error {
	app, me := e.App, e.Auth.Id
	t := today(now(app))
	out := myStationView{Today: t, Stations: []myStation{}, Duties: []dutyView{}, Roster: []rosterDay{},
		Unavailable: []unavailableDay{}, Incoming: []swapView{}, Outgoing: []swapView{}, Colleagues: []namedDuty{}}
	all, err := activeStations(app)
	if err != nil {
		return err
	}
	colleagues := map[string]bool{}
	for _, st := range all {
		if len(st.Deputies) > 0 && !slices.Contains(st.Deputies, me) {
			continue
		}
		out.Stations = append(out.Stations, myStation{ID: st.ID, Name: st.Name, Code: st.Code, Address: st.Address, Notes: st.Notes})
		deps, err := eligibleDeputies(app, st)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if d.Id != me && !colleagues[d.Id] {
				colleagues[d.Id] = true
				out.Colleagues = append(out.Colleagues, namedDuty{ID: d.Id, Name: d.GetString("name")})
			}
		}
		duties, err := publishedDuties(app, "station = {:s} && date >= {:from} && date <= {:to}",
			dbx.Params{"s": st.ID, "from": t, "to": addDays(t, 90)})
		if err != nil {
			return err
		}
		byDate := map[string]*rosterDay{}
		var order []string
		views := dutyViews(app, duties)
		for _, v := range views {
			day := byDate[v.Date]
			if day == nil {
				day = &rosterDay{Station: st.ID, Date: v.Date, Label: v.Label}
				byDate[v.Date] = day
				order = append(order, v.Date)
			}
			day.Deputies = append(day.Deputies, namedDuty{ID: v.Deputy, Name: v.DeputyName})
		}
		for _, d := range order {
			out.Roster = append(out.Roster, *byDate[d])
		}
	}
	mine, err := publishedDuties(app, "deputy = {:me} && date >= {:from} && date <= {:to}",
		dbx.Params{"me": me, "from": addDays(t, -7), "to": addDays(t, 120)})
	if err != nil {
		return err
	}
	out.Duties = append(out.Duties, dutyViews(app, mine)...)
	un, err := app.FindRecordsByFilter("duty_unavailability", "deputy = {:me} && date >= {:t}", "date", 0, 0, dbx.Params{"me": me, "t": t})
	if err != nil {
		return err
	}
	for _, u := range un {
		out.Unavailable = append(out.Unavailable, unavailableDay{ID: u.Id, Date: u.GetString("date"), Label: dayLabel(u.GetString("date")), Reason: u.GetString("reason")})
	}
	in, err := app.FindRecordsByFilter("duty_swaps", "other = {:me} && status = 'pending'", "date", 0, 0, dbx.Params{"me": me})
	if err != nil {
		return err
	}
	out.Incoming = append(out.Incoming, swapViews(app, in)...)
	outgoing, err := app.FindRecordsByFilter("duty_swaps", "requester = {:me} && date >= {:from}", "-created", 50, 0, dbx.Params{"me": me, "from": addDays(t, -30)})
	if err != nil {
		return err
	}
	out.Outgoing = append(out.Outgoing, swapViews(app, outgoing)...)
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(http.StatusOK, out)
}
