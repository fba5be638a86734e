package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
)

const accountPass = "e2e-account-pass-1" // staff and units want ≥ 10 characters

// seedAccounts adds an office staff account (made by the technician) and a
// handling unit (made by that staff account, as the office would).
func (s *server) seedAccounts(town township) (staff, unit account) {
	s.t.Helper()
	var rec struct{ ID string }
	s.mustAPI("POST", "/api/collections/staff/records", s.superToken(), map[string]any{
		"name": "田联络", "phone": "13700001001", "role": "liaison", "title": "镇人大办主任", "active": true,
		"password": accountPass, "passwordConfirm": accountPass,
	}, &rec)
	staff = account{ID: rec.ID, Name: "田联络", Phone: "13700001001"}
	tok := s.login("staff", staff.Phone, accountPass)
	s.mustAPI("POST", "/api/collections/units/records", tok, map[string]any{
		"name": "镇应急办", "kind": "department", "contact_name": "杨主任", "phone": "13600001001", "active": true,
		"password": accountPass, "passwordConfirm": accountPass,
	}, &rec)
	unit = account{ID: rec.ID, Name: "镇应急办", Phone: "13600001001"}
	return staff, unit
}

// loginAs logs in as one of the three kinds of account (人大代表 / 承办单位 /
// 工作人员), as a person would: the kind first, then phone and password.
func (p *page) loginAs(kind, phone, password string) {
	p.t.Helper()
	p.navigate("/")
	p.waitText("我是")
	p.clickMatching(".kind-choice", "button", kind)
	p.waitJS("kind "+kind, fmt.Sprintf(`document.querySelector('.kind[aria-pressed="true"]')?.textContent === %q`, kind), 5*time.Second)
	p.fill("手机号", phone)
	p.fill("密码", password)
	p.submitLogin(`document.querySelector('nav.tiles') !== null`)
}

