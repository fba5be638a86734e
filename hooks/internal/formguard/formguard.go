// Package formguard keeps floods and bots off the public no-JavaScript
// forms (resident suggestions, the enterprise channel, bookings, comments,
// surveys) without locking out a village behind one carrier address: counts
// per address and key in fixed windows, a signed form token with a minimum
// fill time, and a small sum to answer instead of a refusal under the soft
// limits. Each form keeps its own Guard; the flow that uses it is in
// hooks/suggestions (submitTo), the model for new forms.
package formguard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limits are the abuse controls of a public form (X4).
//
// Rural carriers put a whole village behind one address, so limits per
// address alone would lock a village out: the tight limits count one address
// writing to one deputy's code; an address or a code past its soft limit
// gets a simple question to answer (no JavaScript needed) instead of a
// refusal; only the hard limits refuse. Soft limits count stored suggestions
// and bot signals, hard limits count every attempt, per Window.
type Limits struct {
	Window        time.Duration // counting window
	PerIPCodeSoft int           // one address → one code: from this many on, a question
	PerIPCodeHard int           // one address → one code: attempts above this are refused
	PerIPSoft     int           // one address, all codes: from this many on, a question
	PerIPHard     int           // one address, all codes: attempts above this are refused
	PerCodeSoft   int           // one code, all addresses: from this many on, a question (never refused)
	MinFill       time.Duration // a person needs at least this long to fill the form
	MaxFormAge    time.Duration // a form older than this is re-issued
}

// DefaultLimits are used unless SetLimits says otherwise.
var DefaultLimits = Limits{
	Window:        10 * time.Minute,
	PerIPCodeSoft: 3,
	PerIPCodeHard: 10,
	PerIPSoft:     30,
	PerIPHard:     100,
	PerCodeSoft:   30,
	MinFill:       3 * time.Second,
	MaxFormAge:    6 * time.Hour,
}

// Guard counts submissions in fixed windows and signs the form tokens of
// one public form (or a family of forms sharing one key space). Keys name
// what is written to: a deputy's code, a topic, a survey.
type Guard struct {
	mu          sync.Mutex
	limits      Limits
	secret      []byte
	macs        sync.Pool // of hmac.New(sha256.New, secret): every form's GET signs a token
	lastIssued  atomic.Pointer[issuedToken]
	windowStart time.Time
	window      string // windowStart as Verdict.Window shows it
	counts      map[string]int
}

// maxCountKeys bounds the counters' memory under a flood of addresses; past
// it new keys are not counted and everyone gets the question (never a
// refusal) until the window ends.
const maxCountKeys = 200_000

// New returns a guard with DefaultLimits and a fresh random signing key.
func New() *Guard {
	secret := make([]byte, 32)
	rand.Read(secret)
	g := &Guard{limits: DefaultLimits, secret: secret, counts: map[string]int{}}
	g.macs.New = func() any { return hmac.New(sha256.New, g.secret) }
	return g
}

// SetLimits replaces the limits and forgets the counts (tests, benchmarks).
func (g *Guard) SetLimits(l Limits) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limits = l
	g.counts = map[string]int{}
}

// Limits returns the limits in force.
func (g *Guard) Limits() Limits {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limits
}

// Verdict is what the guard decided about one attempt.
type Verdict struct {
	Refused   bool   // hard limit: 429, nothing stored
	Challenge bool   // soft limit: a question must be answered
	IPKey     int    // attempts by this address on this key in the window
	IP        int    // attempts by this address in the window
	Window    string // the counting window, for tallies shown to staff
}

// Counter keys. Hard limits count every attempt; soft limits count what got
// stored or looked like a bot, so a resident who mistypes their phone twice
// is not asked a question for it.
func attemptKeys(ip, code string) []string { return []string{"a|" + ip + "|" + code, "a|" + ip} }
func softKeys(ip, code string) []string {
	return []string{"s|" + ip + "|" + code, "s|" + ip, "s||" + code}
}

// roll starts a new window when the current one has passed. Call with mu held.
func (g *Guard) roll(now time.Time) time.Time {
	start := now.Truncate(g.limits.Window)
	if !start.Equal(g.windowStart) {
		g.windowStart = start
		g.window = start.UTC().Format("2006-01-02T15:04")
		clear(g.counts)
	}
	return start
}

// add increments keys and returns their counts; a key that does not fit
// under maxCountKeys counts 0 and reports full.
func (g *Guard) add(keys []string) (n []int, full bool) {
	n = make([]int, len(keys))
	for i, k := range keys {
		c, ok := g.counts[k]
		if !ok && len(g.counts) >= maxCountKeys {
			full = true
			continue
		}
		c++
		g.counts[k] = c
		n[i] = c
	}
	return n, full
}

