package field

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestHouseholdMergedAcrossPhones: two phones create the same household
// (same village, head and door plate) while one of them is offline. The
// server merges the second into the first; that phone points its visit at
// the surviving household, and the server holds one household with both
// visits.
func TestHouseholdMergedAcrossPhones(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()

	a := harness.NewPage(t, srv.URL)
	a.Login(town.Deputy.Phone)
	b := harness.NewPage(t, srv.URL)
	b.Login(town.Presidium.Phone)
	b.SetNetwork(true, 0, 0) // phone B in a valley with no signal

	newVisit := func(p *harness.Page) {
		p.GoHash("#/new")
		p.Click("新建一户")
		p.Fill("户主姓名", "谌玉兰")
		p.Fill("门牌地址", "6组21号")
		p.Click("保存走访")
		p.WaitText("已保存到本机：谌玉兰")
		p.GoHash("#/visits")
	}
	newVisit(a)
	a.WaitJS("A synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 30*time.Second)
	newVisit(b)
	localHH := harness.Eval[string](b, `(async () => { const v = document.getElementById('app').dataset.version;
		const s = await import('/a/' + v + '/app/store.js'); return (await s.listRecords('households'))[0].id; })()`)

	b.SetNetwork(false, 0, 0)
	b.WaitJS("B synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 30*time.Second)
	if text := b.Text(); !strings.Contains(text, "谌玉兰") {
		t.Errorf("B's visit lost its household name after the merge:\n%s", text)
	}
	survivor := harness.Eval[string](b, `(async () => { const v = document.getElementById('app').dataset.version;
		const s = await import('/a/' + v + '/app/store.js'); return (await s.listRecords('visits'))[0].data.household; })()`)
	if survivor == localHH {
		t.Fatalf("B's visit still points at its own household %s; want the merged one", localHH)
	}

	su := srv.SuperToken()
	var hh struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/households/records?filter="+url.QueryEscape("head_name='谌玉兰'"), su, nil, &hh)
	if hh.TotalItems != 1 || hh.Items[0].ID != survivor {
		t.Fatalf("server households named 谌玉兰: %+v, want exactly the survivor %s", hh, survivor)
	}
	var visits struct {
		TotalItems int `json:"totalItems"`
	}
	srv.MustAPI("GET", "/api/collections/visits/records?filter="+url.QueryEscape("household='"+survivor+"'"), su, nil, &visits)
	if visits.TotalItems != 2 {
		t.Errorf("server has %d visits on the merged household, want 2 (one per phone)", visits.TotalItems)
	}
}

// TestWeChatInstallGuidance: opened inside WeChat, the install screen tells
// the deputy how to open the app in the phone's browser.
func TestWeChatInstallGuidance(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	p := harness.NewPage(t, srv.URL)
	if _, err := chromedp.Call(p.Ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230303 MicroMessenger/8.0.34.2340(0x28002237) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64",
	}); err != nil {
		t.Fatal(err)
	}
	p.Login(town.Deputy.Phone)
	// (waited for: under load the home screen renders after login returns)
	p.WaitText("添加到手机桌面")
	p.GoHash("#/install")
	p.WaitText("您正在微信里打开")
	for _, want := range []string{"「···」", "在浏览器打开"} {
		if !strings.Contains(p.Text(), want) {
			t.Errorf("WeChat guidance lacks %q", want)
		}
	}
}

// TestServerKilledMidSync: the server dies (SIGKILL) while a phone on a
// slow link is uploading photos; it comes back on the same data dir and the
// outbox, by its own retry with backoff, finishes: every visit exactly once
// on the server, each with its photo.
func TestServerKilledMidSync(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	token := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)

	p.SetNetwork(true, 0, 0)
	queued := queueVisits(p, town.Village, 6, 1)
	p.GoHash("#/visits")
	p.WaitJS("6 queued", `document.querySelectorAll('article.visit').length === 6`, 10*time.Second)

	// A slow link (100 KB/s, 100 ms): the photos take seconds to go up.
	p.SetNetwork(false, 100, 100_000)
	harness.Eval[chromedp.Void](p, `import('/a/' + document.getElementById('app').dataset.version + '/app/sync.js').then((m) => { m.syncNow(); })`)
	p.WaitJS("push answered, photos going up", `[...document.querySelectorAll('article.visit')].some((a) => a.dataset.state === 'uploading')`, 30*time.Second)
	srv.Kill()
	uploading := harness.Eval[int](p, `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state !== 'synced').length`)
	if uploading == 0 {
		t.Fatal("every visit synced before the kill: the link is too fast for this test")
	}
	time.Sleep(500 * time.Millisecond)
	srv.Start()
	p.SetNetwork(false, 0, 0)

	// No manual retry: the backoff timer brings it home.
	p.WaitJS("all synced after the restart", `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state === 'synced').length === 6`, 60*time.Second)
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
		srv.MustAPI("GET", "/api/sync/status/visits/"+id, token, nil, &st)
		if !st.Complete || len(st.Photos.Present) != 1 {
			t.Errorf("visit %s: %+v, want complete with its photo", id, st)
		}
	}
	t.Logf("%d of 6 visits were unfinished when the server was killed", uploading)
}
