package formguard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"
)

// The pooled HMAC signs exactly as a fresh one over the NUL-joined parts
// did, from several goroutines at once: tokens issued before the change
// still parse, and no signature leaks into another's.
func TestPooledMacSignsAsAFreshOne(t *testing.T) {
	g := New()
	fresh := func(parts ...string) string {
		m := hmac.New(sha256.New, g.secret)
		m.Write([]byte(strings.Join(parts, "\x00")))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
	}
	cases := [][]string{
		{"form", "abcd2345ef", "mabc123", ""},
		{"answer", "abcd2345ef", "mabc123", "17"},
		{"form", "", "", ""},
		{"form", "代表码", strings.Repeat("x", 200), "\x00"},
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				for _, parts := range cases {
					if got, want := g.mac(parts...), fresh(parts...); got != want {
						t.Errorf("mac(%q) = %s, a fresh HMAC gives %s", parts, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// The window a verdict names is its start in UTC, kept from one roll to
// the next instead of formatted per check.
func TestVerdictNamesItsWindow(t *testing.T) {
	g := New()
	at := time.Date(2026, 12, 2, 7, 23, 0, 0, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{at, "2026-12-01T23:20"},
		{at.Add(6 * time.Minute), "2026-12-01T23:20"},
		{at.Add(7 * time.Minute), "2026-12-01T23:30"},
		{at.Add(7 * time.Minute), "2026-12-01T23:30"},
	} {
		if got := g.Check(c.now, "10.0.0.1", "abcd2345ef", false).Window; got != c.want {
			t.Errorf("at %v: window %q, want %q", c.now, got, c.want)
		}
	}
}
