package station

import (
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/audit"
)

// dutyFields are what the assessment and the residents' bookings depend on:
// an office change to any of them is written to the audit trail with the
// duty's change, in its transaction.
var dutyFields = []string{"deputy", "date", "status", "checkin_method", "checked_in_at", "confirmed_by", "source", "note"}

// auditDuty writes the office's change of a duty (old nil: added; rec nil:
// removed) by whoever sent e.
func auditDuty(tx core.App, e *core.RequestEvent, action string, old, rec *core.Record) error {
	id := ""
	switch {
	case rec != nil:
		id = rec.Id
	case old != nil:
		id = old.Id
	}
	return audit.Write(tx, audit.Entry{
		Actor:      audit.ActorOf(e, "api"),
		Action:     action,
		Collection: "station_duties",
		RecordID:   id,
		Changes:    audit.Diff(old, rec, dutyFields...),
	})
}
