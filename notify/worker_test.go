package notify_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"simeng/notify"
)

// memStore is the outbox in memory, with the semantics the worker expects
// of the real one: claims are compare-and-set and every claim is logged as
// an attempt.
type memStore struct {
	mu       sync.Mutex
	rows     map[string]notify.Delivery
	messages map[string]notify.Message
	attempts []notify.Attempt
}

func newMemStore() *memStore {
	return &memStore{rows: map[string]notify.Delivery{}, messages: map[string]notify.Message{}}
}

// enqueue adds m unless its dedupe key is already there (the unique index).
func (s *memStore) enqueue(t *testing.T, m notify.Message, now time.Time) bool {
	t.Helper()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := m.DedupeKey()
	if _, dup := s.rows[k]; dup {
		return false
	}
	s.rows[k] = notify.NewDelivery(m, now, pol[m.Channel])
	s.messages[k] = m
	return true
}

func (s *memStore) Snapshot(_ context.Context, since time.Time) ([]notify.Delivery, []notify.Attempt, error) {
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

func (s *memStore) Claim(_ context.Context, prev, next notify.Delivery) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.rows[prev.Key]
	if cur.State != prev.State || cur.Attempts != prev.Attempts || cur.Reconciles != prev.Reconciles {
		return false, nil
	}
	s.rows[prev.Key] = next
	s.attempts = append(s.attempts, notify.Attempt{Channel: next.Channel, Recipient: next.Recipient, At: next.AttemptedAt})
	return true, nil
}

func (s *memStore) Save(_ context.Context, d notify.Delivery) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[d.Key] = d
	return nil
}

func (s *memStore) Message(_ context.Context, key string) (notify.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[key]
	if !ok {
		return m, fmt.Errorf("no message %s", key)
	}
	return m, nil
}

func (s *memStore) count(st notify.State) int {
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

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// fakeProvider stands in for a provider: it accepts what it is sent unless
// told to fail, remembers what it accepted by OutID, and can hang.
type fakeProvider struct {
	mu       sync.Mutex
	fail     *notify.Outcome // answer every send with this
	hang     chan struct{}   // if set, a send accepts, then blocks until ctx ends
	accepted map[string]int  // OutID → times accepted
	calls    int             // sends received, failed or not
	lookups  int
}

func newFake() *fakeProvider { return &fakeProvider{accepted: map[string]int{}} }

func (f *fakeProvider) Send(ctx context.Context, d notify.Delivery, m notify.Message) notify.Outcome {
	f.mu.Lock()
	f.calls++
	if f.fail != nil {
		o := *f.fail
		f.mu.Unlock()
		return o
	}
	id := notify.OutID(d.Key)
	f.accepted[id]++
	hang := f.hang
	f.mu.Unlock()
	if hang != nil {
		select {
		case <-hang:
		case <-ctx.Done():
		}
		return notify.Outcome{Result: notify.Unknown, Code: "timeout"}
	}
	return notify.Outcome{Result: notify.Delivered, Ref: "biz-" + id}
}

func (f *fakeProvider) Lookup(_ context.Context, d notify.Delivery, _ notify.Message) notify.Outcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	if f.accepted[notify.OutID(d.Key)] > 0 {
		return notify.Outcome{Result: notify.Delivered, Ref: "found"}
	}
	return notify.Outcome{Result: notify.Retry, Code: "not found", Detail: "the provider never accepted it"}
}

func (f *fakeProvider) total() (sends int, distinct int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.accepted {
		sends += n
	}
	return sends, len(f.accepted)
}

// wecomFake is a provider without lookups (the robot has none).
type wecomFake struct{ *fakeProvider }

func (w wecomFake) Send(ctx context.Context, d notify.Delivery, m notify.Message) notify.Outcome {
	return w.fakeProvider.Send(ctx, d, m)
}

func deputyMsg(i int, ch notify.Channel) notify.Message {
	return notify.Message{
		EventKey: notify.EventKey(notify.TplAckReminder, fmt.Sprintf("sug%03d", i)), Recipient: "dep1", Channel: ch,
		Template: notify.TplAckReminder, Params: map[string]string{"due": "2025-06-02 09:00", "category": "道路交通"},
	}
}

