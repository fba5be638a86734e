package suggestions

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"

	"simeng/pii"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SubmitLimits are the abuse controls of the public suggestion form (X4).
//
// Rural carriers put a whole village behind one address, so limits per
// address alone would lock a village out: the tight limits count one address
// writing to one deputy's code; an address or a code past its soft limit
// gets a simple question to answer (no JavaScript needed) instead of a
// refusal; only the hard limits refuse. Soft limits count stored suggestions
// and bot signals, hard limits count every attempt, per Window.
type SubmitLimits struct {
	Window        time.Duration // counting window
	PerIPCodeSoft int           // one address → one code: from this many on, a question
	PerIPCodeHard int           // one address → one code: attempts above this are refused
	PerIPSoft     int           // one address, all codes: from this many on, a question
	PerIPHard     int           // one address, all codes: attempts above this are refused
	PerCodeSoft   int           // one code, all addresses: from this many on, a question (never refused)
	MinFill       time.Duration // a person needs at least this long to fill the form
	MaxFormAge    time.Duration // a form older than this is re-issued
}

// DefaultSubmitLimits are used unless SetSubmitLimits says otherwise.
var DefaultSubmitLimits = SubmitLimits{
	Window:        10 * time.Minute,
	PerIPCodeSoft: 3,
	PerIPCodeHard: 10,
	PerIPSoft:     30,
	PerIPHard:     100,
	PerCodeSoft:   30,
	MinFill:       3 * time.Second,
	MaxFormAge:    6 * time.Hour,
}

// SetSubmitLimits replaces the abuse limits of app's public form (tests and
// benchmarks; production keeps the defaults).
func SetSubmitLimits(app core.App, l SubmitLimits) {
	g := deskOf(app).guard
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limits = l
	g.counts = map[string]int{}
}

// submitGuard counts submissions in fixed windows and signs the form tokens.
type submitGuard struct {
	mu          sync.Mutex
	limits      SubmitLimits
	secret      []byte
	windowStart time.Time
	counts      map[string]int
}

// maxCountKeys bounds the counters' memory under a flood of addresses; past
// it new keys are not counted and everyone gets the question (never a
// refusal) until the window ends.
const maxCountKeys = 200_000

func newSubmitGuard() *submitGuard {
	secret := make([]byte, 32)
	rand.Read(secret)
	return &submitGuard{limits: DefaultSubmitLimits, secret: secret, counts: map[string]int{}}
}

func (g *submitGuard) config() SubmitLimits {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limits
}

// verdict is what the guard decided about one attempt.
type verdict struct {
	refused    bool // hard limit: 429, nothing stored
	challenge  bool // soft limit: a question must be answered
	ipCode     int  // attempts by this address on this code in the window
	ip         int  // attempts by this address in the window
	windowName string
}

// Counter keys. Hard limits count every attempt; soft limits count what got
// stored or looked like a bot, so a resident who mistypes their phone twice
// is not asked a question for it.
func attemptKeys(ip, code string) []string { return []string{"a|" + ip + "|" + code, "a|" + ip} }
func softKeys(ip, code string) []string {
	return []string{"s|" + ip + "|" + code, "s|" + ip, "s||" + code}
}

// roll starts a new window when the current one has passed. Call with mu held.
func (g *submitGuard) roll(now time.Time) time.Time {
	start := now.Truncate(g.limits.Window)
	if !start.Equal(g.windowStart) {
		g.windowStart = start
		clear(g.counts)
	}
	return start
}

