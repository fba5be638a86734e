package notify

import "time"

// Guarantee is what a channel promises when an attempt's outcome is lost.
type Guarantee int

const (
	// AtLeastOnce sends again when an attempt's outcome is unknown.
	AtLeastOnce Guarantee = iota + 1
	// AtMostOnce never sends again unless a lookup at the provider shows the
	// earlier attempt was not accepted.
	AtMostOnce
)

// RateLimit allows at most Max attempts per Per for each recipient of a
// channel (a 企业微信 robot takes 20 messages a minute).
type RateLimit struct {
	Max int
	Per time.Duration
}

// Policy is how one channel retries, leases and rests.
type Policy struct {
	Guarantee Guarantee
	// Backoff after the n-th failed try: Base·2^(n-1), capped at Max, with
	// equal jitter (half fixed, half random).
	Base, Max time.Duration
	// MaxAttempts is how many tries a message gets before it is dead.
	MaxAttempts int
	// Lease is how long a claimed attempt may take before it is presumed
	// lost (the server stopped mid-send). Longer than the sender's timeout;
	// for AtMostOnce also long enough for the provider to list the message.
	Lease time.Duration
	// MaxReconciles is how many lookups an AtMostOnce channel makes for an
	// attempt with an unknown outcome before giving it up as unknown.
	MaxReconciles int
	// BlockedWait is how long a message and its channel rest after a
	// Blocked outcome (credentials, arrears, unapproved template).
	BlockedWait time.Duration
	// Limit, if Max > 0, caps attempts per recipient (a robot) and window.
	Limit RateLimit
	// Quiet, if set, holds non-urgent messages during these hours.
	Quiet *QuietHours
}

// Policies holds one Policy per channel.
type Policies map[Channel]Policy

// DefaultPolicies: in-app notices are local writes; SMS waits out the night
// and a provider outage of several hours (10 tries over about 6 h) and never
// sends twice; the office robot keeps to its 20 messages a minute.
func DefaultPolicies() Policies {
	quiet := NightQuiet
	return Policies{
		InApp: {
			Guarantee: AtLeastOnce, Base: 5 * time.Second, Max: time.Minute,
			MaxAttempts: 10, Lease: time.Minute,
		},
		SMS: {
			Guarantee: AtMostOnce, Base: time.Minute, Max: time.Hour,
			MaxAttempts: 10, Lease: 5 * time.Minute, MaxReconciles: 6,
			BlockedWait: 30 * time.Minute, Quiet: &quiet,
		},
		WeCom: {
			Guarantee: AtLeastOnce, Base: 30 * time.Second, Max: 30 * time.Minute,
			MaxAttempts: 12, Lease: 2 * time.Minute, BlockedWait: 30 * time.Minute,
			Limit: RateLimit{Max: 20, Per: time.Minute},
		},
	}
}

// Backoff is the wait after the n-th failed try (n ≥ 1). r in [0, 1) is the
// random share of the jitter; pass rand.Float64() in production.
func (p Policy) Backoff(n int, r float64) time.Duration {
	if n < 1 {
		n = 1
	}
	if r < 0 || r >= 1 || r != r { // r != r: NaN
		r = 0
	}
	d := p.Base
	for i := 1; i < n && d < p.Max; i++ {
		d *= 2
	}
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	half := d / 2
	return half + time.Duration(r*float64(d-half))
}

// earliest returns the first time at or after t at which a message may go
// out on this channel.
func (p Policy) earliest(t time.Time, urgent bool) time.Time {
	if p.Quiet == nil || urgent {
		return t
	}
	return p.Quiet.End(t)
}

// quiet reports whether a message may not go out at t.
func (p Policy) quiet(t time.Time, urgent bool) bool {
	return p.Quiet != nil && !urgent && p.Quiet.Contains(t)
}
