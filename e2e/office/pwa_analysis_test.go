package office

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"simeng/chinatime"
	"simeng/demand"
	"simeng/e2e/internal/harness"
	"simeng/internal/testapp"
)

// demandClock places demand i (0 to 40) i minutes after 50 minutes ago,
// or, in the first 50 minutes of a China quarter (and so of a year), as
// far apart as the part of the quarter gone by allows: every demand is in
// the past and in this quarter and year, the period the screens read.
func demandClock(now time.Time) func(i int) time.Time {
	start, step := now.Add(-50*time.Minute), time.Minute
	if q := demand.PeriodOf(demand.Quarter, now).Start; start.Before(q) {
		since := now.Sub(q)
		start, step = q.Add(since/10), since/50
	}
	return func(i int) time.Time { return start.Add(time.Duration(i) * step) }
}

// demandsTown is a harness.Township with two villages and a quarter's demands:
// 思蒙湾村 raises 停水 again and again, 桥头村 its road; the deputy has
// some addressed to them. It returns the period the demands fall in.
func demandsTown(t *testing.T, srv *harness.Server) (harness.Township, string, string) {
	t.Helper()
	town := srv.SeedTownship()
	su := srv.SuperToken()
	var other struct{ ID string }
	srv.MustAPI("POST", "/api/collections/villages/records", su, map[string]any{"name": "桥头村", "code": "qt"}, &other)
	at := demandClock(time.Now())
	period := demand.PeriodOf(demand.Quarter, at(0)).Key()
	add := func(i int, village, deputy, category, content string) {
		srv.MustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
			"source": "hotline", "village": village, "deputy": deputy, "category": category, "content": content,
			"received_at": at(i).UTC().Format(harness.PBTime),
		}, nil)
	}
	water := []string{"三组自来水又停水了，吃水困难。", "自来水停水两天，吃水困难，请尽快修。", "自来水停水，老人吃水困难。",
		"自来水停水，水管破裂漏水。", "自来水停水一个多月，吃水困难。"}
	for i, c := range water {
		add(i, town.Village, town.Deputy.ID, "饮水安全", c)
	}
	add(10, town.Village, "", "道路交通", "村口路灯坏了，晚上出行不方便。")
	road := []string{"桥思公路路面坑洼，下雨积水。", "桥思公路大货车超载，路面压坏。", "桥思公路坑洼不平，出行困难。"}
	for i, c := range road {
		add(20+i, other.ID, "", "道路交通", c)
	}
	add(30, other.ID, "", "教育", "留守儿童放学后无人看管。")
	return town, other.ID, period
}

