package office

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"simeng/checkin"
	"simeng/chinatime"
	"simeng/e2e/internal/harness"
)

// TestSuggestionsScreenRepliesOnTheClock: a deputy sees the residents'
// suggestions addressed to them with the time left to respond, an overdue
// one highlighted, acknowledges one, is told why a too-short reply is
// refused, then answers it; the server holds each step.
func TestSuggestionsScreenRepliesOnTheClock(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	mk := func(content string, age time.Duration) string {
		var rec struct{ ID string }
		srv.MustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
			"source": "hotline", "deputy": town.Deputy.ID, "category": "道路交通", "content": content,
			"received_at": time.Now().Add(-age).UTC().Format(harness.PBTime),
		}, &rec)
		return rec.ID
	}
	fresh := mk("村口道路坑洼，雨天积水严重，请尽快修补。", time.Hour)
	late := mk("三组饮水管破裂，已经停水两天。", 50*time.Hour)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitText("群众建议：2 条等待响应")
	p.Click("群众建议：2 条等待响应")
	card := func(id string) string { return fmt.Sprintf(`article.suggestion[data-id=%q]`, id) }
	p.WaitJS("two suggestions", `document.querySelectorAll('article.suggestion').length === 2`, 20*time.Second)
	freshText := harness.Eval[string](p, `document.querySelector('`+card(fresh)+`').innerText`)
	if !strings.Contains(freshText, "还剩 22 小时响应") && !strings.Contains(freshText, "还剩 23 小时响应") {
		t.Errorf("fresh suggestion shows no time left to respond:\n%s", freshText)
	}
	lateText := harness.Eval[string](p, `document.querySelector('`+card(late)+`').innerText`)
	if !strings.Contains(lateText, "响应已超期") || !harness.Eval[bool](p, `document.querySelector('`+card(late)+`').classList.contains('overdue')`) {
		t.Errorf("late suggestion not shown overdue:\n%s", lateText)
	}

	harness.CheckA11y(t, p, "#/suggestions")

	status := func(id string) (st, reply string, acked bool) {
		var rec struct {
			Status         string `json:"status"`
			Reply          string `json:"reply"`
			AcknowledgedAt string `json:"acknowledged_at"`
		}
		srv.MustAPI("GET", "/api/collections/suggestions/records/"+id, su, nil, &rec)
		return rec.Status, rec.Reply, rec.AcknowledgedAt != ""
	}
	p.ClickIn(card(fresh), "响应：告诉群众正在办理")
	p.WaitJS("acknowledged", `document.querySelector('`+card(fresh)+`').dataset.status === 'acknowledged'`, 20*time.Second)
	if st, _, acked := status(fresh); st != "acknowledged" || !acked {
		t.Fatalf("server after 响应: status %q acknowledged_at set %v", st, acked)
	}

	p.SetValue("#reply-"+fresh, "好的")
	p.ClickIn(card(fresh), "答复群众")
	p.WaitText("未保存：答复或转办时请写明答复内容（至少5个字）")
	reply := "已联系镇交通站，本周五前完成修补。"
	p.SetValue("#reply-"+fresh, reply)
	p.ClickIn(card(fresh), "答复群众")
	p.WaitJS("answered", `document.querySelector('`+card(fresh)+`').dataset.status === 'answered'`, 20*time.Second)
	if st, got, _ := status(fresh); st != "answered" || got != reply {
		t.Fatalf("server after 答复: status %q reply %q", st, got)
	}
	p.GoHash("#/")
	p.WaitText("群众建议：1 条等待响应")

	// Offline: the last list read is shown, with no action that would fail.
	p.SetNetwork(true, 0, 0)
	p.GoHash("#/suggestions")
	p.WaitText("需要联网：现在没有网络")
	p.WaitJS("the list kept on the phone", `document.querySelectorAll('article.suggestion').length === 2`, 20*time.Second)
	if n := harness.Eval[int](p, `document.querySelectorAll('.suggestion-actions').length`); n != 0 {
		t.Errorf("%d suggestions offer actions offline", n)
	}
	p.SetNetwork(false, 0, 0)
}

