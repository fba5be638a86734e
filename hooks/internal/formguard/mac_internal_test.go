package formguard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
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

// Issue gives what signing afresh gives, whether the token is new or the
// one kept for its key and millisecond, keys and times interleaved.
func TestIssueGivesTheSignedToken(t *testing.T) {
	g := New()
	fresh := func(code string, at time.Time) string {
		issued := strconv.FormatInt(at.UnixMilli(), 36)
		return issued + ".." + g.mac("form", code, issued, "")
	}
	at := time.Date(2026, 12, 2, 0, 20, 0, 0, time.UTC)
	for i := range 40 {
		code := []string{"abcd2345ef", "zz99yy88xx", "enterprise-channel"}[i%3]
		now := at.Add(time.Duration(i/5) * time.Millisecond)
		if got, want := g.Issue(code, now, -1), fresh(code, now); got != want {
			t.Fatalf("%d: Issue(%s, %v) = %s, want %s", i, code, now, got, want)
		}
		if got := g.Issue(code, now, -1); got != fresh(code, now) {
			t.Fatalf("%d: the kept token %s is not %s's", i, got, code)
		}
		if tok, ok := g.Parse(code, g.Issue(code, now, 7)); !ok || !g.AnswerOK(tok, "7") {
			t.Fatalf("%d: a token with a question does not parse or answer", i)
		}
	}
}

// Check asks the question exactly when the soft keys' counts say so, as
// looking them up by softKeys did.
func TestCheckReadsTheSoftKeys(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 20, 0, 0, time.UTC)
	for ipCode := range 3 {
		for ipAll := range 3 {
			for codeAll := range 3 {
				g := New()
				g.SetLimits(Limits{Window: time.Hour, PerIPCodeSoft: 2, PerIPCodeHard: 100, PerIPSoft: 2, PerIPHard: 100, PerCodeSoft: 2})
				s := softKeys("10.0.0.1", "abcd2345ef")
				g.counts[s[0]], g.counts[s[1]], g.counts[s[2]] = ipCode, ipAll, codeAll
				g.windowStart, g.window = now.Truncate(time.Hour), "w"
				want := ipCode >= 2 || ipAll >= 2 || codeAll >= 2
				if got := g.Check(now, "10.0.0.1", "abcd2345ef", false).Challenge; got != want {
					t.Errorf("counts %d %d %d: challenge %v, want %v", ipCode, ipAll, codeAll, got, want)
				}
			}
		}
	}
}
