// Package booking is the liaison station's appointments (预约接待, R13)
// without PocketBase: whether a new booking fits a market day, when it may
// be cancelled, and the booking codes residents keep.
//
// The rule residents read is one sentence: book or cancel until the end of
// the day before the market day (前一天24点前), China time. From 00:00 the
// day's list is final, so the deputy and staff open the station with the
// list they will work from; a resident who cannot come simply does not
// come (staff mark a no-show, which costs the resident nothing), and one
// who did not book is received anyway: booking only secures a slot.
package booking

import (
	"fmt"
	"slices"
	"time"

	"simeng/dutyroster"
)

// Defaults of the settings.
const (
	DefaultCapacity = 10 // bookings per station and market day
	DefaultHorizon  = 60 // days ahead a market day may be booked
)

// Policy holds the settings. Zero values mean the defaults.
type Policy struct {
	Capacity int // bookings per station and market day
	Horizon  int // days ahead (China dates) a market day may be booked
}

func (p Policy) capacity() int { return cmpDefault(p.Capacity, DefaultCapacity) }
func (p Policy) horizon() int  { return cmpDefault(p.Horizon, DefaultHorizon) }

func cmpDefault(v, def int) int {
	if v < 1 {
		return def
	}
	return v
}

// Status is where a booking stands.
type Status string

const (
	Booked    Status = "booked"
	Cancelled Status = "cancelled"
	Received  Status = "received" // received on the day; may have become a suggestion
	NoShow    Status = "no_show"
)

// Booking is an existing booking of a station's market day.
type Booking struct {
	Code      string
	Date      string // the market day, "2006-01-02" China date
	Deputy    string // "" = whoever is on duty
	Status    Status
	PhoneHash string // keyed hash of the resident's phone, "" if none given
}

// holdsSlot: every booking but a cancelled one takes a place.
func (b Booking) holdsSlot() bool { return b.Status != Cancelled }

// Day is what the database holds about one station's market day.
type Day struct {
	Date     string
	Open     bool      // the station receives that day (dutyroster.Receives)
	OnDuty   []string  // deputies rostered that day
	Bookings []Booking // the station's bookings of that day, any status
}

// Request is a new booking.
type Request struct {
	Deputy    string // "" = whoever is on duty
	PhoneHash string // "" if the resident left no phone
}

// Remaining is how many places are left on the day (never negative).
func Remaining(p Policy, day Day) int {
	n := 0
	for _, b := range day.Bookings {
		if b.holdsSlot() {
			n++
		}
	}
	return max(0, p.capacity()-n)
}

// Check decides whether req fits day at now. It returns nil or a
// *dutyroster.FieldError naming "date", "deputy" or "phone". Run it and
// the insert in one transaction, or two residents can take the last place.
func Check(p Policy, day Day, req Request, now time.Time) error {
	today := dutyroster.ChinaDate(now)
	switch {
	case !dutyroster.ValidDate(day.Date):
		return &dutyroster.FieldError{Field: "date", Message: "请选择接待日"}
	case !day.Open:
		return &dutyroster.FieldError{Field: "date", Message: "该日不是联络站接待日，请选择其他赶集日"}
	case day.Date <= today:
		return &dutyroster.FieldError{Field: "date", Message: "预约需在接待日前一天24点前提交；今天可直接到联络站，值班代表照常接待"}
	case day.Date > addDays(today, p.horizon()):
		return &dutyroster.FieldError{Field: "date", Message: fmt.Sprintf("只能预约%d天内的接待日", p.horizon())}
	case req.Deputy != "" && !slices.Contains(day.OnDuty, req.Deputy):
		return &dutyroster.FieldError{Field: "deputy", Message: "该代表当天不在联络站值班，请选择其值班日，或预约当天值班代表接待"}
	}
	if req.PhoneHash != "" {
		for _, b := range day.Bookings {
			if b.Status == Booked && b.PhoneHash == req.PhoneHash {
				return &dutyroster.FieldError{Field: "phone", Message: "该手机号已预约这一天，请凭预约码查看"}
			}
		}
	}
	if Remaining(p, day) == 0 {
		return &dutyroster.FieldError{Field: "date", Message: "该日预约已满，请选择其他接待日，或当天直接到联络站"}
	}
	return nil
}

// CanCancel reports whether the resident may still cancel b online: only a
// booking still booked, until the end of the day before its market day.
func CanCancel(b Booking, now time.Time) error {
	switch {
	case b.Status == Cancelled:
		return &dutyroster.FieldError{Field: "code", Message: "该预约已取消"}
	case b.Status != Booked:
		return &dutyroster.FieldError{Field: "code", Message: "该预约已接待，不能取消"}
	case !dutyroster.ValidDate(b.Date) || b.Date <= dutyroster.ChinaDate(now):
		return &dutyroster.FieldError{Field: "code", Message: "接待日当天起不能在线取消；不能前来也没关系，无需操作"}
	}
	return nil
}

// CanMark reports whether the duty deputy or staff may set b to to
// (Received or NoShow): only from the market day on, from Booked, or from
// NoShow to Received for a resident who came late.
func CanMark(b Booking, to Status, now time.Time) error {
	switch {
	case to != Received && to != NoShow:
		return &dutyroster.FieldError{Field: "status", Message: "只能标记为已接待或未到"}
	case !dutyroster.ValidDate(b.Date) || b.Date > dutyroster.ChinaDate(now):
		return &dutyroster.FieldError{Field: "status", Message: "接待日还没到"}
	case b.Status == Booked, b.Status == NoShow && to == Received:
		return nil
	}
	return &dutyroster.FieldError{Field: "status", Message: "该预约已取消或已接待"}
}

func addDays(date string, n int) string {
	t, _ := time.Parse("2006-01-02", date)
	return t.AddDate(0, 0, n).Format("2006-01-02")
}
