package sms_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"simeng/notify"
	"simeng/notify/notifytest"
	"simeng/notify/sms"
)

var pol = notify.DefaultPolicies()

// sender is an sms.Sender over the stand-in with one deputy's phone and the
// ack reminder's template code.
func sender(t *testing.T, s *standIn, timeout time.Duration) *sms.Sender {
	return &sms.Sender{
		Client: s.client(t, timeout),
		Phone: func(_ context.Context, recipient string) (string, error) {
			if recipient == "dep1" {
				return phone, nil
			}
			return "", sms.ErrNoPhone
		},
		Codes: map[notify.TemplateID]string{notify.TplAckReminder: "SMS_200001"},
	}
}

func reminder(recipient string) notify.Message {
	return notify.Message{
		EventKey: notify.EventKey(notify.TplAckReminder, "sug1"), Recipient: recipient, Channel: notify.SMS,
		Template: notify.TplAckReminder, Params: map[string]string{"due": "2025-06-02 09:00", "category": "道路交通"},
	}
}

// TestOutboxSMSKilledMidSend: the provider accepts the message, the server
// is killed before the answer arrives, a new server starts on the same
// outbox. The message is found by its OutId and marked sent; the provider
// gets it once.
func TestOutboxSMSKilledMidSend(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, notify.ChinaTime)
	clock := notifytest.NewClock(now)
	s := newStandIn(t, reply{hang: true})
	s.now = clock.Now
	store := notifytest.NewStore(pol)
	store.Enqueue(reminder("dep1"), now)

	first := &notify.Worker{Store: store, Policies: pol, Now: clock.Now,
		Senders: map[notify.Channel]notify.Sender{notify.SMS: sender(t, s, 5*time.Second)}}
	ctx, kill := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); first.Tick(ctx) }()
	waitFor(t, "the provider to accept", func() bool { _, _, accepted := s.counts(); return accepted == 1 })
	kill()
	<-done
	if store.Count(notify.Sending) != 1 {
		t.Fatalf("the killed try is left in sending: %d", store.Count(notify.Sending))
	}

	clock.Set(now.Add(pol[notify.SMS].Lease))
	restarted := &notify.Worker{Store: store, Policies: pol, Now: clock.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: sender(t, s, 5*time.Second)}}
	if err := notifytest.Drain(context.Background(), restarted, clock, now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sends, queries, accepted := s.counts()
	if store.Count(notify.Sent) != 1 || sends != 1 || accepted != 1 || queries != 1 {
		t.Errorf("sent %d; provider: %d sends, %d accepted, %d lookups; want 1, 1, 1, 1", store.Count(notify.Sent), sends, accepted, queries)
	}
}

// TestOutboxSMSProviderTrouble: a 503 whose message was not accepted is
// looked up, not found, and sent again; a message for a recipient without
// a phone dies with the reason kept; the parameters reach the provider.
func TestOutboxSMSProviderTrouble(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, notify.ChinaTime)
	clock := notifytest.NewClock(now)
	s := newStandIn(t, reply{status: 503}, reply{code: "isv.BUSINESS_LIMIT_CONTROL"})
	s.now = clock.Now
	store := notifytest.NewStore(pol)
	store.Enqueue(reminder("dep1"), now)
	store.Enqueue(reminder("nobody"), now)
	w := &notify.Worker{Store: store, Policies: pol, Now: clock.Now, Rand: func() float64 { return 0 },
		Senders: map[notify.Channel]notify.Sender{notify.SMS: sender(t, s, 5*time.Second)}}
	if err := notifytest.Drain(context.Background(), w, clock, now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sent, _ := store.Delivery(reminder("dep1").DedupeKey())
	dead, _ := store.Delivery(reminder("nobody").DedupeKey())
	if sent.State != notify.Sent || sent.Attempts != 3 {
		t.Errorf("dep1: %+v, want sent on the third try (503, flow control, OK)", sent)
	}
	if dead.State != notify.Dead || dead.LastError != "no phone: the recipient has no usable phone number" {
		t.Errorf("nobody: %+v", dead)
	}
	sends, queries, accepted := s.counts()
	if sends != 3 || queries != 1 || accepted != 1 {
		t.Errorf("%d sends, %d lookups, %d accepted; want 3, 1, 1", sends, queries, accepted)
	}
	s.mu.Lock()
	got := s.accepted[0]
	s.mu.Unlock()
	var params map[string]string
	if err := json.Unmarshal([]byte(got.Param), &params); err != nil || params["due"] != "2025-06-02 09:00" || len(params) != 1 {
		t.Errorf("TemplateParam = %s: only the SMS text's variable", got.Param)
	}
	if got.Template != "SMS_200001" || got.OutID != notify.OutID(reminder("dep1").DedupeKey()) {
		t.Errorf("provider got %+v", got)
	}
}
