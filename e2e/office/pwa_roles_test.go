package office

import (
	"slices"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/e2e/internal/harness"
)

// TestNavigationByRoleAt360: each kind of harness.Account logs in at 360 px and
// finds exactly its destinations as home tiles, a bottom bar of at most
// five whole words, and every screen within the newcomer's rules.
func TestNavigationByRoleAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, unit := srv.SeedAccounts(town)
	// A hotline suggestion with the resident's phone, for the call button,
	// and scores for the ranking.
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)
	srv.MustAPI("POST", "/api/collections/suggestions/records", staffTok, map[string]any{
		"source": "hotline", "deputy": town.Presidium.ID, "category": "道路交通", "content": "村口路灯坏了三个月。",
		"received_at": time.Now().Add(-time.Hour).UTC().Format(harness.PBTime), "resident_phone": "13912345678", "consent": true,
	}, nil)
	srv.MustAPI("POST", "/api/assessment/recompute", staffTok, map[string]any{"year": chinatime.CurrentYear()}, nil)

	roles := []struct {
		name, kind, phone, password string
		tiles                       []string
		screens                     map[string]string // hash → text it shows when ready
	}{
		{"deputy", "人大代表", town.Deputy.Phone, harness.DeputyPass,
			[]string{"new", "visits", "suggestions", "problems", "tasks", "inspections", "dossier", "proposals", "votes", "inquiries", "duty", "roster", "topics", "surveys", "reports", "learning", "demand-search", "duty-report", "notices", "install"},
			map[string]string{"#/suggestions": "群众建议", "#/dossier": "我的履职档案", "#/proposals": "写议案建议", "#/votes": "没有进行中", "#/inquiries": "还没有专题询问"}},
		{"presidium", "人大代表", town.Presidium.Phone, harness.DeputyPass,
			[]string{"new", "visits", "suggestions", "problems", "problem-actions", "tasks", "inspections", "dossier", "progress", "visit-review", "callbacks", "ledger", "meeting-plan", "ranking", "proposals", "votes", "review", "supervision", "inquiries", "returns", "duty", "roster", "topics", "surveys", "reports", "learning", "analysis", "demand-search", "year-report", "duty-report", "notices", "install"},
			map[string]string{"#/visit-review": "走访核查", "#/callbacks": "随机抽取", "#/progress": "年代表走访进度", "#/ledger": "季度计划", "#/ranking": "第 1 名", "#/suggestions": "拨打", "#/review": "满意率"}},
		{"staff", "工作人员", staff.Phone, harness.AccountPass,
			[]string{"workbench", "suggestions", "problem-actions", "tasks", "progress", "visit-review", "callbacks", "ledger", "meeting-plan", "ranking", "qr-cards", "review", "vote-admin", "supervision", "inquiries", "returns", "topics", "surveys", "reports", "reading", "analysis", "demand-search", "year-report", "notices", "install"},
			map[string]string{"#/visit-review": "走访核查", "#/callbacks": "随机抽取", "#/progress": "年代表走访进度", "#/ledger": "季度计划", "#/ranking": "第 1 名", "#/suggestions": "拨打", "#/qr-cards": "打开联系卡", "#/vote-admin": "还没有票决", "#/supervision": "还没有监督通报", "#/review": "金点子", "#/analysis": "共收到群众诉求", "#/year-report": "年度工作报告", "#/returns": "没有退办申请"}},
		{"unit", "承办单位", unit.Phone, harness.AccountPass, []string{"problem-actions", "inquiries", "notices", "install"}, map[string]string{"#/notices": "还没有通知"}},
	}
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			p := harness.NewPhone(t, srv.URL)
			p.Navigate("/")
			p.WaitText("我是")
			harness.CheckRoleRules(t, p, "登录")
			p.LoginAs(r.kind, r.phone, r.password)
			tiles := harness.Eval[[]string](p, `[...document.querySelectorAll('nav.tiles a.tile')].map((a) => a.dataset.key)`)
			if !slices.Equal(tiles, r.tiles) {
				t.Errorf("home tiles %v, want %v", tiles, r.tiles)
			}
			harness.CheckRoleRules(t, p, "首页")
			for _, hash := range sortedKeys(r.screens) {
				p.GoHash(hash)
				p.WaitText(r.screens[hash])
				harness.CheckRoleRules(t, p, hash)
			}
			// A screen the role may not open falls back to home.
			if r.name == "deputy" || r.name == "unit" {
				p.GoHash("#/progress")
				p.WaitJS("home again", `document.querySelector('nav.tiles') !== null`, 10*time.Second)
				if strings.Contains(p.Text(), "年代表走访进度") {
					t.Errorf("%s opened the presidium's progress", r.name)
				}
			}
			if r.name == "unit" {
				p.WaitText("还没有交办给本单位的事项") // its home is its inbox
				txt := p.Text()
				if !strings.Contains(txt, "镇应急办") || !strings.Contains(txt, "还没有交办给本单位的事项") {
					t.Errorf("unit home:\n%s", txt)
				}
				if n := harness.Eval[int](p, `document.querySelectorAll('nav.tabs').length`); n != 0 {
					t.Errorf("a unit has a bottom bar with nothing but 首页")
				}
			}
		})
	}
	// The login remembers the kind chosen on this phone.
	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("工作人员", staff.Phone, harness.AccountPass)
	p.Click("退出登录")
	p.WaitText("我是")
	if k := harness.Eval[string](p, `document.querySelector('.kind[aria-pressed="true"]').textContent`); k != "工作人员" {
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
