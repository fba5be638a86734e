package office

import (
	"strings"
	"testing"
	"time"

	"simeng/e2e/internal/harness"
)

// chinaInput is t as a datetime-local value in China time.
func chinaInput(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
}

// TestWorkbenchStaffDailyTasksAt360: an office harness.Account (staff, not a
// superuser) does the day's work in 工作台 on a 360 px phone: registers a
// hotline call received yesterday (a future time is refused) and finds it
// overdue in 今日, creates a deputy with a one-time password, resets it and
// deactivates the harness.Account, creates a meeting and sends its notice, records
// a holiday, exports the hazard ledger, sees the outbox and the audit
// trail.
func TestWorkbenchStaffDailyTasksAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, _ := srv.SeedAccounts(town)

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	// Buttons are clicked by script: at 360 px a form's last button may sit
	// under the bottom bar until scrolled, as a person would.
	p.ClickTile("workbench")
	p.WaitText("今日待办")
	harness.CheckRoleRules(t, p, "工作台·今日")

	// 受理登记: the future is refused, yesterday is taken.
	p.GoHash("#/workbench?tab=intake")
	p.WaitText("受理登记")
	p.SelectValue("#in-deputy", town.Deputy.ID)
	p.SetValue("#in-content", "三组自来水浑浊已经一周，老人不敢喝。")
	p.SetValue("#in-at", chinaInput(time.Now().Add(3*time.Hour)))
	p.ClickIn("#main", "登记")
	p.WaitText("不能晚于现在")
	// A fresh form for the call received yesterday.
	p.GoHash("#/workbench?tab=today")
	p.WaitText("今日待办")
	p.GoHash("#/workbench?tab=intake")
	p.WaitJS("fresh intake form", `document.querySelector('#in-content')?.value === ''`, 20*time.Second)
	p.SelectValue("#in-deputy", town.Deputy.ID)
	p.SetValue("#in-content", "三组自来水浑浊已经一周，老人不敢喝。")
	p.SetValue("#in-at", chinaInput(time.Now().Add(-26*time.Hour)))
	p.SetValue("#in-phone", "13912345670")
	harness.Eval[bool](p, `(() => { const c = document.querySelector('#wb-intake input[type=checkbox]'); c.click(); return true; })()`)
	p.ClickIn("#main", "登记")
	p.WaitText("已登记，查询码")
	harness.CheckRoleRules(t, p, "工作台·受理登记")
	p.GoHash("#/workbench?tab=today")
	p.WaitText("三组自来水浑浊")
	if txt := p.Text(); !strings.Contains(txt, "已逾期") {
		t.Fatalf("the call received 26 h ago is not overdue in 今日:\n%s", txt)
	}

	// 代表名册: create (active), reset the password, deactivate.
	p.GoHash("#/workbench?tab=roster")
	p.WaitText("新建代表")
	harness.Eval[bool](p, `(() => { document.querySelector('#wb-new-deputy').closest('details').open = true; return true; })()`)
	p.SetValue("#nd-name", "龙秀英")
	p.SetValue("#nd-phone", "13900001009")
	p.SelectValue("#nd-gender", "女")
	p.SetValue("#nd-term", "第十九届")
	p.ClickIn("#main", "新建（在任）")
	p.WaitText("初始密码")
	first := harness.Eval[string](p, `document.querySelector('#wb-note').textContent.match(/初始密码：(\S+?)（/)[1]`)
	if st := srv.API("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": first}, nil); st != 200 {
		t.Fatalf("the new deputy cannot log in with the initial password: %d", st)
	}
	harness.CheckRoleRules(t, p, "工作台·代表名册")
	p.WaitJS("the new deputy listed", `document.querySelector('li[data-name="龙秀英"]') !== null`, 20*time.Second)
	p.ClickIn(`li[data-name="龙秀英"]`, "重置密码")
	p.WaitText("龙秀英的新密码")
	second := harness.Eval[string](p, `document.querySelector('#wb-note').textContent.match(/新密码：(\S+?)（/)[1]`)
	if st := srv.API("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": second}, nil); st != 200 {
		t.Fatalf("the reset password does not log in: %d", st)
	}
	p.ClickIn(`li[data-name="龙秀英"]`, "停用")
	p.WaitText("龙秀英已停用")
	if st := srv.API("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": second}, nil); st == 200 {
		t.Fatal("a deactivated deputy still logs in")
	}

	// 会议: create, send the notice.
	p.GoHash("#/workbench?tab=meetings")
	p.WaitText("新建会议")
	harness.Eval[bool](p, `(() => { document.querySelector('#wb-new-meeting').closest('details').open = true; return true; })()`)
	p.SetValue("#nm-title", "第三季度季度集训")
	p.SetValue("#nm-start", chinaInput(time.Now().Add(72*time.Hour)))
	p.SetValue("#nm-place", "镇政府三楼会议室")
	p.ClickIn("#main", "新建会议")
	p.WaitText("已新建会议")
	p.WaitJS("the new meeting listed", `document.querySelector('li[data-title="第三季度季度集训"]') !== null`, 20*time.Second)
	p.ClickIn(`li[data-title="第三季度季度集训"]`, "发送通知")
	p.WaitText("会议通知已发给 2 位代表")
	harness.CheckRoleRules(t, p, "工作台·会议")

	// 日历, 考核和导出, 通知, 操作记录.
	p.GoHash("#/workbench?tab=calendar")
	p.WaitText("节假日和调休")
	p.SetValue("#cal-date", time.Now().AddDate(0, 1, 0).Format("2006-01-02"))
	p.SetValue("#cal-name", "镇庙会放假")
	p.ClickIn("#main", "登记")
	p.WaitText("镇庙会放假")
	p.GoHash("#/workbench?tab=year")
	p.WaitText("年度考核和导出")
	p.WaitJS("the exports", `document.querySelectorAll('#wb-exports button').length > 0`, 20*time.Second)
	p.ClickIn("#main", "隐患台账")
	p.WaitText("隐患台账已导出")
	harness.CheckRoleRules(t, p, "工作台·考核和导出")
	p.GoHash("#/workbench?tab=outbox")
	p.WaitText("短信：未开通")
	p.SelectValue("#ob-state", "sent")
	p.WaitJS("sent notices", `document.querySelectorAll('#wb-outbox li').length >= 2`, 20*time.Second)
	harness.CheckRoleRules(t, p, "工作台·通知")
	p.GoHash("#/workbench?tab=audit")
	p.WaitText("操作记录（只读）")
	p.WaitJS("audit entries", `document.querySelectorAll('#wb-audit li').length > 0`, 20*time.Second)
	if txt := p.Text(); !strings.Contains(txt, "田联络") {
		t.Fatalf("the audit trail does not name the staff member:\n%s", txt)
	}
	harness.CheckRoleRules(t, p, "工作台·操作记录")
}
