package field

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestAccessibleAt360 checks every screen at a 360 px wide phone: base font
// ≥ 18 px, tap targets ≥ 48 px, a label on every control, no sideways
// scrolling. Contrast is left to the Lighthouse run (BENCHMARKS.md).
func TestAccessibleAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	p := harness.NewPage(t, srv.URL)
	p.Do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))

	check := func(screen string) { t.Helper(); harness.CheckA11y(t, p, screen) }
	p.Navigate("/")
	p.WaitText("代表登录")
	check("登录")

	p.Login(town.Presidium.Phone)
	for _, s := range []struct{ hash, ready string }{
		{"#/", "年走访进度"}, {"#/new", "保存走访"}, {"#/visits", "我的走访"}, {"#/problems", "我反映的问题"},
		{"#/install", "添加到手机桌面"}, {"#/progress", "年代表走访进度"},
	} {
		p.GoHash(s.hash)
		p.WaitText(s.ready)
		check(s.hash)
	}
	// The new-household form has controls of its own.
	p.GoHash("#/new")
	p.Click("新建一户")
	p.WaitText("户主姓名")
	p.Click("添加一个问题")
	p.WaitText("问题1内容")
	check("#/new 新建一户")
}

// TestPresidiumProgress: a presidium member sees every deputy's households
// toward 12 from the visits progress API, who is behind first.
func TestPresidiumProgress(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	p := harness.NewPage(t, srv.URL)
	p.Login(town.Presidium.Phone)
	p.GoHash("#/progress")
	p.WaitText("年代表走访进度")
	p.WaitJS("both deputies listed", `document.querySelectorAll('tbody tr').length === 2`, 10*time.Second)
	// The villages' names come from a list of their own, read after the
	// progress answer: wait for them rather than race them.
	p.WaitText("思蒙湾村")
	text := p.Text()
	for _, want := range []string{town.Deputy.Name, town.Presidium.Name, "0/12", "思蒙湾村"} {
		if !strings.Contains(text, want) {
			t.Errorf("progress view lacks %q:\n%s", want, text)
		}
	}
	// An ordinary deputy has no such screen.
	p2 := harness.NewPage(t, srv.URL)
	p2.Login(town.Deputy.Phone)
	if strings.Contains(p2.Text(), "代表进度") {
		t.Error("an ordinary deputy sees the presidium menu")
	}
	p2.GoHash("#/progress")
	p2.WaitText("年走访进度") // falls back to home
	if strings.Contains(p2.Text(), "年代表走访进度") {
		t.Error("an ordinary deputy opened the presidium progress view")
	}
}

// TestTwoTabsSendOnce: two tabs of one phone flush the same queue at the
// same moment; the Web Lock lets one send, so the queue goes up in one push.
func TestTwoTabsSendOnce(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	token := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()

	// Queue 5 visits while the server is away.
	srv.Stop()
	ids := harness.Eval[[]string](p, fmt.Sprintf(`(async () => {
		const v = document.getElementById('app').dataset.version;
		const store = await import('/a/' + v + '/app/store.js');
		const hh = store.newId();
		await store.saveLocal({ collection: 'households', id: hh, data: { village: %q, head_name: '舒桂花', address: '5组8号' } });
		const ids = [];
		for (let i = 0; i < 5; i++) {
			const id = store.newId();
			await store.saveLocal({ collection: 'visits', id, data: { household: hh, visited_at: new Date(Date.now() - i * 3600e3).toISOString(),
				notes: '两个标签页', topics: ['饮水安全'], problems: [] } });
			ids.push(id);
		}
		return ids;
	})()`, town.Village))

	p2 := p.NewTab()
	tab2 := p2.Ctx
	p2.Navigate("/#/visits")
	p2.WaitJS("tab 2 sees the queue", `document.querySelectorAll('article.visit').length === 5`, 20*time.Second)

	var pushes atomic.Int32
	for _, ctx := range []context.Context{p.Ctx, tab2} {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Listen(ctx, func(ev any) {
			if r, ok := ev.(*network.EventResponseReceived); ok && strings.HasSuffix(r.Response.URL, "/api/sync/push") && r.Response.Status == 200 {
				pushes.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	srv.Start()
	var wg sync.WaitGroup
	for _, tab := range []*harness.Page{p, p2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(tab.Ctx, 30*time.Second)
			defer cancel()
			chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`(async () => { const v = document.getElementById('app').dataset.version;
				await (await import('/a/' + v + '/app/sync.js')).syncNow(); })()`, chromedp.EvalAwaitPromise))
		}()
	}
	wg.Wait()
	p2.WaitJS("tab 2 shows them synced", `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state === 'synced').length === 5`, 30*time.Second)

	if n := pushes.Load(); n != 1 {
		t.Errorf("%d successful pushes from the two tabs, want 1", n)
	}
	seen := pulledIDs(t, srv, token, "visits")
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("visit %s on the server %d times, want 1", id, seen[id])
		}
	}
}
