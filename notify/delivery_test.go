package notify_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"simeng/notify"
)

var pol = notify.DefaultPolicies()

func TestBackoff(t *testing.T) {
	p := notify.Policy{Base: time.Minute, Max: time.Hour}
	tests := []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{n: 1, r: 0, want: 30 * time.Second},
		{n: 1, r: 0.5, want: 45 * time.Second},
		{n: 2, r: 0, want: time.Minute},
		{n: 3, r: 0, want: 2 * time.Minute},
		{n: 7, r: 0, want: 30 * time.Minute}, // 64 min capped at 60, half fixed
		{n: 100, r: 0, want: 30 * time.Minute},
		{n: 0, r: 0, want: 30 * time.Second},  // treated as the first
		{n: 1, r: -1, want: 30 * time.Second}, // out of range: no jitter
		{n: 1, r: 1, want: 30 * time.Second},  // out of range: no jitter
	}
	for _, tt := range tests {
		if got := p.Backoff(tt.n, tt.r); got != tt.want {
			t.Errorf("Backoff(%d, %v) = %v, want %v", tt.n, tt.r, got, tt.want)
		}
	}
	if got := p.Backoff(100, 0.999999); got >= time.Hour || got < 59*time.Minute {
		t.Errorf("Backoff with the most jitter = %v, want just under the cap", got)
	}
	huge := notify.Policy{Base: 1 << 62, Max: 2 * time.Hour}
	if got := huge.Backoff(10, 0); got != time.Hour {
		t.Errorf("an overflowing base is capped: %v", got)
	}
}

func sms(key string, urgent bool) notify.Message {
	return notify.Message{EventKey: key, Recipient: "dep1", Channel: notify.SMS, Template: notify.TplAckReminder,
		Params: map[string]string{"due": "2025-06-02 09:00", "category": "道路交通"}, Urgent: urgent}
}

func TestNewDeliveryQuietHours(t *testing.T) {
	night := cst(t, "2025-06-01 22:15")
	tests := []struct {
		name string
		m    notify.Message
		now  time.Time
		want time.Time
	}{
		{name: "SMS at night waits for 08:00", m: sms("a", false), now: night, want: cst(t, "2025-06-02 08:00")},
		{name: "urgent SMS goes at once", m: sms("a", true), now: night, want: night},
		{name: "in-app at night goes at once", m: func() notify.Message { m := sms("a", false); m.Channel = notify.InApp; return m }(), now: night, want: night},
		{name: "SMS in the day goes at once", m: sms("a", false), now: cst(t, "2025-06-01 10:00"), want: cst(t, "2025-06-01 10:00")},
		{name: "NotBefore in the night moves to 08:00", m: func() notify.Message {
			m := sms("a", false)
			m.NotBefore = cst(t, "2025-06-01 23:00")
			return m
		}(), now: cst(t, "2025-06-01 10:00"), want: cst(t, "2025-06-02 08:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := notify.NewDelivery(tt.m, tt.now, pol[tt.m.Channel])
			if d.State != notify.Pending || !d.NextAt.Equal(tt.want) {
				t.Errorf("got %s at %s, want pending at %s", d.State, d.NextAt.In(notify.ChinaTime), tt.want)
			}
			if d.Key != tt.m.DedupeKey() {
				t.Error("the delivery's key is the message's dedupe key")
			}
		})
	}
}

func TestClaim(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	fresh := notify.NewDelivery(sms("a", false), now, pol[notify.SMS])
	sending, err := fresh.Claim(now, pol[notify.SMS])
	if err != nil {
		t.Fatal(err)
	}
	wecom := fresh
	wecom.Channel = notify.WeCom
	wecomSending, _ := wecom.Claim(now, pol[notify.WeCom])
	expiring := fresh
	expiring.NotAfter = now.Add(-time.Second)

	tests := []struct {
		name string
		d    notify.Delivery
		at   time.Time
		p    notify.Policy
		ok   bool
	}{
		{name: "not yet due", d: fresh, at: now.Add(-time.Second), p: pol[notify.SMS]},
		{name: "expired", d: expiring, at: now, p: pol[notify.SMS]},
		{name: "quiet hours came in between", d: fresh, at: cst(t, "2025-06-01 21:30"), p: pol[notify.SMS]},
		{name: "SMS sending within its lease", d: sending, at: now.Add(time.Minute), p: pol[notify.SMS]},
		{name: "SMS sending past its lease is looked up, never re-claimed", d: sending, at: now.Add(time.Hour), p: pol[notify.SMS]},
		{name: "WeCom sending within its lease", d: wecomSending, at: now.Add(time.Minute), p: pol[notify.WeCom]},
		{name: "sent", d: notify.Delivery{State: notify.Sent}, at: now, p: pol[notify.SMS]},
		{name: "dead", d: notify.Delivery{State: notify.Dead}, at: now, p: pol[notify.SMS]},
		{name: "due", d: fresh, at: now, p: pol[notify.SMS], ok: true},
		{name: "WeCom sending past its lease is sent again", d: wecomSending, at: now.Add(time.Hour), p: pol[notify.WeCom], ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.d.Claim(tt.at, tt.p)
			if !tt.ok {
				if !errors.Is(err, notify.ErrNotClaimable) || got != tt.d {
					t.Errorf("Claim = %+v, %v; want it refused and unchanged", got, err)
				}
				return
			}
			if err != nil || got.State != notify.Sending || got.Attempts != tt.d.Attempts+1 ||
				!got.AttemptedAt.Equal(tt.at) || !got.LeaseUntil.Equal(tt.at.Add(tt.p.Lease)) {
				t.Errorf("Claim = %+v, %v", got, err)
			}
		})
	}
}

