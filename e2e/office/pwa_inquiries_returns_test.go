package office

import (
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/e2e/internal/harness"
)

// The presidium selects a 专题询问 at 360 px, records a deputy's question
// and the unit's answer; the deputy finds it, with the question marked as
// theirs.
func TestInquiryRecordedAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	_, unit := srv.SeedAccounts(town)
	srv.RelaxedSuperToken()

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Presidium.Phone, harness.DeputyPass)
	p.ClickTile("inquiries")
	p.WaitText("还没有专题询问")
	p.Press("选取询问项目或议题")
	p.SetValue("#iq-topic", "集镇污水管网建设进度")
	p.WaitJS("units listed", `document.querySelectorAll('#iq-unit option').length > 1`, 10*time.Second)
	p.PickOption("#iq-unit", unit.ID)
	p.PickOption("#iq-status", "held")
	harness.CheckRoleRules(t, p, "new inquiry")
	p.Press("保存")
	p.WaitText("应询单位：镇应急办")
	p.Press("记录提问")
	p.WaitJS("deputies listed", `document.querySelectorAll("select[id^='nq-d-'] option").length > 2`, 10*time.Second)
	p.PickOption("select[id^='nq-d-']", town.Deputy.ID)
	p.SetValue("textarea[id^='nq-q-']", "污水管网今年能否通到思蒙湾村三组？")
	p.Press("保存提问")
	p.WaitText("向代表问：污水管网今年能否通到思蒙湾村三组？")
	p.Press("记录回答")
	p.SetValue("textarea[id^='an-a-']", "三组支管已纳入二期，10月底前完工。")
	p.SetValue("input[id^='an-b-']", "镇应急办主任")
	harness.CheckRoleRules(t, p, "answer")
	p.Press("保存回答")
	p.WaitText("镇应急办主任答：三组支管已纳入二期")

	d := harness.NewPhone(t, srv.URL)
	d.LoginAs("人大代表", town.Deputy.Phone, harness.DeputyPass)
	d.ClickTile("inquiries")
	d.WaitText("集镇污水管网建设进度")
	d.WaitText("（我）问：污水管网今年能否通到思蒙湾村三组？")
	d.WaitText("三组支管已纳入二期")
	d.WaitText("本年度您提问 1 个")
	harness.CheckRoleRules(t, d, "deputy's inquiries")
}

// A unit asks at 360 px to return a rectification item outside its remit:
// the reason is required (the refusal names it, in Chinese), the request
// waits, and the office reassigns it to another unit from its list.
func TestUnitAsksToReturnAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, unit := srv.SeedAccounts(town)
	su := srv.RelaxedSuperToken()
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)
	var other, report, item struct{ ID string }
	srv.MustAPI("POST", "/api/collections/units/records", staffTok, map[string]any{
		"name": "市场监管所", "kind": "station", "contact_name": "易所长", "phone": "13600001002", "active": true,
		"password": harness.AccountPass, "passwordConfirm": harness.AccountPass,
	}, &other)
	srv.MustAPI("POST", "/api/collections/supervision_reports/records", staffTok, map[string]any{
		"year": chinatime.CurrentYear(), "title": "关于集镇农贸市场的监督通报", "summary": "视察发现以下问题，请责任单位限期整改。", "status": "draft",
	}, &report)
	srv.MustAPI("POST", "/api/collections/rectification_items/records", staffTok, map[string]any{
		"report": report.ID, "position": 1, "problem_text": "农贸市场冷鲜肉无检疫合格证明", "unit": unit.ID,
		"deadline": time.Now().AddDate(0, 0, 15).UTC().Format(harness.PBTime),
	}, &item)
	srv.MustAPI("POST", "/api/supervision-reports/"+report.ID+"/issue", staffTok, map[string]any{}, nil)

	u := harness.NewPhone(t, srv.URL)
	u.LoginAs("承办单位", unit.Phone, harness.AccountPass)
	u.WaitText("农贸市场冷鲜肉无检疫合格证明")
	u.Press("办理")
	u.WaitText("前申请退办")
	harness.CheckRoleRules(t, u, "return button")
	u.Press("申请退办")
	u.Press("提交退办申请")
	u.WaitText("请写明退办理由")
	u.SetValue("#return-reason", "冷鲜肉检疫属市场监管所职责，本单位无执法权，建议改由市场监管所办理。")
	harness.CheckRoleRules(t, u, "return form")
	u.Press("提交退办申请")
	u.WaitText("退办申请已提交")
	u.Press("返回交办事项")
	u.WaitText("已申请退办，等待镇人大办公室处理")

	s := harness.NewPhone(t, srv.URL)
	s.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	s.ClickTile("returns")
	s.WaitText("待处理 1")
	s.WaitText("冷鲜肉检疫属市场监管所职责")
	s.ClickMatching("body", "label.check", "改派其他单位")
	s.WaitJS("units listed", `document.querySelectorAll("select[id^='rd-unit-'] option").length > 1`, 10*time.Second)
	s.PickOption("select[id^='rd-unit-']", other.ID)
	s.SetValue("input[id^='rd-deadline-']", harness.ChinaDate(20))
	harness.CheckRoleRules(t, s, "decide")
	s.Press("确定")
	s.WaitText("已改派市场监管所")

	var got struct{ Unit string }
	srv.MustAPI("GET", "/api/collections/rectification_items/records/"+item.ID, su, nil, &got)
	if got.Unit != other.ID {
		t.Fatalf("item's unit %s, want %s", got.Unit, other.ID)
	}
}
