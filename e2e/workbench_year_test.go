package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"simeng/chinatime"
)

// downloadsTo makes the browser save downloads into a fresh directory.
func (p *page) downloadsTo() string {
	p.t.Helper()
	dir := p.t.TempDir()
	if _, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		p.t.Fatalf("download behaviour: %v", err)
	}
	return dir
}

// waitFile waits for name to be downloaded whole into dir and returns it.
func waitFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	path := filepath.Join(dir, name)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			if _, err := os.Stat(path + ".crdownload"); os.IsNotExist(err) {
				return b
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	t.Fatalf("no download %s (have %v)", name, names)
	return nil
}

// TestWorkbenchYearAndExportsAt360: an office account (staff, not a
// superuser) closes last year's assessment, is refused a reopen without a
// reason (in Chinese), reopens it with one (the reason stays in the
// year's record), recomputes, and downloads two of the exports listed in
// one place, which are Excel workbooks. PocketBase's own English refusal
// reaches the screen in Chinese.
func TestWorkbenchYearAndExportsAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, _ := srv.seedAccounts(town)
	year := chinatime.CurrentYear() - 1
	y := strconv.Itoa(year)

	p := newPhone(t, srv.URL)
	dir := p.downloadsTo()
	p.loginAs("工作人员", staff.Phone, accountPass)
	p.goHash("#/workbench?tab=year")
	p.waitText("年度考核和导出")
	p.waitText(y + "年考核：未结算")

	p.clickIn("#main", "结算考核年度")
	p.waitText("结算后" + y + "年的考核得分冻结")
	p.clickIn("#wb-confirm", "确定结算考核年度")
	p.waitText(y + "年考核已结算")
	p.waitText(y + "年考核：已结算（得分已冻结）")
	checkRoleRules(t, p, "工作台·考核和导出")

	// Reopen: the reason is required (the server's Chinese), then taken.
	p.clickIn("#main", "重新开放考核年度")
	p.waitText("重新开放的理由")
	p.clickIn("#wb-confirm", "确定重新开放考核年度")
	p.waitText("重新开账须写明理由")
	p.setValue("#wb-reason", "补录12月联络站值班记录")
	p.clickIn("#wb-confirm", "确定重新开放考核年度")
	p.waitText(y + "年考核已重新开放")
	p.waitText(y + "年考核：未结算")
	eval[bool](p, `(() => { const d = document.querySelector('#wb-year-history')?.closest('details'); if (d) d.open = true; return !!d; })()`)
	p.waitText("重新开放考核：补录12月联络站值班记录")

	p.clickIn("#main", "重新计算考核")
	p.clickIn("#wb-confirm", "确定重新计算考核")
	p.waitText(y + "年考核已重新计算")

	// 导出: two downloads, each an xlsx (a zip: PK).
	p.waitJS("the exports", `document.querySelectorAll('#wb-exports button').length >= 7`, 20*time.Second)
	for _, x := range []struct{ label, file string }{
		{"代表履职考核得分表", y + "年度代表履职考核.xlsx"},
		{"议案建议办理台账", y + "年议案建议办理台账.xlsx"},
	} {
		p.clickIn("#wb-exports", x.label)
		p.waitText(x.label + "已导出")
		if b := waitFile(t, dir, x.file); !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			t.Fatalf("%s is not an xlsx: %q", x.file, b[:min(len(b), 16)])
		}
	}

	// PocketBase's own English refusal (a record missing its required
	// fields) is shown in Chinese by the one mapping in ui.js.
	got := eval[string](p, `(async () => {
		const { pb } = await import('/app/api.js'); const { errorText } = await import('/app/ui.js');
		try { await pb.collection('meetings').create({}); return 'created'; } catch (e) { return e.response.message + '|' + errorText(e); } })()`)
	english, shown, _ := strings.Cut(got, "|")
	if !strings.HasPrefix(english, "Failed to create record") || shown == "" || strings.ContainsAny(shown, "abcdefghijklmnopqrstuvwxyz") || !strings.Contains(shown, "必须填写") {
		t.Fatalf("PocketBase's refusal %q shown as %q", english, shown)
	}
	if msg := eval[string](p, `import('/app/ui.js').then((m) => m.errorText({ status: 500, response: { message: 'Something went wrong while processing your request.' } }))`); msg != "服务器处理出错，请稍后再试。" {
		t.Fatalf("500 shown as %q", msg)
	}
}

