package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// chinaInput is t as a datetime-local value in China time.
func chinaInput(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
}

// selectValue picks an option of a <select> as a person would (a change event).
func (p *page) selectValue(sel, value string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`, sel, value)
	if !eval[bool](p, js) {
		p.t.Fatalf("no select %s", sel)
	}
}

// TestWorkbenchStaffDailyTasksAt360: an office account (staff, not a
// superuser) does the day's work in 工作台 on a 360 px phone: registers a
// hotline call received yesterday (a future time is refused) and finds it
// overdue in 今日, creates a deputy with a one-time password, resets it and
// deactivates the account, creates a meeting and sends its notice, records
// a holiday, exports the hazard ledger, sees the outbox and the audit
// trail.
func TestWorkbenchStaffDailyTasksAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, _ := srv.seedAccounts(town)

	p := newPhone(t, srv.URL)
	p.loginAs("工作人员", staff.Phone, accountPass)
	// Buttons are clicked by script: at 360 px a form's last button may sit
	// under the bottom bar until scrolled, as a person would.
	p.clickTile("workbench")
	p.waitText("今日待办")
	checkRoleRules(t, p, "工作台·今日")

	// 受理登记: the future is refused, yesterday is taken.
	p.goHash("#/workbench?tab=intake")
	p.waitText("受理登记")
	p.selectValue("#in-deputy", town.Deputy.ID)
	p.setValue("#in-content", "三组自来水浑浊已经一周，老人不敢喝。")
	p.setValue("#in-at", chinaInput(time.Now().Add(3*time.Hour)))
	p.clickIn("#main", "登记")
	p.waitText("不能晚于现在")
	// A fresh form for the call received yesterday.
	p.goHash("#/workbench?tab=today")
	p.waitText("今日待办")
	p.goHash("#/workbench?tab=intake")
	p.waitJS("fresh intake form", `document.querySelector('#in-content')?.value === ''`, 20*time.Second)
	p.selectValue("#in-deputy", town.Deputy.ID)
	p.setValue("#in-content", "三组自来水浑浊已经一周，老人不敢喝。")
	p.setValue("#in-at", chinaInput(time.Now().Add(-26*time.Hour)))
	p.setValue("#in-phone", "13912345670")
	eval[bool](p, `(() => { const c = document.querySelector('#wb-intake input[type=checkbox]'); c.click(); return true; })()`)
	p.clickIn("#main", "登记")
	p.waitText("已登记，查询码")
	checkRoleRules(t, p, "工作台·受理登记")
	p.goHash("#/workbench?tab=today")
	p.waitText("三组自来水浑浊")
	if txt := p.text(); !strings.Contains(txt, "已逾期") {
		t.Fatalf("the call received 26 h ago is not overdue in 今日:\n%s", txt)
	}

	// 代表名册: create (active), reset the password, deactivate.
	p.goHash("#/workbench?tab=roster")
	p.waitText("新建代表")
	eval[bool](p, `(() => { document.querySelector('#wb-new-deputy').closest('details').open = true; return true; })()`)
	p.setValue("#nd-name", "龙秀英")
	p.setValue("#nd-phone", "13900001009")
	p.selectValue("#nd-gender", "女")
	p.setValue("#nd-term", "第十九届")
	p.clickIn("#main", "新建（在任）")
	p.waitText("初始密码")
	first := eval[string](p, `document.querySelector('#wb-note').textContent.match(/初始密码：(\S+?)（/)[1]`)
	if st := srv.api("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": first}, nil); st != 200 {
		t.Fatalf("the new deputy cannot log in with the initial password: %d", st)
	}
	checkRoleRules(t, p, "工作台·代表名册")
	p.waitJS("the new deputy listed", `document.querySelector('li[data-name="龙秀英"]') !== null`, 20*time.Second)
	p.clickIn(`li[data-name="龙秀英"]`, "重置密码")
	p.waitText("龙秀英的新密码")
	second := eval[string](p, `document.querySelector('#wb-note').textContent.match(/新密码：(\S+?)（/)[1]`)
	if st := srv.api("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": second}, nil); st != 200 {
		t.Fatalf("the reset password does not log in: %d", st)
	}
	p.clickIn(`li[data-name="龙秀英"]`, "停用")
	p.waitText("龙秀英已停用")
	if st := srv.api("POST", "/api/collections/deputies/auth-with-password", "", map[string]any{"identity": "13900001009", "password": second}, nil); st == 200 {
		t.Fatal("a deactivated deputy still logs in")
	}

	// 会议: create, send the notice.
	p.goHash("#/workbench?tab=meetings")
	p.waitText("新建会议")
	eval[bool](p, `(() => { document.querySelector('#wb-new-meeting').closest('details').open = true; return true; })()`)
	p.setValue("#nm-title", "第三季度季度集训")
	p.setValue("#nm-start", chinaInput(time.Now().Add(72*time.Hour)))
	p.setValue("#nm-place", "镇政府三楼会议室")
	p.clickIn("#main", "新建会议")
	p.waitText("已新建会议")
	p.waitJS("the new meeting listed", `document.querySelector('li[data-title="第三季度季度集训"]') !== null`, 20*time.Second)
	p.clickIn(`li[data-title="第三季度季度集训"]`, "发送通知")
	p.waitText("会议通知已发给 2 位代表")
	checkRoleRules(t, p, "工作台·会议")

	// 日历, 考核和导出, 通知, 操作记录.
	p.goHash("#/workbench?tab=calendar")
	p.waitText("节假日和调休")
	p.setValue("#cal-date", time.Now().AddDate(0, 1, 0).Format("2006-01-02"))
	p.setValue("#cal-name", "镇庙会放假")
	p.clickIn("#main", "登记")
	p.waitText("镇庙会放假")
	p.goHash("#/workbench?tab=year")
	p.waitText("年度考核和导出")
	p.waitJS("the exports", `document.querySelectorAll('#wb-exports button').length > 0`, 20*time.Second)
	p.clickIn("#main", "隐患台账")
	p.waitText("隐患台账已导出")
	checkRoleRules(t, p, "工作台·考核和导出")
	p.goHash("#/workbench?tab=outbox")
	p.waitText("短信：未开通")
	p.selectValue("#ob-state", "sent")
	p.waitJS("sent notices", `document.querySelectorAll('#wb-outbox li').length >= 2`, 20*time.Second)
	checkRoleRules(t, p, "工作台·通知")
	p.goHash("#/workbench?tab=audit")
	p.waitText("操作记录（只读）")
	p.waitJS("audit entries", `document.querySelectorAll('#wb-audit li').length > 0`, 20*time.Second)
	if txt := p.text(); !strings.Contains(txt, "田联络") {
		t.Fatalf("the audit trail does not name the staff member:\n%s", txt)
	}
	checkRoleRules(t, p, "工作台·操作记录")
}
