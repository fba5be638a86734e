package e2e

import (
	"encoding/json"
	"strings"
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
			if x.Phone == phone && x.Template == "SMS_login" {
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

// TestSMSLoginResetAndNoticesAt360: a deputy who forgot the password gets
// a code by SMS (the stand-in provider), sets a new password and is logged
// in; the suggestion the office registered for them meanwhile is an in-app
// notice, pulled with the sync, counted in the header, listed offline, and
// the read mark made offline reaches the server once back online. A
// presidium member logs in with a code alone. Every screen keeps the
// 360 px rules. (One server for all: the browser tests run one at a time.)
func TestSMSLoginResetAndNoticesAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	providers := notifytest.NewProviders()
	defer providers.Close()
	// One superuser login for the setup: PocketBase allows 2 logins in 3 s an address.
	su := srv.superToken()
	srv.mustAPI("POST", "/api/collections/notify_settings/records", su, map[string]any{
		"sms_access_key_id": notifytest.StandInKeyID, "sms_access_key_secret": notifytest.StandInSecret,
		"sms_sign_name": notifytest.StandInSign, "sms_endpoint": providers.SMSEndpoint(), "sms_scheme": "http",
		"sms_templates": map[string]string{"login_code": "SMS_login"},
	}, nil)
	srv.mustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
		"source": "hotline", "deputy": town.Deputy.ID, "category": "饮水安全", "content": "三组自来水浑浊已经一周。",
		"received_at": time.Now().Add(-time.Hour).UTC().Format(pbTime),
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
	checkNotices(t, srv, p, town.Deputy.ID)

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

// checkNotices: the deputy logged in on p has one unread notice, reads it
// offline, and the read mark reaches the server.
func checkNotices(t *testing.T, srv *server, p *page, deputy string) {
	t.Helper()
	p.waitJS("unread badge", `document.querySelector('#notice-bell .count')?.textContent === '1'`, 30*time.Second)
	checkRoleRules(t, p, "首页（通知角标）")
	p.setNetwork(true, 0, 0)
	p.goHash("#/notices")
	p.waitText("新的群众建议")
	if txt := p.text(); !strings.Contains(txt, "饮水安全") || !strings.Contains(txt, "未读") {
		t.Fatalf("notices offline:\n%s", txt)
	}
	checkRoleRules(t, p, "#/notices")
	p.clickIn("#notices", "查看")
	p.waitJS("badge gone", `document.querySelector('#notice-bell .count') === null`, 10*time.Second)
	p.setNetwork(false, 0, 0)
	su := srv.superToken()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct {
			Items []struct {
				ReadAt string `json:"read_at"`
			} `json:"items"`
		}
		srv.mustAPI("GET", "/api/collections/notices/records?filter=(deputy='"+deputy+"')", su, nil, &out)
		if len(out.Items) != 1 {
			t.Fatalf("notices on the server: %d, want 1", len(out.Items))
		}
		if out.Items[0].ReadAt != "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the read mark never reached the server")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