// TestAnalysisScreens: a presidium member opens 群众诉求分析 from the home
// screen: the quarter's total, charts drawn by the server, the hotspot
// table, the recurring words and the problem 思蒙湾村 raised again and
// again, each opening the records behind it; every screen within the
// 360 px rules. An ordinary deputy's search finds only their own demands.
func TestAnalysisScreens(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town, _, period := demandsTown(t, srv)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Presidium.Phone)
	p.ClickTile("analysis")
	p.WaitText("群众诉求分析")
	p.GoHash("#/analysis?period=" + period)
	p.WaitText("共收到群众诉求")
	if got := harness.Eval[string](p, `document.querySelector('.big').textContent`); got != "10" {
		t.Errorf("total %q, want 10", got)
	}
	p.WaitJS("charts drawn", `[...document.querySelectorAll('figure.chart img')].length === 3 &&
		[...document.querySelectorAll('figure.chart img')].every((i) => i.complete && i.naturalWidth > 0)`, 20*time.Second)
	if hot := harness.Eval[string](p, `[...document.querySelectorAll('table.hotspots td.hot')].map((td) => td.closest('tr').querySelector('th').textContent + ':' + td.textContent).join(',')`); !strings.Contains(hot, "思蒙湾村:5") {
		t.Errorf("hotspots %q, want 思蒙湾村 × 饮水安全 (5)", hot)
	}
	p.WaitJS("recurring words", `document.querySelector('.terms') && document.querySelector('.terms').innerText.includes('停水')`, 30*time.Second)
	p.WaitJS("recurring problem", `document.querySelectorAll('.recurring').length > 0`, 20*time.Second)
	msg := harness.Eval[string](p, `document.querySelector('.recurring').innerText`)
	if !strings.Contains(msg, "在思蒙湾村：本季度第") {
		t.Errorf("recurring problem worded %q", msg)
	}
	harness.CheckA11y(t, p, "#/analysis")

	p.ClickIn(".recurring", strings.TrimSpace(harness.Eval[string](p, `document.querySelector('.recurring a').textContent`)))
	p.WaitJS("the records behind it", `document.querySelectorAll('.demand').length >= 3`, 20*time.Second)
	if txt := p.Text(); !strings.Contains(txt, "在思蒙湾村") || !strings.Contains(txt, "停水") || strings.Contains(txt, "桥思公路") {
		t.Errorf("records of the recurring problem:\n%s", txt)
	}
	harness.CheckA11y(t, p, "#/demand-search ids")

	// search with a filter
	p.GoHash("#/demand-search?period=" + period)
	p.WaitText("检索词")
	p.SetValue("#q", "桥思公路")
	p.Click("检索")
	p.WaitJS("search results", `document.querySelectorAll('.demand').length === 3`, 20*time.Second)
	harness.CheckA11y(t, p, "#/demand-search")

	// an ordinary deputy finds only what is addressed to them
	d := harness.NewPhone(t, srv.URL)
	d.Login(town.Deputy.Phone)
	if n := harness.Eval[int](d, `document.querySelectorAll('nav.tiles a.tile[data-key=analysis], nav.tiles a.tile[data-key=year-report]').length`); n != 0 {
		t.Error("an ordinary deputy is offered the analysis or the year's reports")
	}
	d.GoHash("#/demand-search?period=" + period)
	d.WaitJS("own demands", `document.querySelectorAll('.demand').length === 5`, 20*time.Second)
	if txt := d.Text(); strings.Contains(txt, "桥思公路") || strings.Contains(txt, "路灯") {
		t.Errorf("a deputy finds demands not addressed to them:\n%s", txt)
	}
	d.GoHash("#/analysis")
	d.WaitText("年走访进度") // not theirs: back home
}

// TestChartLabelsDoNotOverlap opens each chart as the phone's browser draws
// it (its own document, its own CSP) and checks that no two labels overlap
// and none is cut at the edge: go-chart measures Chinese too narrow, so
// the labels are placed by the platform, turned where they do not fit.
func TestChartLabelsDoNotOverlap(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town, _, period := demandsTown(t, srv)
	// More categories and a long village name, as a harness.Township has.
	su := srv.SuperToken()
	var long struct{ ID string }
	srv.MustAPI("POST", "/api/collections/villages/records", su, map[string]any{"name": "演示·龙潭社区居委会", "code": "lt"}, &long)
	at := demandClock(time.Now())
	for i, c := range []string{"医疗卫生", "养老助残", "就业增收", "农业生产", "生态环境", "社会保障", "住房", "矛盾纠纷"} {
		srv.MustAPI("POST", "/api/collections/suggestions/records", su, map[string]any{
			"source": "paper", "village": long.ID, "category": c, "content": c + "方面的问题，请帮助解决。",
			"received_at": at(10 + i).UTC().Format(harness.PBTime),
		}, nil)
	}
	tok := srv.Login("deputies", town.Presidium.Phone, harness.DeputyPass)
	p := harness.NewPhone(t, srv.URL)
	if _, err := chromedp.Call(p.Ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.Ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": tok}}); err != nil {
		t.Fatal(err)
	}
	for _, chart := range []string{"categories", "villages", "sources", "trend"} {
		p.Navigate("/api/simeng/analysis/charts/" + chart + ".svg?period=" + period)
		p.WaitJS("svg", `document.documentElement.tagName === 'svg' && document.querySelectorAll('text').length > 3`, 10*time.Second)
		problems := harness.Eval[[]string](p, overlapJS)
		for _, s := range problems {
			t.Errorf("%s: %s", chart, s)
		}
	}
}

