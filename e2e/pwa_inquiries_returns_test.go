package e2e

import (
	"testing"
	"time"

	"simeng/chinatime"
)

// The presidium selects a 专题询问 at 360 px, records a deputy's question
// and the unit's answer; the deputy finds it, with the question marked as
// theirs.
func TestInquiryRecordedAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	_, unit := srv.seedAccounts(town)
	srv.relaxedSuperToken()

	p := newPhone(t, srv.URL)
	p.loginAs("人大代表", town.Presidium.Phone, deputyPass)
	p.clickTile("inquiries")
	p.waitText("还没有专题询问")
	p.press("选取询问项目或议题")
	p.setValue("#iq-topic", "集镇污水管网建设进度")
	p.waitJS("units listed", `document.querySelectorAll('#iq-unit option').length > 1`, 10*time.Second)
	p.pickOption("#iq-unit", unit.ID)
	p.pickOption("#iq-status", "held")
	checkRoleRules(t, p, "new inquiry")
	p.press("保存")
	p.waitText("应询单位：镇应急办")
	p.press("记录提问")
	p.waitJS("deputies listed", `document.querySelectorAll("select[id^='nq-d-'] option").length > 2`, 10*time.Second)
	p.pickOption("select[id^='nq-d-']", town.Deputy.ID)
	p.setValue("textarea[id^='nq-q-']", "污水管网今年能否通到思蒙湾村三组？")
	p.press("保存提问")
	p.waitText("向代表问：污水管网今年能否通到思蒙湾村三组？")
	p.press("记录回答")
	p.setValue("textarea[id^='an-a-']", "三组支管已纳入二期，10月底前完工。")
	p.setValue("input[id^='an-b-']", "镇应急办主任")
	checkRoleRules(t, p, "answer")
	p.press("保存回答")
	p.waitText("镇应急办主任答：三组支管已纳入二期")

	d := newPhone(t, srv.URL)
	d.loginAs("人大代表", town.Deputy.Phone, deputyPass)
	d.clickTile("inquiries")
	d.waitText("集镇污水管网建设进度")
	d.waitText("（我）问：污水管网今年能否通到思蒙湾村三组？")
	d.waitText("三组支管已纳入二期")
	d.waitText("本年度您提问 1 个")
	checkRoleRules(t, d, "deputy's inquiries")
}

// A unit asks at 360 px to return a rectification item outside its remit:
// the reason is required (the refusal names it, in Chinese), the request
// waits, and the office reassigns it to another unit from its list.
func TestUnitAsksToReturnAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, unit := srv.seedAccounts(town)
	su := srv.relaxedSuperToken()
	staffTok := srv.login("staff", staff.Phone, accountPass)
	var other, report, item struct{ ID string }
	srv.mustAPI("POST", "/api/collections/units/records", staffTok, map[string]any{
		"name": "市场监管所", "kind": "station", "contact_name": "易所长", "phone": "13600001002", "active": true,
		"password": accountPass, "passwordConfirm": accountPass,
	}, &other)
	srv.mustAPI("POST", "/api/collections/supervision_reports/records", staffTok, map[string]any{
		"year": chinatime.CurrentYear(), "title": "关于集镇农贸市场的监督通报", "summary": "视察发现以下问题，请责任单位限期整改。", "status": "draft",
	}, &report)
	srv.mustAPI("POST", "/api/collections/rectification_items/records", staffTok, map[string]any{
		"report": report.ID, "position": 1, "problem_text": "农贸市场冷鲜肉无检疫合格证明", "unit": unit.ID,
		"deadline": time.Now().AddDate(0, 0, 15).UTC().Format(pbTime),
	}, &item)
	srv.mustAPI("POST", "/api/supervision-reports/"+report.ID+"/issue", staffTok, map[string]any{}, nil)

	u := newPhone(t, srv.URL)
	u.loginAs("承办单位", unit.Phone, accountPass)
	u.waitText("农贸市场冷鲜肉无检疫合格证明")
	u.press("办理")
	u.waitText("前申请退办")
	checkRoleRules(t, u, "return button")
	u.press("申请退办")
	u.press("提交退办申请")
	u.waitText("请写明退办理由")
	u.setValue("#return-reason", "冷鲜肉检疫属市场监管所职责，本单位无执法权，建议改由市场监管所办理。")
	checkRoleRules(t, u, "return form")
	u.press("提交退办申请")
	u.waitText("退办申请已提交")
	u.press("返回交办事项")
	u.waitText("已申请退办，等待镇人大办公室处理")

	s := newPhone(t, srv.URL)
	s.loginAs("工作人员", staff.Phone, accountPass)
	s.clickTile("returns")
	s.waitText("待处理 1")
	s.waitText("冷鲜肉检疫属市场监管所职责")
	s.clickMatching("body", "label.check", "改派其他单位")
	s.waitJS("units listed", `document.querySelectorAll("select[id^='rd-unit-'] option").length > 1`, 10*time.Second)
	s.pickOption("select[id^='rd-unit-']", other.ID)
	s.setValue("input[id^='rd-deadline-']", chinaDate(20))
	checkRoleRules(t, s, "decide")
	s.press("确定")
	s.waitText("已改派市场监管所")

	var got struct{ Unit string }
	srv.mustAPI("GET", "/api/collections/rectification_items/records/"+item.ID, su, nil, &got)
	if got.Unit != other.ID {
		t.Fatalf("item's unit %s, want %s", got.Unit, other.ID)
	}
}
