package office

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/e2e/internal/harness"
)

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

// TestWorkbenchYearAndExportsAt360: an office harness.Account (staff, not a
// superuser) closes last year's assessment, is refused a reopen without a
// reason (in Chinese), reopens it with one (the reason stays in the
// year's record), recomputes, and downloads two of the exports listed in
// one place, which are Excel workbooks. PocketBase's own English refusal
// reaches the screen in Chinese.
func TestWorkbenchYearAndExportsAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, _ := srv.SeedAccounts(town)
	year := chinatime.CurrentYear() - 1
	y := strconv.Itoa(year)

	p := harness.NewPhone(t, srv.URL)
	dir := p.DownloadsTo()
	p.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	p.GoHash("#/workbench?tab=year")
	p.WaitText("年度考核和导出")
	p.WaitText(y + "年考核：未结算")

	p.ClickIn("#main", "结算考核年度")
	p.WaitText("结算后" + y + "年的考核得分冻结")
	p.ClickIn("#wb-confirm", "确定结算考核年度")
	p.WaitText(y + "年考核已结算")
	p.WaitText(y + "年考核：已结算（得分已冻结）")
	harness.CheckRoleRules(t, p, "工作台·考核和导出")

	// Reopen: the reason is required (the server's Chinese), then taken.
	p.ClickIn("#main", "重新开放考核年度")
	p.WaitText("重新开放的理由")
	p.ClickIn("#wb-confirm", "确定重新开放考核年度")
	p.WaitText("重新开账须写明理由")
	p.SetValue("#wb-reason", "补录12月联络站值班记录")
	p.ClickIn("#wb-confirm", "确定重新开放考核年度")
	p.WaitText(y + "年考核已重新开放")
	p.WaitText(y + "年考核：未结算")
	harness.Eval[bool](p, `(() => { const d = document.querySelector('#wb-year-history')?.closest('details'); if (d) d.open = true; return !!d; })()`)
	p.WaitText("重新开放考核：补录12月联络站值班记录")

	p.ClickIn("#main", "重新计算考核")
	p.ClickIn("#wb-confirm", "确定重新计算考核")
	p.WaitText(y + "年考核已重新计算")

	// 导出: two downloads, each an xlsx (a zip: PK).
	p.WaitJS("the exports", `document.querySelectorAll('#wb-exports button').length >= 7`, 20*time.Second)
	for _, x := range []struct{ label, file string }{
		{"代表履职考核得分表", y + "年度代表履职考核.xlsx"},
		{"议案建议办理台账", y + "年议案建议办理台账.xlsx"},
	} {
		p.ClickIn("#wb-exports", x.label)
		p.WaitText(x.label + "已导出")
		if b := waitFile(t, dir, x.file); !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			t.Fatalf("%s is not an xlsx: %q", x.file, b[:min(len(b), 16)])
		}
	}

	// PocketBase's own English refusal (a record missing its required
	// fields) is shown in Chinese by the one mapping in ui.js.
	got := harness.Eval[string](p, `(async () => {
		const { pb } = await import('/app/api.js'); const { errorText } = await import('/app/ui.js');
		try { await pb.collection('meetings').create({}); return 'created'; } catch (e) { return e.response.message + '|' + errorText(e); } })()`)
	english, shown, _ := strings.Cut(got, "|")
	if !strings.HasPrefix(english, "Failed to create record") || shown == "" || strings.ContainsAny(shown, "abcdefghijklmnopqrstuvwxyz") || !strings.Contains(shown, "必须填写") {
		t.Fatalf("PocketBase's refusal %q shown as %q", english, shown)
	}
	if msg := harness.Eval[string](p, `import('/app/ui.js').then((m) => m.errorText({ status: 500, response: { message: 'Something went wrong while processing your request.' } }))`); msg != "服务器处理出错，请稍后再试。" {
		t.Fatalf("500 shown as %q", msg)
	}
}