// overlapJS lists label boxes that overlap or leave the drawing: each
// text's box in its own coordinates, turned as its transform turns it,
// compared as convex polygons (separating axes).
const overlapJS = `(() => {
	const svg = document.documentElement;
	const vb = svg.viewBox.baseVal;
	const polys = [];
	for (const t of svg.querySelectorAll('text')) {
		if (!t.textContent.trim()) continue;
		const b = t.getBBox();
		let pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]];
		const m = (t.getAttribute('transform') || '').match(/rotate\(([-\d.]+),(-?\d+),(-?\d+)\)/);
		if (m) {
			const a = parseFloat(m[1]) * Math.PI / 180, cx = +m[2], cy = +m[3];
			pts = pts.map(([x, y]) => [cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a), cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)]);
		}
		// shrink a little: glyph boxes include line spacing
		const c = pts.reduce((s, p) => [s[0] + p[0] / 4, s[1] + p[1] / 4], [0, 0]);
		pts = pts.map(([x, y]) => [c[0] + (x - c[0]) * 0.9, c[1] + (y - c[1]) * 0.8]);
		polys.push({ text: t.textContent, pts });
	}
	const out = [];
	for (const p of polys) {
		for (const [x, y] of p.pts) {
			if (x < -1 || y < -1 || x > vb.width + 1 || y > vb.height + 1) { out.push('cut at the edge: ' + p.text); break; }
		}
	}
	const axes = (pts) => pts.map((p, i) => { const q = pts[(i + 1) % pts.length]; return [q[1] - p[1], p[0] - q[0]]; });
	const proj = (pts, ax) => { const v = pts.map(([x, y]) => x * ax[0] + y * ax[1]); return [Math.min(...v), Math.max(...v)]; };
	const overlap = (a, b) => [...axes(a), ...axes(b)].every((ax) => { const [a0, a1] = proj(a, ax), [b0, b1] = proj(b, ax); return a1 > b0 && b1 > a0; });
	for (let i = 0; i < polys.length; i++) for (let j = i + 1; j < polys.length; j++) {
		if (overlap(polys[i].pts, polys[j].pts)) out.push('overlap: ' + polys[i].text + ' / ' + polys[j].text);
	}
	return out;
})()`

