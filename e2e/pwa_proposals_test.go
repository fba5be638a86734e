package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
)

// relaxedSuperToken logs the superuser in once PocketBase's auth rate
// limit (2 a 3 s per address, which every login of a test shares) lets it,
// and switches the limits off for the rest of the test: these tests follow
// several people through the app, not the limiter.
func (s *server) relaxedSuperToken() string {
	s.t.Helper()
	var res struct {
		Token string `json:"token"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code := s.api("POST", "/api/collections/_superusers/auth-with-password", "",
			map[string]string{"identity": superEmail, "password": superPassword}, &res)
		if code == 200 {
			break
		}
		if code != 429 || time.Now().After(deadline) {
			s.t.Fatalf("superuser login: %d", code)
		}
		time.Sleep(250 * time.Millisecond) // the limiter's window, polled
	}
	s.mustAPI("PATCH", "/api/settings", res.Token, map[string]any{"rateLimits": map[string]any{"enabled": false}}, nil)
	return res.Token
}

// press taps the button with this text from script: a tap at the
// button's place could land on the fixed bottom bar when the button sits
// at the screen's lower edge.
func (p *page) press(text string) {
	p.t.Helper()
	p.waitJS("button "+text, fmt.Sprintf(`[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === %q && !b.disabled)`, text), 10*time.Second)
	p.clickMatching("body", "button", text)
}

// pickOption chooses a value of a <select> as a finger would (a change event).
func (p *page) pickOption(sel, value string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		el.value = %q; el.dispatchEvent(new Event('change', { bubbles: true })); return el.value === %q; })()`, sel, value, value)
	p.waitJS("option "+value+" in "+sel, js, 10*time.Second)
}

