package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestHouseholdSignsOfflineSyncedOnce: at 360 px with no signal, the
// deputy records a visit, hands the phone over, the household writes a
// name and signs with a finger; back online the visit is pushed once with
// its confirmation and the signature uploaded once, like a photo, and the
// server holds it complete and signed.
func TestHouseholdSignsOfflineSyncedOnce(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	token := srv.login("deputies", town.Deputy.Phone, deputyPass)
	p := newPage(t, srv.URL)
	p.login(town.Deputy.Phone)
	p.waitServiceWorker()
	p.goHash("#/new")
	p.waitText("请农户确认") // the township's setting (offered) is read online and kept
	// Count the page's pushes and signature uploads from here on.
	eval[chromedp.Void](p, `(() => { window.__sent = { push: 0, signature: 0 }; const f = window.fetch;
		window.fetch = (u, o) => { const s = String(u);
			if (s.includes('/api/sync/push')) window.__sent.push++;
			if (o?.method === 'PUT' && s.endsWith('/signature')) window.__sent.signature++;
			return f(u, o); }; })()`)

	p.setNetwork(true, 0, 0)
	p.click("新建一户")
	p.fill("户主姓名", "向德胜")
	p.fill("门牌地址", "3组12号")
	p.click("请农户确认")
	p.waitText("请户主或接待人在框内签名")
	p.fill("确认人姓名", "向德胜")
	if n := eval[int](p, `document.querySelector('canvas.signature-pad').getBoundingClientRect().width`); n < 300 {
		t.Errorf("signature pad %d px wide at 360 px, want nearly the whole screen", n)
	}
	if eval[bool](p, `[...document.querySelectorAll('button')].find((b) => b.textContent === '确认').disabled`) != true {
		t.Error("确认 is enabled before anything was drawn")
	}
	// A stroke with a finger.
	box := eval[map[string]float64](p, `(() => { const r = document.querySelector('canvas.signature-pad').getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; })()`)
	if _, err := chromedp.Call(p.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1}); err != nil {
		t.Fatal(err)
	}
	touch := func(kind input.DispatchTouchEventType, x, y float64) {
		pts := []*input.TouchPoint{{X: box["x"] + x, Y: box["y"] + y}}
		if kind == input.DispatchTouchEventTypeTouchEnd {
			pts = []*input.TouchPoint{}
		}
		if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: kind, TouchPoints: pts}); err != nil {
			t.Fatalf("touch %s: %v", kind, err)
		}
	}
	touch(input.DispatchTouchEventTypeTouchStart, 40, 60)
	touch(input.DispatchTouchEventTypeTouchMove, 90, 110)
	touch(input.DispatchTouchEventTypeTouchMove, 160, 70)
	touch(input.DispatchTouchEventTypeTouchMove, 230, 130)
	touch(input.DispatchTouchEventTypeTouchEnd, 0, 0)
	p.waitJS("确认 enabled by the ink", `[...document.querySelectorAll('button')].find((b) => b.textContent === '确认')?.disabled === false`, 10*time.Second)
	// The household agrees to a text about the visit (the callback notice).
	eval[chromedp.Void](p, `document.querySelector('#sig-sms').click()`)
	p.waitJS("the household's choice ticked", `document.querySelector('#sig-sms').checked === true`, 5*time.Second)
	p.click("确认")
	p.waitText("向德胜 已确认")
	p.click("保存走访")
	p.waitText("已保存到本机：向德胜")

	p.goHash("#/visits")
	p.waitJS("the visit waits offline", `document.querySelector('article.visit')?.dataset.state === 'pending'`, 20*time.Second)
	p.setNetwork(false, 0, 0)
	p.waitJS("synced", `document.querySelector('article.visit')?.dataset.state === 'synced'`, 60*time.Second)
	id := eval[string](p, `document.querySelector('article.visit').dataset.id`)

	sent := eval[map[string]int](p, `window.__sent`)
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
	srv.mustAPI("GET", "/api/sync/status/visits/"+id, token, nil, &st)
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
	srv.mustAPI("GET", "/api/collections/visits/records/"+id, token, nil, &rec)
	if !rec.Signed || rec.Confirmation.Name != "向德胜" || !rec.Confirmation.SMS {
		t.Errorf("server visit %+v, want signed by 向德胜 who agreed to a text", rec)
	}
	p.waitText("向德胜 已确认")
}

// TestFlagsShownAndReviewedAt360: a visit pushed without a position is
// flagged; the deputy sees the flag and its reason on the visit, the
// presidium finds it in 走访核查 and marks it not counted with a reason.
func TestFlagsShownAndReviewedAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	token := srv.login("deputies", town.Deputy.Phone, deputyPass)
	h, v := "e2ehousehold001", "e2evisitnofix01"
	srv.mustAPI("POST", "/api/sync/push", token, map[string]any{"device": "e2edevice000001", "records": []any{
		map[string]any{"collection": "households", "id": h, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"village": town.Village, "head_name": "舒桂花", "address": "5组3号"}},
		map[string]any{"collection": "visits", "id": v, "base_version": 0, "schema_version": 1,
			"data": map[string]any{"household": h, "visited_at": time.Now().Add(-2 * time.Hour).Format(time.RFC3339), "notes": "走访", "topics": []string{}}},
	}}, nil)

	d := newPage(t, srv.URL)
	d.login(town.Deputy.Phone)
	d.goHash("#/visits")
	d.waitText("核查提示")
	d.waitText("没有定位")
	checkRoleRules(t, d, "我的走访")

	p := newPage(t, srv.URL)
	p.login(town.Presidium.Phone)
	p.goHash("#/visit-review")
	p.waitText("舒** 户")
	checkRoleRules(t, p, "走访核查")
	p.fill("说明或理由（代表能看到）", "没有定位也没有照片，请补充说明")
	p.click("不计入")
	p.waitText("没有需要核查的走访") // decided: it left the waiting list
	p.click("已审核")
	p.waitText("不计入（")
	var rec struct {
		Review     string `json:"review"`
		ReviewNote string `json:"review_note"`
	}
	srv.mustAPI("GET", "/api/collections/visits/records/"+v, token, nil, &rec)
	if rec.Review != "not_counted" || !strings.Contains(rec.ReviewNote, "请补充说明") {
		t.Errorf("server visit review %+v", rec)
	}
}