// Check counts an attempt (attempt = true: a POST) or only looks (the GET of
// the form, to ask the question up front) and returns the verdict.
func (g *Guard) Check(now time.Time, ip, code string, attempt bool) Verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.limits
	g.roll(now)
	v := Verdict{Window: g.window}
	full := len(g.counts) >= maxCountKeys
	if attempt {
		n, _ := g.add(attemptKeys(ip, code))
		v.IPKey, v.IP = n[0], n[1]
		v.Refused = v.IPKey > l.PerIPCodeHard || v.IP > l.PerIPHard
	}
	// The soft keys (softKeys) looked up from a buffer on the stack: every
	// GET of a form checks them, and only Note needs them as strings.
	var buf [128]byte
	k := append(append(append(append(buf[:0], "s|"...), ip...), '|'), code...)
	v.Challenge = full || g.counts[string(k)] >= l.PerIPCodeSoft ||
		g.counts[string(k[:2+len(ip)])] >= l.PerIPSoft
	k = append(append(buf[:0], "s||"...), code...)
	v.Challenge = v.Challenge || g.counts[string(k)] >= l.PerCodeSoft
	return v
}

// Note counts a stored submission or a bot signal toward the soft limits.
func (g *Guard) Note(now time.Time, ip, code string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.roll(now)
	g.add(softKeys(ip, code))
}

// Token is what the hidden field of the form carries, signed.
type Token struct {
	Key       string
	Issued    time.Time
	Challenge string // HMAC of the expected answer; empty: no question asked
}

// mac signs parts joined by NUL bytes, with an HMAC from the pool (making
// one hashes the key twice, as much as signing a token does).
func (g *Guard) mac(parts ...string) string {
	m := g.macs.Get().(hash.Hash)
	m.Reset()
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		io.WriteString(m, p)
	}
	var sum [sha256.Size]byte
	out := base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0])[:16])
	g.macs.Put(m)
	return out
}

// Issue signs a form token for key; answer < 0 asks no question. The
// issue time is written in base 36: thirteen decimal digits starting 17…
// would read as a mobile number on a public page (and trip the checks that
// no page shows one).
//
// A token without a question depends only on the key and the millisecond,
// so the last one issued is kept and given again within its millisecond (a
// busy page's GETs) instead of signed again.
func (g *Guard) Issue(code string, now time.Time, answer int) string {
	ms := now.UnixMilli()
	if answer < 0 {
		if t := g.lastIssued.Load(); t != nil && t.ms == ms && t.code == code {
			return t.token
		}
	}
	issued := strconv.FormatInt(ms, 36)
	ch := ""
	if answer >= 0 {
		ch = g.mac("answer", code, issued, strconv.Itoa(answer))
	}
	token := issued + "." + ch + "." + g.mac("form", code, issued, ch)
	if answer < 0 {
		g.lastIssued.Store(&issuedToken{code: code, ms: ms, token: token})
	}
	return token
}

// issuedToken is a token without a question, for Issue to give again.
type issuedToken struct {
	code  string
	ms    int64
	token string
}

// Parse checks a token's signature and that it was made for code.
func (g *Guard) Parse(code, tok string) (Token, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return Token{}, false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(g.mac("form", code, parts[0], parts[1]))) {
		return Token{}, false
	}
	ms, err := strconv.ParseInt(parts[0], 36, 64)
	if err != nil {
		return Token{}, false
	}
	return Token{Key: code, Issued: time.UnixMilli(ms), Challenge: parts[1]}, true
}

// AnswerOK reports whether answer solves the question t carries.
func (g *Guard) AnswerOK(t Token, answer string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(answer))
	if err != nil || t.Challenge == "" {
		return false
	}
	want := g.mac("answer", t.Key, strconv.FormatInt(t.Issued.UnixMilli(), 36), strconv.Itoa(n))
	return hmac.Equal([]byte(t.Challenge), []byte(want))
}

// NewChallenge returns a small sum an elderly resident can do in their head.
func NewChallenge() (question string, answer int) {
	a, _ := rand.Int(rand.Reader, big.NewInt(9))
	b, _ := rand.Int(rand.Reader, big.NewInt(9))
	x, y := int(a.Int64())+1, int(b.Int64())+1
	return fmt.Sprintf("%d 加 %d 等于几？", x, y), x + y
}
