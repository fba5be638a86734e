package syncengine

import (
	"context"
	"time"

	"simeng/vocab"
)

// Device clocks. Phones whose clocks are hours off (a dead battery, a
// manual time, a wrong time zone) are common in the field: a push says
// what the phone's clock read when it was sent (sent_at), and the server
// judges the times the phone stamped by how far ahead that clock runs.

// MaxDeviceLead bounds the lead the server forgives: a clock days ahead is
// a broken clock.
const MaxDeviceLead = 48 * time.Hour

// TimeCheck is the verdict on a time a phone stamped.
type TimeCheck int

const (
	TimeOK       TimeCheck = iota
	TimeMissing            // no time at all
	TimeInFuture           // later than now, beyond the skew and the phone's lead
	TimeTooOld             // before vocab.EarliestDeviceTime
)

// deviceLead is how far ahead of the server the device's clock ran when it
// sent a push, 0 when it did not say, runs behind, or runs absurdly ahead.
func deviceLead(sentAt string, now time.Time) time.Duration {
	t, err := time.Parse(time.RFC3339, sentAt)
	if err != nil {
		return 0
	}
	lead := t.Sub(now)
	if lead <= 0 || lead > MaxDeviceLead {
		return 0
	}
	return lead
}

// FutureLimit is the latest device time a record may carry at now: the
// server's now plus the usual skew, plus the lead of the device that
// pushed it.
func FutureLimit(lead time.Duration, now time.Time) time.Time {
	return now.Add(vocab.DeviceClockSkew + lead)
}

func checkDeviceTime(t, now time.Time, lead time.Duration) TimeCheck {
	switch {
	case t.IsZero():
		return TimeMissing
	case t.After(FutureLimit(lead, now)):
		return TimeInFuture
	case t.Before(vocab.EarliestDeviceTime):
		return TimeTooOld
	}
	return TimeOK
}

// CheckDeviceTime checks a device time from a record hook: ctx is the
// save's context (e.Context), which carries the phone's lead when the push
// wrote the record, and none for any other door.
func CheckDeviceTime(ctx context.Context, t, now time.Time) TimeCheck {
	return checkDeviceTime(t, now, leadOf(ctx))
}

type leadKey struct{}

// withLead is the context the push saves a record with.
func withLead(ctx context.Context, lead time.Duration) context.Context {
	return context.WithValue(ctx, leadKey{}, lead)
}

// Replayed is the context for a seeder that replays field work already
// done (the demo): a record saved with it keeps the received_at and version
// it was given, as a push's save does, instead of being stamped as
// received now. Only Go code can use it; no request reaches it.
func Replayed(ctx context.Context) context.Context {
	return withLead(ctx, 0)
}

// fromPush reports whether ctx is the context of a push's save: the only
// write whose version the engine itself decided.
func fromPush(ctx context.Context) bool {
	return ctx != nil && ctx.Value(leadKey{}) != nil
}

func leadOf(ctx context.Context) time.Duration {
	if ctx == nil {
		return 0
	}
	lead, _ := ctx.Value(leadKey{}).(time.Duration)
	return lead
}