// A deputy drafts a 议案 at 360 px, invites co-sponsors with no signal (the
// draft waits on the phone and goes when online), a co-sponsor confirms
// in their own app, the sponsor submits; the office registers and assigns
// it; the unit answers from its home; the sponsor rates the answer.
func TestProposalFromDraftToRatingAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, unit := srv.seedAccounts(town)
	su := srv.relaxedSuperToken()
	var others []account
	for i, name := range []string{"谌红梅", "张志强", "李桂花"} {
		var d struct{ ID string }
		phone := fmt.Sprintf("1390000200%d", i)
		srv.mustAPI("POST", "/api/collections/deputies/records", su, map[string]any{
			"name": name, "phone": phone, "password": deputyPass, "passwordConfirm": deputyPass,
			"village": town.Village, "level": "township", "active": true, "term": "第十九届",
		}, &d)
		others = append(others, account{ID: d.ID, Name: name, Phone: phone})
	}

	p := newPhone(t, srv.URL)
	p.loginAs("人大代表", town.Deputy.Phone, deputyPass)
	p.clickTile("proposals")
	p.press("写议案建议")
	p.waitText("邀请附议的代表")
	p.clickMatching("body", "label.check", "议案")
	p.setValue("#p-title", "关于建设思蒙湾村文化广场的议案")
	p.pickOption("#p-category", "教育文化")
	p.setValue("#p-body", "思蒙湾村人口集中，缺少群众文化活动场所，建议利用村部旁闲置地块建设文化广场，由镇村共同筹资。")
	for _, name := range []string{town.Presidium.Name, others[0].Name, others[1].Name, others[2].Name} {
		p.waitText(name) // the deputies' names come from the server
		p.clickMatching("body", "label.check", name)
	}
	p.waitText("已选 4 人")
	checkRoleRules(t, p, "proposal editor")

	// no signal: the invitation waits on the phone
	p.setNetwork(true, 0, 0)
	p.press("邀请附议")
	p.waitText("已保存在手机上")
	p.press("返回")
	p.waitText("待提交")
	if n := srvCount(t, srv, su, "proposals", ""); n != 0 {
		t.Fatalf("%d proposals on the server while offline", n)
	}
	p.setNetwork(false, 0, 0)
	p.goHash("#/")
	p.clickTile("proposals")
	p.waitJS("sent when online", `document.querySelector('article.proposal') !== null && !document.body.innerText.includes('待提交')`, 20*time.Second)
	var props struct {
		Items []struct {
			ID, Status, Type string
		}
	}
	srv.mustAPI("GET", "/api/collections/proposals/records", su, nil, &props)
	if len(props.Items) != 1 || props.Items[0].Status != "inviting" || props.Items[0].Type != "motion" {
		t.Fatalf("after going online: %+v", props.Items)
	}
	id := props.Items[0].ID

	// the presidium member confirms in their own app; three others by API
	q := newPhone(t, srv.URL)
	q.loginAs("人大代表", town.Presidium.Phone, deputyPass)
	q.clickTile("proposals")
	q.waitText("邀请我附议")
	checkRoleRules(t, q, "invitation")
	q.press("确认附议")
	q.waitJS("invitation gone", `!document.body.innerText.includes('邀请我附议')`, 10*time.Second)
	for _, o := range others {
		tok := srv.login("deputies", o.Phone, deputyPass)
		srv.mustAPI("POST", "/api/proposals/"+id+"/confirm", tok, map[string]any{}, nil)
	}

	// the sponsor submits from the proposal's page
	p.goHash("#/")
	p.clickTile("proposals")
	p.press("查看办理情况")
	p.waitText("谌红梅（已确认）")
	p.press("提交")
	p.waitText("已提交")

	// the office registers and assigns it to the unit
	staffTok := srv.login("staff", staff.Phone, accountPass)
	srv.mustAPI("POST", "/api/proposals/"+id+"/register", staffTok, map[string]any{"outcome": "accept", "category": "教育文化", "grade": "key"}, nil)
	srv.mustAPI("POST", "/api/proposals/"+id+"/assign", staffTok, map[string]any{"main_unit": unit.ID, "grade": "key"}, nil)

	// the unit answers from its home
	u := newPhone(t, srv.URL)
	u.loginAs("承办单位", unit.Phone, accountPass)
	u.waitText("关于建设思蒙湾村文化广场的议案")
	u.waitText("个工作日")
	checkRoleRules(t, u, "unit inbox")
	u.press("办理")
	u.waitText("答复代表")
	u.clickMatching("body", "label.check", "A类（已解决或基本解决）")
	u.setValue("#reply-text", "经镇党委会研究，文化广场于今年10月开工，12月底前建成，资金由镇村共同筹措。")
	checkRoleRules(t, u, "unit reply")
	u.press("提交答复")
	u.waitText("已答复")

	// the sponsor rates it
	p.goHash("#/")
	p.clickTile("proposals")
	p.waitText("单位已答复，请评价")
	p.press("查看办理情况")
	p.waitText("经镇党委会研究")
	p.clickMatching("body", "label.check", "满意")
	checkRoleRules(t, p, "rating")
	p.press("提交评价")
	p.waitText("评价：满意")
	var got struct{ Status, Rating, Closure string }
	srv.mustAPI("GET", "/api/collections/proposals/records/"+id, su, nil, &got)
	if got.Status != "closed" || got.Rating != "satisfied" || got.Closure != "rated" {
		t.Fatalf("after the rating: %+v", got)
	}
}

