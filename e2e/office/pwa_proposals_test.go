package office

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/e2e/internal/harness"
)

// A deputy drafts a 议案 at 360 px, invites co-sponsors with no signal (the
// draft waits on the phone and goes when online), a co-sponsor confirms
// in their own app, the sponsor submits; the office registers and assigns
// it; the unit answers from its home; the sponsor rates the answer.
func TestProposalFromDraftToRatingAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, unit := srv.SeedAccounts(town)
	su := srv.RelaxedSuperToken()
	var others []harness.Account
	for i, name := range []string{"谌红梅", "张志强", "李桂花"} {
		var d struct{ ID string }
		phone := fmt.Sprintf("1390000200%d", i)
		srv.MustAPI("POST", "/api/collections/deputies/records", su, map[string]any{
			"name": name, "phone": phone, "password": harness.DeputyPass, "passwordConfirm": harness.DeputyPass,
			"village": town.Village, "level": "township", "active": true, "term": "第十九届",
		}, &d)
		others = append(others, harness.Account{ID: d.ID, Name: name, Phone: phone})
	}

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Deputy.Phone, harness.DeputyPass)
	p.ClickTile("proposals")
	p.Press("写议案建议")
	p.WaitText("邀请附议的代表")
	p.ClickMatching("body", "label.check", "议案")
	p.SetValue("#p-title", "关于建设思蒙湾村文化广场的议案")
	p.PickOption("#p-category", "教育文化")
	p.SetValue("#p-body", "思蒙湾村人口集中，缺少群众文化活动场所，建议利用村部旁闲置地块建设文化广场，由镇村共同筹资。")
	for _, name := range []string{town.Presidium.Name, others[0].Name, others[1].Name, others[2].Name} {
		p.WaitText(name) // the deputies' names come from the server
		p.ClickMatching("body", "label.check", name)
	}
	p.WaitText("已选 4 人")
	harness.CheckRoleRules(t, p, "proposal editor")

	// no signal: the invitation waits on the phone
	p.SetNetwork(true, 0, 0)
	p.Press("邀请附议")
	p.WaitText("已保存在手机上")
	p.Press("返回")
	p.WaitText("待提交")
	if n := srvCount(t, srv, su, "proposals", ""); n != 0 {
		t.Fatalf("%d proposals on the server while offline", n)
	}
	p.SetNetwork(false, 0, 0)
	p.GoHash("#/")
	p.ClickTile("proposals")
	p.WaitJS("sent when online", `document.querySelector('article.proposal') !== null && !document.body.innerText.includes('待提交')`, 20*time.Second)
	var props struct {
		Items []struct {
			ID, Status, Type string
		}
	}
	srv.MustAPI("GET", "/api/collections/proposals/records", su, nil, &props)
	if len(props.Items) != 1 || props.Items[0].Status != "inviting" || props.Items[0].Type != "motion" {
		t.Fatalf("after going online: %+v", props.Items)
	}
	id := props.Items[0].ID

	// the presidium member confirms in their own app; three others by API
	q := harness.NewPhone(t, srv.URL)
	q.LoginAs("人大代表", town.Presidium.Phone, harness.DeputyPass)
	q.ClickTile("proposals")
	q.WaitText("邀请我附议")
	harness.CheckRoleRules(t, q, "invitation")
	q.Press("确认附议")
	q.WaitJS("invitation gone", `!document.body.innerText.includes('邀请我附议')`, 10*time.Second)
	for _, o := range others {
		tok := srv.Login("deputies", o.Phone, harness.DeputyPass)
		srv.MustAPI("POST", "/api/proposals/"+id+"/confirm", tok, map[string]any{}, nil)
	}

	// the sponsor submits from the proposal's page
	p.GoHash("#/")
	p.ClickTile("proposals")
	p.Press("查看办理情况")
	p.WaitText("谌红梅（已确认）")
	p.Press("提交")
	p.WaitText("已提交")

	// the office registers and assigns it to the unit
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)
	srv.MustAPI("POST", "/api/proposals/"+id+"/register", staffTok, map[string]any{"outcome": "accept", "category": "教育文化", "grade": "key"}, nil)
	srv.MustAPI("POST", "/api/proposals/"+id+"/assign", staffTok, map[string]any{"main_unit": unit.ID, "grade": "key"}, nil)

	// the unit answers from its home
	u := harness.NewPhone(t, srv.URL)
	u.LoginAs("承办单位", unit.Phone, harness.AccountPass)
	u.WaitText("关于建设思蒙湾村文化广场的议案")
	u.WaitText("个工作日")
	harness.CheckRoleRules(t, u, "unit inbox")
	u.Press("办理")
	u.WaitText("答复代表")
	u.ClickMatching("body", "label.check", "A类（已解决或基本解决）")
	u.SetValue("#reply-text", "经镇党委会研究，文化广场于今年10月开工，12月底前建成，资金由镇村共同筹措。")
	harness.CheckRoleRules(t, u, "unit reply")
	u.Press("提交答复")
	u.WaitText("已答复")

	// the sponsor rates it
	p.GoHash("#/")
	p.ClickTile("proposals")
	p.WaitText("单位已答复，请评价")
	p.Press("查看办理情况")
	p.WaitText("经镇党委会研究")
	p.ClickMatching("body", "label.check", "满意")
	harness.CheckRoleRules(t, p, "rating")
	p.Press("提交评价")
	p.WaitText("评价：满意")
	var got struct{ Status, Rating, Closure string }
	srv.MustAPI("GET", "/api/collections/proposals/records/"+id, su, nil, &got)
	if got.Status != "closed" || got.Rating != "satisfied" || got.Closure != "rated" {
		t.Fatalf("after the rating: %+v", got)
	}
}

