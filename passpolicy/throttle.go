package passpolicy

import (
	"sync"
	"time"
)

// Clock tells the time; tests give a fake one.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SystemClock is the real time.
var SystemClock Clock = systemClock{}

// ThrottleConfig says how failed logins are slowed.
type ThrottleConfig struct {
	// FreeFailures failures in a row cost nothing: typos happen.
	FreeFailures int
	// BaseDelay is the wait after the first failure beyond the free ones;
	// it doubles with each further failure up to MaxDelay.
	BaseDelay, MaxDelay time.Duration
	// ForgetAfter a quiet time this long an account's failures are forgotten.
	ForgetAfter time.Duration
	// MaxEntries bounds the accounts tracked at once (memory).
	MaxEntries int
}

// DefaultThrottle: 5 free failures, then 2 s, 4 s, 8 s … up to 10 minutes
// between tries (at most 144 guesses a day for one account from the whole
// internet), forgotten after a quiet day; 10000 accounts tracked (under
// 2 MB).
var DefaultThrottle = ThrottleConfig{
	FreeFailures: 5,
	BaseDelay:    2 * time.Second,
	MaxDelay:     10 * time.Minute,
	ForgetAfter:  24 * time.Hour,
	MaxEntries:   10_000,
}

// Throttle slows repeated failed logins per account (not per IP, which an
// attacker can change). It never locks anyone out: the delay is capped, a
// try after the delay is always checked (so a correct password then always
// works), tries during the delay are refused unchecked and do not lengthen
// it, and success forgets the account's failures.
//
// Keys are opaque: use the normalised login identity, the same whether or
// not the account exists, so that a slowdown does not tell which phone
// numbers have accounts. To keep an attacker who keeps an account's delay
// running from delaying its owner too, give each of the owner's known
// devices a lane of its own (LaneKey with a DeviceTokens id): the owner's
// phone is then slowed only by its own failures.
type Throttle struct {
	cfg   ThrottleConfig
	clock Clock

	mu        sync.Mutex
	entries   map[string]*entry
	lastSweep time.Time
}

type entry struct {
	failures int
	last     time.Time // last failure
	until    time.Time // no try is checked before this
}

// NewThrottle makes a throttle; zero fields of cfg take DefaultThrottle's.
func NewThrottle(cfg ThrottleConfig, clock Clock) *Throttle {
	d := DefaultThrottle
	if cfg.FreeFailures <= 0 {
		cfg.FreeFailures = d.FreeFailures
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = d.BaseDelay
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = d.MaxDelay
	}
	if cfg.ForgetAfter <= 0 {
		cfg.ForgetAfter = d.ForgetAfter
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = d.MaxEntries
	}
	if clock == nil {
		clock = SystemClock
	}
	return &Throttle{cfg: cfg, clock: clock, entries: map[string]*entry{}}
}

// LaneKey is the key of a login attempt: the account alone for unknown
// devices, or the account and a verified device id.
func LaneKey(account, deviceID string) string {
	if deviceID == "" {
		return account
	}
	return account + "\x00" + deviceID
}

// Begin is called before checking a password. A zero wait means: check it
// now, then call Failed or Succeeded. A positive wait means: refuse this
// try unchecked (HTTP 429) and say when to try again. A try that is let
// through while the account is being slowed holds the next slot, so that
// many tries sent at the same instant get one check between them.
func (t *Throttle) Begin(key string) (wait time.Duration) {
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.get(key, now)
	if e == nil {
		return 0
	}
	if now.Before(e.until) {
		return e.until.Sub(now)
	}
	if d := t.delay(e.failures); d > 0 {
		e.until = now.Add(d)
	}
	return 0
}

// Failed records a wrong password and returns the wait before the next try
// is checked.
func (t *Throttle) Failed(key string) (wait time.Duration) {
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.get(key, now)
	if e == nil {
		if len(t.entries) >= t.cfg.MaxEntries {
			t.evict(now)
		}
		e = &entry{}
		t.entries[key] = e
	}
	e.failures++
	e.last = now
	e.until = now.Add(t.delay(e.failures))
	return e.until.Sub(now)
}

// Succeeded forgets the account's failures.
func (t *Throttle) Succeeded(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// Len is how many keys are tracked.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

func (t *Throttle) delay(failures int) time.Duration {
	n := failures - t.cfg.FreeFailures
	if n <= 0 {
		return 0
	}
	d := t.cfg.BaseDelay
	for ; n > 1 && d < t.cfg.MaxDelay; n-- {
		d *= 2
	}
	return min(d, t.cfg.MaxDelay)
}

// get returns the live entry of key, dropping it if forgotten.
func (t *Throttle) get(key string, now time.Time) *entry {
	e := t.entries[key]
	if e != nil && now.Sub(e.last) >= t.cfg.ForgetAfter && !now.Before(e.until) {
		delete(t.entries, key)
		return nil
	}
	return e
}

// evictSample is how many entries evict looks at when nothing has expired.
const evictSample = 32

// evict makes room for one entry: every forgotten entry goes, or else the
// weakest of a sample (fewest failures, then oldest). An attacker spraying
// single failures over many accounts thus pushes out their own cheap
// entries, not an account that has piled up failures and is being slowed.
func (t *Throttle) evict(now time.Time) {
	// The sweep is O(entries): at most once a minute, not on every failure
	// of a spray.
	if now.Sub(t.lastSweep) >= time.Minute {
		t.lastSweep = now
		for k, e := range t.entries {
			if now.Sub(e.last) >= t.cfg.ForgetAfter && !now.Before(e.until) {
				delete(t.entries, k)
			}
		}
		if len(t.entries) < t.cfg.MaxEntries {
			return
		}
	}
	var victim string
	var weakest *entry
	seen := 0
	for k, e := range t.entries { // map order is random: a random sample
		if weakest == nil || e.failures < weakest.failures || e.failures == weakest.failures && e.last.Before(weakest.last) {
			victim, weakest = k, e
		}
		if seen++; seen == evictSample {
			break
		}
	}
	delete(t.entries, victim)
}