// claimed returns an SMS delivery claimed for its n-th try at now.
func claimed(t *testing.T, ch notify.Channel, n int, now time.Time) notify.Delivery {
	t.Helper()
	m := sms("a", false)
	m.Channel = ch
	d := notify.NewDelivery(m, now, pol[ch])
	d.Attempts = n - 1
	d, err := d.Claim(now, pol[ch])
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRecord(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	later := now.Add(10 * time.Second)
	smsP, wecomP := pol[notify.SMS], pol[notify.WeCom]

	tests := []struct {
		name  string
		d     notify.Delivery
		at    time.Time // when the outcome is recorded; zero: later
		o     notify.Outcome
		p     notify.Policy
		check func(t *testing.T, d notify.Delivery)
	}{
		{
			name: "delivered", d: claimed(t, notify.SMS, 1, now), p: smsP,
			o: notify.Outcome{Result: notify.Delivered, Ref: "biz-1"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Sent || d.Ref != "biz-1" || !d.SentAt.Equal(later) || d.LastError != "" {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "retry waits the backoff", d: claimed(t, notify.SMS, 3, now), p: smsP,
			o: notify.Outcome{Result: notify.Retry, Code: "http 503"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Failed || !d.NextAt.Equal(later.Add(smsP.Backoff(3, 0))) || d.LastError != "http 503" {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "retry waits at least what the provider asks", d: claimed(t, notify.SMS, 1, now), p: smsP,
			o: notify.Outcome{Result: notify.Retry, Code: "isv.BUSINESS_LIMIT_CONTROL", RetryAfter: time.Hour},
			check: func(t *testing.T, d notify.Delivery) {
				if !d.NextAt.Equal(later.Add(time.Hour)) {
					t.Errorf("next at %s", d.NextAt)
				}
			},
		},
		{
			name: "a retry falling in the night waits for 08:00", p: smsP,
			d: claimed(t, notify.SMS, 1, cst(t, "2025-06-01 20:30")), at: cst(t, "2025-06-01 20:31"),
			o: notify.Outcome{Result: notify.Retry, RetryAfter: time.Hour},
			check: func(t *testing.T, d notify.Delivery) {
				if !d.NextAt.Equal(cst(t, "2025-06-02 08:00")) {
					t.Errorf("next at %s", d.NextAt.In(notify.ChinaTime))
				}
			},
		},
		{
			name: "the last try failing is dead with its error kept", d: claimed(t, notify.SMS, smsP.MaxAttempts, now), p: smsP,
			o: notify.Outcome{Result: notify.Retry, Code: "connect", Detail: "provider unreachable"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Dead || d.LastError != "connect: provider unreachable" {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "reject is dead at once", d: claimed(t, notify.SMS, 1, now), p: smsP,
			o: notify.Outcome{Result: notify.Reject, Code: "isv.MOBILE_NUMBER_ILLEGAL"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Dead || d.LastError != "isv.MOBILE_NUMBER_ILLEGAL" {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "unknown on SMS stays sending until a lookup, after the lease", d: claimed(t, notify.SMS, 1, now), p: smsP,
			o: notify.Outcome{Result: notify.Unknown, Code: "timeout"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Sending || d.Reconciles != 1 || d.LeaseUntil.Before(now.Add(smsP.Lease)) || d.Attempts != 1 {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "unknown on WeCom is a retry", d: claimed(t, notify.WeCom, 1, now), p: wecomP,
			o: notify.Outcome{Result: notify.Unknown, Code: "timeout"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Failed {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "unknown after every lookup is dead, never re-sent", p: smsP,
			d: func() notify.Delivery {
				d := claimed(t, notify.SMS, 1, now)
				d.Reconciles = smsP.MaxReconciles
				return d
			}(),
			o: notify.Outcome{Result: notify.Unknown, Code: "lookup failed"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Dead || !strings.HasPrefix(d.LastError, notify.ReasonOutcomeUnknown) {
					t.Errorf("got %+v", d)
				}
			},
		},
		{
			name: "blocked does not use up a try", d: claimed(t, notify.SMS, smsP.MaxAttempts, now), p: smsP,
			o: notify.Outcome{Result: notify.Blocked, Code: "isv.OUT_OF_SERVICE"},
			check: func(t *testing.T, d notify.Delivery) {
				if d.State != notify.Failed || d.Attempts != smsP.MaxAttempts-1 || !d.NextAt.Equal(later.Add(smsP.BlockedWait)) {
					t.Errorf("got %+v", d)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.at
			if at.IsZero() {
				at = later
			}
			got, err := tt.d.Record(at, tt.o, tt.p, 0)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}

	if _, err := (notify.Delivery{State: notify.Pending}).Record(now, notify.Outcome{Result: notify.Delivered}, smsP, 0); !errors.Is(err, notify.ErrNotSending) {
		t.Errorf("recording without a try under way: %v", err)
	}
}

func TestReviveAndGiveUp(t *testing.T) {
	now := cst(t, "2025-06-01 22:00")
	d := claimed(t, notify.SMS, 1, cst(t, "2025-06-01 10:00"))
	dead := d.GiveUp(notify.ReasonExpired)
	if dead.State != notify.Dead || dead.LastError != notify.ReasonExpired {
		t.Fatalf("GiveUp = %+v", dead)
	}
	back := dead.Revive(now, pol[notify.SMS])
	if back.State != notify.Pending || back.Attempts != 0 || !back.NextAt.Equal(cst(t, "2025-06-02 08:00")) {
		t.Errorf("Revive at night = %+v", back)
	}
	sent, _ := d.Record(now, notify.Outcome{Result: notify.Delivered}, pol[notify.SMS], 0)
	if sent.GiveUp("x") != sent || sent.Revive(now, pol[notify.SMS]) != sent {
		t.Error("a sent delivery stays sent")
	}
}
