package notify

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Store is the outbox as the worker sees it; the outbox collection
// implements it. It must be safe for concurrent use: the worker drives each
// channel in a goroutine of its own.
type Store interface {
	// Snapshot lists the deliveries that are not final, and the tries
	// started (claimed) at or after since, of every channel.
	Snapshot(ctx context.Context, since time.Time) (open []Delivery, recent []Attempt, err error)
	// Claim replaces prev by next only if the stored delivery still has
	// prev's State, Attempts and Reconciles (compare and set), and reports
	// whether it did. It must be durable before it returns: the provider is
	// called next.
	Claim(ctx context.Context, prev, next Delivery) (bool, error)
	// Save stores d, the outcome of a try or lookup, or a give-up.
	Save(ctx context.Context, d Delivery) error
	// Message returns the message of the delivery with key.
	Message(ctx context.Context, key string) (Message, error)
}

// Sender delivers on one channel. Send must not take longer than the
// channel's Policy.Lease, and must turn every failure into an Outcome.
type Sender interface {
	Send(ctx context.Context, d Delivery, m Message) Outcome
}

// Reconciler is a Sender of an AtMostOnce channel that can look up whether
// the provider accepted a try whose outcome is unknown (by OutID(d.Key)
// around d.AttemptedAt): Delivered if it did, Retry if it provably did not,
// Unknown if it cannot tell yet.
type Reconciler interface {
	Lookup(ctx context.Context, d Delivery, m Message) Outcome
}

// Worker sends what is due through its senders. A channel without a sender
// is off: its messages wait.
type Worker struct {
	Store    Store
	Senders  map[Channel]Sender
	Policies Policies
	// Now and Rand default to the clock and math/rand/v2.
	Now  func() time.Time
	Rand func() float64
	// OnBlocked, if set, is called once when a channel starts resting after
	// a Blocked outcome, e.g. to tell the office (TplDeliveryProblem).
	OnBlocked func(ch Channel, o Outcome)
	// OnError, if set, receives store errors; the worker carries on.
	OnError func(error)

	// ticking lets one Tick run at a time: a Flush beside the serving
	// worker waits for the try under way to be stored, instead of
	// returning while a sent message is still marked as sending.
	ticking sync.Mutex
	mu      sync.Mutex
	held    map[Channel]time.Time
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) rand() float64 {
	if w.Rand != nil {
		return w.Rand()
	}
	return rand.Float64()
}

func (w *Worker) fail(err error) {
	if err != nil && w.OnError != nil {
		w.OnError(err)
	}
}

// Tick does everything due now and returns when to tick again: now if it
// did something (what it did may have made more things due), else the
// plan's wake time (zero: nothing waits).
func (w *Worker) Tick(ctx context.Context) (time.Time, error) {
	w.ticking.Lock()
	defer w.ticking.Unlock()
	now := w.now()
	open, recent, err := w.Store.Snapshot(ctx, now.Add(-w.window()))
	if err != nil {
		return time.Time{}, err
	}
	plan := Due(Snapshot{Now: now, Open: open, Recent: recent, HeldUntil: w.heldCopy()}, w.Policies)

	var did atomic.Int64
	byChannel := map[Channel][]Task{}
	for _, t := range plan.Tasks {
		if t.Kind == GiveUp {
			w.fail(w.Store.Save(ctx, t.Delivery.GiveUp(t.Reason)))
			did.Add(1)
			continue
		}
		if w.Senders[t.Delivery.Channel] == nil {
			continue // channel off
		}
		byChannel[t.Delivery.Channel] = append(byChannel[t.Delivery.Channel], t)
	}
	var wg sync.WaitGroup
	for ch, tasks := range byChannel {
		wg.Go(func() {
			for _, t := range tasks {
				if ctx.Err() != nil || w.isHeld(ch) {
					return
				}
				if w.run(ctx, t) {
					did.Add(1)
				}
			}
		})
	}
	wg.Wait()

	if did.Load() > 0 {
		return w.now(), ctx.Err()
	}
	return plan.Wake, ctx.Err()
}

// run does one send or reconcile task and reports whether it reached the
// provider.
func (w *Worker) run(ctx context.Context, t Task) bool {
	ch := t.Delivery.Channel
	p := w.Policies[ch]
	sender := w.Senders[ch]
	d := t.Delivery

	m, err := w.Store.Message(ctx, d.Key)
	if err != nil {
		w.fail(err)
		return false
	}
	var o Outcome
	switch t.Kind {
	case Send:
		claimed, err := d.Claim(w.now(), p)
		if err != nil {
			return false // no longer due (quiet hours began, expired): the next plan says
		}
		ok, err := w.Store.Claim(ctx, d, claimed)
		if err != nil || !ok {
			w.fail(err)
			return false
		}
		d = claimed
		o = sender.Send(ctx, d, m)
	case Reconcile:
		if r, ok := sender.(Reconciler); ok {
			o = r.Lookup(ctx, d, m)
		} else {
			o = Outcome{Result: Unknown, Detail: "the channel cannot look up sent messages"}
		}
	}
	if ctx.Err() != nil && o.Result == Unknown {
		// Shutting down cut the try short: leave it as it is; its lease runs
		// out and the next start reconciles or resends it.
		return true
	}
	next, err := d.Record(w.now(), o, p, w.rand())
	if err != nil {
		w.fail(err)
		return true
	}
	// A known outcome is stored even while shutting down.
	w.fail(w.Store.Save(context.WithoutCancel(ctx), next))
	if o.Result == Blocked {
		w.hold(ch, w.now().Add(max(p.BlockedWait, o.RetryAfter)), o)
	}
	return true
}

// window is the longest rate-limit window of the policies.
func (w *Worker) window() time.Duration {
	var win time.Duration
	for _, p := range w.Policies {
		win = max(win, p.Limit.Per)
	}
	return win
}

func (w *Worker) hold(ch Channel, until time.Time, o Outcome) {
	w.mu.Lock()
	if w.held == nil {
		w.held = map[Channel]time.Time{}
	}
	wasHeld := w.held[ch].After(w.now())
	w.held[ch] = until
	w.mu.Unlock()
	if !wasHeld && w.OnBlocked != nil {
		w.OnBlocked(ch, o)
	}
}

func (w *Worker) isHeld(ch Channel) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.held[ch].After(w.now())
}

func (w *Worker) heldCopy() map[Channel]time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	held := make(map[Channel]time.Time, len(w.held))
	for ch, t := range w.held {
		held[ch] = t
	}
	return held
}

// Release ends a channel's rest, e.g. after staff fixed its settings.
func (w *Worker) Release(ch Channel) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.held, ch)
}

// Run ticks until ctx ends: at each plan's wake time, when kick receives
// (a message was queued), and at least every idle.
func (w *Worker) Run(ctx context.Context, kick <-chan struct{}, idle time.Duration) error {
	for {
		wake, err := w.Tick(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			w.fail(err)
		}
		wait := idle
		if !wake.IsZero() {
			wait = min(idle, max(0, wake.Sub(w.now())))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}