// A deputy votes in the 民生实事 票决 (at most K, confirmed once more, then
// only "已投票") and hands in the 年终评议 sheet, at 360 px.
func TestVoteAndEvaluationAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.relaxedSuperToken()
	year := chinatime.CurrentYear()
	var meeting struct{ ID string }
	srv.mustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": "思蒙镇第十九届人民代表大会第六次会议", "kind": "congress_session", "place": "镇政府大礼堂", "half_days": 4,
		"starts_at": time.Now().Add(-2 * time.Hour).UTC().Format(pbTime), "expected": []string{town.Deputy.ID, town.Presidium.ID},
	}, &meeting)
	var ids []string
	for _, title := range []string{"集镇污水管网建设", "思蒙湾村老年助餐点", "桥头村渡口护栏改造"} {
		var pr struct{ ID string }
		srv.mustAPI("POST", "/api/collections/projects/records", su, map[string]any{
			"year": year, "title": title, "description": title + "：惠及群众的民生实事项目。", "est_funds": 30, "source_kind": "other",
		}, &pr)
		ids = append(ids, pr.ID)
	}
	var vote struct{ ID string }
	srv.mustAPI("POST", "/api/collections/votes/records", su, map[string]any{
		"meeting": meeting.ID, "year": year, "title": fmt.Sprintf("%d年民生实事项目票决", year), "candidates": ids, "seats": 2, "max_choices": 2,
	}, &vote)
	srv.mustAPI("POST", "/api/votes/"+vote.ID+"/open", su, map[string]any{}, nil)

	p := newPhone(t, srv.URL)
	p.loginAs("人大代表", town.Deputy.Phone, deputyPass)
	p.clickTile("votes")
	p.waitText("已选 0/2")
	checkRoleRules(t, p, "ballot")
	p.clickMatching(".ballot", "button.candidate", "☐ 集镇污水管网建设")
	p.clickMatching(".ballot", "button.candidate", "☐ 思蒙湾村老年助餐点")
	p.waitText("已选 2/2")
	p.clickMatching(".ballot", "button.candidate", "☐ 桥头村渡口护栏改造") // a third is not taken
	p.waitText("已选 2/2")
	p.press("投票")
	p.waitText("投票后不能修改")
	p.press("确认投票")
	p.waitText("您已投票")
	if txt := p.text(); strings.Contains(txt, "☑") {
		t.Fatalf("the screen still shows the choices:\n%s", txt)
	}
	if n := srvCount(t, srv, su, "ballot_register", ""); n != 1 {
		t.Fatalf("%d register rows", n)
	}

	// the presidium member votes too (on the API): two of two choose both
	srv.mustAPI("POST", "/api/votes/"+vote.ID+"/ballot", srv.login("deputies", town.Presidium.Phone, deputyPass),
		map[string]any{"choices": ids[:2]}, nil)
	// the count chooses the projects; the 年终评议 opens on them
	srv.mustAPI("POST", "/api/votes/"+vote.ID+"/close", su, map[string]any{}, nil)
	srv.mustAPI("POST", "/api/votes/"+vote.ID+"/count", su, map[string]any{}, nil)
	var ev struct{ ID string }
	srv.mustAPI("POST", "/api/collections/evaluations/records", su, map[string]any{"year": year, "title": fmt.Sprintf("%d年民生实事项目年终评议", year)}, &ev)
	srv.mustAPI("POST", "/api/evaluations/"+ev.ID+"/open", su, map[string]any{}, nil)
	p.goHash("#/")
	p.clickTile("votes")
	p.waitText("满意度测评")
	p.clickMatching(".evaluation fieldset:nth-of-type(1)", "label.check", "满意")
	p.clickMatching(".evaluation fieldset:nth-of-type(2)", "label.check", "基本满意")
	checkRoleRules(t, p, "evaluation")
	p.press("提交评议表")
	p.waitText("您已提交评议表")
	if n := srvCount(t, srv, su, "evaluation_register", ""); n != 1 {
		t.Fatalf("%d evaluation register rows", n)
	}
}

// srvCount counts a collection's records as the superuser sees them.
func srvCount(t *testing.T, srv *server, token, collection, filter string) int {
	t.Helper()
	var res struct{ TotalItems int }
	url := "/api/collections/" + collection + "/records?perPage=1"
	if filter != "" {
		url += "&filter=" + urlQuery(filter)
	}
	srv.mustAPI("GET", url, token, nil, &res)
	return res.TotalItems
}