// TestRankingAndDossier: a presidium member opens the year's ranking (亮分)
// from the home screen and a deputy's 履职档案 from it: score, grade and
// the breakdown with explanations.
func TestRankingAndDossier(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	srv.MustAPI("POST", "/api/assessment/recompute", srv.SuperToken(), map[string]any{"year": chinatime.CurrentYear()}, nil)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Presidium.Phone)
	p.ClickTile("ranking")
	p.WaitJS("ranking rows", `document.querySelectorAll('.rank-row').length === 2`, 20*time.Second)
	row := fmt.Sprintf(`.rank-row[data-deputy=%q]`, town.Deputy.ID)
	if txt := harness.Eval[string](p, `document.querySelector('`+row+`').innerText`); !strings.Contains(txt, town.Deputy.Name) || !strings.Contains(txt, "分") {
		t.Fatalf("ranking row: %q", txt)
	}
	harness.CheckA11y(t, p, "#/ranking")
	p.ClickIn(row, "查看档案")
	p.WaitJS("dossier", fmt.Sprintf(`document.querySelector('.dossier[data-deputy=%q]') !== null && document.querySelectorAll('.score-item').length > 0`, town.Deputy.ID), 20*time.Second)
	txt := p.Text()
	for _, want := range []string{"代表履职档案", town.Deputy.Name, "得分明细", "等次", "履职记录"} {
		if !strings.Contains(txt, want) {
			t.Errorf("dossier lacks %q:\n%s", want, txt)
		}
	}
	if ex := harness.Eval[string](p, `document.querySelector('.score-item .muted').innerText`); ex == "" {
		t.Errorf("score item without explanation")
	}
	harness.CheckA11y(t, p, "#/dossier")
}

// TestCheckinFromQR: the meeting screen's QR opens the PWA at #/checkin on
// a phone not logged in; after the login the deputy is checked in once
// (server state), and a forged, an expired and an offline scan each say why.
func TestCheckinFromQR(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	title := "2026年第四季度主席团会议"
	var m struct{ ID string }
	srv.MustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": title, "kind": "presidium", "place": "镇人大会议室", "half_days": 1,
		"starts_at": time.Now().Add(10 * time.Minute).UTC().Format(harness.PBTime), "expected": []string{town.Deputy.ID},
	}, &m)
	var code struct {
		Token string `json:"token"`
		URL   string `json:"url"`
	}
	srv.MustAPI("GET", "/api/meetings/"+m.ID+"/checkin-code", su, nil, &code)
	if !strings.Contains(code.URL, "#/checkin?t=") {
		t.Fatalf("QR URL %q", code.URL)
	}

	p := harness.NewPhone(t, srv.URL)
	p.Navigate("/#/checkin?t=" + code.Token)
	p.WaitText("登录后自动完成会议签到")
	p.Fill("手机号", town.Deputy.Phone)
	p.Fill("密码", harness.DeputyPass)
	p.Click("登录")
	p.WaitText("签到成功")
	if txt := p.Text(); !strings.Contains(txt, title) || !strings.Contains(txt, "会议时间") || !strings.Contains(txt, "镇人大会议室") {
		t.Errorf("check-in screen:\n%s", txt)
	}
	harness.CheckA11y(t, p, "#/checkin")
	if h := harness.Eval[string](p, `location.hash`); h != "#/checkin" {
		t.Errorf("hash after the check-in %q: the token should be forgotten", h)
	}
	var att struct {
		Items []struct {
			Deputy string `json:"deputy"`
			Status string `json:"status"`
			Method string `json:"method"`
		} `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/meeting_attendance/records?filter="+url.QueryEscape(fmt.Sprintf("meeting='%s'", m.ID)), su, nil, &att)
	if len(att.Items) != 1 || att.Items[0].Deputy != town.Deputy.ID || att.Items[0].Status != "present" || att.Items[0].Method != "qr" {
		t.Fatalf("attendance on the server: %+v", att.Items)
	}

	parts := strings.Split(code.Token, ".")
	p.GoHash("#/checkin?t=" + parts[0] + "." + parts[1] + ".forged" + parts[2][6:])
	p.WaitText("签到未成功：签到码无效")

	secret, err := os.ReadFile(filepath.Join(srv.Dir, ".checkin_secret"))
	if err != nil {
		t.Fatal(err)
	}
	expired := checkin.Sign([]byte(strings.TrimSpace(string(secret))), m.ID, time.Now().Add(-time.Minute))
	p.GoHash("#/checkin?t=" + expired)
	p.WaitText("二维码已过期，请重新扫描会场二维码")

	p.SetNetwork(true, 0, 0)
	p.GoHash("#/checkin?t=" + code.Token + "&again=1")
	p.WaitText("需要联网：现在没有网络，签到没有完成。")
	p.SetNetwork(false, 0, 0)
}
