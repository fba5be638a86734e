package field

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestCommentOnATopic: a deputy opens a 云端议事 topic from the list and
// comments in the village without signal; the comment waits on the phone
// and goes up once the signal is back. A presidium member approves a
// resident's comment from the same screen, and it turns public.
func TestCommentOnATopic(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	pres := srv.Login("deputies", town.Presidium.Phone, harness.DeputyPass)
	var topic struct{ ID, Code string }
	srv.MustAPI("POST", "/api/collections/topics/records", pres, map[string]any{
		"title": "集镇赶集日停车难怎么解决", "background": "赶集日主街车辆乱停，拟在老粮站空坪划设停车区。",
		"audience": "both", "status": "open", "deadline": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
	}, &topic)

	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()
	p.GoHash("#/")
	p.WaitJS("the home link", `document.querySelector('a[href="#/topics"]') !== null`, 10*time.Second)
	harness.Eval[chromedp.Void](p, `document.querySelector('a[href="#/topics"]').click()`) // the home screen still grows: tap the link itself
	p.WaitText("集镇赶集日停车难怎么解决")
	// Open the topic online once (it is kept for offline reading), then
	// lose the signal.
	harness.Eval[chromedp.Void](p, `document.querySelector('a.topic-link').click()`)
	p.WaitText("老粮站空坪")
	p.SetNetwork(true, 0, 0)
	srv.Stop()
	p.Fill("我的意见", "建议停车区离集镇近一些，方便老人。")
	p.Click("发表意见")
	p.WaitText("意见已保存在手机上")
	p.WaitJS("the comment waits on the phone", `document.querySelector('article.comment.mine')?.dataset.state === 'pending'`, 10*time.Second)

	srv.Start()
	p.SetNetwork(false, 0, 0)
	p.WaitJS("the comment went up", `document.querySelector('article.comment.mine')?.dataset.state === 'synced' || (document.querySelector('article.comment[data-id]') && !document.querySelector('article.comment.mine'))`, 60*time.Second)
	var list struct {
		Items []struct{ ID, Author, Deputy, Body, Moderation string }
	}
	srv.MustAPI("GET", "/api/collections/topic_comments/records?filter="+url.QueryEscape(`topic="`+topic.ID+`"`), pres, nil, &list)
	if len(list.Items) != 1 || list.Items[0].Author != "deputy" || list.Items[0].Deputy != town.Deputy.ID ||
		list.Items[0].Moderation != "approved" || !strings.Contains(list.Items[0].Body, "方便老人") {
		t.Fatalf("the server holds %+v", list.Items)
	}

	// A resident's comment (typed in by staff here) waits for the presidium.
	su := srv.SuperToken()
	var pending struct{ ID string }
	srv.MustAPI("POST", "/api/collections/topic_comments/records", su, map[string]any{
		"topic": topic.ID, "body": "停车不要收费太高。", "village": town.Village,
	}, &pending)
	pp := harness.NewPage(t, srv.URL)
	pp.Login(town.Presidium.Phone)
	pp.GoHash("#/topic?id=" + topic.ID)
	pp.WaitText("待审核的群众意见（1）")
	pp.Click("通过并公开")
	pp.WaitText("已公开。")
	var c struct {
		Moderation  string `json:"moderation"`
		ModeratedBy string `json:"moderated_by"`
	}
	srv.MustAPI("GET", "/api/collections/topic_comments/records/"+pending.ID, su, nil, &c)
	if c.Moderation != "approved" || !strings.Contains(c.ModeratedBy, town.Presidium.Name) {
		t.Fatalf("after approval: %+v", c)
	}
	harness.CheckA11y(t, pp, "#/topic")
}

// TestReadArticleOffline: articles come down with the sync pull; without
// signal the deputy opens the learning board and reads one; the read
// receipt waits on the phone and reaches the server with the signal, once.
func TestReadArticleOffline(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	su := srv.SuperToken()
	var article struct{ ID string }
	srv.MustAPI("POST", "/api/collections/articles/records", su, map[string]any{
		"title": "代表建议办理流程解读", "category": "policy", "published": true,
		"body": "代表建议交办后，承办单位应当在规定时间内答复。\n\n答复前应当与代表沟通。",
	}, &article)
	srv.MustAPI("POST", "/api/collections/articles/records", su, map[string]any{
		"title": "乡镇人民代表大会议事规则", "category": "rules", "published": true,
	}, nil)

	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()
	p.GoHash("#/learning")
	p.WaitText("代表建议办理流程解读")

	p.SetNetwork(true, 0, 0)
	srv.Stop()
	p.Do("reload offline", 20*time.Second, chromedp.Reload())
	p.WaitText("代表建议办理流程解读")
	harness.Eval[chromedp.Void](p, fmt.Sprintf(`document.querySelector('a[href="#/article?id=%s"]').click()`, article.ID))
	p.WaitText("答复前应当与代表沟通。")
	// The receipt is saved once the article has been on screen (an effect
	// after paint): going back within the same frame, as a script can and
	// a reader does not, would leave it unsaved.
	p.WaitJS("receipt saved on the phone", `import('/a/' + document.getElementById('app').dataset.version + '/app/store.js')
		.then((m) => m.listRecords('article_reads')).then((rs) => rs.length === 1)`, 10*time.Second)
	p.GoHash("#/learning")
	p.WaitJS("read badge", `[...document.querySelectorAll('a.article-link')].some((a) => a.innerText.includes('已读'))`, 10*time.Second)
	// The rule document has no text yet: it says so instead of a blank page.
	p.Click("乡镇人民代表大会议事规则")
	p.WaitText("原文尚未上传")
	harness.CheckA11y(t, p, "#/article")

	srv.Start()
	p.SetNetwork(false, 0, 0)
	p.WaitJS("both receipts synced", `import('/a/' + document.getElementById('app').dataset.version + '/app/store.js')
		.then((m) => m.listRecords('article_reads')).then((rs) => rs.length === 2 && rs.every((r) => r.state === 'synced'))`, 60*time.Second)
	token := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	var reads struct {
		Items []struct{ Article, Deputy string }
	}
	srv.MustAPI("GET", "/api/collections/article_reads/records", token, nil, &reads)
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
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	pres := srv.Login("deputies", town.Presidium.Phone, harness.DeputyPass)
	var survey struct{ ID string }
	srv.MustAPI("POST", "/api/collections/surveys/records", pres, map[string]any{
		"title": "留守儿童课后看护需求微调研", "status": "open", "closes_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
		"questions": []map[string]any{{"kind": "single", "title": "您家是否有留守儿童？", "options": []string{"有", "没有"}, "required": true}},
	}, &survey)
	srv.MustAPI("POST", "/api/collections/articles/records", srv.SuperToken(), map[string]any{
		"title": "代表建议办理流程解读", "category": "policy", "published": true, "body": "正文。",
	}, nil)
	p := harness.NewPage(t, srv.URL)
	p.Do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	p.Login(town.Presidium.Phone)
	for _, s := range []struct{ hash, ready string }{
		{"#/topics", "发起议题"}, {"#/topic-new", "存为草稿"}, {"#/surveys", "留守儿童课后看护需求微调研"},
		{"#/survey?id=" + survey.ID, "请群众扫码填写"}, {"#/survey-new", "添加一道题"}, {"#/reports", "提交调研报告"},
		{"#/report-new", "报告全文"}, {"#/learning", "代表建议办理流程解读"}, {"#/reading", "导出阅读情况"},
	} {
		p.GoHash(s.hash)
		p.WaitText(s.ready)
		harness.CheckA11y(t, p, s.hash)
	}
}