// A deputy votes in the 民生实事 票决 (at most K, confirmed once more, then
// only "已投票") and hands in the 年终评议 sheet, at 360 px.
func TestVoteAndEvaluationAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.RelaxedSuperToken()
	year := chinatime.CurrentYear()
	var meeting struct{ ID string }
	srv.MustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": "思蒙镇第十九届人民代表大会第六次会议", "kind": "congress_session", "place": "镇政府大礼堂", "half_days": 4,
		"starts_at": time.Now().Add(-2 * time.Hour).UTC().Format(harness.PBTime), "expected": []string{town.Deputy.ID, town.Presidium.ID},
	}, &meeting)
	var ids []string
	for _, title := range []string{"集镇污水管网建设", "思蒙湾村老年助餐点", "桥头村渡口护栏改造"} {
		var pr struct{ ID string }
		srv.MustAPI("POST", "/api/collections/projects/records", su, map[string]any{
			"year": year, "title": title, "description": title + "：惠及群众的民生实事项目。", "est_funds": 30, "source_kind": "other",
		}, &pr)
		ids = append(ids, pr.ID)
	}
	var vote struct{ ID string }
	srv.MustAPI("POST", "/api/collections/votes/records", su, map[string]any{
		"meeting": meeting.ID, "year": year, "title": fmt.Sprintf("%d年民生实事项目票决", year), "candidates": ids, "seats": 2, "max_choices": 2,
	}, &vote)
	srv.MustAPI("POST", "/api/votes/"+vote.ID+"/open", su, map[string]any{}, nil)

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Deputy.Phone, harness.DeputyPass)
	p.ClickTile("votes")
	p.WaitText("已选 0/2")
	harness.CheckRoleRules(t, p, "ballot")
	p.ClickMatching(".ballot", "button.candidate", "☐ 集镇污水管网建设")
	p.ClickMatching(".ballot", "button.candidate", "☐ 思蒙湾村老年助餐点")
	p.WaitText("已选 2/2")
	p.ClickMatching(".ballot", "button.candidate", "☐ 桥头村渡口护栏改造") // a third is not taken
	p.WaitText("已选 2/2")
	p.Press("投票")
	p.WaitText("投票后不能修改")
	p.Press("确认投票")
	p.WaitText("您已投票")
	if txt := p.Text(); strings.Contains(txt, "☑") {
		t.Fatalf("the screen still shows the choices:\n%s", txt)
	}
	if n := srvCount(t, srv, su, "ballot_register", ""); n != 1 {
		t.Fatalf("%d register rows", n)
	}

	// the presidium member votes too (on the API): two of two choose both
	srv.MustAPI("POST", "/api/votes/"+vote.ID+"/ballot", srv.Login("deputies", town.Presidium.Phone, harness.DeputyPass),
		map[string]any{"choices": ids[:2]}, nil)
	// the count chooses the projects; the 年终评议 opens on them
	srv.MustAPI("POST", "/api/votes/"+vote.ID+"/close", su, map[string]any{}, nil)
	srv.MustAPI("POST", "/api/votes/"+vote.ID+"/count", su, map[string]any{}, nil)
	var ev struct{ ID string }
	srv.MustAPI("POST", "/api/collections/evaluations/records", su, map[string]any{"year": year, "title": fmt.Sprintf("%d年民生实事项目年终评议", year)}, &ev)
	srv.MustAPI("POST", "/api/evaluations/"+ev.ID+"/open", su, map[string]any{}, nil)
	p.GoHash("#/")
	p.ClickTile("votes")
	p.WaitText("满意度测评")
	p.ClickMatching(".evaluation fieldset:nth-of-type(1)", "label.check", "满意")
	p.ClickMatching(".evaluation fieldset:nth-of-type(2)", "label.check", "基本满意")
	harness.CheckRoleRules(t, p, "evaluation")
	p.Press("提交评议表")
	p.WaitText("您已提交评议表")
	if n := srvCount(t, srv, su, "evaluation_register", ""); n != 1 {
		t.Fatalf("%d evaluation register rows", n)
	}
}

