package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Office staff read the liaison station's records through the records API
// as the presidium does (stations and 六有, every roster whatever its
// status, duties, swaps, unavailable days, receptions), and keep the
// station's own register: they create and update stations, the 六有 items,
// the yearly self-checks and the hotline setting (deleting stays with the
// technician). Rosters, duties and swaps are written through the station's
// office routes, which check the office role in Go; bookings stay closed to
// the records API (residents' contacts are sealed and read only through
// those routes).
func init() {
	const staff = `@request.auth.collectionName = "staff" && @request.auth.active = true`
	changes := []struct {
		collection, before string
		writes             bool
	}{
		{"stations", ruleDeputy, true},
		{"station_items", ruleDeputy, true},
		{"station_selfchecks", ruleDeputy, true},
		{"station_settings", ruleDeputy, true},
		{"station_rosters", ruleStationRosterReader, false},
		{"station_duties", ruleStationDutyReader, false},
		{"duty_unavailability", ruleOwnOrPresidium, false},
		{"duty_swaps", ruleStationSwapReader, false},
		{"station_receptions", ruleOwnOrPresidium, false},
	}
	apply := func(app core.App, down bool) error {
		for _, ch := range changes {
			from, to := ch.before, "("+ch.before+") || ("+staff+")"
			if down {
				from, to = to, from
			}
			c, err := app.FindCollectionByNameOrId(ch.collection)
			if err != nil {
				return err
			}
			for _, r := range []**string{&c.ListRule, &c.ViewRule} {
				if *r == nil || **r != from {
					return fmt.Errorf("%s: a read rule is not the one this migration expects: %s", c.Name, show(*r))
				}
				*r = rule(to)
			}
			if ch.writes {
				for _, r := range []**string{&c.CreateRule, &c.UpdateRule} {
					if down {
						*r = nil
						continue
					}
					if *r != nil {
						return fmt.Errorf("%s: a write rule is not the one this migration expects: %s", c.Name, show(*r))
					}
					*r = rule(staff)
				}
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}
	m.Register(func(app core.App) error { return apply(app, false) }, func(app core.App) error { return apply(app, true) })
}
