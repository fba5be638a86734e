package syncengine

import (
	"context"
	"testing"
	"time"

	"simeng/vocab"
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
		{now.Add(MaxDeviceLead).Format(time.RFC3339), MaxDeviceLead},
		{now.Add(MaxDeviceLead + time.Second).Format(time.RFC3339), 0}, // a broken clock
	}
	for _, c := range cases {
		if got := deviceLead(c.sentAt, now); got != c.want {
			t.Errorf("deviceLead(%q) = %v, want %v", c.sentAt, got, c.want)
		}
	}
}

// A device time is judged by the server's clock plus the skew, plus how far
// ahead the phone said its clock runs; a record hook gets that lead through
// the save's context only when the push wrote the record.
func TestCheckDeviceTime(t *testing.T) {
	now := time.Date(2026, 3, 5, 9, 30, 0, 0, time.UTC)
	cases := []struct {
		at   time.Time
		lead time.Duration
		want TimeCheck
	}{
		{time.Time{}, 0, TimeMissing},
		{now.Add(-time.Hour), 0, TimeOK},
		{now.Add(9 * time.Minute), 0, TimeOK},
		{now.Add(11 * time.Minute), 0, TimeInFuture},
		{now.Add(3 * time.Hour), 3 * time.Hour, TimeOK},
		{now.Add(4 * time.Hour), 3 * time.Hour, TimeInFuture},
		{time.Date(2019, 12, 31, 15, 59, 0, 0, time.UTC), 0, TimeTooOld}, // 23:59 Beijing
		{time.Date(2019, 12, 31, 16, 0, 0, 0, time.UTC), 0, TimeOK},      // 2020-01-01 00:00 Beijing
	}
	for _, c := range cases {
		if got := checkDeviceTime(c.at, now, c.lead); got != c.want {
			t.Errorf("checkDeviceTime(%v, lead %v) = %v, want %v", c.at, c.lead, got, c.want)
		}
		ctx := withLead(context.Background(), c.lead)
		if got := CheckDeviceTime(ctx, c.at, now); got != c.want {
			t.Errorf("CheckDeviceTime(ctx with lead %v, %v) = %v, want %v", c.lead, c.at, got, c.want)
		}
	}
	if leadOf(context.Background()) != 0 {
		t.Error("a save outside a push has a lead")
	}
}

// Every photo type the vocabulary allows is stored with an extension.
func TestPhotoTypesHaveExtensions(t *testing.T) {
	for _, mt := range vocab.PhotoTypes {
		if photoExt[mt] == "" {
			t.Errorf("no extension for %s", mt)
		}
	}
	if len(photoExt) != len(vocab.PhotoTypes) {
		t.Errorf("photoExt %v, vocab %v", photoExt, vocab.PhotoTypes)
	}
}
