package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"simeng/notify/notifytest"
)

// smsCode waits for the stand-in to accept a text to phone and returns
// the code in it.
func smsCode(t *testing.T, p *notifytest.Providers, phone string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, x := range p.Texts() {
			if x.Phone == phone {
				var params map[string]string
				if err := json.Unmarshal([]byte(x.Param), &params); err != nil {
					t.Fatal(err)
				}
				return params["code"]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no code texted to %s", phone)
	return ""
}

// TestSMSLoginAndResetAt360: a deputy who forgot the password gets a code
// by SMS (the stand-in provider), sets a new password and is logged in; a
// presidium member logs in with a code alone. Both screens keep the 360 px
// rules.
func TestSMSLoginAndResetAt360(t *testing.T) {
	requireBrowser(t)
	srv := startServer(t)
	town := srv.seedTownship()
	providers := notifytest.NewProviders()
	defer providers.Close()
	srv.mustAPI("POST", "/api/collections/notify_settings/records", srv.superToken(), map[string]any{
		"sms_access_key_id": notifytest.StandInKeyID, "sms_access_key_secret": notifytest.StandInSecret,
		"sms_sign_name": notifytest.StandInSign, "sms_endpoint": providers.SMSEndpoint(), "sms_scheme": "http",
		"sms_templates": map[string]string{"login_code": "SMS_login"},
	}, nil)

	p := newPhone(t, srv.URL)
	p.navigate("/")
	p.waitText("我是")
	p.click("忘记密码")
	p.waitText("人大代表忘记密码")
	p.fill("手机号", town.Deputy.Phone)
	p.click("获取验证码")
	p.waitText("验证码短信马上就到")
	p.fill("验证码", smsCode(t, providers, town.Deputy.Phone))
	p.fill("新密码", "Qiaotou-2026-new")
	p.fill("再输一次新密码", "Qiaotou-2026-new")
	checkRoleRules(t, p, "忘记密码")
	p.click("重设密码并登录")
	p.waitJS("home", `document.querySelector('nav.tiles') !== null`, 20*time.Second)
	if st := srv.api("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{
		"identity": town.Deputy.Phone, "password": "Qiaotou-2026-new"}, nil); st != 200 {
		t.Fatalf("the new password does not log in: %d", st)
	}

	q := newPhone(t, srv.URL)
	q.navigate("/")
	q.waitText("我是")
	q.click("验证码登录")
	q.fill("手机号", town.Presidium.Phone)
	q.click("获取验证码")
	q.waitText("验证码短信马上就到")
	checkRoleRules(t, q, "验证码登录")
	q.fill("验证码", smsCode(t, providers, town.Presidium.Phone))
	q.click("登录")
	q.waitJS("home", `document.querySelector('nav.tiles') !== null`, 20*time.Second)
}
