package notify

import (
	"cmp"
	"slices"
	"time"
)

// Attempt is a try started recently, for rate limits: the store lists the
// tries (claims) of the last limit window, whatever became of them.
type Attempt struct {
	Channel   Channel
	Recipient string
	At        time.Time
}

// Snapshot is what the planner needs from the store and the worker.
type Snapshot struct {
	Now time.Time
	// Open holds the deliveries that are not final (pending, sending,
	// failed). Final ones are ignored.
	Open []Delivery
	// Recent holds the tries started within the longest rate-limit window
	// before Now.
	Recent []Attempt
	// HeldUntil rests a channel after a Blocked outcome.
	HeldUntil map[Channel]time.Time
}

// TaskKind is what to do with a delivery.
type TaskKind int

const (
	// Send: Claim it, store the claim, call the provider, Record the outcome.
	Send TaskKind = iota + 1
	// Reconcile: look its last try up at the provider and Record the outcome.
	Reconcile
	// GiveUp: make it dead with Task.Reason.
	GiveUp
)

func (k TaskKind) String() string {
	switch k {
	case Send:
		return "send"
	case Reconcile:
		return "reconcile"
	case GiveUp:
		return "give up"
	}
	return "invalid"
}

// Task is one thing due now.
type Task struct {
	Kind     TaskKind
	Delivery Delivery
	Reason   string // GiveUp only
}

// Plan is what is due now, and when to look again.
type Plan struct {
	Tasks []Task
	// Wake is the earliest time something not due now becomes due; zero if
	// nothing is waiting. New messages may of course come sooner.
	Wake time.Time
}

// Due plans what is due at s.Now: expired messages to give up, sends (urgent
// first, then oldest), and lookups of tries with an unknown outcome.
// Non-urgent SMS wait out quiet hours, rested channels wait, and each
// recipient of a rate-limited channel gets no more tries than its limit
// allows in the window. Due is pure: same snapshot, same plan.
func Due(s Snapshot, pol Policies) Plan {
	now := s.Now
	var plan Plan
	wake := func(t time.Time) {
		if t.After(now) && (plan.Wake.IsZero() || t.Before(plan.Wake)) {
			plan.Wake = t
		}
	}

	var sends []Task
	for _, d := range s.Open {
		p, ok := pol[d.Channel]
		if !ok || d.Final() {
			continue
		}
		switch d.State {
		case Pending, Failed:
			if d.expired(now) {
				plan.Tasks = append(plan.Tasks, Task{Kind: GiveUp, Delivery: d, Reason: ReasonExpired})
				continue
			}
			at := d.NextAt
			if held := s.HeldUntil[d.Channel]; held.After(at) {
				at = held
			}
			if at.After(now) {
				wake(at)
				continue
			}
			if p.quiet(now, d.Urgent) {
				wake(p.Quiet.End(now))
				continue
			}
			sends = append(sends, Task{Kind: Send, Delivery: d})
		case Sending:
			if !d.leaseOver(now) {
				wake(d.LeaseUntil)
				continue
			}
			switch {
			case p.Guarantee == AtMostOnce:
				plan.Tasks = append(plan.Tasks, Task{Kind: Reconcile, Delivery: d})
			case d.Attempts >= p.MaxAttempts:
				plan.Tasks = append(plan.Tasks, Task{Kind: GiveUp, Delivery: d, Reason: ReasonLostExhausted})
			case d.expired(now):
				plan.Tasks = append(plan.Tasks, Task{Kind: GiveUp, Delivery: d, Reason: ReasonExpired})
			default:
				// A lost try of an AtLeastOnce channel is sent again at once,
				// quiet hours or not: it was due when it was claimed.
				sends = append(sends, Task{Kind: Send, Delivery: d})
			}
		}
		if !d.NotAfter.IsZero() && d.State != Sending {
			wake(d.NotAfter.Add(time.Nanosecond))
		}
	}

	slices.SortFunc(sends, func(a, b Task) int {
		if a.Delivery.Urgent != b.Delivery.Urgent {
			if a.Delivery.Urgent {
				return -1
			}
			return 1
		}
		return cmp.Or(
			a.Delivery.NextAt.Compare(b.Delivery.NextAt),
			cmp.Compare(a.Delivery.Key, b.Delivery.Key),
		)
	})

	used := usage(now, s.Recent, pol)
	for _, t := range sends {
		d := t.Delivery
		lim := pol[d.Channel].Limit
		if lim.Max > 0 {
			k := limitKey{d.Channel, d.Recipient}
			u := used[k]
			if len(u) >= lim.Max {
				// The oldest try in the window frees a place when it leaves it.
				wake(u[len(u)-lim.Max].Add(lim.Per))
				continue
			}
			used[k] = append(u, now)
		}
		plan.Tasks = append(plan.Tasks, t)
	}
	return plan
}

type limitKey struct {
	ch        Channel
	recipient string
}

// usage returns, per rate-limited recipient, the start times of its tries
// within the window before now, oldest first.
func usage(now time.Time, recent []Attempt, pol Policies) map[limitKey][]time.Time {
	used := map[limitKey][]time.Time{}
	for _, a := range recent {
		lim := pol[a.Channel].Limit
		if lim.Max <= 0 || a.At.After(now) || !now.Before(a.At.Add(lim.Per)) {
			continue
		}
		k := limitKey{a.Channel, a.Recipient}
		used[k] = append(used[k], a.At)
	}
	for _, u := range used {
		slices.SortFunc(u, time.Time.Compare)
	}
	return used
}