// TestWorkbenchMeetingRegisterAt360: the rest of an office day in 工作台 at
// 360 px, as staff (no superuser): a meeting starting soon, a deputy's
// leave recorded, the check-in screen opened (its QR comes with the staff
// session), the register closed (the other deputy recorded absent), a
// 调休 working day entered, the QR card sheet opened from 代表名册.
func TestWorkbenchMeetingRegisterAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, _ := srv.seedAccounts(town)
	staffTok := srv.login("staff", staff.Phone, accountPass)

	p := newPhone(t, srv.URL)
	p.loginAs("工作人员", staff.Phone, accountPass)
	p.goHash("#/workbench?tab=meetings")
	p.waitText("新建会议")
	eval[bool](p, `(() => { document.querySelector('#wb-new-meeting').closest('details').open = true; return true; })()`)
	p.setValue("#nm-title", "第二季度代表集中学习")
	p.setValue("#nm-start", chinaInput(time.Now().Add(20*time.Minute)))
	p.setValue("#nm-place", "镇代表联络站")
	p.clickIn("#main", "新建会议")
	p.waitText("已新建会议")
	p.waitJS("the meeting listed", `document.querySelector('li[data-title="第二季度代表集中学习"]') !== null`, 20*time.Second)
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	srv.mustAPI("GET", "/api/collections/meetings/records?filter="+urlQuery(`title="第二季度代表集中学习"`), staffTok, nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("meetings found: %d", len(list.Items))
	}
	meeting := list.Items[0].ID

	// 登记请假 for the ordinary deputy.
	eval[bool](p, `(() => { document.querySelector('#lv-meeting').closest('details').open = true; return true; })()`)
	p.selectValue("#lv-meeting", meeting)
	p.selectValue("#lv-deputy", town.Deputy.ID)
	p.setValue("#lv-reason", "外出务工")
	p.clickIn("#main", "登记请假")
	p.waitText("请假已登记")
	checkRoleRules(t, p, "工作台·会议·请假")

	// The check-in screen shows the meeting's QR with the staff session.
	p.navigate("/meetings/" + meeting + "/checkin-screen")
	p.waitJS("the check-in QR", `document.querySelector('#qr')?.src.startsWith('data:image/png')`, 30*time.Second)
	if txt := p.text(); !strings.Contains(txt, "应到 2 人") {
		t.Fatalf("check-in screen:\n%s", txt)
	}

	// 关闭签到: the presidium member, neither checked in nor on leave, is absent.
	p.navigate("/#/workbench?tab=meetings")
	p.waitJS("the meeting listed", `document.querySelector('li[data-title="第二季度代表集中学习"]') !== null`, 20*time.Second)
	p.clickIn(`li[data-title="第二季度代表集中学习"]`, "关闭签到")
	p.waitText("签到已关闭")
	var att struct {
		Items []struct{ Deputy, Status string } `json:"items"`
	}
	srv.mustAPI("GET", "/api/collections/meeting_attendance/records?filter="+urlQuery(`meeting="`+meeting+`"`), staffTok, nil, &att)
	got := map[string]string{}
	for _, a := range att.Items {
		got[a.Deputy] = a.Status
	}
	if got[town.Deputy.ID] != "leave" || got[town.Presidium.ID] != "absent" {
		t.Fatalf("attendance after closing the register: %v", got)
	}

	// 日历: a 调休 working day; 代表名册 → the QR card sheet.
	p.goHash("#/workbench?tab=calendar")
	p.waitText("节假日和调休")
	p.setValue("#cal-date", time.Now().AddDate(0, 2, 0).Format("2006-01-02"))
	p.selectValue("#cal-kind", "true")
	p.setValue("#cal-name", "庙会调休上班")
	p.clickIn("#main", "登记")
	p.waitText("庙会调休上班")
	p.goHash("#/workbench?tab=roster")
	p.waitText("打印代表码联系卡")
	p.clickIn("#main", "打印代表码联系卡")
	p.waitText("打开联系卡")
	checkRoleRules(t, p, "代表码联系卡")
}
