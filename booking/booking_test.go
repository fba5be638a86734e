package booking

import (
	"errors"
	"fmt"
	"simeng/chinatime"
	"testing"
	"time"

	"simeng/dutyroster"
)

func china(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, chinatime.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func bookings(n int, status Status) []Booking {
	bs := make([]Booking, n)
	for i := range bs {
		bs[i] = Booking{Code: fmt.Sprintf("code%04d", i), Date: "2025-10-10", Status: status, PhoneHash: fmt.Sprintf("h%d", i)}
	}
	return bs
}

func TestCheck(t *testing.T) {
	p := Policy{Capacity: 3}
	open := Day{Date: "2025-10-10", Open: true, OnDuty: []string{"a", "b"}}
	with := func(bs ...Booking) Day { d := open; d.Bookings = bs; return d }
	full := with(bookings(3, Booked)...)
	cancelledFree := with(append(bookings(2, Booked), Booking{Date: "2025-10-10", Status: Cancelled, PhoneHash: "h9"})...)
	eve := "2025-10-09 20:00"
	tests := []struct {
		name  string
		day   Day
		req   Request
		now   string
		field string // "" = fits
	}{
		{"bad date", Day{Date: "10月10日", Open: true}, Request{}, eve, "date"},
		{"not a reception day", Day{Date: "2025-10-11"}, Request{}, eve, "date"},
		{"on the day itself", open, Request{}, "2025-10-10 00:00", "date"},
		{"after the day", open, Request{}, "2025-10-12 09:00", "date"},
		{"beyond the horizon", open, Request{}, "2025-08-10 09:00", "date"},
		{"deputy not on duty", open, Request{Deputy: "c"}, eve, "deputy"},
		{"same phone twice", with(bookings(1, Booked)...), Request{PhoneHash: "h0"}, eve, "phone"},
		{"full", full, Request{}, eve, "date"},
		{"full, received and no-shows count", with(append(bookings(2, Received), bookings(1, NoShow)...)...), Request{}, eve, "date"},

		{"last evening before", open, Request{}, "2025-10-09 23:59", ""},
		{"with the deputy on duty", open, Request{Deputy: "b"}, eve, ""},
		{"at the horizon", open, Request{}, "2025-08-11 09:00", ""},
		{"a cancelled place is free again", cancelledFree, Request{}, eve, ""},
		{"same phone after cancelling", cancelledFree, Request{PhoneHash: "h9"}, eve, ""},
		{"no phone given, others without phone", with(Booking{Date: "2025-10-10", Status: Booked}), Request{}, eve, ""},
		{"default capacity", with(bookings(DefaultCapacity-1, Booked)...), Request{}, eve, "!default"},
	}
	for _, tt := range tests {
		policy := p
		if tt.field == "!default" {
			policy, tt.field = Policy{}, ""
		}
		err := Check(policy, tt.day, tt.req, china(t, tt.now))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var fe *dutyroster.FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Message == "" {
			t.Errorf("%s: err = %v, want a FieldError on %s", tt.name, err, tt.field)
		}
	}
}

// TestCapacityNeverExceeded books one request after another into a day,
// cancelling some: the places held never exceed the capacity and every
// refusal while places were left had another reason.
func TestCapacityNeverExceeded(t *testing.T) {
	now := china(t, "2025-10-01 09:00")
	for capacity := 1; capacity <= 6; capacity++ {
		p := Policy{Capacity: capacity}
		day := Day{Date: "2025-10-10", Open: true}
		for i := range 40 {
			req := Request{PhoneHash: fmt.Sprintf("h%d", i%9)}
			err := Check(p, day, req, now)
			if err == nil {
				day.Bookings = append(day.Bookings, Booking{Code: fmt.Sprint(i), Date: day.Date, Status: Booked, PhoneHash: req.PhoneHash})
			}
			if i%7 == 3 && len(day.Bookings) > 0 {
				day.Bookings[i%len(day.Bookings)].Status = Cancelled
			}
			held := 0
			for _, b := range day.Bookings {
				if b.Status != Cancelled {
					held++
				}
			}
			if held > capacity {
				t.Fatalf("capacity %d: %d places held", capacity, held)
			}
			if Remaining(p, day) != capacity-held {
				t.Fatalf("capacity %d: Remaining %d, held %d", capacity, Remaining(p, day), held)
			}
		}
	}
}

func TestCanCancel(t *testing.T) {
	b := Booking{Date: "2025-10-10", Status: Booked}
	tests := []struct {
		name string
		b    Booking
		now  string
		ok   bool
	}{
		{"days before", b, "2025-10-05 10:00", true},
		{"last minute of the day before", b, "2025-10-09 23:59", true},
		{"China midnight", b, "2025-10-10 00:00", false},
		{"morning of the day", b, "2025-10-10 08:00", false},
		{"already cancelled", Booking{Date: "2025-10-10", Status: Cancelled}, "2025-10-05 10:00", false},
		{"received", Booking{Date: "2025-10-10", Status: Received}, "2025-10-05 10:00", false},
		{"bad date", Booking{Date: "", Status: Booked}, "2025-10-05 10:00", false},
	}
	for _, tt := range tests {
		err := CanCancel(tt.b, china(t, tt.now))
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		var fe *dutyroster.FieldError
		if err != nil && (!errors.As(err, &fe) || fe.Field != "code") {
			t.Errorf("%s: err = %v, want a FieldError on code", tt.name, err)
		}
	}
	// The boundary is China midnight whatever zone the server runs in.
	if err := CanCancel(b, time.Date(2025, 10, 9, 15, 59, 0, 0, time.UTC)); err != nil {
		t.Errorf("23:59 China as UTC: %v", err)
	}
	if err := CanCancel(b, time.Date(2025, 10, 9, 16, 0, 0, 0, time.UTC)); err == nil {
		t.Error("00:00 China as UTC: cancel allowed")
	}
}

func TestCanMark(t *testing.T) {
	tests := []struct {
		name string
		from Status
		to   Status
		now  string
		ok   bool
	}{
		{"received on the day", Booked, Received, "2025-10-10 09:00", true},
		{"no-show on the day", Booked, NoShow, "2025-10-10 16:00", true},
		{"no-show marked later", Booked, NoShow, "2025-10-11 09:00", true},
		{"came late after all", NoShow, Received, "2025-10-10 16:30", true},
		{"before the day", Booked, Received, "2025-10-09 23:59", false},
		{"cancelled", Cancelled, Received, "2025-10-10 09:00", false},
		{"received twice", Received, Received, "2025-10-10 09:00", false},
		{"back to no-show", Received, NoShow, "2025-10-10 09:00", false},
		{"to booked", NoShow, Booked, "2025-10-10 09:00", false},
	}
	for _, tt := range tests {
		err := CanMark(Booking{Date: "2025-10-10", Status: tt.from}, tt.to, china(t, tt.now))
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}

// FuzzCheck: the date and deputy come from a public form. Check never
// panics, refuses only with a FieldError, and never lets a booking past
// the capacity or onto the day itself.
func FuzzCheck(f *testing.F) {
	f.Add("2025-10-10", "a", "h1", 2, int64(1759900000))
	f.Add("2025-13-40", "", "", 0, int64(0))
	f.Fuzz(func(t *testing.T, date, deputy, phone string, held int, unix int64) {
		held = max(0, held%20)
		day := Day{Date: date, Open: true, OnDuty: []string{"a"}, Bookings: bookings(held, Booked)}
		now := time.Unix(unix%(1<<40), 0)
		err := Check(Policy{Capacity: 5}, day, Request{Deputy: deputy, PhoneHash: phone}, now)
		if err != nil {
			var fe *dutyroster.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		if held >= 5 || date <= dutyroster.ChinaDate(now) || !dutyroster.ValidDate(date) {
			t.Fatalf("accepted %q with %d held at %v", date, held, now)
		}
	})
}
