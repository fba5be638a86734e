package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/checkin"
	"simeng/chinatime"
)

const pbTime = "2006-01-02 15:04:05.000Z"

// clickIn clicks the button or link with this text inside the element sel
// (by script: the fixed bottom menu may cover it where a mouse would land).
func (p *page) clickIn(sel, text string) {
	p.t.Helper()
	p.clickMatching(sel, "button, a", text)
}

// clickMatching clicks, by script, the element matching targets inside the
// element root whose text is text.
func (p *page) clickMatching(root, targets, text string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const root = document.querySelector(%q);
		const el = root && [...root.querySelectorAll(%q)].find((e) => e.textContent.trim() === %q);
		if (el) el.click(); return !!el; })()`, root, targets, text)
	if !eval[bool](p, js) {
		p.t.Fatalf("no %q in %s\npage text:\n%s", text, root, p.text())
	}
}

// newPhone is a page on a 360 px wide mobile screen, where the rules of
// checkA11y apply.
func newPhone(t *testing.T, origin string) *page {
	p := newPage(t, origin)
	p.do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	return p
}

// setValue types into a field as the deputy would (an input event).
func (p *page) setValue(sel, value string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`, sel, value)
	if !eval[bool](p, js) {
		p.t.Fatalf("no field %s\npage text:\n%s", sel, p.text())
	}
}

// TestSuggestionsScreenRepliesOnTheClock: a deputy sees the residents'
// suggestions addressed to them with the time left to respond, an overdue
// one highlighted, acknowledges one, is told why a too-short reply is
// refused, then answers it; the server holds each step.
func TestSuggestionsScreenRepliesOnTheClock(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	mk := func(content string, age time.Duration) string {
		var rec struct{ ID string }
		srv.mustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
			"source": "hotline", "deputy": town.Deputy.ID, "category": "道路交通", "content": content,
			"received_at": time.Now().Add(-age).UTC().Format(pbTime),
		}, &rec)
		return rec.ID
	}
	fresh := mk("村口道路坑洼，雨天积水严重，请尽快修补。", time.Hour)
	late := mk("三组饮水管破裂，已经停水两天。", 50*time.Hour)

	p := newPhone(t, srv.URL)
	p.login(town.Deputy.Phone)
	p.waitText("群众建议：2 条等待响应")
	p.click("群众建议：2 条等待响应")
	card := func(id string) string { return fmt.Sprintf(`article.suggestion[data-id=%q]`, id) }
	p.waitJS("two suggestions", `document.querySelectorAll('article.suggestion').length === 2`, 20*time.Second)
	freshText := eval[string](p, `document.querySelector('`+card(fresh)+`').innerText`)
	if !strings.Contains(freshText, "还剩 22 小时响应") && !strings.Contains(freshText, "还剩 23 小时响应") {
		t.Errorf("fresh suggestion shows no time left to respond:\n%s", freshText)
	}
	lateText := eval[string](p, `document.querySelector('`+card(late)+`').innerText`)
	if !strings.Contains(lateText, "响应已超期") || !eval[bool](p, `document.querySelector('`+card(late)+`').classList.contains('overdue')`) {
		t.Errorf("late suggestion not shown overdue:\n%s", lateText)
	}

	checkA11y(t, p, "#/suggestions")

	status := func(id string) (st, reply string, acked bool) {
		var rec struct {
			Status         string `json:"status"`
			Reply          string `json:"reply"`
			AcknowledgedAt string `json:"acknowledged_at"`
		}
		srv.mustAPI("GET", "/api/collections/suggestions/records/"+id, su, nil, &rec)
		return rec.Status, rec.Reply, rec.AcknowledgedAt != ""
	}
	p.clickIn(card(fresh), "响应：告诉群众正在办理")
	p.waitJS("acknowledged", `document.querySelector('`+card(fresh)+`').dataset.status === 'acknowledged'`, 20*time.Second)
	if st, _, acked := status(fresh); st != "acknowledged" || !acked {
		t.Fatalf("server after 响应: status %q acknowledged_at set %v", st, acked)
	}

	p.setValue("#reply-"+fresh, "好的")
	p.clickIn(card(fresh), "答复群众")
	p.waitText("未保存：答复或转办时请写明答复内容（至少5个字）")
	reply := "已联系镇交通站，本周五前完成修补。"
	p.setValue("#reply-"+fresh, reply)
	p.clickIn(card(fresh), "答复群众")
	p.waitJS("answered", `document.querySelector('`+card(fresh)+`').dataset.status === 'answered'`, 20*time.Second)
	if st, got, _ := status(fresh); st != "answered" || got != reply {
		t.Fatalf("server after 答复: status %q reply %q", st, got)
	}
	p.goHash("#/")
	p.waitText("群众建议：1 条等待响应")

	// Offline: the last list read is shown, with no action that would fail.
	p.setNetwork(true, 0, 0)
	p.goHash("#/suggestions")
	p.waitText("需要联网：现在没有网络")
	p.waitJS("the list kept on the phone", `document.querySelectorAll('article.suggestion').length === 2`, 20*time.Second)
	if n := eval[int](p, `document.querySelectorAll('.suggestion-actions').length`); n != 0 {
		t.Errorf("%d suggestions offer actions offline", n)
	}
	p.setNetwork(false, 0, 0)
}