// Staff run a vote with a paper ballot at 360 px: open it, tick the deputy
// who takes a paper ballot, close, type the ballot in once the box is
// mixed, count.
func TestStaffRunsAPaperVoteAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, _ := srv.seedAccounts(town)
	su := srv.relaxedSuperToken()
	year := chinatime.CurrentYear()
	var meeting struct{ ID string }
	srv.mustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": "思蒙镇第十九届人民代表大会第六次会议", "kind": "congress_session", "place": "镇政府大礼堂", "half_days": 4,
		"starts_at": time.Now().Add(-2 * time.Hour).UTC().Format(pbTime), "expected": []string{town.Deputy.ID, town.Presidium.ID},
	}, &meeting)
	srv.mustAPI("POST", "/api/collections/projects/records", su, map[string]any{
		"year": year, "title": "桥头村渡口护栏改造", "description": "更换渡口护栏和警示设施。", "est_funds": 18, "source_kind": "other",
	}, nil)

	// staff add a candidate and prepare the vote on the phone
	p := newPhone(t, srv.URL)
	p.loginAs("工作人员", staff.Phone, accountPass)
	p.clickTile("vote-admin")
	p.press("添加候选项目")
	p.setValue("#nc-title", "集镇污水管网建设")
	p.setValue("#nc-desc", "铺设污水管网3.5公里，接入集镇污水处理站。")
	p.setValue("#nc-funds", "260")
	p.press("保存候选项目")
	p.waitText("已添加")
	p.press("准备票决")
	p.pickOption("#nv-meeting", meeting.ID)
	p.waitText("集镇污水管网建设")
	p.clickMatching(".new-vote", "label.check", "集镇污水管网建设")
	p.clickMatching(".new-vote", "label.check", "桥头村渡口护栏改造")
	p.setValue("#nv-seats", "1")
	p.setValue("#nv-k", "1")
	checkRoleRules(t, p, "new vote")
	p.press("保存票决（准备中）")
	var votes struct {
		Items []struct {
			ID         string
			Candidates []string
		}
	}
	p.waitText("开始投票")
	srv.mustAPI("GET", "/api/collections/votes/records", su, nil, &votes)
	if len(votes.Items) != 1 || len(votes.Items[0].Candidates) != 2 {
		t.Fatalf("votes %+v", votes.Items)
	}
	vote := votes.Items[0]
	var ids []string
	for _, title := range []string{"集镇污水管网建设", "桥头村渡口护栏改造"} {
		var found struct{ Items []struct{ ID string } }
		srv.mustAPI("GET", "/api/collections/projects/records?filter="+urlQuery(`title="`+title+`"`), su, nil, &found)
		ids = append(ids, found.Items[0].ID)
	}
	p.press("开始投票")
	p.waitText("投票中")
	// the presidium member votes in the app; the deputy on paper
	srv.mustAPI("POST", "/api/votes/"+vote.ID+"/ballot", srv.login("deputies", town.Presidium.Phone, deputyPass), map[string]any{"choices": ids[:1]}, nil)
	p.pickOption(p.byLabel("领取纸质选票的代表"), town.Deputy.ID)
	p.press("登记领票")
	p.waitText("已投票 2 人")
	checkRoleRules(t, p, "vote open")
	p.press("截止投票")
	p.waitText("录入一张纸质选票")
	p.clickMatching(".paper-ballot", "label.check", "集镇污水管网建设")
	p.press("录入这张选票")
	p.waitText("已录入一张")
	checkRoleRules(t, p, "paper ballots")
	p.press("计票")
	p.waitText("当选")
	var v struct {
		Status string
		Result struct{ Cast, Registered int }
	}
	srv.mustAPI("GET", "/api/collections/votes/records/"+vote.ID, su, nil, &v)
	if v.Status != "counted" || v.Result.Cast != 2 || v.Result.Registered != 2 {
		t.Fatalf("vote after the count: %+v", v)
	}
}

// The presidium drafts a 监督通报 with a rectification item for a unit and
// issues it at 360 px; the unit finds the item in its inbox.
func TestSupervisionReportIssuedAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	_, unit := srv.seedAccounts(town)
	srv.relaxedSuperToken()

	p := newPhone(t, srv.URL)
	p.loginAs("人大代表", town.Presidium.Phone, deputyPass)
	p.clickTile("supervision")
	p.press("起草监督通报")
	p.setValue("#nr-title", "关于民生实事项目推进情况的监督通报")
	p.setValue("#nr-summary", "主席团组织代表对民生实事项目开展专题视察，发现以下问题，请责任单位限期整改。")
	p.press("保存草稿")
	p.press("添加整改事项")
	p.waitText("责任单位")
	p.setValue("textarea[id^='ni-p-']", "施工现场安全警示标志缺失")
	p.setValue("textarea[id^='ni-r-']", "三日内设置警示标志和夜间警示灯")
	p.waitJS("units listed", `document.querySelectorAll("select[id^='ni-u-'] option").length > 1`, 10*time.Second)
	p.pickOption("select[id^='ni-u-']", unit.ID)
	p.setValue("input[id^='ni-d-']", chinaDate(10))
	checkRoleRules(t, p, "new item")
	p.press("保存整改事项")
	p.waitText("施工现场安全警示标志缺失（镇应急办")
	p.press("发布通报")
	p.waitText("思蒙人大通〔")

	tok := srv.login("units", unit.Phone, accountPass)
	var inbox struct {
		Items []struct{ Kind, Title string }
	}
	srv.mustAPI("GET", "/api/units/me/inbox", tok, nil, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Kind != "rectification" {
		t.Fatalf("unit inbox %+v", inbox.Items)
	}
}
