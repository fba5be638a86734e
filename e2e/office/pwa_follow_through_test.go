package office

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/e2e/internal/harness"
	"simeng/internal/testapp"
)

// TestProblemFollowedToTheEndAt360: a 急难愁盼 raised by a deputy is
// forwarded by the presidium to a handling unit from the action list, the
// unit records its answer from its own login, the presidium closes it, and
// the deputy who raised it reads every step; each state's badge has its
// own words and colour, in text of at least 18 px.
func TestProblemFollowedToTheEndAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, unit := srv.SeedAccounts(town)
	staffTok := srv.Login("staff", staff.Phone, harness.AccountPass)
	mk := func(desc string) string {
		var rec struct{ ID string }
		srv.MustAPI("POST", "/api/collections/problems/records", staffTok, map[string]any{
			"category": "饮水安全", "description": desc, "village": town.Village, "deputy": town.Deputy.ID, "source": "hotline",
		}, &rec)
		return rec.ID
	}
	id := mk("三组自来水管破裂，二十户停水两天。")
	// Three more in the other states, for the badges.
	for i, steps := range [][]struct{ action, body string }{
		{{"forward", `{"forwarded_to":"镇水利站"}`}},
		{{"forward", `{"forwarded_to":"镇水利站"}`}, {"answer", `{"reply":"已修复路灯"}`}},
		{{"forward", `{"forwarded_to":"镇水利站"}`}, {"answer", `{"reply":"已清理"}`}, {"close", `{}`}},
	} {
		pid := mk(fmt.Sprintf("村里第%d件急难愁盼，需要办理。", i+1))
		for _, s := range steps {
			srv.MustAPI("POST", "/api/problems/"+pid+"/"+s.action, staffTok, json.RawMessage(s.body), nil)
		}
	}
	card := fmt.Sprintf(`article.problem[data-id=%q]`, id)

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Presidium.Phone, harness.DeputyPass)
	p.ClickTile("problem-actions")
	p.WaitJS("the list", `document.querySelector('`+card+`') !== null`, 20*time.Second)
	p.ClickMatching(`[aria-label="显示哪些问题"]`, "button", "全部")
	p.WaitJS("four problems", `document.querySelectorAll('article.problem').length === 4`, 20*time.Second)
	badges := harness.Eval[[]struct {
		Status, Text, Color, Background string
		Size                            float64
	}](p, `[...document.querySelectorAll('article.problem .badge[data-status]')].map((b) => { const s = getComputedStyle(b);
		return { status: b.dataset.status, text: b.textContent.trim(), color: s.color, background: s.backgroundColor, size: parseFloat(s.fontSize) }; })`)
	texts, looks := map[string]string{}, map[string]string{}
	for _, b := range badges {
		texts[b.Text] = b.Status
		looks[b.Color+b.Background] = b.Status
		if b.Size < 18 {
			t.Errorf("badge %q in %.1f px text", b.Text, b.Size)
		}
	}
	if len(texts) != 4 || len(looks) != 4 {
		t.Errorf("badges do not differ by state: %+v", badges)
	}
	harness.CheckA11y(t, p, "#/problem-actions")

	// 转办 to the unit chosen from the list.
	harness.Eval[bool](p, fmt.Sprintf(`(() => { const s = document.querySelector('%s select');
		s.value = %q; s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`, card, unit.ID))
	p.ClickIn(card, "转办（代表直通车）")
	p.WaitJS("forwarded", `document.querySelector('`+card+`')?.dataset.status === 'forwarded'`, 20*time.Second)
	if txt := harness.Eval[string](p, `document.querySelector('`+card+`').innerText`); !strings.Contains(txt, "镇应急办") || !strings.Contains(txt, "办理期限") {
		t.Errorf("forwarded card:\n%s", txt)
	}

	// The unit answers from its own login.
	u := harness.NewPhone(t, srv.URL)
	u.LoginAs("承办单位", unit.Phone, harness.AccountPass)
	u.ClickTile("problem-actions")
	u.WaitJS("the unit's problem", `document.querySelector('`+card+`') !== null`, 20*time.Second)
	if n := harness.Eval[int](u, `document.querySelectorAll('article.problem').length`); n != 1 {
		t.Errorf("the unit sees %d problems, want only the one forwarded to it", n)
	}
	if harness.Eval[bool](u, `!!document.querySelector('`+card+` select')`) {
		t.Errorf("the unit is offered to forward")
	}
	u.SetValue("#reply-"+id, "已派人抢修，今日恢复供水。")
	u.ClickIn(card, "登记答复")
	u.WaitJS("answered", `document.querySelector('`+card+`')?.dataset.status === 'answered'`, 20*time.Second)
	harness.CheckA11y(t, u, "#/problem-actions (unit)")

	// The presidium closes it.
	p.GoHash("#/problems")
	p.GoHash("#/problem-actions")
	p.WaitJS("answered for the presidium", `document.querySelector('`+card+`')?.dataset.status === 'answered'`, 20*time.Second)
	p.ClickIn(card, "办结")
	p.WaitText("饮水安全：已办结。")
	var closed struct{ Status string }
	srv.MustAPI("GET", "/api/collections/problems/records/"+id, staffTok, nil, &closed)
	if closed.Status != "closed" {
		t.Errorf("after 办结 the server has %q", closed.Status)
	}

	// The deputy who raised it reads every step.
	d := harness.NewPhone(t, srv.URL)
	d.LoginAs("人大代表", town.Deputy.Phone, harness.DeputyPass)
	d.GoHash("#/problems")
	d.WaitJS("the deputy's problem", `document.querySelector('[data-id="`+id+`"]') !== null`, 20*time.Second)
	d.ClickMatching(`[data-id="`+id+`"]`, "button", "办理经过")
	d.WaitJS("steps", `document.querySelectorAll('[data-id="`+id+`"] ol.timeline li').length >= 4`, 20*time.Second)
	txt := harness.Eval[string](d, `document.querySelector('[data-id="`+id+`"]').innerText`)
	for _, want := range []string{"已办结", "转办", "镇应急办", "已派人抢修", "办结"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the raising deputy's card lacks %q:\n%s", want, txt)
		}
	}
	harness.CheckA11y(t, d, "#/problems")
}

