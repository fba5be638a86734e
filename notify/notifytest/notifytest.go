// Package notifytest provides an in-memory outbox and a settable clock for
// tests of code that queues or delivers notifications.
package notifytest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"simeng/notify"
)

// Store is an in-memory notify.Store with the semantics of the real outbox:
// one row per dedupe key, compare-and-set claims, every claim logged as an
// attempt. It is safe for concurrent use.
type Store struct {
	Policies notify.Policies

	mu       sync.Mutex
	rows     map[string]notify.Delivery
	messages map[string]notify.Message
	attempts []notify.Attempt
}

// NewStore returns an empty store using pol for new deliveries.
func NewStore(pol notify.Policies) *Store {
	return &Store{Policies: pol, rows: map[string]notify.Delivery{}, messages: map[string]notify.Message{}}
}

// Enqueue adds m at now unless a message with its dedupe key is there
// already, and reports whether it added it.
func (s *Store) Enqueue(m notify.Message, now time.Time) (bool, error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := m.DedupeKey()
	if _, dup := s.rows[k]; dup {
		return false, nil
	}
	s.rows[k] = notify.NewDelivery(m, now, s.Policies[m.Channel])
	s.messages[k] = m
	return true, nil
}

// Snapshot implements notify.Store.
func (s *Store) Snapshot(_ context.Context, since time.Time) ([]notify.Delivery, []notify.Attempt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var open []notify.Delivery
	for _, d := range s.rows {
		if !d.Final() {
			open = append(open, d)
		}
	}
	var recent []notify.Attempt
	for _, a := range s.attempts {
		if !a.At.Before(since) {
			recent = append(recent, a)
		}
	}
	return open, recent, nil
}

// Claim implements notify.Store.
func (s *Store) Claim(_ context.Context, prev, next notify.Delivery) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.rows[prev.Key]
	if !ok || cur.State != prev.State || cur.Attempts != prev.Attempts || cur.Reconciles != prev.Reconciles {
		return false, nil
	}
	s.rows[prev.Key] = next
	s.attempts = append(s.attempts, notify.Attempt{Channel: next.Channel, Recipient: next.Recipient, At: next.AttemptedAt})
	return true, nil
}

// Save implements notify.Store.
func (s *Store) Save(_ context.Context, d notify.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rows[d.Key]; !ok {
		return fmt.Errorf("notifytest: no delivery %s", d.Key)
	}
	s.rows[d.Key] = d
	return nil
}

// Message implements notify.Store.
func (s *Store) Message(_ context.Context, key string) (notify.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[key]
	if !ok {
		return m, fmt.Errorf("notifytest: no message %s", key)
	}
	return m, nil
}

// Delivery returns the delivery with key.
func (s *Store) Delivery(key string) (notify.Delivery, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.rows[key]
	return d, ok
}

// Len is the number of deliveries.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows)
}

// Count is the number of deliveries in state st.
func (s *Store) Count(st notify.State) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.rows {
		if d.State == st {
			n++
		}
	}
	return n
}

// Attempts returns every claim made, in order.
func (s *Store) Attempts() []notify.Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notify.Attempt(nil), s.attempts...)
}

// Clock is a settable clock for notify.Worker.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock showing now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Drain ticks w until nothing is done, then moves c to the plan's wake time
// and ticks again, until nothing waits or the next wake is after stop. It
// returns an error if the worker does not settle.
func Drain(ctx context.Context, w *notify.Worker, c *Clock, stop time.Time) error {
	for range 100_000 {
		wake, err := w.Tick(ctx)
		if err != nil {
			return err
		}
		switch {
		case wake.IsZero():
			return nil
		case wake.After(c.Now()):
			if wake.After(stop) {
				return nil
			}
			c.Set(wake)
		}
	}
	return fmt.Errorf("notifytest: the worker never settled")
}