// srvCount counts a collection's records as the superuser sees them.
func srvCount(t *testing.T, srv *harness.Server, token, collection, filter string) int {
	t.Helper()
	var res struct{ TotalItems int }
	path := "/api/collections/" + collection + "/records?perPage=1"
	if filter != "" {
		path += "&filter=" + url.QueryEscape(filter)
	}
	srv.MustAPI("GET", path, token, nil, &res)
	return res.TotalItems
}

// Staff run a vote with a paper ballot at 360 px: open it, tick the deputy
// who takes a paper ballot, close, type the ballot in once the box is
// mixed, count.
func TestStaffRunsAPaperVoteAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, _ := srv.SeedAccounts(town)
	su := srv.RelaxedSuperToken()
	year := chinatime.CurrentYear()
	var meeting struct{ ID string }
	srv.MustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": "思蒙镇第十九届人民代表大会第六次会议", "kind": "congress_session", "place": "镇政府大礼堂", "half_days": 4,
		"starts_at": time.Now().Add(-2 * time.Hour).UTC().Format(harness.PBTime), "expected": []string{town.Deputy.ID, town.Presidium.ID},
	}, &meeting)
	srv.MustAPI("POST", "/api/collections/projects/records", su, map[string]any{
		"year": year, "title": "桥头村渡口护栏改造", "description": "更换渡口护栏和警示设施。", "est_funds": 18, "source_kind": "other",
	}, nil)

	// staff add a candidate and prepare the vote on the phone
	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	p.ClickTile("vote-admin")
	p.Press("添加候选项目")
	p.SetValue("#nc-title", "集镇污水管网建设")
	p.SetValue("#nc-desc", "铺设污水管网3.5公里，接入集镇污水处理站。")
	p.SetValue("#nc-funds", "260")
	p.Press("保存候选项目")
	p.WaitText("已添加")
	p.Press("准备票决")
	p.PickOption("#nv-meeting", meeting.ID)
	p.WaitText("集镇污水管网建设")
	p.ClickMatching(".new-vote", "label.check", "集镇污水管网建设")
	p.ClickMatching(".new-vote", "label.check", "桥头村渡口护栏改造")
	p.SetValue("#nv-seats", "1")
	p.SetValue("#nv-k", "1")
	harness.CheckRoleRules(t, p, "new vote")
	p.Press("保存票决（准备中）")
	var votes struct {
		Items []struct {
			ID         string
			Candidates []string
		}
	}
	p.WaitText("开始投票")
	srv.MustAPI("GET", "/api/collections/votes/records", su, nil, &votes)
	if len(votes.Items) != 1 || len(votes.Items[0].Candidates) != 2 {
		t.Fatalf("votes %+v", votes.Items)
	}
	vote := votes.Items[0]
	var ids []string
	for _, title := range []string{"集镇污水管网建设", "桥头村渡口护栏改造"} {
		var found struct{ Items []struct{ ID string } }
		srv.MustAPI("GET", "/api/collections/projects/records?filter="+url.QueryEscape(`title="`+title+`"`), su, nil, &found)
		ids = append(ids, found.Items[0].ID)
	}
	p.Press("开始投票")
	p.WaitText("投票中")
	// the presidium member votes in the app; the deputy on paper
	srv.MustAPI("POST", "/api/votes/"+vote.ID+"/ballot", srv.Login("deputies", town.Presidium.Phone, harness.DeputyPass), map[string]any{"choices": ids[:1]}, nil)
	p.PickOption(p.ByLabel("领取纸质选票的代表"), town.Deputy.ID)
	p.Press("登记领票")
	p.WaitText("已投票 2 人")
	harness.CheckRoleRules(t, p, "vote open")
	p.Press("截止投票")
	p.WaitText("录入一张纸质选票")
	p.ClickMatching(".paper-ballot", "label.check", "集镇污水管网建设")
	p.Press("录入这张选票")
	p.WaitText("已录入一张")
	harness.CheckRoleRules(t, p, "paper ballots")
	p.Press("计票")
	p.WaitText("当选")
	var v struct {
		Status string
		Result struct{ Cast, Registered int }
	}
	srv.MustAPI("GET", "/api/collections/votes/records/"+vote.ID, su, nil, &v)
	if v.Status != "counted" || v.Result.Cast != 2 || v.Result.Registered != 2 {
		t.Fatalf("vote after the count: %+v", v)
	}
}

