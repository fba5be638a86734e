package passpolicy

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestThrottle(cfg ThrottleConfig) (*Throttle, *fakeClock) {
	c := &fakeClock{t: time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)}
	return NewThrottle(cfg, c), c
}

// login is one attempt as the hook makes it: refused unchecked while
// slowed, else checked and recorded.
func login(th *Throttle, key string, correct bool) (checked, ok bool, wait time.Duration) {
	if w := th.Begin(key); w > 0 {
		return false, false, w
	}
	if correct {
		th.Succeeded(key)
		return true, true, 0
	}
	return true, false, th.Failed(key)
}

func TestThrottleSlowsRepeatedFailuresExponentially(t *testing.T) {
	th, _ := newTestThrottle(ThrottleConfig{})
	var waits []time.Duration
	for range 16 {
		checked, _, w := login(th, "13812345678", false)
		if !checked {
			t.Fatal("a try refused before its wait was asked for")
		}
		waits = append(waits, w)
		th.clock.(*fakeClock).Advance(w)
	}
	want := []time.Duration{0, 0, 0, 0, 0, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second, 512 * time.Second,
		10 * time.Minute, 10 * time.Minute}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("waits %v\nwant  %v", waits, want)
	}
}

func TestThrottleNeverLocksTheOwnerOut(t *testing.T) {
	th, clock := newTestThrottle(ThrottleConfig{})
	const acct = "13812345678"
	for range 40 { // an attacker's guesses, each waiting its turn
		_, _, w := login(th, acct, false)
		clock.Advance(w)
	}
	// During the delay even the right password is refused unchecked…
	_, _, w := login(th, acct, false)
	if w != 10*time.Minute {
		t.Fatalf("wait %v after 41 failures, want the 10 minute cap", w)
	}
	clock.Advance(time.Minute)
	if checked, _, _ := login(th, acct, true); checked {
		t.Fatal("a try during the delay was checked")
	}
	// …and hammering during the delay does not lengthen it.
	for range 1000 {
		login(th, acct, false)
	}
	clock.Advance(9 * time.Minute)
	// After the capped delay the right password works, and resets all.
	if _, ok, _ := login(th, acct, true); !ok {
		t.Fatal("the right password after the delay was refused")
	}
	if checked, _, w := login(th, acct, false); !checked || w != 0 {
		t.Fatalf("after success: checked %v, wait %v; want a fresh start", checked, w)
	}
}

func TestThrottleChecksOneOfSimultaneousTries(t *testing.T) {
	th, clock := newTestThrottle(ThrottleConfig{})
	for range 6 {
		_, _, w := login(th, "a", false)
		clock.Advance(w)
	}
	checked := 0
	for range 100 { // 100 tries at the same instant
		if th.Begin("a") == 0 {
			checked++
		}
	}
	if checked != 1 {
		t.Fatalf("%d of 100 simultaneous tries were let through, want 1", checked)
	}
}

func TestThrottleForgetsAfterAQuietDay(t *testing.T) {
	th, clock := newTestThrottle(ThrottleConfig{})
	for range 8 {
		_, _, w := login(th, "a", false)
		clock.Advance(w)
	}
	clock.Advance(24 * time.Hour)
	if _, _, w := login(th, "a", false); w != 0 {
		t.Fatalf("wait %v a day later, want the free failures again", w)
	}
}

func TestThrottleKeepsAccountsApart(t *testing.T) {
	th, clock := newTestThrottle(ThrottleConfig{})
	for range 10 {
		_, _, w := login(th, "13800000001", false)
		clock.Advance(w / 2)
	}
	if w := th.Begin("13800000002"); w != 0 {
		t.Fatalf("another account waits %v", w)
	}
	// The owner's own device has a lane of its own.
	if w := th.Begin(LaneKey("13800000001", "phone-of-owner")); w != 0 {
		t.Fatalf("the owner's known device waits %v for the attacker's failures", w)
	}
	if w := th.Begin("13800000001"); w == 0 {
		t.Fatal("unknown devices are not slowed")
	}
}

func TestThrottleMemoryIsBoundedUnderASpray(t *testing.T) {
	th, clock := newTestThrottle(ThrottleConfig{MaxEntries: 1000})
	// The target piles up failures…
	for range 12 {
		_, _, w := login(th, "target", false)
		clock.Advance(w)
	}
	login(th, "target", false)
	// …then 100000 other accounts get one failure each.
	for i := range 100_000 {
		login(th, fmt.Sprintf("1%010d", i), false)
		if i%1000 == 0 {
			clock.Advance(time.Second)
		}
	}
	if n := th.Len(); n > 1000 {
		t.Fatalf("%d entries tracked, cap 1000", n)
	}
	if w := th.Begin("target"); w == 0 {
		t.Fatal("the spray pushed out the account under attack")
	}
}

func TestDeviceTokens(t *testing.T) {
	if _, err := NewDeviceTokens([]byte("short")); err != ErrShortDeviceKey {
		t.Fatalf("err = %v", err)
	}
	d, _ := NewDeviceTokens([]byte(strings.Repeat("k", 32)))
	other, _ := NewDeviceTokens([]byte(strings.Repeat("j", 32)))
	tok := d.Issue("13812345678")
	id, ok := d.Verify(tok, "13812345678")
	if !ok || id == "" || strings.Contains(tok, "13812345678") {
		t.Fatalf("Verify(%q) = %q, %v", tok, id, ok)
	}
	if d.Issue("13812345678") == tok {
		t.Fatal("two devices got the same token")
	}
	// Tampered: the first character changed (a token starting with "A"
	// made "A"+tok[1:] the token itself, 1 run in 64).
	tampered := "A" + tok[1:]
	if tok[0] == 'A' {
		tampered = "B" + tok[1:]
	}
	for name, bad := range map[string]func() bool{
		"another account": func() bool { _, ok := d.Verify(tok, "13900000000"); return ok },
		"another key":     func() bool { _, ok := other.Verify(tok, "13812345678"); return ok },
		"tampered":        func() bool { _, ok := d.Verify(tampered, "13812345678"); return ok },
		"no dot":          func() bool { _, ok := d.Verify("abc", "13812345678"); return ok },
		"empty":           func() bool { _, ok := d.Verify("", "13812345678"); return ok },
	} {
		if bad() {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzDeviceTokenVerify(f *testing.F) {
	d, _ := NewDeviceTokens([]byte(strings.Repeat("k", 32)))
	f.Add(d.Issue("a"), "a")
	f.Add("..", "")
	f.Fuzz(func(t *testing.T, token, account string) {
		if _, ok := d.Verify(token, account); ok && !strings.Contains(token, ".") {
			t.Fatalf("accepted %q", token)
		}
	})
}
