package field

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestHouseholdSignsOfflineSyncedOnce: at 360 px with no signal, the
// deputy records a visit, hands the phone over, the household writes a
// name and signs with a finger; back online the visit is pushed once with
// its confirmation and the signature uploaded once, like a photo, and the
// server holds it complete and signed.
func TestHouseholdSignsOfflineSyncedOnce(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	token := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()
	p.GoHash("#/new")
	p.WaitText("请农户确认") // the township's setting (offered) is read online and kept
	// Count the page's pushes and signature uploads from here on.
	harness.Eval[chromedp.Void](p, `(() => { window.__sent = { push: 0, signature: 0 }; const f = window.fetch;
		window.fetch = (u, o) => { const s = String(u);
			if (s.includes('/api/sync/push')) window.__sent.push++;
			if (o?.method === 'PUT' && s.endsWith('/signature')) window.__sent.signature++;
			return f(u, o); }; })()`)

	p.SetNetwork(true, 0, 0)
	p.Click("新建一户")
	p.Fill("户主姓名", "向德胜")
	p.Fill("门牌地址", "3组12号")
	p.Click("请农户确认")
	p.WaitText("请户主或接待人在框内签名")
	p.Fill("确认人姓名", "向德胜")
	if n := harness.Eval[int](p, `document.querySelector('canvas.signature-pad').getBoundingClientRect().width`); n < 300 {
		t.Errorf("signature pad %d px wide at 360 px, want nearly the whole screen", n)
	}
	if harness.Eval[bool](p, `[...document.querySelectorAll('button')].find((b) => b.textContent === '确认').disabled`) != true {
		t.Error("确认 is enabled before anything was drawn")
	}
	// A stroke with a finger.
	box := harness.Eval[map[string]float64](p, `(() => { const r = document.querySelector('canvas.signature-pad').getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; })()`)
	if _, err := chromedp.Call(p.Ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1}); err != nil {
		t.Fatal(err)
	}
	touch := func(kind input.DispatchTouchEventType, x, y float64) {
		pts := []*input.TouchPoint{{X: box["x"] + x, Y: box["y"] + y}}
		if kind == input.DispatchTouchEventTypeTouchEnd {
			pts = []*input.TouchPoint{}
		}
		if _, err := chromedp.Call(p.Ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: kind, TouchPoints: pts}); err != nil {
			t.Fatalf("touch %s: %v", kind, err)
		}
	}
	touch(input.DispatchTouchEventTypeTouchStart, 40, 60)
	touch(input.DispatchTouchEventTypeTouchMove, 90, 110)
	touch(input.DispatchTouchEventTypeTouchMove, 160, 70)
	touch(input.DispatchTouchEventTypeTouchMove, 230, 130)
	touch(input.DispatchTouchEventTypeTouchEnd, 0, 0)
	p.WaitJS("确认 enabled by the ink", `[...document.querySelectorAll('button')].find((b) => b.textContent === '确认')?.disabled === false`, 10*time.Second)
	// The household agrees to a text about the visit (the callback notice).
	harness.Eval[chromedp.Void](p, `document.querySelector('#sig-sms').click()`)
	p.WaitJS("the household's choice ticked", `document.querySelector('#sig-sms').checked === true`, 5*time.Second)
	p.Click("确认")
	p.WaitText("向德胜 已确认")
	p.Click("保存走访")
	p.WaitText("已保存到本机：向德胜")

	p.GoHash("#/visits")
	p.WaitJS("the visit waits offline", `document.querySelector('article.visit')?.dataset.state === 'pending'`, 20*time.Second)
	p.SetNetwork(false, 0, 0)
	p.WaitJS("synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 60*time.Second)
	id := harness.Eval[string](p, `document.querySelector('article.visit').dataset.id`)

	sent := harness.Eval[map[string]int](p, `window.__sent`)
	if sent["signature"] != 1 {
		t.Errorf("signature uploaded %d times, want once", sent["signature"])
	}
	if sent["push"] < 1 {
		t.Errorf("no push seen")
	}
	seen := pulledIDs(t, srv, token, "visits")
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
	if !st.Complete || strings.Join(st.Photos.Present, ",") != "signature" {
		t.Errorf("server status %+v, want complete with the signature", st)
	}
	var rec struct {
		Signed       bool `json:"signed"`
		Confirmation struct {
			Name string `json:"name"`
			SMS  bool   `json:"sms"`
		} `json:"confirmation"`
	}
	srv.MustAPI("GET", "/api/collections/visits/records/"+id, token, nil, &rec)
	if !rec.Signed || rec.Confirmation.Name != "向德胜" || !rec.Confirmation.SMS {
		t.Errorf("server visit %+v, want signed by 向德胜 who agreed to a text", rec)
	}
	p.WaitText("向德胜 已确认")
}

// TestFlagsShownAndReviewedAt360: a visit pushed without a position is
// flagged; the deputy sees the flag and its reason on the visit, the
// presidium finds it in 走访核查 and marks it not counted with a reason.
func TestFlagsShownAndReviewedAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	token := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)
	h, v := "e2ehousehold001", "e2evisitnofix01"
	srv.MustAPI("POST", "/api/sync/push", token, map[string]any{"device": "e2edevice000001", "records": []any{
		map[string]any{"collection": "households", "id": h, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"village": town.Village, "head_name": "舒桂花", "address": "5组3号"}},
		map[string]any{"collection": "visits", "id": v, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"household": h, "visited_at": time.Now().Add(-2 * time.Hour).Format(time.RFC3339), "notes": "走访", "topics": []string{}}},
	}}, nil)

	d := harness.NewPage(t, srv.URL)
	d.Login(town.Deputy.Phone)
	d.GoHash("#/visits")
	d.WaitText("核查提示")
	d.WaitText("没有定位")
	harness.CheckRoleRules(t, d, "我的走访")

	p := harness.NewPage(t, srv.URL)
	p.Login(town.Presidium.Phone)
	p.GoHash("#/visit-review")
	p.WaitText("舒** 户")
	harness.CheckRoleRules(t, p, "走访核查")
	p.Fill("说明或理由（代表能看到）", "没有定位也没有照片，请补充说明")
	p.Click("不计入")
	p.WaitText("没有需要核查的走访") // decided: it left the waiting list
	p.Click("已审核")
	p.WaitText("不计入（")
	var rec struct {
		Review     string `json:"review"`
		ReviewNote string `json:"review_note"`
	}
	srv.MustAPI("GET", "/api/collections/visits/records/"+v, token, nil, &rec)
	if rec.Review != "not_counted" || !strings.Contains(rec.ReviewNote, "请补充说明") {
		t.Errorf("server visit review %+v", rec)
	}
}
