package login_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"simeng/internal/testapp"
	nt "simeng/notify"
	"simeng/notify/notifytest"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// smsOn configures SMS against the stand-in.
func smsOn(t *testing.T, app core.App, p *notifytest.Providers) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("notify_settings")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("sms_access_key_id", notifytest.StandInKeyID)
	r.Set("sms_access_key_secret", notifytest.StandInSecret)
	r.Set("sms_sign_name", notifytest.StandInSign)
	r.Set("sms_endpoint", p.SMSEndpoint())
	r.Set("sms_scheme", "http")
	r.Set("sms_templates", map[string]string{string(nt.TplLoginCode): "SMS_login"})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

type client struct {
	t   *testing.T
	url string
}

func (c client) post(path, token, body string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(b, &m)
	return res.StatusCode, m
}

func (c client) get(path, token string) int {
	req, _ := http.NewRequest(http.MethodGet, c.url+path, nil)
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// codeFor waits for the text to phone and returns its code.
func codeFor(t *testing.T, p *notifytest.Providers, phone string, skip int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := 0
		for _, x := range p.Texts() {
			if x.Phone != phone {
				continue
			}
			if n++; n > skip {
				var params map[string]string
				if err := json.Unmarshal([]byte(x.Param), &params); err != nil {
					t.Fatal(err)
				}
				return params["code"]
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no code texted to %s", phone)
	return ""
}

func TestSMSOffAnswersTheSameForEveryPhone(t *testing.T) {
	srv := testapp.NewServer(t)
	f := testapp.F(t)
	c := client{t, srv.URL}
	for _, phone := range []string{f.DeputyPhone, "13711112222"} {
		status, body := c.post("/api/simeng/otp/request", "", `{"phone":"`+phone+`"}`)
		if status != 503 || !strings.Contains(body["message"].(string), "短信服务未开通") {
			t.Fatalf("%s: %d %v", phone, status, body)
		}
	}
}

// Known and unknown phones get the same answer; limits apply to both; the
// code logs in, and the same flow resets the password, logging out the
// other devices.
func TestSMSLoginAndReset(t *testing.T) {
	srv := testapp.NewServer(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	smsOn(t, srv.App, p)
	c := client{t, srv.URL}
	// PocketBase's own "*:auth" rule (2 tries in 3 s an address) would
	// refuse this test's quick steps; TestWrongCodesAreRefusedByTheLimit
	// keeps it on.
	settings := srv.App.Settings()
	settings.RateLimits.Enabled = false
	if err := srv.App.Save(settings); err != nil {
		t.Fatal(err)
	}

	// Bad input names the field.
	if status, body := c.post("/api/simeng/otp/request", "", `{"phone":"12345"}`); status != 400 || body["data"].(map[string]any)["phone"] == nil {
		t.Fatalf("bad phone: %d %v", status, body)
	}
	if status, body := c.post("/api/simeng/otp/request", "", `{"phone":"`+f.DeputyPhone+`","collection":"staff"}`); status != 400 || body["data"].(map[string]any)["collection"] == nil {
		t.Fatalf("staff collection: %d %v", status, body)
	}

	// Same answer, known or not.
	unknown := "13711112222"
	s1, b1 := c.post("/api/simeng/otp/request", "", `{"phone":"`+unknown+`"}`)
	s2, b2 := c.post("/api/simeng/otp/request", "", `{"phone":"`+f.DeputyPhone+`"}`)
	if s1 != 200 || s2 != 200 || len(b1) != 1 || len(b2) != 1 || len(b1["otpId"].(string)) != len(b2["otpId"].(string)) {
		t.Fatalf("answers differ: %d %v / %d %v", s1, b1, s2, b2)
	}
	// Again within a minute: refused alike.
	s3, _ := c.post("/api/simeng/otp/request", "", `{"phone":"`+unknown+`"}`)
	s4, _ := c.post("/api/simeng/otp/request", "", `{"phone":"`+f.DeputyPhone+`"}`)
	if s3 != 429 || s4 != 429 {
		t.Fatalf("second request within a minute: %d / %d, want 429", s3, s4)
	}

	otpID := b2["otpId"].(string)
	code := codeFor(t, p, f.DeputyPhone, 0)
	for _, x := range p.Texts() {
		if x.Phone == unknown {
			t.Fatal("a code was texted to a phone without an account")
		}
	}
	authURL := "/api/collections/deputies/auth-with-otp"
	if status, _ := c.post(authURL, "", `{"otpId":"`+otpID+`","password":"000000x"}`); status != 400 {
		t.Fatalf("wrong code: %d", status)
	}
	// The login's other device, to be logged out by the reset.
	status, out := c.post("/api/collections/deputies/auth-with-password", "", `{"identity":"`+f.DeputyPhone+`","password":"`+testapp.Password+`"}`)
	if status != 200 {
		t.Fatalf("password login: %d", status)
	}
	oldToken := out["token"].(string)

	// Reset: mismatch and weak passwords name their field and keep the code.
	if status, body := c.post(authURL, "", `{"otpId":"`+otpID+`","password":"`+code+`","newPassword":"Shuiku-2026-abc","newPasswordConfirm":"other"}`); status != 400 ||
		body["data"].(map[string]any)["newPasswordConfirm"] == nil {
		t.Fatalf("mismatch: %d %v", status, body)
	}
	if status, body := c.post(authURL, "", `{"otpId":"`+otpID+`","password":"`+code+`","newPassword":"123456","newPasswordConfirm":"123456"}`); status != 400 ||
		body["data"].(map[string]any)["newPassword"] == nil {
		t.Fatalf("weak: %d %v", status, body)
	}
	status, out = c.post(authURL, "", `{"otpId":"`+otpID+`","password":"`+code+`","newPassword":"Shuiku-2026-abc","newPasswordConfirm":"Shuiku-2026-abc"}`)
	if status != 200 || out["token"] == nil {
		t.Fatalf("reset: %d %v", status, out)
	}
	newToken := out["token"].(string)
	if st := c.get("/api/sync/pull?since=0", oldToken); st != 401 {
		t.Fatalf("old device after the reset: %d, want 401", st)
	}
	if st := c.get("/api/sync/pull?since=0", newToken); st != 200 {
		t.Fatalf("new token: %d", st)
	}
	if status, _ := c.post("/api/collections/deputies/auth-with-password", "", `{"identity":"`+f.DeputyPhone+`","password":"Shuiku-2026-abc"}`); status != 200 {
		t.Fatalf("login with the new password: %d", status)
	}
	// The code is used up.
	if status, _ := c.post(authURL, "", `{"otpId":"`+otpID+`","password":"`+code+`"}`); status != 400 {
		t.Fatalf("code used twice: %d", status)
	}
	// The e-mail OTP route stays closed.
	if status, _ := c.post("/api/collections/deputies/request-otp", "", `{"email":"a@b.cn"}`); status == 200 {
		t.Fatalf("PocketBase's e-mail OTP route is open")
	}
}

// A plain code login; an expired code is refused.
func TestSMSCodeLoginAndExpiry(t *testing.T) {
	srv := testapp.NewServer(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	smsOn(t, srv.App, p)
	c := client{t, srv.URL}
	_, b := c.post("/api/simeng/otp/request", "", `{"phone":"`+f.DeputyPhone+`"}`)
	otpID := b["otpId"].(string)
	code := codeFor(t, p, f.DeputyPhone, 0)
	status, out := c.post("/api/collections/deputies/auth-with-otp", "", `{"otpId":"`+otpID+`","password":"`+code+`"}`)
	if status != 200 || out["token"] == nil {
		t.Fatalf("code login: %d %v", status, out)
	}

	// A unit's code, made 6 minutes old.
	_, b = c.post("/api/simeng/otp/request", "", `{"phone":"`+f.UnitPhone+`","collection":"units"}`)
	otpID = b["otpId"].(string)
	code = codeFor(t, p, f.UnitPhone, 0)
	old := time.Now().Add(-6 * time.Minute).UTC().Format("2006-01-02 15:04:05.000Z")
	if _, err := srv.App.DB().NewQuery("UPDATE _otps SET created = {:c} WHERE id = {:id}").
		Bind(map[string]any{"c": old, "id": otpID}).Execute(); err != nil {
		t.Fatal(err)
	}
	if status, _ := c.post("/api/collections/units/auth-with-otp", "", `{"otpId":"`+otpID+`","password":"`+code+`"}`); status != 400 {
		t.Fatalf("expired code: %d, want 400", status)
	}
}

// Guessing codes runs into the limits: at most a few tries, then 429.
func TestWrongCodesAreRefusedByTheLimit(t *testing.T) {
	srv := testapp.NewServer(t)
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	smsOn(t, srv.App, p)
	c := client{t, srv.URL}
	_, b := c.post("/api/simeng/otp/request", "", `{"phone":"`+f.DeputyPhone+`"}`)
	otpID := b["otpId"].(string)
	code := codeFor(t, p, f.DeputyPhone, 0)
	limited := false
	for i := range 6 {
		status, _ := c.post("/api/collections/deputies/auth-with-otp", "", `{"otpId":"`+otpID+`","password":"99999`+string(rune('0'+i))+`"}`)
		switch status {
		case 429:
			limited = true
		case 400:
		default:
			t.Fatalf("wrong code %d: %d", i, status)
		}
	}
	if !limited {
		t.Fatal("six wrong codes in a row were never refused with 429")
	}
	if status, _ := c.post("/api/collections/deputies/auth-with-otp", "", `{"otpId":"`+otpID+`","password":"`+code+`"}`); status != 429 {
		t.Fatalf("right code right after the guesses: %d, want 429", status)
	}
}
