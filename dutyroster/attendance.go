package dutyroster

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Duty is one deputy rostered at one station on one day.
type Duty struct {
	Station string
	Date    string
	Deputy  string
}

func (d Duty) compare(o Duty) int {
	return cmp.Or(strings.Compare(d.Date, o.Date), strings.Compare(d.Station, o.Station), strings.Compare(d.Deputy, o.Deputy))
}

// CheckInMethod is how a duty was confirmed.
type CheckInMethod string

const (
	CheckInQR    CheckInMethod = "qr"    // the deputy scanned the station's QR of the day
	CheckInStaff CheckInMethod = "staff" // staff confirmed the deputy was there
)

// CheckIn is a confirmation that a deputy was on duty at a station on a
// date (for a QR scan, the day the code was signed for).
type CheckIn struct {
	Duty
	Method CheckInMethod
}

// DutyStatus is the outcome of a duty.
type DutyStatus string

const (
	DutyAttended DutyStatus = "attended" // checked in, whenever the day is
	DutyMissed   DutyStatus = "missed"   // no check-in and the day is over
	DutyPending  DutyStatus = "pending"  // no check-in yet, the day is not over
)

// DutyResult is a duty with its outcome.
type DutyResult struct {
	Duty
	Status DutyStatus
	Method CheckInMethod // for attended duties; QR wins over staff
}

// Attendance matches duties with check-ins at now. A duty without a
// check-in is missed once its China day is over (00:00 China time the next
// day), pending until then; a later staff confirmation turns a missed duty
// into attended, so store the result as a cache of this function, never as
// the truth. Check-ins that match no duty (a deputy who helped out without
// being rostered) come back as unrostered for staff to add or ignore.
// Both results are sorted by date, station, deputy; duplicates collapse.
func Attendance(duties []Duty, checkins []CheckIn, now time.Time) (results []DutyResult, unrostered []CheckIn) {
	method := make(map[Duty]CheckInMethod, len(checkins))
	for _, c := range checkins {
		if c.Method == CheckInQR || method[c.Duty] == "" {
			method[c.Duty] = c.Method
		}
	}
	rostered := make(map[Duty]bool, len(duties))
	for _, d := range duties {
		if rostered[d] {
			continue
		}
		rostered[d] = true
		r := DutyResult{Duty: d, Status: DutyPending}
		switch {
		case method[d] != "":
			r.Status, r.Method = DutyAttended, method[d]
		case DayOver(d.Date, now):
			r.Status = DutyMissed
		}
		results = append(results, r)
	}
	for d, m := range method {
		if !rostered[d] {
			unrostered = append(unrostered, CheckIn{Duty: d, Method: m})
		}
	}
	slices.SortFunc(results, func(a, b DutyResult) int { return a.compare(b.Duty) })
	slices.SortFunc(unrostered, func(a, b CheckIn) int { return a.compare(b.Duty) })
	return results, unrostered
}
