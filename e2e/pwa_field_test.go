package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestHouseholdMergedAcrossPhones: two phones create the same household
// (same village, head and door plate) while one of them is offline. The
// server merges the second into the first; that phone points its visit at
// the surviving household, and the server holds one household with both
// visits.
func TestHouseholdMergedAcrossPhones(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()

	a := newPage(t, srv.URL)
	a.login(town.Deputy.Phone)
	b := newPage(t, srv.URL)
	b.login(town.Presidium.Phone)
	b.setNetwork(true, 0, 0) // phone B in a valley with no signal

	newVisit := func(p *page) {
		p.goHash("#/new")
		p.click("新建一户")
		p.fill("户主姓名", "谌玉兰")
		p.fill("门牌地址", "6组21号")
		p.click("保存走访")
		p.waitText("已保存到本机：谌玉兰")
		p.goHash("#/visits")
	}
	newVisit(a)
	a.waitJS("A synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 30*time.Second)
	newVisit(b)
	localHH := eval[string](b, `(async () => { const v = document.getElementById('app').dataset.version;
		const s = await import('/a/' + v + '/app/store.js'); return (await s.listRecords('households'))[0].id; })()`)

	b.setNetwork(false, 0, 0)
	b.waitJS("B synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 30*time.Second)
	if text := b.text(); !strings.Contains(text, "谌玉兰") {
		t.Errorf("B's visit lost its household name after the merge:\n%s", text)
	}
	survivor := eval[string](b, `(async () => { const v = document.getElementById('app').dataset.version;
		const s = await import('/a/' + v + '/app/store.js'); return (await s.listRecords('visits'))[0].data.household; })()`)
	if survivor == localHH {
		t.Fatalf("B's visit still points at its own household %s; want the merged one", localHH)
	}

	su := srv.superToken()
	var hh struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	srv.mustAPI("GET", "/api/collections/households/records?filter="+urlQuery("head_name='谌玉兰'"), su, nil, &hh)
	if hh.TotalItems != 1 || hh.Items[0].ID != survivor {
		t.Fatalf("server households named 谌玉兰: %+v, want exactly the survivor %s", hh, survivor)
	}
	var visits struct {
		TotalItems int `json:"totalItems"`
	}
	srv.mustAPI("GET", "/api/collections/visits/records?filter="+urlQuery("household='"+survivor+"'"), su, nil, &visits)
	if visits.TotalItems != 2 {
		t.Errorf("server has %d visits on the merged household, want 2 (one per phone)", visits.TotalItems)
	}
}

// TestWeChatInstallGuidance: opened inside WeChat, the install screen tells
// the deputy how to open the app in the phone's browser.
func TestWeChatInstallGuidance(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	p := newPage(t, srv.URL)
	if _, err := chromedp.Call(p.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MicroMessenger/8.0.34.2340(0x28002237) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64",
	}); err != nil {
		t.Fatal(err)
	}
	p.login(town.Deputy.Phone)
	// (waited for: under load the home screen renders after login returns)
	p.waitText("添加到手机桌面")
	p.goHash("#/install")
	p.waitText("您正在微信里打开")
	for _, want := range []string{"「···」", "在浏览器打开"} {
		if !strings.Contains(p.text(), want) {
			t.Errorf("WeChat guidance lacks %q", want)
		}
	}
}

// TestServerKilledMidSync: the server dies (SIGKILL) while a phone on a
// slow link is uploading photos; it comes back on the same data dir and the
// outbox, by its own retry with backoff, finishes: every visit exactly once
// on the server, each with its photo.
func TestServerKilledMidSync(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	token := srv.login("deputies", town.Deputy.Phone, deputyPass)
	p := newPage(t, srv.URL)
	p.login(town.Deputy.Phone)

	p.setNetwork(true, 0, 0)
	queued := queueVisits(p, town.Village, 6, 1)
	p.goHash("#/visits")
	p.waitJS("6 queued", `document.querySelectorAll('article.visit').length === 6`, 10*time.Second)

	// A slow link (100 KB/s, 100 ms): the photos take seconds to go up.
	p.setNetwork(false, 100, 100_000)
	eval[chromedp.Void](p, `import('/a/' + document.getElementById('app').dataset.version + '/app/sync.js').then((m) => { m.syncNow(); })`)
	p.waitJS("push answered, photos going up", `[...document.querySelectorAll('article.visit')].some((a) => a.dataset.state === 'uploading')`, 30*time.Second)
	srv.Kill()
	uploading := eval[int](p, `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state !== 'synced').length`)
	if uploading == 0 {
		t.Fatal("every visit synced before the kill: the link is too fast for this test")
	}
	time.Sleep(500 * time.Millisecond)
	srv.Start()
	p.setNetwork(false, 0, 0)

	// No manual retry: the backoff timer brings it home.
	p.waitJS("all synced after the restart", `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state === 'synced').length === 6`, 60*time.Second)
	seen := pulledIDs(t, srv, token, "visits")
	for _, id := range queued.IDs {
		if seen[id] != 1 {
			t.Errorf("visit %s on the server %d times, want 1", id, seen[id])
		}
		var st struct {
			Complete bool `json:"complete"`
			Photos   struct {
				Present []string `json:"present"`
			} `json:"photos"`
		}
		srv.mustAPI("GET", "/api/sync/status/visits/"+id, token, nil, &st)
		if !st.Complete || len(st.Photos.Present) != 1 {
			t.Errorf("visit %s: %+v, want complete with its photo", id, st)
		}
	}
	t.Logf("%d of 6 visits were unfinished when the server was killed", uploading)
}
