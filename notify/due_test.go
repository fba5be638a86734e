package notify_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/notify"
)

// dl is a delivery for planner tests.
func dl(key string, ch notify.Channel, st notify.State, next time.Time) notify.Delivery {
	return notify.Delivery{Key: key, Channel: ch, Recipient: "r-" + key, State: st, NextAt: next}
}

// describe lists a plan's tasks as "kind key" lines.
func describe(p notify.Plan) string {
	var lines []string
	for _, t := range p.Tasks {
		lines = append(lines, t.Kind.String()+" "+t.Delivery.Key)
	}
	return strings.Join(lines, "; ")
}

func TestDue(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	night := cst(t, "2025-06-01 22:00")
	sendingSMS := dl("s", notify.SMS, notify.Sending, time.Time{})
	sendingSMS.Attempts, sendingSMS.LeaseUntil = 1, now.Add(-time.Second)
	sendingWeCom := dl("w", notify.WeCom, notify.Sending, time.Time{})
	sendingWeCom.Attempts, sendingWeCom.LeaseUntil = 1, now.Add(-time.Second)
	exhaustedWeCom := sendingWeCom
	exhaustedWeCom.Key, exhaustedWeCom.Attempts = "x", pol[notify.WeCom].MaxAttempts
	leased := sendingSMS
	leased.Key, leased.LeaseUntil = "l", now.Add(3*time.Minute)
	expired := dl("e", notify.SMS, notify.Failed, now.Add(-time.Hour))
	expired.NotAfter = now.Add(-time.Minute)
	urgentNight := dl("u", notify.SMS, notify.Pending, night)
	urgentNight.Urgent = true

	tests := []struct {
		name  string
		snap  notify.Snapshot
		tasks string
		wake  time.Time
	}{
		{name: "nothing open", snap: notify.Snapshot{Now: now}},
		{
			name: "final deliveries are ignored",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{dl("a", notify.SMS, notify.Sent, now), dl("b", notify.SMS, notify.Dead, now)}},
		},
		{
			name:  "due pending and failed are sent, oldest first",
			snap:  notify.Snapshot{Now: now, Open: []notify.Delivery{dl("b", notify.SMS, notify.Failed, now.Add(-time.Minute)), dl("a", notify.SMS, notify.Pending, now)}},
			tasks: "send b; send a",
		},
		{
			name: "urgent before older",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{dl("b", notify.SMS, notify.Pending, now.Add(-time.Hour)), func() notify.Delivery {
				d := dl("a", notify.SMS, notify.Pending, now)
				d.Urgent = true
				return d
			}()}},
			tasks: "send a; send b",
		},
		{
			name: "not yet due: wake at its time",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{dl("a", notify.SMS, notify.Pending, now.Add(5*time.Minute))}},
			wake: now.Add(5 * time.Minute),
		},
		{
			name:  "non-urgent SMS in quiet hours waits for 08:00; urgent and in-app do not",
			snap:  notify.Snapshot{Now: night, Open: []notify.Delivery{dl("a", notify.SMS, notify.Pending, night), urgentNight, dl("i", notify.InApp, notify.Pending, night)}},
			tasks: "send u; send i",
			wake:  cst(t, "2025-06-02 08:00"),
		},
		{
			name:  "expired is given up",
			snap:  notify.Snapshot{Now: now, Open: []notify.Delivery{expired}},
			tasks: "give up e",
		},
		{
			name:  "SMS with a lost try is looked up, WeCom sent again, exhausted WeCom given up",
			snap:  notify.Snapshot{Now: now, Open: []notify.Delivery{sendingSMS, sendingWeCom, exhaustedWeCom}},
			tasks: "reconcile s; give up x; send w",
		},
		{
			name: "a try under way waits for its lease",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{leased}},
			wake: now.Add(3 * time.Minute),
		},
		{
			name: "a rested channel waits",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{dl("a", notify.SMS, notify.Pending, now), dl("i", notify.InApp, notify.Pending, now)},
				HeldUntil: map[notify.Channel]time.Time{notify.SMS: now.Add(30 * time.Minute)}},
			tasks: "send i",
			wake:  now.Add(30 * time.Minute),
		},
		{
			name: "a channel without a policy is skipped",
			snap: notify.Snapshot{Now: now, Open: []notify.Delivery{dl("a", "fax", notify.Pending, now)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := notify.Due(tt.snap, pol)
			if got := describe(p); got != tt.tasks {
				t.Errorf("tasks = %q, want %q", got, tt.tasks)
			}
			if !p.Wake.Equal(tt.wake) {
				t.Errorf("wake = %s, want %s", p.Wake, tt.wake)
			}
		})
	}
}

func TestDueRateLimit(t *testing.T) {
	now := cst(t, "2025-06-01 10:00")
	var open []notify.Delivery
	for i := range 30 {
		d := dl(fmt.Sprintf("m%02d", i), notify.WeCom, notify.Pending, now.Add(-time.Duration(30-i)*time.Second))
		d.Recipient = "office"
		open = append(open, d)
	}
	other := dl("z", notify.WeCom, notify.Pending, now)
	other.Recipient = "presidium-group"
	open = append(open, other)

	tests := []struct {
		name   string
		recent []notify.Attempt
		sends  int // to "office"
		wake   time.Time
	}{
		{name: "an idle robot takes 20", sends: 20, wake: now.Add(time.Minute)},
		{
			name:   "tries of the last minute count, failures too",
			recent: attempts("office", now.Add(-50*time.Second), 15),
			sends:  5, wake: now.Add(10 * time.Second),
		},
		{
			name:   "tries older than a minute do not count",
			recent: attempts("office", now.Add(-2*time.Minute), 20),
			sends:  20, wake: now.Add(time.Minute),
		},
		{
			name:   "a full window waits for its oldest try to leave",
			recent: append(attempts("office", now.Add(-40*time.Second), 10), attempts("office", now.Add(-10*time.Second), 10)...),
			sends:  0, wake: now.Add(20 * time.Second),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := notify.Due(notify.Snapshot{Now: now, Open: open, Recent: tt.recent}, pol)
			var office []string
			for _, task := range p.Tasks {
				if task.Delivery.Recipient == "office" {
					office = append(office, task.Delivery.Key)
				}
			}
			if len(office) != tt.sends {
				t.Errorf("%d sends to the office robot, want %d", len(office), tt.sends)
			}
			if !slices.IsSorted(office) {
				t.Errorf("oldest first: %v", office)
			}
			if !slices.ContainsFunc(p.Tasks, func(t notify.Task) bool { return t.Delivery.Key == "z" }) {
				t.Error("another robot has its own limit")
			}
			if !p.Wake.Equal(tt.wake) {
				t.Errorf("wake = %s, want %s", p.Wake.Sub(now), tt.wake.Sub(now))
			}
		})
	}
}

func attempts(recipient string, at time.Time, n int) []notify.Attempt {
	var out []notify.Attempt
	for range n {
		out = append(out, notify.Attempt{Channel: notify.WeCom, Recipient: recipient, At: at})
	}
	return out
}
