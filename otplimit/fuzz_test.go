package otplimit

import (
	"fmt"
	"testing"
	"time"
)

// FuzzLimiter drives the limiter with requests from outside (phones and
// addresses, each a key) at arbitrary, non-decreasing times and checks it
// against a plain model: a request is allowed exactly when, for every rule,
// fewer than Max earlier allowed requests of its key fall within Per before
// it; so no key ever gets more than Max in any window of Per.
func FuzzLimiter(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 60, 0, 60, 1, 0})
	f.Add([]byte{2, 255, 2, 255, 2, 255, 2, 255, 2, 255, 2, 255, 2, 255})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 600 {
			ops = ops[:600]
		}
		for _, rules := range [][]Rule{Phone, Address} {
			l := New(rules)
			allowed := map[string][]time.Time{}
			now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i+1 < len(ops); i += 2 {
				key := fmt.Sprintf("k%d", ops[i]%4)
				// Steps from a second to about four hours, skewed short.
				step := time.Duration(ops[i+1]) * time.Duration(ops[i+1]) * 250 * time.Millisecond
				now = now.Add(step)
				want := true
				for _, r := range rules {
					n := 0
					for _, at := range allowed[key] {
						if now.Sub(at) < r.Per {
							n++
						}
					}
					if n >= r.Max {
						want = false
					}
				}
				if got := l.Allow(key, now); got != want {
					t.Fatalf("op %d: Allow(%s) = %v, want %v (earlier allowed %d)", i/2, key, got, want, len(allowed[key]))
				}
				if want {
					allowed[key] = append(allowed[key], now)
				}
				for _, r := range rules {
					n := 0
					for _, at := range allowed[key] {
						if now.Sub(at) < r.Per {
							n++
						}
					}
					if n > r.Max {
						t.Fatalf("%s: %d allowed within %s, max %d", key, n, r.Per, r.Max)
					}
				}
			}
		}
	})
}
