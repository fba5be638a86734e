// Package otplimit counts requests per key (a phone's hash, an address)
// in sliding windows, for the SMS-code route: a phone gets at most one code
// a minute, five an hour and ten a day (Alibaba's own 验证码 limits), an
// address twenty per ten minutes. Pure: the caller passes the time.
package otplimit

import (
	"sync"
	"time"
)

// Rule allows Max requests per Per.
type Rule struct {
	Max int
	Per time.Duration
}

// Phone and Address are the rules of the SMS-code route.
var (
	Phone   = []Rule{{1, time.Minute}, {5, time.Hour}, {10, 24 * time.Hour}}
	Address = []Rule{{20, 10 * time.Minute}}
)

// maxKeys bounds the memory a spray of keys can take; beyond it the
// oldest key is forgotten.
const maxKeys = 100_000

// Limiter remembers the allowed requests of each key. Safe for concurrent use.
type Limiter struct {
	rules  []Rule
	mu     sync.Mutex
	seen   map[string][]time.Time
	order  []string // keys in order of first use, for forgetting
	window time.Duration
}

// New returns a limiter applying every rule to every key.
func New(rules []Rule) *Limiter {
	l := &Limiter{rules: rules, seen: map[string][]time.Time{}}
	for _, r := range rules {
		l.window = max(l.window, r.Per)
	}
	return l
}

// Allow reports whether key may make a request at now, and counts it if so.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.seen[key]
	kept := times[:0]
	for _, t := range times {
		if now.Sub(t) < l.window {
			kept = append(kept, t)
		}
	}
	for _, r := range l.rules {
		n := 0
		for _, t := range kept {
			if now.Sub(t) < r.Per {
				n++
			}
		}
		if n >= r.Max {
			l.seen[key] = kept
			return false
		}
	}
	if _, known := l.seen[key]; !known {
		l.order = append(l.order, key)
		if len(l.order) > maxKeys {
			delete(l.seen, l.order[0])
			l.order = l.order[1:]
		}
	}
	l.seen[key] = append(kept, now)
	return true
}