// TestTasksAndMeetingPlanAt360: the deputy who follows a 会后督办 task
// reports progress from the PWA (the task moves to 办理中 on the server);
// the presidium's meeting plan for the year flags the quarters whose
// meetings did not happen and the year can be chosen.
func TestTasksAndMeetingPlanAt360(t *testing.T) {
	harness.RequireBrowser(t)
	t.Parallel()
	srv := harness.StartServer(t)
	town := srv.SeedTownship()
	staff, _ := srv.SeedAccounts(town)
	tok := srv.Login("staff", staff.Phone, harness.AccountPass)
	// The year and quarter are China's, as the server counts them; the
	// meeting two days ago is moved to 1 January 00:00 in the year's first
	// two days, so that it is this year's first-quarter meeting.
	now := chinatime.In(time.Now())
	year := now.Year()
	var m, task struct{ ID string }
	srv.MustAPI("POST", "/api/collections/meetings/records", tok, map[string]any{
		"title": "主席团会议", "kind": "presidium", "place": "镇人大会议室",
		"starts_at": testapp.InThisYear(now.Add(-48 * time.Hour)).UTC().Format(harness.PBTime),
	}, &m)
	srv.MustAPI("POST", "/api/collections/meeting_tasks/records", tok, map[string]any{
		"meeting": m.ID, "title": "督促修复三组饮水管", "owner": "镇水利站", "owner_deputy": town.Deputy.ID,
		"deadline": time.Now().Add(10 * 24 * time.Hour).UTC().Format(harness.PBTime), "status": "open",
	}, &task)

	d := harness.NewPhone(t, srv.URL)
	d.LoginAs("人大代表", town.Deputy.Phone, harness.DeputyPass)
	d.ClickTile("tasks")
	card := fmt.Sprintf(`article.task[data-id=%q]`, task.ID)
	d.WaitJS("the task", `document.querySelector('`+card+`') !== null`, 20*time.Second)
	d.SetValue("#note-"+task.ID, "已与水利站现场查看，下周施工。")
	d.ClickIn(card, "报告进展")
	d.WaitText("进展已报告。")
	var got struct{ Status string }
	srv.MustAPI("GET", "/api/collections/meeting_tasks/records/"+task.ID, tok, nil, &got)
	if got.Status != "in_progress" {
		t.Errorf("task after the progress report: %q, want in_progress", got.Status)
	}
	d.WaitText("已与水利站现场查看")
	harness.CheckA11y(t, d, "#/tasks")

	p := harness.NewPhone(t, srv.URL)
	p.LoginAs("人大代表", town.Presidium.Phone, harness.DeputyPass)
	p.ClickTile("meeting-plan")
	p.WaitJS("the plan", `document.querySelector('section.meeting-plan[data-kind="presidium"]') !== null`, 20*time.Second)
	cells := harness.Eval[[]string](p, `[...document.querySelectorAll('section.meeting-plan[data-kind="presidium"] li')].map((li) => li.dataset.status)`)
	if len(cells) != 4 || !strings.Contains(strings.Join(cells, ","), "done") {
		t.Errorf("presidium meetings by quarter: %v", cells)
	}
	if now.Month() > 3 && cells[0] != "missed" {
		t.Errorf("%d Q1 without a presidium meeting shows %q, want missed", year, cells[0])
	}
	harness.CheckA11y(t, p, "#/meeting-plan")
	p.GoHash(fmt.Sprintf("#/meeting-plan?year=%d", year-1))
	p.WaitText(fmt.Sprintf("%d年会议计划", year-1))
	p.WaitJS("last year all missed", `[...document.querySelectorAll('section.meeting-plan[data-kind="presidium"] li')].every((li) => li.dataset.status === 'missed')`, 20*time.Second)

	// The progress and ranking screens choose their year too.
	for _, screen := range []struct{ route, heading string }{{"progress", "年代表走访进度"}, {"ranking", "年代表亮分排名"}} {
		p.GoHash("#/" + screen.route)
		p.WaitText(fmt.Sprintf("%d%s", year, screen.heading))
		harness.Eval[bool](p, fmt.Sprintf(`(() => { const s = document.querySelector('#year-pick'); s.value = '%d';
			s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()`, year-1))
		p.WaitText(fmt.Sprintf("%d%s", year-1, screen.heading))
		harness.CheckA11y(t, p, "#/"+screen.route)
	}
}