func officeMsg(i int) notify.Message {
	return notify.Message{
		EventKey: notify.EventKey(notify.TplDeadlinePassed, fmt.Sprintf("hz%03d", i), "2025-06-01"), Recipient: "office", Channel: notify.WeCom,
		Template: notify.TplDeadlinePassed, Params: map[string]string{"kind": "隐患", "due": "2025-06-01", "title": "校门口护栏缺失"},
	}
}

// drain ticks at the clock's time until nothing is done, then jumps the
// clock to the plan's wake time, until nothing waits or until stop.
func drain(t *testing.T, w *notify.Worker, c *clock, stop time.Time) {
	t.Helper()
	for range 10_000 {
		wake, err := w.Tick(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case wake.IsZero():
			return
		case wake.After(c.Now()):
			if wake.After(stop) {
				return
			}
			c.Set(wake)
		}
	}
	t.Fatal("the worker never settled")
}

func TestWorkerOneEventOneMessage(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	for range 3 { // the event fires three times (cron runs, retries of the hook)
		store.enqueue(t, deputyMsg(1, notify.SMS), now)
		store.enqueue(t, deputyMsg(1, notify.InApp), now)
	}
	if got := len(store.rows); got != 2 {
		t.Fatalf("%d outbox rows, want one per channel", got)
	}
	c := &clock{now: now}
	smsP, inapp := newFake(), newFake()
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0.5 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: smsP, notify.InApp: inapp}}
	drain(t, w, c, now.Add(time.Hour))
	if s, _ := smsP.total(); s != 1 {
		t.Errorf("%d SMS sent, want 1", s)
	}
	if s, _ := inapp.total(); s != 1 {
		t.Errorf("%d notices written, want 1", s)
	}
}

func TestWorkerProviderDownNothingLost(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	for i := range 5 {
		store.enqueue(t, deputyMsg(i, notify.SMS), now)
	}
	c := &clock{now: now}
	p := newFake()
	p.fail = &notify.Outcome{Result: notify.Retry, Code: "connect", Detail: "provider unreachable"}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}

	drain(t, w, c, now.Add(90*time.Minute)) // down for an hour and a half
	if store.count(notify.Failed) != 5 || store.count(notify.Dead) != 0 {
		t.Fatalf("while down: %d failed, %d dead; want all 5 waiting", store.count(notify.Failed), store.count(notify.Dead))
	}
	p.mu.Lock()
	p.fail = nil
	p.mu.Unlock()
	drain(t, w, c, now.Add(24*time.Hour))
	if store.count(notify.Sent) != 5 {
		t.Errorf("%d sent after the provider came back, want 5", store.count(notify.Sent))
	}
	if sends, distinct := p.total(); sends != 5 || distinct != 5 {
		t.Errorf("%d sends of %d messages, want each once", sends, distinct)
	}
}

func TestWorkerDeadKeepsLastError(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	store.enqueue(t, deputyMsg(1, notify.SMS), now)
	c := &clock{now: now}
	p := newFake()
	p.fail = &notify.Outcome{Result: notify.Retry, Code: "http 502"}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}
	drain(t, w, c, now.Add(72*time.Hour))
	for _, d := range store.rows {
		if d.State != notify.Dead || d.Attempts != pol[notify.SMS].MaxAttempts || d.LastError != "http 502" {
			t.Errorf("got %+v", d)
		}
	}
}

// TestWorkerKilledMidSend stops the worker while the provider holds a send
// (the server killed mid-send), then starts a new worker on the same store.
func TestWorkerKilledMidSend(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	tests := []struct {
		name      string
		ch        notify.Channel
		sender    func(*fakeProvider) notify.Sender
		wantSends int
	}{
		{name: "SMS is looked up by its OutId, not sent again", ch: notify.SMS, wantSends: 1,
			sender: func(f *fakeProvider) notify.Sender { return f }},
		{name: "the office robot is sent again (at least once)", ch: notify.WeCom, wantSends: 2,
			sender: func(f *fakeProvider) notify.Sender { return wecomFake{f} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemStore()
			m := deputyMsg(1, tt.ch)
			if tt.ch == notify.WeCom {
				m = officeMsg(1)
			}
			store.enqueue(t, m, now)
			c := &clock{now: now}
			p := newFake()
			p.hang = make(chan struct{})
			first := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Senders: map[notify.Channel]notify.Sender{tt.ch: tt.sender(p)}}
			ctx, kill := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				first.Tick(ctx)
			}()
			for {
				if s, _ := p.total(); s == 1 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			kill()
			<-done
			if store.count(notify.Sending) != 1 {
				t.Fatalf("after the kill: %d sending, want the try left in sending", store.count(notify.Sending))
			}

			p.mu.Lock()
			p.hang = nil
			p.mu.Unlock()
			c.Set(now.Add(time.Minute))
			restarted := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
				Senders: map[notify.Channel]notify.Sender{tt.ch: tt.sender(p)}}
			drain(t, restarted, c, now.Add(time.Hour))
			if store.count(notify.Sent) != 1 {
				t.Errorf("%d sent, want 1", store.count(notify.Sent))
			}
			if s, _ := p.total(); s != tt.wantSends {
				t.Errorf("provider got %d sends, want %d", s, tt.wantSends)
			}
		})
	}
}

