package notify_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"simeng/notify"
	"simeng/notify/notifytest"
)

// delivery returns the stored delivery of m.
func delivery(t *testing.T, s *notifytest.Store, m notify.Message) notify.Delivery {
	t.Helper()
	d, ok := s.Delivery(m.DedupeKey())
	if !ok {
		t.Fatalf("no delivery for %s", m.EventKey)
	}
	return d
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

// drain runs notifytest.Drain and fails the test if it does not settle.
func drain(t *testing.T, w *notify.Worker, c *notifytest.Clock, stop time.Time) {
	t.Helper()
	if err := notifytest.Drain(context.Background(), w, c, stop); err != nil {
		t.Fatal(err)
	}
}

// enqueue adds m to s and fails the test on an invalid message.
func enqueue(t *testing.T, s *notifytest.Store, m notify.Message, now time.Time) {
	t.Helper()
	if _, err := s.Enqueue(m, now); err != nil {
		t.Fatal(err)
	}
}

func TestWorkerOneEventOneMessage(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := notifytest.NewStore(pol)
	for range 3 { // the event fires three times (cron runs, retries of the hook)
		enqueue(t, store, deputyMsg(1, notify.SMS), now)
		enqueue(t, store, deputyMsg(1, notify.InApp), now)
	}
	if got := store.Len(); got != 2 {
		t.Fatalf("%d outbox rows, want one per channel", got)
	}
	c := notifytest.NewClock(now)
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
	store := notifytest.NewStore(pol)
	for i := range 5 {
		enqueue(t, store, deputyMsg(i, notify.SMS), now)
	}
	c := notifytest.NewClock(now)
	p := newFake()
	p.fail = &notify.Outcome{Result: notify.Retry, Code: "connect", Detail: "provider unreachable"}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}

	drain(t, w, c, now.Add(90*time.Minute)) // down for an hour and a half
	if store.Count(notify.Failed) != 5 || store.Count(notify.Dead) != 0 {
		t.Fatalf("while down: %d failed, %d dead; want all 5 waiting", store.Count(notify.Failed), store.Count(notify.Dead))
	}
	p.mu.Lock()
	p.fail = nil
	p.mu.Unlock()
	drain(t, w, c, now.Add(24*time.Hour))
	if store.Count(notify.Sent) != 5 {
		t.Errorf("%d sent after the provider came back, want 5", store.Count(notify.Sent))
	}
	if sends, distinct := p.total(); sends != 5 || distinct != 5 {
		t.Errorf("%d sends of %d messages, want each once", sends, distinct)
	}
}

func TestWorkerDeadKeepsLastError(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := notifytest.NewStore(pol)
	enqueue(t, store, deputyMsg(1, notify.SMS), now)
	c := notifytest.NewClock(now)
	p := newFake()
	p.fail = &notify.Outcome{Result: notify.Retry, Code: "http 502"}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}
	drain(t, w, c, now.Add(72*time.Hour))
	if d := delivery(t, store, deputyMsg(1, notify.SMS)); d.State != notify.Dead || d.Attempts != pol[notify.SMS].MaxAttempts || d.LastError != "http 502" {
		t.Errorf("got %+v", d)
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
			store := notifytest.NewStore(pol)
			m := deputyMsg(1, tt.ch)
			if tt.ch == notify.WeCom {
				m = officeMsg(1)
			}
			enqueue(t, store, m, now)
			c := notifytest.NewClock(now)
			p := newFake()
			p.hang = make(chan struct{})
			first := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Senders: map[notify.Channel]notify.Sender{tt.ch: tt.sender(p)}}
			ctx, kill := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				first.Tick(ctx)
			}()
			deadline := time.Now().Add(10 * time.Second)
			for s, _ := p.total(); s != 1; s, _ = p.total() {
				if time.Now().After(deadline) {
					t.Fatal("the send never reached the provider")
				}
				time.Sleep(time.Millisecond)
			}
			kill()
			<-done
			if store.Count(notify.Sending) != 1 {
				t.Fatalf("after the kill: %d sending, want the try left in sending", store.Count(notify.Sending))
			}

			p.mu.Lock()
			p.hang = nil
			p.mu.Unlock()
			c.Set(now.Add(time.Minute))
			restarted := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
				Senders: map[notify.Channel]notify.Sender{tt.ch: tt.sender(p)}}
			drain(t, restarted, c, now.Add(time.Hour))
			if store.Count(notify.Sent) != 1 {
				t.Errorf("%d sent, want 1", store.Count(notify.Sent))
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
	store := notifytest.NewStore(pol)
	m := deputyMsg(1, notify.SMS)
	enqueue(t, store, m, now)
	d := delivery(t, store, m)
	claimedD, _ := d.Claim(now, pol[notify.SMS])
	store.Claim(context.Background(), d, claimedD)

	c := notifytest.NewClock(now.Add(time.Minute))
	p := newFake()
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: p}}
	drain(t, w, c, now.Add(3*time.Hour))
	if sends, _ := p.total(); sends != 1 || p.lookups != 1 || store.Count(notify.Sent) != 1 {
		t.Errorf("sends %d, lookups %d, sent %d; want 1, 1, 1", sends, p.lookups, store.Count(notify.Sent))
	}
}

