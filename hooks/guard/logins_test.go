package guard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"simeng/hooks/guard"
	"simeng/internal/testapp"
)

// Issue 9: passwords chosen through any request follow the policy: at
// least 10 characters, not all digits, not the account's phone, not a
// common one; PocketBase's 400 names the password field in Chinese.
func TestWeakPasswordsAreRefused(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	pw := func(p string) string {
		return fmt.Sprintf(`{"password":%q,"passwordConfirm":%q}`, p, p)
	}
	weak := []struct{ password, want string }{
		{"12345678", "至少需要10个字符"},
		{"1234567890", "不能全是数字"},
		{"13800000001", "不能全是数字"},
		{"zhang13800000001", "手机号"},
		{"woaini1314", "太常见"},
		{"Simeng2026", "太常见"},
	}
	for _, w := range weak {
		r := s.Send(testapp.RoleStaff, http.MethodPatch, "/api/collections/deputies/records/"+f.Deputy, pw(w.password))
		if r.Status != http.StatusBadRequest || !strings.Contains(r.FieldError(t, "password"), w.want) {
			t.Errorf("staff resetting a deputy's password to %q: %d %s", w.password, r.Status, r.Body)
		}
	}
	// The deputy's own change (PocketBase asks for the old password).
	r := s.Send(testapp.RoleDeputy, http.MethodPatch, "/api/collections/deputies/records/"+f.Deputy,
		fmt.Sprintf(`{"oldPassword":%q,"password":"1234567890","passwordConfirm":"1234567890"}`, testapp.Password))
	if r.Status != http.StatusBadRequest || r.FieldError(t, "password") == "" {
		t.Errorf("a deputy's own weak password: %d %s", r.Status, r.Body)
	}
	// New accounts of every kind.
	for _, c := range []struct{ role, collection, body string }{
		{testapp.RoleStaff, "units", `{"name":"镇水利站","kind":"department","phone":"13700000009","active":true,"password":"12345678901","passwordConfirm":"12345678901"}`},
		{testapp.RoleSuperuser, "staff", `{"name":"田联络","phone":"13700000008","role":"clerk","active":true,"password":"a123456789","passwordConfirm":"a123456789"}`},
		{testapp.RoleSuperuser, "_superusers", `{"email":"tech2@test.simeng","password":"qwertyuiop","passwordConfirm":"qwertyuiop"}`},
	} {
		r := s.Send(c.role, http.MethodPost, "/api/collections/"+c.collection+"/records", c.body)
		if r.Status != http.StatusBadRequest || r.FieldError(t, "password") == "" {
			t.Errorf("%s creating %s with a weak password: %d %s", c.role, c.collection, r.Status, r.Body)
		}
	}
	// A good one is taken, and logs in.
	s.Must(http.StatusOK, testapp.RoleStaff, http.MethodPatch, "/api/collections/deputies/records/"+f.Deputy, pw("路灯修好了吗2026"))
	s.Must(http.StatusOK, testapp.RoleGuest, http.MethodPost, "/api/collections/deputies/auth-with-password",
		`{"identity":"`+f.DeputyPhone+`","password":"路灯修好了吗2026"}`)
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// login tries a password from an address of its own (an attacker rotating
// addresses: PocketBase's per-address limit never applies) and, if given,
// a device cookie.
func login(t *testing.T, app *tests.TestApp, identity, password, cookie string) *httptest.ResponseRecorder {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"identity": identity, "password": password})
	req := httptest.NewRequest(http.MethodPost, "/api/collections/deputies/auth-with-password", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = fmt.Sprintf("198.51.100.%d:4000", nextAddr())
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	rec := httptest.NewRecorder()
	testapp.Handler(t, app).ServeHTTP(rec, req)
	return rec
}

var addrMu sync.Mutex
var addrN int

func nextAddr() int {
	addrMu.Lock()
	defer addrMu.Unlock()
	addrN = addrN%250 + 1
	return addrN
}

// Issue 9: repeated failures slow one account down whatever address they
// come from, never lock its owner out for good, and do not slow the
// owner's own phone (its device cookie).
func TestFailedLoginsSlowTheAccountNotItsOwner(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	clock := &fakeClock{t: time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)}
	guard.UseClock(app, clock)

	// The owner logs in once from their phone: it gets a device cookie.
	ok := login(t, app, f.DeputyPhone, testapp.Password, "")
	if ok.Code != http.StatusOK {
		t.Fatalf("owner's login: %d %s", ok.Code, ok.Body)
	}
	cookie := ok.Result().Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "simeng_dev=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("device cookie %q", cookie)
	}
	cookie = strings.SplitN(cookie, ";", 2)[0]

	// An attacker guesses from many addresses: five free failures, the
	// sixth starts a delay, and during it even the right password is
	// refused unchecked with 429.
	for i := range 6 {
		if r := login(t, app, "138 0000 0001", fmt.Sprintf("guess-%d-abcdef", i), ""); r.Code != http.StatusBadRequest {
			t.Fatalf("guess %d: %d %s", i, r.Code, r.Body)
		}
	}
	r := login(t, app, f.DeputyPhone, testapp.Password, "")
	if r.Code != http.StatusTooManyRequests || r.Header().Get("Retry-After") != "2" || !strings.Contains(r.Body.String(), "登录失败次数过多") {
		t.Fatalf("during the delay: %d %q %s", r.Code, r.Header().Get("Retry-After"), r.Body)
	}
	// The owner's phone has a lane of its own.
	if r := login(t, app, f.DeputyPhone, testapp.Password, cookie); r.Code != http.StatusOK {
		t.Fatalf("the owner's phone is slowed by the attacker: %d %s", r.Code, r.Body)
	}
	// A cookie of another account is no lane.
	if r := login(t, app, "13800000002", "guess-x-abcdef", cookie); r.Code != http.StatusBadRequest {
		t.Fatalf("another account: %d", r.Code)
	}
	// Never locked out: after the delay the right password works.
	clock.Advance(2 * time.Second)
	if r := login(t, app, f.DeputyPhone, testapp.Password, ""); r.Code != http.StatusOK {
		t.Fatalf("after the delay: %d %s", r.Code, r.Body)
	}
	// An account that does not exist is slowed the same (no oracle).
	for range 6 {
		login(t, app, "13999999999", "guess-abcdefg", "")
	}
	if r := login(t, app, "13999999999", "guess-abcdefg", ""); r.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown account after 6 failures: %d", r.Code)
	}
}
