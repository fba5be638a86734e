package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCommentOnATopic: a deputy opens a 云端议事 topic from the list and
// comments in the village without signal; the comment waits on the phone
// and goes up once the signal is back. A presidium member approves a
// resident's comment from the same screen, and it turns public.
func TestCommentOnATopic(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	pres := srv.login("deputies", town.Presidium.Phone, deputyPass)
	var topic struct{ ID, Code string }
	srv.mustAPI("POST", "/api/collections/topics/records", pres, map[string]any{
		"title": "集镇赶集日停车难怎么解决", "background": "赶集日主街车辆乱停，拟在老粮站空坪划设停车区。",
		"audience": "both", "status": "open", "deadline": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
	}, &topic)

	p := newPage(t, srv.URL)
	p.login(town.Deputy.Phone)
	p.waitServiceWorker()
	p.goHash("#/")
	p.waitJS("the home link", `document.querySelector('a[href="#/topics"]') !== null`, 10*time.Second)
	eval[chromedp.Void](p, `document.querySelector('a[href="#/topics"]').click()`) // the home screen still grows: tap the link itself
	p.waitText("集镇赶集日停车难怎么解决")
	// Open the topic online once (it is kept for offline reading), then
	// lose the signal.
	eval[chromedp.Void](p, `document.querySelector('a.topic-link').click()`)
	p.waitText("老粮站空坪")
	p.setNetwork(true, 0, 0)
	srv.Stop()
	p.fill("我的意见", "建议停车区离集镇近一些，方便老人。")
	p.click("发表意见")
	p.waitText("意见已保存在手机上")
	p.waitJS("the comment waits on the phone", `document.querySelector('article.comment.mine')?.dataset.state === 'pending'`, 10*time.Second)

	srv.Start()
	p.setNetwork(false, 0, 0)
	p.waitJS("the comment went up", `document.querySelector('article.comment.mine')?.dataset.state === 'synced' || (document.querySelector('article.comment[data-id]') && !document.querySelector('article.comment.mine'))`, 60*time.Second)
	var list struct {
		Items []struct{ ID, Author, Deputy, Body, Moderation string }
	}
	srv.mustAPI("GET", "/api/collections/topic_comments/records?filter="+url.QueryEscape(`topic="`+topic.ID+`"`), pres, nil, &list)
	if len(list.Items) != 1 || list.Items[0].Author != "deputy" || list.Items[0].Deputy != town.Deputy.ID ||
		list.Items[0].Moderation != "approved" || !strings.Contains(list.Items[0].Body, "方便老人") {
		t.Fatalf("the server holds %+v", list.Items)
	}

	// A resident's comment (typed in by staff here) waits for the presidium.
	su := srv.superToken()
	var pending struct{ ID string }
	srv.mustAPI("POST", "/api/collections/topic_comments/records", su, map[string]any{
		"topic": topic.ID, "body": "停车不要收费太高。", "village": town.Village,
	}, &pending)
	pp := newPage(t, srv.URL)
	pp.login(town.Presidium.Phone)
	pp.goHash("#/topic?id=" + topic.ID)
	pp.waitText("待审核的群众意见（1）")
	pp.click("通过并公开")
	pp.waitText("已公开。")
	var c struct {
		Moderation  string `json:"moderation"`
		ModeratedBy string `json:"moderated_by"`
	}
	srv.mustAPI("GET", "/api/collections/topic_comments/records/"+pending.ID, su, nil, &c)
	if c.Moderation != "approved" || !strings.Contains(c.ModeratedBy, town.Presidium.Name) {
		t.Fatalf("after approval: %+v", c)
	}
	checkA11y(t, pp, "#/topic")
}