// The presidium drafts a 监督通报 with a rectification item for a unit and
// issues it at 360 px; the unit finds the item in its inbox.
func TestSupervisionReportIssuedAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	_, unit := srv.SeedAccounts(town)
	srv.RelaxedSuperToken()

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Presidium.Phone, harness.DeputyPass)
	p.ClickTile("supervision")
	p.Press("起草监督通报")
	p.SetValue("#nr-title", "关于民生实事项目推进情况的监督通报")
	p.SetValue("#nr-summary", "主席团组织代表对民生实事项目开展专题视察，发现以下问题，请责任单位限期整改。")
	p.Press("保存草稿")
	p.Press("添加整改事项")
	p.WaitText("责任单位")
	p.SetValue("textarea[id^='ni-p-']", "施工现场安全警示标志缺失")
	p.SetValue("textarea[id^='ni-r-']", "三日内设置警示标志和夜间警示灯")
	p.WaitJS("units listed", `document.querySelectorAll("select[id^='ni-u-'] option").length > 1`, 10*time.Second)
	p.PickOption("select[id^='ni-u-']", unit.ID)
	p.SetValue("input[id^='ni-d-']", harness.ChinaDate(10))
	harness.CheckRoleRules(t, p, "new item")
	p.Press("保存整改事项")
	p.WaitText("施工现场安全警示标志缺失（镇应急办")
	p.Press("发布通报")
	p.WaitText("思蒙人大通〔")

	tok := srv.Login("units", unit.Phone, harness.AccountPass)
	var inbox struct {
		Items []struct{ Kind, Title string }
	}
	srv.MustAPI("GET", "/api/units/me/inbox", tok, nil, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Kind != "rectification" {
		t.Fatalf("unit inbox %+v", inbox.Items)
	}
}
