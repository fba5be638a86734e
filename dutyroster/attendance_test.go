package dutyroster

import (
	"slices"
	"testing"
	"time"
)

func TestAttendance(t *testing.T) {
	d := func(date, deputy string) Duty { return Duty{Station: "s1", Date: date, Deputy: deputy} }
	duties := []Duty{
		d("2025-10-10", "b"), d("2025-10-05", "a"), d("2025-10-05", "c"), d("2025-10-10", "a"),
		d("2025-10-05", "a"), // listed twice: one result
	}
	checkins := []CheckIn{
		{d("2025-10-05", "a"), CheckInStaff},
		{d("2025-10-05", "a"), CheckInQR}, // QR wins over staff
		{d("2025-10-10", "b"), CheckInStaff},
		{d("2025-10-05", "e"), CheckInQR},                                 // helped without being rostered
		{Duty{Station: "s2", Date: "2025-10-05", Deputy: "c"}, CheckInQR}, // at another station
	}
	tests := []struct {
		name string
		now  time.Time
		want []DutyStatus // a@10-05, c@10-05, a@10-10, b@10-10
	}{
		{"during the first day", china(t, "2025-10-05 15:00"), []DutyStatus{DutyAttended, DutyPending, DutyPending, DutyAttended}},
		{"last second of the day", china(t, "2025-10-05 23:59").Add(59*time.Second + 999*time.Millisecond), []DutyStatus{DutyAttended, DutyPending, DutyPending, DutyAttended}},
		{"China midnight", china(t, "2025-10-06 00:00"), []DutyStatus{DutyAttended, DutyMissed, DutyPending, DutyAttended}},
		{"still the 5th in UTC", time.Date(2025, 10, 5, 16, 0, 0, 0, time.UTC), []DutyStatus{DutyAttended, DutyMissed, DutyPending, DutyAttended}},
		{"after both days", china(t, "2025-10-11 08:00"), []DutyStatus{DutyAttended, DutyMissed, DutyMissed, DutyAttended}},
	}
	for _, tt := range tests {
		results, unrostered := Attendance(duties, checkins, tt.now)
		var got []DutyStatus
		for _, r := range results {
			got = append(got, r.Status)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v (%v)", tt.name, got, tt.want, results)
		}
		if results[0].Method != CheckInQR || results[3].Method != CheckInStaff || results[1].Method != "" {
			t.Errorf("%s: methods %v", tt.name, results)
		}
		wantExtra := []CheckIn{
			{Duty{Station: "s1", Date: "2025-10-05", Deputy: "e"}, CheckInQR},
			{Duty{Station: "s2", Date: "2025-10-05", Deputy: "c"}, CheckInQR},
		}
		if !slices.Equal(unrostered, wantExtra) {
			t.Errorf("%s: unrostered %v, want %v", tt.name, unrostered, wantExtra)
		}
	}
}

func TestAttendanceInvalidDateIsNeverMissed(t *testing.T) {
	results, _ := Attendance([]Duty{{Station: "s1", Date: "2025-10-5", Deputy: "a"}}, nil, time.Now())
	if results[0].Status != DutyPending {
		t.Errorf("status %s, want pending", results[0].Status)
	}
}