// TestReadArticleOffline: articles come down with the sync pull; without
// signal the deputy opens the learning board and reads one; the read
// receipt waits on the phone and reaches the server with the signal, once.
func TestReadArticleOffline(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	su := srv.superToken()
	var article struct{ ID string }
	srv.mustAPI("POST", "/api/collections/articles/records", su, map[string]any{
		"title": "代表建议办理流程解读", "category": "policy", "published": true,
		"body": "代表建议交办后，承办单位应当在规定时间内答复。\n\n答复前应当与代表沟通。",
	}, &article)
	srv.mustAPI("POST", "/api/collections/articles/records", su, map[string]any{
		"title": "乡镇人民代表大会议事规则", "category": "rules", "published": true,
	}, nil)

	p := newPage(t, srv.URL)
	p.login(town.Deputy.Phone)
	p.waitServiceWorker()
	p.goHash("#/learning")
	p.waitText("代表建议办理流程解读")

	p.setNetwork(true, 0, 0)
	srv.Stop()
	p.do("reload offline", 20*time.Second, chromedp.Reload())
	p.waitText("代表建议办理流程解读")
	eval[chromedp.Void](p, fmt.Sprintf(`document.querySelector('a[href="#/article?id=%s"]').click()`, article.ID))
	p.waitText("答复前应当与代表沟通。")
	// The receipt is saved once the article has been on screen (an effect
	// after paint): going back within the same frame, as a script can and
	// a reader does not, would leave it unsaved.
	p.waitJS("receipt saved on the phone", `import('/a/' + document.getElementById('app').dataset.version + '/app/store.js')
		.then((m) => m.listRecords('article_reads')).then((rs) => rs.length === 1)`, 10*time.Second)
	p.goHash("#/learning")
	p.waitJS("read badge", `[...document.querySelectorAll('a.article-link')].some((a) => a.innerText.includes('已读'))`, 10*time.Second)
	// The rule document has no text yet: it says so instead of a blank page.
	p.click("乡镇人民代表大会议事规则")
	p.waitText("原文尚未上传")
	checkA11y(t, p, "#/article")

	srv.Start()
	p.setNetwork(false, 0, 0)
	p.waitJS("both receipts synced", `import('/a/' + document.getElementById('app').dataset.version + '/app/store.js')
		.then((m) => m.listRecords('article_reads')).then((rs) => rs.length === 2 && rs.every((r) => r.state === 'synced'))`, 60*time.Second)
	token := srv.login("deputies", town.Deputy.Phone, deputyPass)
	var reads struct {
		Items []struct{ Article, Deputy string }
	}
	srv.mustAPI("GET", "/api/collections/article_reads/records", token, nil, &reads)
	if len(reads.Items) != 2 {
		t.Fatalf("read receipts on the server: %+v", reads.Items)
	}
	for _, r := range reads.Items {
		if r.Deputy != town.Deputy.ID {
			t.Fatalf("a receipt of another deputy: %+v", r)
		}
	}
}

// TestDeliberationScreensAccessibleAt360 holds the new screens to the
// rules of TestAccessibleAt360 (18 px text, 48 px targets, labels, no
// sideways scrolling), as a presidium member sees them.
func TestDeliberationScreensAccessibleAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	pres := srv.login("deputies", town.Presidium.Phone, deputyPass)
	var survey struct{ ID string }
	srv.mustAPI("POST", "/api/collections/surveys/records", pres, map[string]any{
		"title": "留守儿童课后看护需求微调研", "status": "open", "closes_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
		"questions": []map[string]any{{"kind": "single", "title": "您家是否有留守儿童？", "options": []string{"有", "没有"}, "required": true}},
	}, &survey)
	srv.mustAPI("POST", "/api/collections/articles/records", srv.superToken(), map[string]any{
		"title": "代表建议办理流程解读", "category": "policy", "published": true, "body": "正文。",
	}, nil)
	p := newPage(t, srv.URL)
	p.do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	p.login(town.Presidium.Phone)
	for _, s := range []struct{ hash, ready string }{
		{"#/topics", "发起议题"}, {"#/topic-new", "存为草稿"}, {"#/surveys", "留守儿童课后看护需求微调研"},
		{"#/survey?id=" + survey.ID, "请群众扫码填写"}, {"#/survey-new", "添加一道题"}, {"#/reports", "提交调研报告"},
		{"#/report-new", "报告全文"}, {"#/learning", "代表建议办理流程解读"}, {"#/reading", "导出阅读情况"},
	} {
		p.goHash(s.hash)
		p.waitText(s.ready)
		checkA11y(t, p, s.hash)
	}
}