// clickTile opens a home tile by its destination key (nav.js).
func (p *page) clickTile(key string) {
	p.t.Helper()
	sel := fmt.Sprintf(`nav.tiles a.tile[data-key=%q]`, key)
	p.waitJS("tile "+key, fmt.Sprintf(`document.querySelector(%q) !== null`, sel), 20*time.Second)
	eval[bool](p, fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true; })()`, sel))
}

// roleRulesJS checks the newcomer's rules at 360 px on the current screen:
// every visible text ≥ 18 px, every link and button ≥ 48 px high, no menu
// label, tile title or account choice broken over two lines, the bottom
// bar at most five items, no table cell one character wide, and no rank
// numbered twice.
const roleRulesJS = `(() => {
	const out = [];
	const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
	const name = (el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') + ' "' + (el.textContent || '').trim().slice(0, 16) + '"';
	const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
		return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; };
	for (const el of document.querySelectorAll('body *')) {
		if (!visible(el) || el.closest('.sr-only')) continue;
		const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
		if (own && parseFloat(getComputedStyle(el).fontSize) < 17.9) out.push('text ' + getComputedStyle(el).fontSize + ': ' + name(el));
	}
	let targets = 0;
	for (const el of document.querySelectorAll('a, button')) {
		if (!visible(el)) continue;
		targets++;
		if (el.getBoundingClientRect().height < 47.5) out.push('target ' + Math.round(el.getBoundingClientRect().height) + 'px high: ' + name(el));
	}
	for (const el of document.querySelectorAll('nav.tabs a, .tile-title, button, a.button, .badge')) {
		if (visible(el) && lines(el) > 1) out.push('label broken over ' + lines(el) + ' lines: ' + name(el));
	}
	const bar = document.querySelectorAll('nav.tabs a').length;
	if (bar > 5) out.push('bottom bar of ' + bar + ' items');
	for (const c of document.querySelectorAll('td, th')) {
		if (visible(c) && c.textContent.trim().length > 1 && c.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(c).fontSize)) out.push('narrow cell ' + Math.round(c.getBoundingClientRect().width) + 'px: ' + name(c));
	}
	for (const li of document.querySelectorAll('.rank-row')) {
		if (getComputedStyle(li).listStyleType !== 'none') out.push('rank numbered twice: ' + name(li));
	}
	if (document.documentElement.scrollWidth > innerWidth + 1) out.push('scrolls sideways');
	return { problems: out, targets };
})()`

func checkRoleRules(t *testing.T, p *page, screen string) {
	t.Helper()
	res := eval[struct {
		Problems []string `json:"problems"`
		Targets  int      `json:"targets"`
	}](p, roleRulesJS)
	if res.Targets == 0 {
		t.Errorf("%s: nothing to check", screen)
	}
	for _, s := range res.Problems {
		t.Errorf("%s: %s", screen, s)
	}
}

// TestNavigationByRoleAt360: each kind of account logs in at 360 px and
// finds exactly its destinations as home tiles, a bottom bar of at most
// five whole words, and every screen within the newcomer's rules.
func TestNavigationByRoleAt360(t *testing.T) {
	requireBrowser(t)
	t.Parallel()
	srv := startServer(t)
	town := srv.seedTownship()
	staff, unit := srv.seedAccounts(town)
	// A hotline suggestion with the resident's phone, for the call button,
	// and scores for the ranking.
	staffTok := srv.login("staff", staff.Phone, accountPass)
	srv.mustAPI("POST", "/api/collections/suggestions/records", staffTok, map[string]any{
		"source": "hotline", "deputy": town.Presidium.ID, "category": "道路交通", "content": "村口路灯坏了三个月。",
		"received_at": time.Now().Add(-time.Hour).UTC().Format(pbTime), "resident_phone": "13912345678", "consent": true,
	}, nil)
	srv.mustAPI("POST", "/api/assessment/recompute", staffTok, map[string]any{"year": chinatime.CurrentYear()}, nil)

	roles := []struct {
		name, kind, phone, password string
		tiles                       []string
		screens                     map[string]string // hash → text it shows when ready
	}{
		{"deputy", "人大代表", town.Deputy.Phone, deputyPass,
			[]string{"new", "visits", "suggestions", "problems", "tasks", "inspections", "dossier", "proposals", "votes", "inquiries", "duty", "roster", "topics", "surveys", "reports", "learning", "demand-search", "duty-report", "notices", "install"},
			map[string]string{"#/suggestions": "群众建议", "#/dossier": "我的履职档案", "#/proposals": "写议案建议", "#/votes": "没有进行中", "#/inquiries": "还没有专题询问"}},
		{"presidium", "人大代表", town.Presidium.Phone, deputyPass,
			[]string{"new", "visits", "suggestions", "problems", "problem-actions", "tasks", "inspections", "dossier", "progress", "visit-review", "callbacks", "ledger", "meeting-plan", "ranking", "proposals", "votes", "review", "supervision", "inquiries", "returns", "duty", "roster", "topics", "surveys", "reports", "learning", "analysis", "demand-search", "year-report", "duty-report", "notices", "install"},
			map[string]string{"#/visit-review": "走访核查", "#/callbacks": "随机抽取", "#/progress": "年代表走访进度", "#/ledger": "季度计划", "#/ranking": "第 1 名", "#/suggestions": "拨打", "#/review": "满意率"}},
		{"staff", "工作人员", staff.Phone, accountPass,
			[]string{"workbench", "suggestions", "problem-actions", "tasks", "progress", "visit-review", "callbacks", "ledger", "meeting-plan", "ranking", "qr-cards", "review", "vote-admin", "supervision", "inquiries", "returns", "topics", "surveys", "reports", "reading", "analysis", "demand-search", "year-report", "notices", "install"},
			map[string]string{"#/visit-review": "走访核查", "#/callbacks": "随机抽取", "#/progress": "年代表走访进度", "#/ledger": "季度计划", "#/ranking": "第 1 名", "#/suggestions": "拨打", "#/qr-cards": "打开联系卡", "#/vote-admin": "还没有票决", "#/supervision": "还没有监督通报", "#/review": "金点子", "#/analysis": "共收到群众诉求", "#/year-report": "年度工作报告", "#/returns": "没有退办申请"}},
		{"unit", "承办单位", unit.Phone, accountPass, []string{"problem-actions", "inquiries", "notices", "install"}, map[string]string{"#/notices": "还没有通知"}},
	}
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			p := newPhone(t, srv.URL)
			p.navigate("/")
			p.waitText("我是")
			checkRoleRules(t, p, "登录")
			p.loginAs(r.kind, r.phone, r.password)
			tiles := eval[[]string](p, `[...document.querySelectorAll('nav.tiles a.tile')].map((a) => a.dataset.key)`)
			if !slices.Equal(tiles, r.tiles) {
				t.Errorf("home tiles %v, want %v", tiles, r.tiles)
			}
			checkRoleRules(t, p, "首页")
			for _, hash := range sortedKeys(r.screens) {
				p.goHash(hash)
				p.waitText(r.screens[hash])
				checkRoleRules(t, p, hash)
			}
			// A screen the role may not open falls back to home.
			if r.name == "deputy" || r.name == "unit" {
				p.goHash("#/progress")
				p.waitJS("home again", `document.querySelector('nav.tiles') !== null`, 10*time.Second)
				if strings.Contains(p.text(), "年代表走访进度") {
					t.Errorf("%s opened the presidium's progress", r.name)
				}
			}
			if r.name == "unit" {
				p.waitText("还没有交办给本单位的事项") // its home is its inbox
				txt := p.text()
				if !strings.Contains(txt, "镇应急办") || !strings.Contains(txt, "还没有交办给本单位的事项") {
					t.Errorf("unit home:\n%s", txt)
				}
				if n := eval[int](p, `document.querySelectorAll('nav.tabs').length`); n != 0 {
					t.Errorf("a unit has a bottom bar with nothing but 首页")
				}
			}
		})
	}
	// The login remembers the kind chosen on this phone.
	p := newPhone(t, srv.URL)
	p.loginAs("工作人员", staff.Phone, accountPass)
	p.click("退出登录")
	p.waitText("我是")
	if k := eval[string](p, `document.querySelector('.kind[aria-pressed="true"]').textContent`); k != "工作人员" {
		t.Errorf("the login forgot the kind: %q", k)
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
