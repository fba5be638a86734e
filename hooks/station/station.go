// Package station is the liaison station (代表联络站, R13): stations with
// their 六有 checklist and yearly self-check; the market-day duty roster
// (staff generate it for a period in a fair rotation that respects the
// days deputies marked unavailable, publish it, edit it; deputies swap
// duties with each other); duty check-in by the station's wall QR code of
// the day or by staff, missed duties flagged; the reception log the phones
// sync offline, each reception becoming a resident's suggestion on the same
// clocks; residents' appointments (预约接待) from the public pages without
// JavaScript; the hotline (民情直通车) setting; and the facts the
// assessment (值班接待) reads.
//
// The rules without PocketBase are in the pure packages dutyroster
// (market days, roster, swaps, attendance), booking (capacity, cancel,
// codes) and checkin (the station's code of the day).
package station

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/formguard"
	"simeng/hooks/internal/pagecache"
	"simeng/hooks/suggestions"
	"simeng/workdays"
)

// desk is the per-app state of the capability: the clock (tests set it),
// the abuse guards of the public forms.
type desk struct {
	now    func() time.Time
	guard  *formguard.Guard // the booking form
	lookup *formguard.Guard // booking code lookups and cancellations

	mu      sync.Mutex
	hotline *[2]string // number and hours, nil until read

	pages *pagecache.Cache // the stations' public pages (/s/{code})
}

const deskStoreKey = "simeng.station"

func deskOf(app core.App) *desk {
	d, _ := app.Store().Get(deskStoreKey).(*desk)
	if d == nil {
		d = newDesk()
		app.Store().Set(deskStoreKey, d)
	}
	return d
}

func newDesk() *desk {
	lookup := formguard.New()
	l := formguard.DefaultLimits
	// A code is 40 random bits: 100 tries an address per window keep
	// guessing hopeless, and a village behind one carrier address is not
	// refused on a market day.
	l.PerIPCodeHard, l.PerIPHard = 100, 100
	lookup.SetLimits(l)
	return &desk{now: time.Now, guard: formguard.New(), lookup: lookup}
}

// SetClock replaces the capability's clock (tests: a fixed China day).
func SetClock(app core.App, now func() time.Time) { deskOf(app).now = now }

// SetBookingLimits replaces the booking form's abuse limits (tests).
func SetBookingLimits(app core.App, l formguard.Limits) { deskOf(app).guard.SetLimits(l) }

func now(app core.App) time.Time { return deskOf(app).now() }

// Register wires the liaison station: record hooks, routes, the missed-duty
// job, the reception log's sync contract and the resident pages' extras.
//
//	Public, no script:       GET /s/{code}, GET|POST /s/{code}/book, GET /b, GET /b/{code}, POST /b/{code}/cancel
//	Deputies:                GET /api/station/my, POST /api/station/checkin, POST /api/station/swaps,
//	                         POST /api/station/swaps/{id}/accept|decline|withdraw,
//	                         GET /api/station/bookings, POST /api/station/bookings/{id}/mark
//	Staff:                   POST /api/station/{id}/roster/preview, POST /api/station/{id}/roster,
//	                         POST /api/station/rosters/{id}/publish, POST /api/station/rosters/{id}/duties,
//	                         POST /api/station/duties/{id}/reassign|confirm, DELETE /api/station/duties/{id},
//	                         GET /api/station/{id}/checkin-code, GET /api/station/{id}/posters,
//	                         GET /api/station/duties, POST /api/station/hotline-calls
func Register(app core.App) {
	deskOf(app)
	bindStationRecords(app)
	bindDutyRecords(app)
	bindUnavailability(app)
	bindReceptions(app)
	bindMissedDutyJob(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		bindPublicRoutes(se)
		bindDeputyRoutes(se)
		bindStaffRoutes(se)
		return se.Next()
	})
	deskOf(app).pages = pagecache.New(app, stationPageSources...)
	suggestions.SetPublicExtras(app, suggestions.PublicExtras{Reception: deputyReception, Hotline: Hotline,
		Changes: []string{"stations", "station_rosters", "station_duties", "bookings", "station_settings"}})
}

// calendar is the working-day calendar with staff's overrides (holidays
// decide which market days a skip policy closes).
func calendar(app core.App) *workdays.Calendar {
	cal, err := suggestions.Calendar(app)
	if err != nil {
		app.Logger().Error("station: working-day calendar", "error", err)
		return workdays.New()
	}
	return cal
}
