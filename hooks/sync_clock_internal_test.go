package hooks

import (
	"testing"
	"time"
)

func TestDeviceLead(t *testing.T) {
	now := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	cases := []struct {
		sentAt string
		want   time.Duration
	}{
		{"", 0},
		{"not a time", 0},
		{now.Add(-2 * time.Hour).Format(time.RFC3339), 0}, // behind: device times are in the past anyway
		{now.Add(3 * time.Hour).Format(time.RFC3339), 3 * time.Hour},
		{now.Add(3 * time.Hour).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339), 3 * time.Hour},
		{now.Add(maxDeviceLead).Format(time.RFC3339), maxDeviceLead},
		{now.Add(maxDeviceLead + time.Second).Format(time.RFC3339), 0}, // a broken clock
	}
	for _, c := range cases {
		if got := deviceLead(c.sentAt, now); got != c.want {
			t.Errorf("deviceLead(%q) = %v, want %v", c.sentAt, got, c.want)
		}
	}
}
