package assessment

import (
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/fielderr"
	"simeng/hooks/station"
	"simeng/scoring"
)

// stationSource reads the liaison station's duty records (值班接待, R13):
// a duty of a published roster the deputy checked in for (by the wall QR
// or confirmed by staff) counts one; a missed duty counts nothing and is
// listed in the 履职档案 as 缺岗 (whether it costs points is a rule the
// office may add; the default scheme has none).
//
// Old and new together, never twice: the staff-typed deputy_activities
// kind station_duty stays readable and counts for the days before the
// station's roster existed (facts_activities.go), but a typed row on a day
// the deputy has a duty record is left out (the duty record decides), and
// new typed rows are refused (bindStationDutyActivities).
var stationSource = factSource{
	name:    "联络站值班",
	metrics: []string{scoring.MetricStationDuties},
	watch: map[string]func(core.App, *core.Record) ([]deputyYear, error){
		"station_duties":  dutyTouches,
		"station_rosters": rosterTouches,
	},
	gather:   gatherStation,
	entries:  stationEntries,
	recorded: stationRecorded,
}

// stationRecorded: the station recorded duty in the year when a duty of a
// published roster was decided (attended or missed) for anyone; duty typed
// by staff before the roster existed is the activities source's.
func stationRecorded(app core.App, span yearSpan) (map[string]bool, error) {
	duties, err := station.YearDuties(app, span.year, "")
	if err != nil {
		return nil, err
	}
	for _, d := range duties {
		if d.Status == station.StatusAttended || d.Status == station.StatusMissed {
			return map[string]bool{scoring.MetricStationDuties: true}, nil
		}
	}
	return map[string]bool{}, nil
}

// yearOfDate is the year of a China date "2006-01-02"; 0 when invalid.
func yearOfDate(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// dutyTouches: a duty is a fact once it is on a published roster and its
// day is decided (attended, or missed); one still ahead counts nothing and
// shadows nothing, so writing it rescores nobody.
func dutyTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	if s := r.GetString("status"); s != station.StatusAttended && s != station.StatusMissed {
		return nil, nil
	}
	if roster, err := app.FindRecordById("station_rosters", r.GetString("roster")); err == nil && roster.GetString("status") != "published" {
		return nil, nil
	}
	return []deputyYear{{r.GetString("deputy"), yearOfDate(r.GetString("date"))}}, nil
}

// rosterTouches: publishing (or unpublishing, deleting) a roster changes
// which of its duties count.
func rosterTouches(app core.App, r *core.Record) ([]deputyYear, error) {
	var rows []struct {
		Deputy string `db:"deputy"`
		Date   string `db:"date"`
	}
	err := app.DB().Select("deputy", "date").From("station_duties").Where(dbx.HashExp{"roster": r.Id}).
		AndWhere(dbx.In("status", station.StatusAttended, station.StatusMissed)).All(&rows)
	out := make([]deputyYear, 0, len(rows))
	for _, row := range rows {
		out = append(out, deputyYear{row.Deputy, yearOfDate(row.Date)})
	}
	return out, err
}

func gatherStation(app core.App, span yearSpan, deputy string, sheet factSheet) error {
	duties, err := station.YearDuties(app, span.year, deputy)
	if err != nil {
		return err
	}
	for _, d := range duties {
		if d.Status == station.StatusAttended {
			sheet.add(d.Deputy, scoring.MetricStationDuties, 1, d.ID)
		}
	}
	return nil
}

var checkinLabels = map[string]string{"qr": "扫码签到", "staff": "工作人员确认"}

func stationEntries(app core.App, span yearSpan, deputy string) ([]dossierEntry, error) {
	duties, err := station.YearDuties(app, span.year, deputy)
	if err != nil {
		return nil, err
	}
	out := make([]dossierEntry, 0, len(duties))
	for _, d := range duties {
		e := dossierEntry{DeputyID: d.Deputy, Date: d.Date, Source: "联络站值班", Title: d.StationName + " " + d.Date + " 值班接待",
			Collection: "station_duties", ID: d.ID}
		switch d.Status {
		case station.StatusAttended:
			e.Kind, e.Detail = "值班接待", checkinLabels[d.Method]
		case station.StatusMissed:
			e.Kind, e.Detail = "缺岗", "排班未到岗，未计分"
		default:
			continue // a duty still ahead is no record yet
		}
		out = append(out, e)
	}
	return out, nil
}

// dutyDays is the set of (deputy, China date) with a decided station duty
// (attended or missed) of a published roster in the year: typed
// station_duty rows on those days are not counted (the duty record decides).
func dutyDays(app core.App, year int, deputy string) (map[string]bool, error) {
	duties, err := station.YearDuties(app, year, deputy)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(duties))
	for _, d := range duties {
		if d.Status == station.StatusAttended || d.Status == station.StatusMissed {
			out[d.Deputy+"|"+d.Date] = true
		}
	}
	return out, nil
}

// bindStationDutyActivities refuses new staff-typed station_duty
// activities, whatever door they come by (the admin UI, the API): station
// duty is counted from the roster's records now.
func bindStationDutyActivities(app core.App) {
	refuse := func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("kind") == "station_duty" &&
			(e.Record.IsNew() || e.Record.Original().GetString("kind") != "station_duty") {
			return e.BadRequestError("值班接待由联络站值班记录自动计入", fielderr.New("kind", "validation_station_duty_from_roster",
				"值班接待由联络站的排班和签到自动计入，不再手工登记"))
		}
		return e.Next()
	}
	app.OnRecordCreateRequest("deputy_activities").BindFunc(refuse)
	app.OnRecordUpdateRequest("deputy_activities").BindFunc(refuse)
}