func TestWorkerRobotRateLimit(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := notifytest.NewStore(pol)
	for i := range 45 {
		enqueue(t, store, officeMsg(i), now)
	}
	c := notifytest.NewClock(now)
	p := newFake()
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now,
		Senders: map[notify.Channel]notify.Sender{notify.WeCom: wecomFake{p}}}
	drain(t, w, c, now.Add(time.Hour))
	if store.Count(notify.Sent) != 45 {
		t.Fatalf("%d sent, want 45", store.Count(notify.Sent))
	}
	// No window of a minute holds more than 20 tries.
	tries := store.Attempts()
	for i, a := range tries {
		n := 0
		for _, b := range tries[i:] {
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
	store := notifytest.NewStore(pol)
	for i := range 4 {
		enqueue(t, store, deputyMsg(i, notify.SMS), now)
	}
	c := notifytest.NewClock(now)
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
	if calls != 1 || store.Count(notify.Failed) != 1 || store.Count(notify.Pending) != 3 {
		t.Errorf("after the first refusal: %d calls, %d failed, %d pending; want one call and the others untouched",
			calls, store.Count(notify.Failed), store.Count(notify.Pending))
	}
	p.mu.Lock()
	p.fail = nil // staff topped up the account
	p.mu.Unlock()
	drain(t, w, c, now.Add(2*time.Hour))
	if store.Count(notify.Sent) != 4 {
		t.Errorf("%d sent after the rest, want 4", store.Count(notify.Sent))
	}
}

func TestWorkerChannelOff(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := notifytest.NewStore(pol)
	enqueue(t, store, deputyMsg(1, notify.SMS), now)
	c := notifytest.NewClock(now)
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Senders: map[notify.Channel]notify.Sender{}}
	wake, err := w.Tick(context.Background())
	if err != nil || !wake.IsZero() || store.Count(notify.Pending) != 1 {
		t.Errorf("wake %s, err %v, %d pending: an unconfigured channel leaves its messages waiting and the worker idle", wake, err, store.Count(notify.Pending))
	}
}

// gatedSender accepts a send only when released, so a test can hold one
// try in flight.
type gatedSender struct {
	started chan struct{}
	release chan struct{}
}

func (g gatedSender) Send(ctx context.Context, d notify.Delivery, m notify.Message) notify.Outcome {
	g.started <- struct{}{}
	<-g.release
	return notify.Outcome{Result: notify.Delivered, Ref: "biz-" + notify.OutID(d.Key)}
}

// A Tick beside another (a Flush while the serving worker sends) returns
// only once the try under way is stored: whoever counts after it sees the
// message sent, not sending.
func TestWorkerTicksOneAtATime(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	store := notifytest.NewStore(pol)
	m := deputyMsg(1, notify.SMS)
	enqueue(t, store, m, now)
	c := notifytest.NewClock(now)
	g := gatedSender{started: make(chan struct{}), release: make(chan struct{})}
	w := &notify.Worker{Store: store, Policies: pol, Now: c.Now, Rand: func() float64 { return 0.5 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: g}}

	first := make(chan error, 1)
	go func() { _, err := w.Tick(context.Background()); first <- err }()
	<-g.started // the first tick holds the message at the provider
	second := make(chan error, 1)
	go func() { _, err := w.Tick(context.Background()); second <- err }()
	select {
	case <-second:
		t.Fatal("a second tick returned while the first still had a try under way")
	case <-time.After(50 * time.Millisecond):
	}
	close(g.release)
	for _, ch := range []chan error{first, second} {
		if err := <-ch; err != nil {
			t.Fatal(err)
		}
	}
	if d := delivery(t, store, m); d.State != notify.Sent {
		t.Fatalf("after both ticks the message is %s, want sent", d.State)
	}
}
