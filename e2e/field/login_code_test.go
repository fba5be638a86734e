package field

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"simeng/e2e/internal/harness"
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
// 360 px rules. (One server for all of it: each step builds on the one before.)
func TestSMSLoginResetAndNoticesAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	providers := notifytest.NewProviders()
	defer providers.Close()
	// One superuser login for the setup: PocketBase allows 2 logins in 3 s an address.
	su := srv.SuperToken()
	srv.MustAPI("POST", "/api/collections/notify_settings/records", su, map[string]any{
		"sms_access_key_id": notifytest.StandInKeyID, "sms_access_key_secret": notifytest.StandInSecret,
		"sms_sign_name": notifytest.StandInSign, "sms_endpoint": providers.SMSEndpoint(), "sms_scheme": "http",
		"sms_templates": map[string]string{"login_code": "SMS_login"},
	}, nil)
	srv.MustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
		"source": "hotline", "deputy": town.Deputy.ID, "category": "饮水安全", "content": "三组自来水浑浊已经一周。",
		"received_at": time.Now().Add(-time.Hour).UTC().Format(harness.PBTime),
	}, nil)

	p := harness.NewPhone(t, srv.URL)
	p.Navigate("/")
	p.WaitText("我是")
	p.Click("忘记密码")
	p.WaitText("人大代表忘记密码")
	p.Fill("手机号", town.Deputy.Phone)
	p.Click("获取验证码")
	p.WaitText("验证码短信马上就到")
	p.Fill("验证码", smsCode(t, providers, town.Deputy.Phone))
	p.Fill("新密码", "Qiaotou-2026-new")
	p.Fill("再输一次新密码", "Qiaotou-2026-new")
	harness.CheckRoleRules(t, p, "忘记密码")
	p.Click("重设密码并登录")
	p.WaitJS("home", `document.querySelector('nav.tiles') !== null`, 20*time.Second)
	if st := srv.API("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{
		"identity": town.Deputy.Phone, "password": "Qiaotou-2026-new"}, nil); st != 200 {
		t.Fatalf("the new password does not log in: %d", st)
	}
	checkNotices(t, srv, p, town.Deputy.ID)

	q := harness.NewPhone(t, srv.URL)
	q.Navigate("/")
	q.WaitText("我是")
	q.Click("验证码登录")
	q.Fill("手机号", town.Presidium.Phone)
	q.Click("获取验证码")
	q.WaitText("验证码短信马上就到")
	harness.CheckRoleRules(t, q, "验证码登录")
	q.Fill("验证码", smsCode(t, providers, town.Presidium.Phone))
	q.Click("登录")
	q.WaitJS("home", `document.querySelector('nav.tiles') !== null`, 20*time.Second)
}

// checkNotices: the deputy logged in on p has one unread notice, reads it
// offline, and the read mark reaches the server.
func checkNotices(t *testing.T, srv *harness.Server, p *harness.Page, deputy string) {
	t.Helper()
	p.WaitJS("unread badge", `document.querySelector('#notice-bell .count')?.textContent === '1'`, 30*time.Second)
	harness.CheckRoleRules(t, p, "首页（通知角标）")
	p.SetNetwork(true, 0, 0)
	p.GoHash("#/notices")
	p.WaitText("新的群众建议")
	if txt := p.Text(); !strings.Contains(txt, "饮水安全") || !strings.Contains(txt, "未读") {
		t.Fatalf("notices offline:\n%s", txt)
	}
	harness.CheckRoleRules(t, p, "#/notices")
	p.ClickIn("#notices", "查看")
	p.WaitJS("badge gone", `document.querySelector('#notice-bell .count') === null`, 10*time.Second)
	p.SetNetwork(false, 0, 0)
	su := srv.SuperToken()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var out struct {
			Items []struct {
				ReadAt string `json:"read_at"`
			} `json:"items"`
		}
		srv.MustAPI("GET", "/api/collections/notices/records?filter=(deputy='"+deputy+"')", su, nil, &out)
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