// TestReportsScreens: the presidium generates the year's work report draft,
// edits it, prints it through a short-lived link (the page opens without a
// login header and holds the edit), reads a figure's definition and its
// records, and records a 述职评议; a deputy generates, edits, finalises and
// prints their own 述职 draft.
func TestReportsScreens(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town, _, _ := demandsTown(t, srv)
	su := srv.SuperToken()
	year := chinatime.CurrentYear()
	srv.MustAPI("POST", "/api/collections/meetings/records", su, map[string]any{
		"title": "思蒙湾村代表述职评议会", "kind": "duty_review", "place": "村部",
		"starts_at": testapp.InThisYear(time.Now().Add(-2 * time.Hour)).UTC().Format(harness.PBTime), "expected": []string{town.Deputy.ID},
	}, nil)

	p := harness.NewPhone(t, srv.URL)
	p.Login(town.Presidium.Phone)
	stubPrintTab(p)
	p.ClickTile("year-report")
	p.WaitText("年度工作报告")
	// In January and February the screen opens on the year just ended;
	// the demands are this year's.
	p.GoHash(fmt.Sprintf("#/year-report?year=%d", year))
	p.WaitText(fmt.Sprintf("%d年度统计和报告", year))
	p.Click("生成报告初稿")
	p.WaitJS("draft", `document.querySelector('.report-body') && document.querySelector('.report-body').value.includes('全年收到群众建议10件')`, 30*time.Second)
	p.SetValue(".report-body", "各位代表：\n\n一、总体情况\n\n主席团在电脑上改过的正文。")
	p.Click("保存修改")
	p.WaitText("已保存。")
	p.Click("打印（A4）")
	printed := printedPage(t, p)
	if !strings.Contains(printed, "主席团在电脑上改过的正文") || !strings.Contains(printed, "<svg") {
		t.Errorf("printed annual report:\n%.600s", printed)
	}
	p.WaitJS("figures", `document.querySelector('.figure[data-key=suggestions_received]') !== null`, 20*time.Second)
	if v := harness.Eval[string](p, `document.querySelector('.figure[data-key=suggestions_received] .figure-value').textContent`); v != "10件" {
		t.Errorf("收到群众建议 %q", v)
	}
	p.ClickIn(".figure[data-key=suggestions_received]", "查看记录")
	p.WaitJS("records behind the figure", `document.querySelectorAll('.figure[data-key=suggestions_received] .drill li').length === 10`, 20*time.Second)
	harness.CheckA11y(t, p, "#/year-report")

	p.SetValue("#rv-meeting", harness.Eval[string](p, `document.querySelector('#rv-meeting option:nth-child(2)').value`))
	harness.Eval[bool](p, `(() => { const s = document.querySelector('#rv-meeting'); s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
	p.SetValue("#rv-deputy", town.Deputy.ID)
	harness.Eval[bool](p, `(() => { const s = document.querySelector('#rv-deputy'); s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
	p.SetValue("#rv-satisfied", "38")
	p.SetValue("#rv-basic", "6")
	p.SetValue("#rv-unsatisfied", "1")
	p.Click("登记")
	p.WaitJS("review recorded", `document.querySelectorAll('.review').length === 1`, 20*time.Second)
	if txt := harness.Eval[string](p, `document.querySelector('.review').innerText`); !strings.Contains(txt, "满意 38 票") || !strings.Contains(txt, town.Deputy.Name) {
		t.Errorf("review: %q", txt)
	}

	d := harness.NewPhone(t, srv.URL)
	d.Login(town.Deputy.Phone)
	stubPrintTab(d)
	d.ClickTile("duty-report")
	d.Click("生成述职报告初稿")
	d.WaitJS("duty draft", `document.querySelector('.report-body') && document.querySelector('.report-body').value.includes('满意38票')`, 30*time.Second)
	d.SetValue(".report-body", "各位选民：\n\n一、走访\n\n我今年走访了很多农户。")
	d.Click("保存修改")
	d.WaitText("已保存。")
	d.Click("定稿")
	d.WaitJS("final", `document.querySelector('.report-editor').dataset.status === 'final'`, 10*time.Second)
	harness.CheckA11y(t, d, "#/duty-report")
	d.Click("打印（A4）")
	if printed := printedPage(t, d); !strings.Contains(printed, "我今年走访了很多农户") || !strings.Contains(printed, "定稿") {
		t.Errorf("printed 述职 report:\n%.600s", printed)
	}
	var rec struct{ Items []struct{ Status string } }
	srv.MustAPI("GET", fmt.Sprintf("/api/collections/duty_reports/records?filter=year=%d", year), su, nil, &rec)
	if len(rec.Items) != 1 || rec.Items[0].Status != "final" {
		t.Errorf("server holds %+v", rec.Items)
	}
}

// stubPrintTab replaces window.open so that the print link the app sends a
// new tab to is recorded instead (headless Chromium's tabs are not the
// test's); printedPage then opens it as that tab would: without a login.
func stubPrintTab(p *harness.Page) {
	p.T.Helper()
	harness.Eval[bool](p, `(() => { window.__printed = [];
		window.open = () => { const tab = { close() {}, location: {} };
			Object.defineProperty(tab.location, 'href', { set(v) { window.__printed.push(v); } });
			return tab; };
		return true; })()`)
}

func printedPage(t *testing.T, p *harness.Page) string {
	t.Helper()
	p.WaitJS("print link", `window.__printed.length > 0`, 20*time.Second)
	return harness.Eval[string](p, `fetch(window.__printed[window.__printed.length - 1]).then((r) => r.text().then((b) => r.status + '\n' + b))`)
}
