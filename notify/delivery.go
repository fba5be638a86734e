package notify

import (
	"errors"
	"time"
)

// State of a delivery.
type State string

const (
	Pending State = "pending" // waiting for its first try at NextAt
	Sending State = "sending" // a try is under way, or its outcome is not known yet
	Sent    State = "sent"    // the provider accepted it
	Failed  State = "failed"  // the last try failed; the next one is at NextAt
	Dead    State = "dead"    // given up; LastError says why
)

// Reasons a delivery is given up without a provider's word.
const (
	ReasonExpired        = "expired: no longer worth sending"
	ReasonLostExhausted  = "lost: the server stopped mid-send and the tries are used up"
	ReasonOutcomeUnknown = "outcome unknown: the provider could not say whether it was accepted"
)

// Delivery is the stored state of one message (the outbox row without the
// message's content).
type Delivery struct {
	Key       string // Message.DedupeKey
	Channel   Channel
	Recipient string
	Urgent    bool
	NotAfter  time.Time

	State       State
	Attempts    int       // tries claimed so far, Blocked ones not counted
	Reconciles  int       // lookups made for the current unknown outcome
	NextAt      time.Time // Pending, Failed: when the next try may start
	AttemptedAt time.Time // when the last try was claimed
	LeaseUntil  time.Time // Sending: when the try is presumed lost
	SentAt      time.Time
	Ref         string // the provider's id of the accepted message
	LastError   string
}

// Errors from the transitions.
var (
	ErrNotClaimable = errors.New("notify: delivery is not due for a try")
	ErrNotSending   = errors.New("notify: delivery has no try under way")
)

// NewDelivery is the first state of m's delivery, created at now: pending
// until m.NotBefore, or the end of quiet hours for a non-urgent SMS.
func NewDelivery(m Message, now time.Time, p Policy) Delivery {
	at := now
	if m.NotBefore.After(at) {
		at = m.NotBefore
	}
	return Delivery{
		Key:       m.DedupeKey(),
		Channel:   m.Channel,
		Recipient: m.Recipient,
		Urgent:    m.Urgent,
		NotAfter:  m.NotAfter,
		State:     Pending,
		NextAt:    p.earliest(at, m.Urgent),
	}
}

// Final reports whether d is sent or dead.
func (d Delivery) Final() bool { return d.State == Sent || d.State == Dead }

// expired reports whether d's message is past its NotAfter at now.
func (d Delivery) expired(now time.Time) bool {
	return !d.NotAfter.IsZero() && now.After(d.NotAfter)
}

// leaseOver reports whether d's try under way is presumed lost at now.
func (d Delivery) leaseOver(now time.Time) bool {
	return d.State == Sending && !now.Before(d.LeaseUntil)
}

// Claim starts a try at now: d must be pending or failed and due, or, on an
// AtLeastOnce channel, sending with its lease run out (the try before was
// lost). Store the claimed state before calling the provider.
func (d Delivery) Claim(now time.Time, p Policy) (Delivery, error) {
	switch {
	case d.expired(now):
		return d, ErrNotClaimable
	case d.State == Pending || d.State == Failed:
		if now.Before(d.NextAt) || p.quiet(now, d.Urgent) {
			return d, ErrNotClaimable
		}
	case d.leaseOver(now) && p.Guarantee == AtLeastOnce:
		if d.Attempts >= p.MaxAttempts {
			return d, ErrNotClaimable
		}
	default:
		return d, ErrNotClaimable
	}
	d.State = Sending
	d.Attempts++
	d.Reconciles = 0
	d.AttemptedAt = now
	d.LeaseUntil = now.Add(p.Lease)
	return d, nil
}

// Record applies the outcome of the try under way (or of a lookup for it)
// at now. r in [0, 1) is the jitter's random share.
func (d Delivery) Record(now time.Time, o Outcome, p Policy, r float64) (Delivery, error) {
	if d.State != Sending {
		return d, ErrNotSending
	}
	res := o.Result
	if res == Unknown && p.Guarantee != AtMostOnce {
		res = Retry
	}
	switch res {
	case Delivered:
		d.State = Sent
		d.SentAt = now
		d.Ref = o.Ref
		d.LastError = ""
		d.LeaseUntil = time.Time{}
		d.NextAt = time.Time{}
		return d, nil
	case Reject:
		return d.dead(o.Error()), nil
	case Unknown:
		d.LastError = o.Error()
		if d.Reconciles >= p.MaxReconciles {
			return d.dead(ReasonOutcomeUnknown + " (" + o.Error() + ")"), nil
		}
		d.Reconciles++
		// The first lookup waits out the lease: the provider needs a moment
		// before it lists what it accepted.
		at := now.Add(max(p.Backoff(d.Reconciles, r), o.RetryAfter))
		if first := d.AttemptedAt.Add(p.Lease); at.Before(first) {
			at = first
		}
		d.LeaseUntil = at
		return d, nil
	case Blocked:
		d.Attempts--
		d.Reconciles = 0
		return d.retryAt(now.Add(max(p.BlockedWait, o.RetryAfter)), o.Error(), p), nil
	default: // Retry, and anything unexpected
		if d.Attempts >= p.MaxAttempts {
			return d.dead(o.Error()), nil
		}
		d.Reconciles = 0
		return d.retryAt(now.Add(max(p.Backoff(d.Attempts, r), o.RetryAfter)), o.Error(), p), nil
	}
}

func (d Delivery) retryAt(at time.Time, why string, p Policy) Delivery {
	d.State = Failed
	d.LastError = why
	d.LeaseUntil = time.Time{}
	d.NextAt = p.earliest(at, d.Urgent)
	return d
}

func (d Delivery) dead(why string) Delivery {
	d.State = Dead
	d.LastError = why
	d.LeaseUntil = time.Time{}
	d.NextAt = time.Time{}
	return d
}

// GiveUp makes d dead for reason (see Due's GiveUp tasks). A sent delivery
// stays sent.
func (d Delivery) GiveUp(reason string) Delivery {
	if d.State == Sent {
		return d
	}
	return d.dead(reason)
}

// Revive puts a dead delivery back in line at now with fresh tries: staff
// asked to send it again (for an SMS whose outcome was unknown, knowing it
// may arrive twice). Other states are returned unchanged.
func (d Delivery) Revive(now time.Time, p Policy) Delivery {
	if d.State != Dead {
		return d
	}
	d.State = Pending
	d.Attempts = 0
	d.Reconciles = 0
	d.LeaseUntil = time.Time{}
	d.NotAfter = time.Time{}
	d.NextAt = p.earliest(now, d.Urgent)
	return d
}