// TestWorkbenchMeetingRegisterAt360: the rest of an office day in 工作台 at
// 360 px, as staff (no superuser): a meeting starting soon, a deputy's
// leave recorded, the check-in screen opened (its QR comes with the staff
// session), the register closed (the other deputy recorded absent), a
// 调休 working day entered, the QR card sheet opened from 代表名册.
func TestWorkbenchMeetingRegisterAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, _ := srv.SeedAccounts(town)
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	p.GoHash("#/workbench?tab=meetings")
	p.WaitText("新建会议")
	harness.Eval[bool](p, `(() => { document.querySelector('#wb-new-meeting').closest('details').open = true; return true; })()`)
	p.SetValue("#nm-title", "第二季度代表集中学习")
	p.SetValue("#nm-start", chinaInput(time.Now().Add(20*time.Minute)))
	p.SetValue("#nm-place", "镇代表联络站")
	p.ClickIn("#main", "新建会议")
	p.WaitText("已新建会议")
	p.WaitJS("the meeting listed", `document.querySelector('li[data-title="第二季度代表集中学习"]') !== null`, 20*time.Second)
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/meetings/records?filter="+url.QueryEscape(`title="第二季度代表集中学习"`), staffTok, nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("meetings found: %d", len(list.Items))
	}
	meeting := list.Items[0].ID

	// 登记请假 for the ordinary deputy.
	harness.Eval[bool](p, `(() => { document.querySelector('#lv-meeting').closest('details').open = true; return true; })()`)
	p.SelectValue("#lv-meeting", meeting)
	p.SelectValue("#lv-deputy", town.Deputy.ID)
	p.SetValue("#lv-reason", "外出务工")
	p.ClickIn("#main", "登记请假")
	p.WaitText("请假已登记")
	harness.CheckRoleRules(t, p, "工作台·会议·请假")

	// The check-in screen shows the meeting's QR with the staff session.
	p.Navigate("/meetings/" + meeting + "/checkin-screen")
	p.WaitJS("the check-in QR", `document.querySelector('#qr')?.src.startsWith('data:image/png')`, 30*time.Second)
	if txt := p.Text(); !strings.Contains(txt, "应到 2 人") {
		t.Fatalf("check-in screen:\n%s", txt)
	}

	// 关闭签到: the presidium member, neither checked in nor on leave, is absent.
	p.Navigate("/#/workbench?tab=meetings")
	p.WaitJS("the meeting listed", `document.querySelector('li[data-title="第二季度代表集中学习"]') !== null`, 20*time.Second)
	p.ClickIn(`li[data-title="第二季度代表集中学习"]`, "关闭签到")
	p.WaitText("签到已关闭")
	var att struct {
		Items []struct{ Deputy, Status string } `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/meeting_attendance/records?filter="+url.QueryEscape(`meeting="`+meeting+`"`), staffTok, nil, &att)
	got := map[string]string{}
	for _, a := range att.Items {
		got[a.Deputy] = a.Status
	}
	if got[town.Deputy.ID] != "leave" || got[town.Presidium.ID] != "absent" {
		t.Fatalf("attendance after closing the register: %v", got)
	}

	// 日历: a 调休 working day; 代表名册 → the QR card sheet.
	p.GoHash("#/workbench?tab=calendar")
	p.WaitText("节假日和调休")
	p.SetValue("#cal-date", time.Now().AddDate(0, 2, 0).Format("2006-01-02"))
	p.SelectValue("#cal-kind", "true")
	p.SetValue("#cal-name", "庙会调休上班")
	p.ClickIn("#main", "登记")
	p.WaitText("庙会调休上班")
	p.GoHash("#/workbench?tab=roster")
	p.WaitText("打印代表码联系卡")
	p.ClickIn("#main", "打印代表码联系卡")
	p.WaitText("打开联系卡")
	harness.CheckRoleRules(t, p, "代表码联系卡")
}
