package field

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestOfflineVisitsSyncOnce is the field day: a deputy logs in, loses the
// signal (network emulation and the server stopped, since the service
// worker's own fetches bypass emulation), records 3 visits with a photo,
// reloads the app offline and still sees them; the server comes back, they
// sync, and the server holds each exactly once with its photo. A record the
// server refuses shows its reason; a second phone of the same deputy pulls
// the history back.
func TestOfflineVisitsSyncOnce(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	deputyToken := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	if !srv.SyncRoutesExist(deputyToken) {
		t.Fatal("GET /api/sync/pull answers 404: the visits sync server (docs/SYNC.md) is not in this build")
	}

	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()

	// Lose the signal.
	p.SetNetwork(true, 0, 0)
	srv.Stop()

	photo := harness.Photo(t, 1)
	for i := 1; i <= 3; i++ {
		p.GoHash("#/new")
		p.Click("新建一户")
		p.Fill("户主姓名", fmt.Sprintf("向德胜%d", i))
		p.Fill("门牌地址", fmt.Sprintf("3组%d号", i))
		p.Fill("走访情况", fmt.Sprintf("第%d次离线走访：询问饮水和道路情况。", i))
		if i == 1 {
			p.Click("添加一个问题")
			p.Fill("问题1内容", "村口水管破裂，三户停水")
		}
		p.Do("photo", 20*time.Second, chromedp.SetUploadFiles(chromedp.CSS(p.ByLabel("拍照或选照片")), []string{photo}))
		p.WaitJS("thumbnail", `document.querySelector('img[alt="照片1"]') !== null`, 20*time.Second)
		p.Click("保存走访")
		p.WaitText(fmt.Sprintf("已保存到本机：向德胜%d", i))
	}

	// Background Sync was asked to flush when the signal returns.
	if state := harness.Eval[string](p, `import('/a/' + document.getElementById('app').dataset.version + '/app/sync.js').then((m) => m.backgroundSync)`); state != "registered" {
		t.Errorf("Background Sync: %q, want registered", state)
	}

	// Offline reload: the shell comes from the service worker, the visits
	// from IndexedDB.
	p.GoHash("#/visits")
	p.Do("reload offline", 20*time.Second, chromedp.Reload())
	p.WaitJS("3 visits after the offline reload", `document.querySelectorAll('article.visit').length === 3`, 20*time.Second)
	cards := p.VisitCards()
	for _, c := range cards {
		if c.State != "pending" || !strings.Contains(c.Text, "待同步") {
			t.Fatalf("offline visit %s: state %q, text %q; want 待同步", c.ID, c.State, c.Text)
		}
	}
	p.GoHash("#/")
	p.WaitText("已走访 3 / 12 户")
	offline := homePace(t, p)
	p.GoHash("#/visits")

	// Signal back.
	srv.Start()
	p.SetNetwork(false, 0, 0)
	p.WaitJS("3 visits synced", `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state === 'synced').length === 3`, 60*time.Second)
	for _, c := range p.VisitCards() {
		if !strings.Contains(c.Text, "已同步") {
			t.Errorf("visit %s shows %q, want 已同步", c.ID, c.Text)
		}
	}

	// What the home screen said offline, from its outbox, is what the
	// server now says for the same visits (and what the presidium sees).
	var progress struct {
		Deputies []struct {
			Households  int `json:"households"`
			ExpectedNow int `json:"expected_now"`
		} `json:"deputies"`
	}
	srv.MustAPI("GET", "/api/visits/progress?deputy="+town.Deputy.ID, deputyToken, nil, &progress)
	if len(progress.Deputies) != 1 {
		t.Fatalf("progress: %+v", progress)
	}
	server := progress.Deputies[0]
	if want := (pace{3, server.ExpectedNow, max(0, server.ExpectedNow-server.Households)}); server.Households != 3 || offline != want {
		t.Errorf("home screen offline %+v, server %+v (households %d)", offline, want, server.Households)
	}
	p.GoHash("#/")
	p.WaitText("已走访 3 / 12 户")
	if online := homePace(t, p); online != offline {
		t.Errorf("home screen online %+v, offline %+v", online, offline)
	}
	p.GoHash("#/visits")

	// The problem raised offline is now on the shared list, open.
	p.GoHash("#/problems")
	p.WaitText("村口水管破裂，三户停水")
	p.WaitJS("open badge", `document.querySelector('.badge[data-status="open"]')?.textContent === '待办'`, 20*time.Second)
	p.GoHash("#/visits")

	// The server has each visit exactly once, with its photo.
	ids := make([]string, 0, 3)
	for _, c := range cards {
		ids = append(ids, c.ID)
	}
	seen := pulledIDs(t, srv, deputyToken, "visits")
	for _, id := range ids {
		if n := seen[id]; n != 1 {
			t.Errorf("visit %s pulled %d times, want 1", id, n)
		}
		var st struct {
			Photos struct {
				Expected []string `json:"expected"`
				Present  []string `json:"present"`
			} `json:"photos"`
			Complete bool `json:"complete"`
		}
		if code := srv.API("GET", "/api/sync/status/visits/"+id, deputyToken, nil, &st); code != http.StatusOK {
			t.Fatalf("status of %s: %d", id, code)
		}
		if !st.Complete || len(st.Photos.Present) != 1 || len(st.Photos.Expected) != 1 {
			t.Errorf("visit %s on the server: %+v, want complete with its 1 photo", id, st)
		}
	}
	su := srv.SuperToken()
	var list struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID     string   `json:"id"`
			Photos []string `json:"photos"`
		} `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/visits/records?perPage=50&filter="+url.QueryEscape(fmt.Sprintf("deputy='%s'", town.Deputy.ID)), su, nil, &list)
	if list.TotalItems != 3 {
		t.Errorf("server holds %d visits of the deputy, want 3", list.TotalItems)
	}
	for _, it := range list.Items {
		if !slices.Contains(ids, it.ID) || len(it.Photos) != 1 {
			t.Errorf("server visit %s with %d photos: want one of %v with 1 photo", it.ID, len(it.Photos), ids)
		}
	}

	t.Run("rejected record shows its reason", func(t *testing.T) {
		p.T = t
		// A record an older app wrote with a date the server refuses (before
		// 2020): it must be kept, shown as 需处理 with the reason, not retried.
		household := harness.Eval[string](p, `(async () => {
			const v = document.getElementById('app').dataset.version;
			const store = await import('/a/' + v + '/app/store.js');
			const hh = (await store.listRecords('households'))[0];
			const id = store.newId();
			await store.saveLocal({ collection: 'visits', id, data: { household: hh.id, visited_at: '2019-05-01T10:00:00+08:00',
				notes: '旧版本应用写的记录', topics: [], problems: [] } });
			(await import('/a/' + v + '/app/sync.js')).syncNow();
			return id;
		})()`)
		p.WaitJS("rejected visit", fmt.Sprintf(`document.querySelector('article.visit[data-id=%q]')?.dataset.state === 'failed'`, household), 30*time.Second)
		card := harness.Eval[string](p, fmt.Sprintf(`document.querySelector('article.visit[data-id=%q]').innerText`, household))
		if !strings.Contains(card, "需处理") || !strings.Contains(card, "原因：") {
			t.Errorf("rejected visit card %q: want 需处理 and 原因：", card)
		}
		if n := pulledIDs(t, srv, deputyToken, "visits")[household]; n != 0 {
			t.Errorf("rejected visit reached the server %d times", n)
		}
		// Kept locally, after another sync too.
		harness.Eval[chromedp.Void](p, `(async () => { const v = document.getElementById('app').dataset.version; await (await import('/a/' + v + '/app/sync.js')).syncNow(); })()`)
		if harness.Eval[string](p, fmt.Sprintf(`document.querySelector('article.visit[data-id=%q]')?.dataset.state ?? 'missing'`, household)) != "failed" {
			t.Error("rejected visit left the phone or changed state after another sync")
		}
	})

	t.Run("second phone pulls the history", func(t *testing.T) {
		p2 := harness.NewPage(t, srv.URL)
		p2.Login(town.Deputy.Phone)
		p2.GoHash("#/visits")
		p2.WaitJS("3 pulled visits", `[...document.querySelectorAll('article.visit')].filter((a) => a.dataset.state === 'synced').length === 3`, 30*time.Second)
		got := []string{}
		for _, c := range p2.VisitCards() {
			got = append(got, c.ID)
			if !strings.Contains(c.Text, "向德胜") {
				t.Errorf("pulled visit %s lacks its household: %q", c.ID, c.Text)
			}
		}
		slices.Sort(got)
		want := slices.Clone(ids)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("second phone has %v, want %v", got, want)
		}
	})
}

// pulledIDs pulls everything of the deputy and counts each id of collection.
func pulledIDs(t *testing.T, srv *harness.Server, token, collection string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	since := 0.0
	for range 100 {
		var res struct {
			Changes []struct {
				Collection string `json:"collection"`
				ID         string `json:"id"`
				Deleted    bool   `json:"deleted"`
			} `json:"changes"`
			Cursor float64 `json:"cursor"`
			More   bool    `json:"more"`
		}
		srv.MustAPI("GET", fmt.Sprintf("/api/sync/pull?since=%d&limit=200", int64(since)), token, nil, &res)
		for _, c := range res.Changes {
			if c.Collection == collection && !c.Deleted {
				seen[c.ID]++
			}
		}
		since = res.Cursor
		if !res.More {
			break
		}
	}
	return seen
}

// pace is the home screen's figure: households, due by now, short of that.
type pace struct{ Households, Expected, Behind int }

var paceRe = regexp.MustCompile(`已走访\s*(\d+)\s*/\s*\d+\s*户[\s\S]*?应达\s*(\d+)\s*户(?:，还差\s*(\d+)\s*户)?`)

// homePace reads the figure off the home screen.
func homePace(t *testing.T, p *harness.Page) pace {
	t.Helper()
	m := paceRe.FindStringSubmatch(p.Text())
	if m == nil {
		t.Fatalf("no progress figure on the home screen:\n%s", p.Text())
	}
	var out pace
	out.Households, _ = strconv.Atoi(m[1])
	out.Expected, _ = strconv.Atoi(m[2])
	out.Behind, _ = strconv.Atoi(m[3])
	return out
}