// add increments keys and returns their counts; a key that does not fit
// under maxCountKeys counts 0 and reports full.
func (g *submitGuard) add(keys []string) (n []int, full bool) {
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

// check counts an attempt (attempt = true: a POST) or only looks (the GET of
// the form, to ask the question up front) and returns the verdict.
func (g *submitGuard) check(now time.Time, ip, code string, attempt bool) verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	l := g.limits
	start := g.roll(now)
	v := verdict{windowName: start.UTC().Format("2006-01-02T15:04")}
	full := len(g.counts) >= maxCountKeys
	if attempt {
		n, _ := g.add(attemptKeys(ip, code))
		v.ipCode, v.ip = n[0], n[1]
		v.refused = v.ipCode > l.PerIPCodeHard || v.ip > l.PerIPHard
	}
	s := softKeys(ip, code)
	v.challenge = full || g.counts[s[0]] >= l.PerIPCodeSoft || g.counts[s[1]] >= l.PerIPSoft || g.counts[s[2]] >= l.PerCodeSoft
	return v
}

// note counts a stored suggestion or a bot signal toward the soft limits.
func (g *submitGuard) note(now time.Time, ip, code string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.roll(now)
	g.add(softKeys(ip, code))
}

// formToken is what the hidden field of the form carries, signed.
type formToken struct {
	code      string
	issued    time.Time
	challenge string // HMAC of the expected answer; empty: no question asked
}

func (g *submitGuard) mac(parts ...string) string {
	m := hmac.New(sha256.New, g.secret)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func (g *submitGuard) issue(code string, now time.Time, answer int) string {
	issued := strconv.FormatInt(now.UnixMilli(), 10)
	ch := ""
	if answer >= 0 {
		ch = g.mac("answer", code, issued, strconv.Itoa(answer))
	}
	return issued + "." + ch + "." + g.mac("form", code, issued, ch)
}

// parse checks a token's signature and that it was made for code.
func (g *submitGuard) parse(code, tok string) (formToken, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return formToken{}, false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(g.mac("form", code, parts[0], parts[1]))) {
		return formToken{}, false
	}
	ms, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return formToken{}, false
	}
	return formToken{code: code, issued: time.UnixMilli(ms), challenge: parts[1]}, true
}

func (g *submitGuard) answerOK(t formToken, answer string) bool {
	n, err := strconv.Atoi(strings.TrimSpace(answer))
	if err != nil || t.challenge == "" {
		return false
	}
	want := g.mac("answer", t.code, strconv.FormatInt(t.issued.UnixMilli(), 10), strconv.Itoa(n))
	return hmac.Equal([]byte(t.challenge), []byte(want))
}

// newChallenge returns a small sum an elderly resident can do in their head.
func newChallenge() (question string, answer int) {
	a, _ := rand.Int(rand.Reader, big.NewInt(9))
	b, _ := rand.Int(rand.Reader, big.NewInt(9))
	x, y := int(a.Int64())+1, int(b.Int64())+1
	return fmt.Sprintf("%d 加 %d 等于几？", x, y), x + y
}

// ipHash identifies an address for moderation without storing it (PIPL).
func ipHash(ip string) string {
	v, err := pii.VaultFromEnv()
	if err != nil {
		return ""
	}
	return v.Hash("ip:" + ip)[:16]
}

// recordAbuse adds one to the staff-visible tally of kind for this address
// and code in the current window (collection suggestion_abuse_events).
func recordAbuse(app core.App, kind, deputyID, ip, window, detail string) {
	h := ipHash(ip)
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByFilter("suggestion_abuse_events",
			"kind = {:kind} && deputy = {:deputy} && ip_hash = {:ip} && window = {:window}",
			dbx.Params{"kind": kind, "deputy": deputyID, "ip": h, "window": window})
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId("suggestion_abuse_events")
			if err != nil {
				return err
			}
			r = core.NewRecord(col)
			r.Set("kind", kind)
			r.Set("deputy", deputyID)
			r.Set("ip_hash", h)
			r.Set("window", window)
		}
		r.Set("count", r.GetInt("count")+1)
		r.Set("detail", detail)
		return tx.Save(r)
	})
	if err != nil {
		app.Logger().Error("record suggestion abuse event", "kind", kind, "error", err)
	}
}
