package field

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"simeng/e2e/internal/harness"
)

// TestOfflineInspectionWithHazardsSyncsOnce: a deputy at the kindergarten
// with no signal records an inspection and two hazards (one with a photo)
// through the same outbox as visits, reloads offline and still sees them;
// with the signal back they sync, and the server holds the inspection and
// each hazard exactly once, the photo complete, the quarterly plan done.
func TestOfflineInspectionWithHazardsSyncsOnce(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	deputyToken := srv.Login("deputies", town.Deputy.Phone, harness.DeputyPass)

	p := harness.NewPage(t, srv.URL)
	p.Login(town.Deputy.Phone)
	p.WaitServiceWorker()
	// Online once: the sites list is kept on the phone for offline use.
	p.GoHash("#/inspect")
	p.WaitJS("sites list", `[...document.querySelectorAll('#insp-site option')].some((o) => o.textContent === '思蒙镇幼儿园')`, 20*time.Second)

	p.SetNetwork(true, 0, 0)
	srv.Stop()

	harness.Eval[chromedp.Void](p, `(() => { const s = document.querySelector('#insp-site');
		s.value = [...s.options].find((o) => o.textContent === '思蒙镇幼儿园').value;
		s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
	p.Fill("按姓名查找代表", town.Presidium.Name)
	p.WaitJS("presidium in the roster", fmt.Sprintf(`[...document.querySelectorAll('label.check')].some((l) => l.textContent.trim() === %q)`, town.Presidium.Name), 10*time.Second)
	p.ClickByScript(town.Presidium.Name)
	p.ClickByScript("镇应急办")
	p.Fill("检查发现的问题和意见", "厨房燃气软管老化；午睡室应急灯不亮。")
	p.ClickByScript("添加一条隐患")
	p.Fill("隐患1名称", "厨房燃气软管老化")
	p.Fill("隐患1描述", "燃气软管开裂，需立即更换")
	p.Fill("隐患1整改责任单位", "思蒙镇幼儿园")
	p.Do("hazard photo", 20*time.Second, chromedp.SetUploadFiles(chromedp.CSS(p.ByLabel("拍隐患1照片")), []string{harness.Photo(t, 2)}))
	p.WaitJS("hazard thumbnail", `document.querySelector('img[alt="隐患1照片1"]') !== null`, 20*time.Second)
	p.ClickByScript("添加一条隐患")
	p.Fill("隐患2名称", "应急灯不亮")
	p.Fill("隐患2描述", "午睡室两盏应急灯不亮")
	p.Fill("隐患2整改责任单位", "思蒙镇幼儿园")
	p.ClickByScript("保存检查")
	p.WaitText("已保存到本机：思蒙镇幼儿园的检查和 2 条隐患")

	p.GoHash("#/inspections")
	p.Do("reload offline", 20*time.Second, chromedp.Reload())
	p.WaitJS("inspection and hazards after the offline reload",
		`document.querySelectorAll('article.inspection').length === 1 && document.querySelectorAll('.hazard[data-state="pending"]').length === 2`, 20*time.Second)
	if txt := harness.Eval[string](p, `document.querySelector('article.inspection').innerText`); !strings.Contains(txt, "待同步") || !strings.Contains(txt, "思蒙镇幼儿园") {
		t.Fatalf("offline inspection card: %q", txt)
	}

	srv.Start()
	p.SetNetwork(false, 0, 0)
	p.WaitJS("inspection and hazards synced",
		`document.querySelector('article.inspection')?.dataset.state === 'synced' && document.querySelectorAll('.hazard[data-state="synced"]').length === 2`, 60*time.Second)

	inspID := harness.Eval[string](p, `document.querySelector('article.inspection').dataset.id`)
	hazardIDs := harness.Eval[[]string](p, `[...document.querySelectorAll('.hazard')].map((h) => h.dataset.id)`)
	if n := pulledIDs(t, srv, deputyToken, "inspections")[inspID]; n != 1 {
		t.Errorf("inspection pulled %d times, want 1", n)
	}
	seen := pulledIDs(t, srv, deputyToken, "hazards")
	photos := 0
	for _, id := range hazardIDs {
		if seen[id] != 1 {
			t.Errorf("hazard %s pulled %d times, want 1", id, seen[id])
		}
		var st struct {
			Photos struct {
				Present []string `json:"present"`
			} `json:"photos"`
			Complete bool `json:"complete"`
		}
		if code := srv.API("GET", "/api/sync/status/hazards/"+id, deputyToken, nil, &st); code != http.StatusOK || !st.Complete {
			t.Errorf("hazard %s status %d %+v", id, code, st)
		}
		photos += len(st.Photos.Present)
	}
	if photos != 1 {
		t.Errorf("%d hazard photos on the server, want 1", photos)
	}

	su := srv.SuperToken()
	var list struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			Status string `json:"status"`
		} `json:"items"`
	}
	srv.MustAPI("GET", "/api/collections/hazards/records?filter="+url.QueryEscape(fmt.Sprintf("inspection='%s'", inspID)), su, nil, &list)
	if list.TotalItems != 2 || list.Items[0].Status != "open" {
		t.Errorf("server hazards of the inspection: %+v", list)
	}
	var insp struct {
		Participants []string `json:"participants"`
		Departments  []string `json:"departments"`
	}
	srv.MustAPI("GET", "/api/collections/inspections/records/"+inspID, su, nil, &insp)
	if !slices.Contains(insp.Participants, town.Presidium.ID) || !slices.Contains(insp.Participants, town.Deputy.ID) || !slices.Equal(insp.Departments, []string{"镇应急办"}) {
		t.Errorf("server inspection: %+v", insp)
	}
	srv.MustAPI("GET", "/api/collections/inspection_plan/records?filter="+url.QueryEscape(fmt.Sprintf("inspection='%s'", inspID)), su, nil, &list)
	if list.TotalItems != 1 || list.Items[0].Status != "done" {
		t.Errorf("plan entry of the inspection: %+v", list)
	}

	t.Run("the deputy follows a hazard up online", func(t *testing.T) {
		p.T = t
		first := fmt.Sprintf(`document.querySelector('.hazard[data-id=%q]')`, hazardIDs[0])
		p.ClickByScript("开始整改")
		p.WaitJS("整改中", first+`.innerText.includes('整改中') && `+first+`.innerText.includes('登记整改完成')`, 20*time.Second)
		p.Fill("整改情况", "已更换燃气软管并加装报警器")
		p.Do("after photo", 20*time.Second, chromedp.SetUploadFiles(chromedp.CSS(p.ByLabel("拍整改后照片")), []string{harness.Photo(t, 3)}))
		p.WaitText("拍整改后照片（已选）")
		p.ClickByScript("登记整改完成")
		p.WaitJS("已整改", first+`.innerText.includes('已整改待复查')`, 20*time.Second)
		// No re-inspection chosen: the server's refusal is shown, naming it.
		p.ClickByScript("复查通过")
		p.WaitText("未保存：复查通过须关联一次复查")
		p.ClickByScript("复查不合格")
		p.WaitJS("back to 整改中", first+`.innerText.includes('整改中') && !`+first+`.innerText.includes('已整改待复查')`, 20*time.Second)
		var h struct {
			Status      string   `json:"status"`
			PhotosAfter []string `json:"photos_after"`
		}
		srv.MustAPI("GET", "/api/collections/hazards/records/"+hazardIDs[0], su, nil, &h)
		if h.Status != "rectifying" || len(h.PhotosAfter) != 1 {
			t.Errorf("hazard on the server: %+v", h)
		}
	})

	t.Run("presidium sees the plan and lists a hazard for supervision", func(t *testing.T) {
		p.T = t
		pp := harness.NewPage(t, srv.URL)
		pp.Login(town.Presidium.Phone)
		pp.GoHash("#/ledger")
		pp.WaitText("安全生产检查季度计划")
		pp.WaitJS("plan and hazards", `document.querySelectorAll('tbody tr').length === 4 && document.querySelectorAll('article.ledger-hazard').length === 2`, 20*time.Second)
		if txt := pp.Text(); !strings.Contains(txt, "思蒙镇幼儿园") || !strings.Contains(txt, "已完成") || !strings.Contains(txt, "厨房燃气软管老化") {
			t.Fatalf("ledger screen:\n%s", txt)
		}
		pp.ClickByScript("挂牌督办")
		pp.WaitText("已挂牌督办。")
		var h struct {
			Supervised   bool   `json:"supervised"`
			SupervisedBy string `json:"supervised_by"`
		}
		id := harness.Eval[string](pp, `document.querySelector('article.ledger-hazard').dataset.id`)
		srv.MustAPI("GET", "/api/collections/hazards/records/"+id, su, nil, &h)
		if !h.Supervised || !strings.Contains(h.SupervisedBy, town.Presidium.Name) {
			t.Errorf("hazard after 挂牌督办: %+v", h)
		}
		// An ordinary deputy has no such screen.
		p.GoHash("#/ledger")
		p.WaitText("年走访进度")
	})
}

// TestLedgerScreensAccessibleAt360: the inspection screens keep the PWA's
// rules on a 360 px phone (large text, 48 px targets, labels, no sideways
// scrolling), the new-inspection form with a hazard added included.
func TestLedgerScreensAccessibleAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	p := harness.NewPage(t, srv.URL)
	p.Do("viewport", 10*time.Second, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	p.Login(town.Presidium.Phone)
	check := func(screen string) { t.Helper(); harness.CheckA11y(t, p, screen) }
	for _, s := range []struct{ hash, ready string }{
		{"#/inspections", "我的检查"}, {"#/ledger", "安全生产检查季度计划"}, {"#/inspect", "保存检查"},
	} {
		p.GoHash(s.hash)
		p.WaitText(s.ready)
		check(s.hash)
	}
	p.ClickByScript("添加一条隐患")
	p.WaitText("隐患1整改责任单位")
	check("#/inspect 添加隐患")
}