// TestRankingAndDossier: a presidium member opens the year's ranking (亮分)
// from the home screen and a deputy's 履职档案 from it: score, grade and
// the breakdown with explanations.
func TestRankingAndDossier(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	srv.mustAPI("POST", "/api/assessment/recompute", srv.superToken(), map[string]any{"year": chinatime.CurrentYear()}, nil)

	p := newPhone(t, srv.URL)
	p.login(town.Presidium.Phone)
	p.clickTile("ranking")
	p.waitJS("ranking rows", `document.querySelectorAll('.rank-row').length === 2`, 20*time.Second)
	row := fmt.Sprintf(`.rank-row[data-deputy=%q]`, town.Deputy.ID)
	if txt := eval[string](p, `document.querySelector('`+row+`').innerText`); !strings.Contains(txt, town.Deputy.Name) || !strings.Contains(txt, "分") {
		t.Fatalf("ranking row: %q", txt)
	}
	checkA11y(t, p, "#/ranking")
	p.clickIn(row, "查看档案")
	p.waitJS("dossier", fmt.Sprintf(`document.querySelector('.dossier[data-deputy=%q]') !== null && document.querySelectorAll('.score-item').length > 0`, town.Deputy.ID), 20*time.Second)
	txt := p.text()
	for _, want := range []string{"代表履职档案", town.Deputy.Name, "得分明细", "等次", "履职记录"} {
		if !strings.Contains(txt, want) {
			t.Errorf("dossier lacks %q:\n%s", want, txt)
		}
	}
	if ex := eval[string](p, `document.querySelector('.score-item .muted').innerText`); ex == "" {
		t.Errorf("score item without explanation")
	}
	checkA11y(t, p, "#/dossier")
}

// TestCheckinFromQR: the meeting screen's QR opens the PWA at #/checkin on
// a phone not logged in; after the login the deputy is checked in once
// (server state), and a forged, an expired and an offline scan each say why.
func TestCheckinFromQR(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	title := "2026年第四季度主席团会议"
	var m struct{ ID string }
	srv.mustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": title, "kind": "presidium", "place": "镇人大会议室", "half_days": 1,
		"starts_at": time.Now().Add(10 * time.Minute).UTC().Format(pbTime), "expected": []string{town.Deputy.ID},
	}, &m)
	var code struct {
		Token string `json:"token"`
		URL   string `json:"url"`
	}
	srv.mustAPI("GET", "/api/meetings/"+m.ID+"/checkin-code", su, nil, &code)
	if !strings.Contains(code.URL, "#/checkin?t=") {
		t.Fatalf("QR URL %q", code.URL)
	}

	p := newPhone(t, srv.URL)
	p.navigate("/#/checkin?t=" + code.Token)
	p.waitText("登录后自动完成会议签到")
	p.fill("手机号", town.Deputy.Phone)
	p.fill("密码", deputyPass)
	p.click("登录")
	p.waitText("签到成功")
	if txt := p.text(); !strings.Contains(txt, title) || !strings.Contains(txt, "会议时间") || !strings.Contains(txt, "镇人大会议室") {
		t.Errorf("check-in screen:\n%s", txt)
	}
	checkA11y(t, p, "#/checkin")
	if h := eval[string](p, `location.hash`); h != "#/checkin" {
		t.Errorf("hash after the check-in %q: the token should be forgotten", h)
	}
	var att struct {
		Items []struct {
			Deputy string `json:"deputy"`
			Status string `json:"status"`
			Method string `json:"method"`
		} `json:"items"`
	}
	srv.mustAPI("GET", "/api/collections/meeting_attendance/records?filter="+urlQuery(fmt.Sprintf("meeting='%s'", m.ID)), su, nil, &att)
	if len(att.Items) != 1 || att.Items[0].Deputy != town.Deputy.ID || att.Items[0].Status != "present" || att.Items[0].Method != "qr" {
		t.Fatalf("attendance on the server: %+v", att.Items)
	}

	parts := strings.Split(code.Token, ".")
	p.goHash("#/checkin?t=" + parts[0] + "." + parts[1] + ".forged" + parts[2][6:])
	p.waitText("签到未成功：签到码无效")

	secret, err := os.ReadFile(filepath.Join(srv.dir, ".checkin_secret"))
	if err != nil {
		t.Fatal(err)
	}
	expired := checkin.Sign([]byte(strings.TrimSpace(string(secret))), m.ID, time.Now().Add(-time.Minute))
	p.goHash("#/checkin?t=" + expired)
	p.waitText("二维码已过期，请重新扫描会场二维码")

	p.setNetwork(true, 0, 0)
	p.goHash("#/checkin?t=" + code.Token + "&again=1")
	p.waitText("需要联网：现在没有网络，签到没有完成。")
	p.setNetwork(false, 0, 0)
}