func TestWorkerLostSMSNeverAcceptedIsSent(t *testing.T) {
	// The server stopped after the claim but before the request left: the
	// lookup finds nothing, and the message is sent.
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	m := deputyMsg(1, notify.SMS)
	store.enqueue(t, m, now)
	d := store.rows[m.DedupeKey()]
	claimedD, _ := d.Claim(now, pol[notify.SMS])
	store.Claim(context.Background(), d, claimedD)

	c := &clock{now: now.Add(time.Minute)}
	p := newFake()
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}
	drain(t, w, c, now.Add(3*time.Hour))
	if sends, _ := p.total(); sends != 1 || p.lookups != 1 || store.count(notify.Sent) != 1 {
		t.Errorf("sends %d, lookups %d, sent %d; want 1, 1, 1", sends, p.lookups, store.count(notify.Sent))
	}
}

func TestWorkerRobotRateLimit(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	for i := range 45 {
		store.enqueue(t, officeMsg(i), now)
	}
	c := &clock{now: now}
	p := newFake()
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now,
		Senders: map[notify.Channel]notify.Sender{notify.WeCom: wecomFake{p}}}
	drain(t, w, c, now.Add(time.Hour))
	if store.count(notify.Sent) != 45 {
		t.Fatalf("%d sent, want 45", store.count(notify.Sent))
	}
	// No window of a minute holds more than 20 tries.
	for i, a := range store.attempts {
		n := 0
		for _, b := range store.attempts[i:] {
			if b.At.Sub(a.At) < time.Minute {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d tries within a minute from %s", n, a.At)
		}
	}
	if got := c.Now().Sub(now); got != 2*time.Minute {
		t.Errorf("45 messages took %s, want 2m (20 + 20 + 5)", got)
	}
}

func TestWorkerBlockedChannelRests(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	for i := range 4 {
		store.enqueue(t, deputyMsg(i, notify.SMS), now)
	}
	c := &clock{now: now}
	p := newFake()
	p.fail = &notify.Outcome{Result: notify.Blocked, Code: "isv.AMOUNT_NOT_ENOUGH"}
	var told []string
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now,
		Senders:   map[notify.Channel]notify.Sender{notify.SMS: p},
		OnBlocked: func(ch notify.Channel, o notify.Outcome) { told = append(told, string(ch)+" "+o.Code) }}
	if _, err := w.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || told[0] != "sms isv.AMOUNT_NOT_ENOUGH" {
		t.Errorf("office told %v, want once", told)
	}
	p.mu.Lock()
	calls := p.calls
	p.mu.Unlock()
	if calls != 1 || store.count(notify.Failed) != 1 || store.count(notify.Pending) != 3 {
		t.Errorf("after the first refusal: %d calls, %d failed, %d pending; want one call and the others untouched",
			calls, store.count(notify.Failed), store.count(notify.Pending))
	}
	p.mu.Lock()
	p.fail = nil // staff topped up the account
	p.mu.Unlock()
	drain(t, w, c, now.Add(2*time.Hour))
	if store.count(notify.Sent) != 4 {
		t.Errorf("%d sent after the rest, want 4", store.count(notify.Sent))
	}
}

func TestWorkerChannelOff(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := newMemStore()
	store.enqueue(t, deputyMsg(1, notify.SMS), now)
	c := &clock{now: now}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Senders: map[notify.Channel]notify.Sender{}}
	wake, err := w.Tick(context.Background())
	if err != nil || !wake.IsZero() || store.count(notify.Pending) != 1 {
		t.Errorf("wake %s, err %v, %d pending: an unconfigured channel leaves its messages waiting and the worker idle", wake, err, store.count(notify.Pending))
	}
}
