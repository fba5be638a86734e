package proposals_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/proposals"
	"simeng/internal/testapp"
)

// A 议案 from the phone to 办结, through every door a person uses: joint
// sponsors confirming in their own app, 立案 by staff (a presidium member
// who co-sponsored may not), assignment with a deadline in working days, a
// co-unit's opinion, the main unit's reply, one 不满意 and 重新办理, the final
// rating; the timeline, the rates and the export follow.
func TestMotionFromDraftToClosed(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	d3, tok3 := newDeputy(t, s.App, "谌红梅", "13900009003")
	d4, tok4 := newDeputy(t, s.App, "张志强", "13900009004")
	d5, tok5 := newDeputy(t, s.App, "李桂花", "13900009005")
	year := chinatime.CurrentYear()

	draft := map[string]any{
		"client_id": "draftmotion0001", "type": "motion", "title": "关于建设思蒙湾村文化广场的议案",
		"body":     "思蒙湾村人口集中，缺少群众文化活动场所，建议利用村部旁闲置地块建设文化广场，由镇村共同筹资。",
		"category": "教育文化", "co_invited": []string{f.Deputy2, d3, d4, d5}, "action": "invite",
	}
	// denied first
	if code, _ := send(t, s, guest, "POST", "/api/proposals", draft); code != 401 {
		t.Fatalf("guest drafted: %d", code)
	}
	if code, _ := send(t, s, unit, "POST", "/api/proposals", draft); code != 403 {
		t.Fatalf("a unit drafted: %d", code)
	}
	if code, m := send(t, s, deputy, "POST", "/api/proposals", map[string]any{"client_id": "BAD", "action": "submit"}); code != 400 || fieldMsg(m, "client_id") == "" {
		t.Fatalf("bad client id: %d %v", code, m)
	}
	bad := map[string]any{"client_id": "draftbadbody001", "type": "议案", "title": "", "body": "太短", "action": "submit"}
	if code, m := send(t, s, deputy, "POST", "/api/proposals", bad); code != 400 || fieldMsg(m, "type") == "" || fieldMsg(m, "title") == "" || fieldMsg(m, "body") == "" {
		t.Fatalf("bad draft: %d %v", code, m)
	}

	code, m := send(t, s, deputy, "POST", "/api/proposals", draft)
	if code != 200 {
		t.Fatalf("invite: %d %v", code, m)
	}
	p := m["proposal"].(map[string]any)
	id := p["id"].(string)
	if p["status"] != "inviting" {
		t.Fatalf("status %v", p["status"])
	}
	// the phone retries: the same proposal, not a second one
	if code, m := send(t, s, deputy, "POST", "/api/proposals", draft); code != 200 || m["already_have"] != true || m["proposal"].(map[string]any)["id"] != id {
		t.Fatalf("retry: %d %v", code, m)
	}
	if n, _ := s.App.CountRecords("proposals"); n != 5 {
		t.Fatalf("%d proposals after a retry", n)
	}
	act := func(tok, action string, body any) (int, map[string]any) {
		return sendTok(t, s, tok, "POST", "/api/proposals/"+id+"/"+action, body)
	}
	// a 议案 needs five
	if code, m := send(t, s, deputy, "POST", "/api/proposals/"+id+"/submit", nil); code != 400 || !strings.Contains(fieldMsg(m, "co_sponsors"), "至少 5 名") {
		t.Fatalf("submitted alone: %d %v", code, m)
	}
	if code, _ := send(t, s, presidium, "POST", "/api/proposals/"+id+"/confirm", nil); code != 404 {
		t.Fatalf("an uninvited presidium member confirmed: %d", code)
	}
	for _, tok := range []string{testapp.Token(t, deputy2), tok3, tok4} {
		if code, m := act(tok, "confirm", nil); code != 200 {
			t.Fatalf("confirm: %d %v", code, m)
		}
	}
	if code, m := act(tok5, "decline", nil); code != 200 {
		t.Fatalf("decline: %d %v", code, m)
	}
	if code, _ := act(tok5, "confirm", nil); code != 404 {
		t.Fatalf("a deputy who declined still sees the invitation: %d", code)
	}
	if code, m := send(t, s, deputy, "POST", "/api/proposals/"+id+"/submit", nil); code != 400 || !strings.Contains(fieldMsg(m, "co_sponsors"), "已确认 4 名") {
		t.Fatalf("four submitted: %d %v", code, m)
	}
	if code, m := send(t, s, deputy, "POST", "/api/proposals/"+id+"/invite", map[string]any{"co_invited": []string{f.Deputy2, d3, d4, f.Presidium}}); code != 200 {
		t.Fatalf("invite again: %d %v", code, m)
	}
	if code, m := send(t, s, presidium, "POST", "/api/proposals/"+id+"/confirm", nil); code != 200 {
		t.Fatalf("presidium confirm: %d %v", code, m)
	}
	code, m = send(t, s, deputy, "POST", "/api/proposals/"+id+"/submit", nil)
	if code != 200 || m["status"] != "submitted" || m["number"] != strconv.Itoa(year)+"-001" {
		t.Fatalf("submit: %d %v", code, m)
	}

	// 立案: not by a co-sponsor on the presidium, not by a deputy
	if code, _ := send(t, s, presidium, "POST", "/api/proposals/"+id+"/register", map[string]any{"outcome": "accept"}); code != 403 {
		t.Fatalf("a co-sponsor registered: %d", code)
	}
	if code, _ := send(t, s, deputy, "POST", "/api/proposals/"+id+"/register", map[string]any{"outcome": "accept"}); code != 403 {
		t.Fatalf("the sponsor registered: %d", code)
	}
	if code, m := send(t, s, staff, "POST", "/api/proposals/"+id+"/register", map[string]any{"outcome": "accept", "grade": "key"}); code != 200 || m["status"] != "registered" {
		t.Fatalf("register: %d %v", code, m)
	}
	if code, m := send(t, s, staff, "POST", "/api/proposals/"+id+"/assign", map[string]any{"main_unit": "nosuchunit00000"}); code != 400 || fieldMsg(m, "main_unit") == "" {
		t.Fatalf("assign to no unit: %d %v", code, m)
	}
	code, m = send(t, s, staff, "POST", "/api/proposals/"+id+"/assign", map[string]any{"main_unit": f.Unit, "co_units": []string{f.IDs["unit2"]}})
	if code != 200 || m["status"] != "assigned" || m["round"].(float64) != 1 {
		t.Fatalf("assign: %d %v", code, m)
	}
	due, _ := time.Parse("2006-01-02 15:04:05.000Z", m["deadline"].(string))
	if days := due.Sub(time.Now()).Hours() / 24; days < 38 || days > 55 {
		t.Fatalf("a key proposal's 30 working days end in %.0f calendar days", days)
	}

	// the co-unit gives its opinion; the main unit answers
	if code, _ := send(t, s, unit2, "POST", "/api/proposals/"+id+"/answer", map[string]any{"reply_class": "A", "reply": "我所已配合完成场地清理工作。"}); code != 403 {
		t.Fatalf("the co-unit answered: %d", code)
	}
	if code, m := send(t, s, unit2, "POST", "/api/proposals/"+id+"/opinions", map[string]any{"text": "我所将配合做好广场周边经营秩序管理。"}); code != 200 {
		t.Fatalf("opinion: %d %v", code, m)
	}
	if code, _ := send(t, s, unit, "POST", "/api/proposals/"+id+"/opinions", map[string]any{"text": "主办单位不应提交协办意见。"}); code != 403 {
		t.Fatalf("the main unit gave a co-unit's opinion: %d", code)
	}
	if code, m := send(t, s, unit, "POST", "/api/proposals/"+id+"/answer", map[string]any{"reply_class": "D", "reply": "好"}); code != 400 || fieldMsg(m, "reply_class") == "" || fieldMsg(m, "reply") == "" {
		t.Fatalf("bad answer: %d %v", code, m)
	}
	reply := map[string]any{"reply_class": "B", "reply": "已将文化广场列入明年镇村建设计划，正在做选址和预算。"}
	if code, m := send(t, s, unit, "POST", "/api/proposals/"+id+"/answer", reply); code != 200 || m["status"] != "answered" {
		t.Fatalf("answer: %d %v", code, m)
	}
	// only the sponsor rates; 不满意 needs a reason and sends it back once
	if code, _ := send(t, s, deputy2, "POST", "/api/proposals/"+id+"/rate", map[string]any{"rating": "satisfied"}); code != 403 {
		t.Fatalf("a co-sponsor rated: %d", code)
	}
	if code, m := send(t, s, deputy, "POST", "/api/proposals/"+id+"/rate", map[string]any{"rating": "unsatisfied"}); code != 400 || fieldMsg(m, "rating_comment") == "" {
		t.Fatalf("不满意 without a reason: %d %v", code, m)
	}
	code, m = send(t, s, deputy, "POST", "/api/proposals/"+id+"/rate", map[string]any{"rating": "unsatisfied", "comment": "没有明确开工时间。"})
	if code != 200 || m["status"] != "assigned" || m["round"].(float64) != 2 || m["redo_reason"] != "没有明确开工时间。" {
		t.Fatalf("redo: %d %v", code, m)
	}
	reply["reply_class"] = "A"
	reply["reply"] = "经镇党委会研究，文化广场于今年10月开工，12月底前建成。"
	if code, m := send(t, s, unit, "POST", "/api/proposals/"+id+"/answer", reply); code != 200 || m["status"] != "answered" {
		t.Fatalf("second answer: %d %v", code, m)
	}
	code, m = send(t, s, deputy, "POST", "/api/proposals/"+id+"/rate", map[string]any{"rating": "basic"})
	if code != 200 || m["status"] != "closed" || m["closure"] != "rated" {
		t.Fatalf("final rating: %d %v", code, m)
	}

	// the timeline: every step; the co-units' opinions for the main unit only
	_, tl := send(t, s, deputy, "GET", "/api/proposals/"+id+"/timeline", nil)
	var actions []string
	for _, ev := range tl["events"].([]any) {
		actions = append(actions, ev.(map[string]any)["action"].(string))
	}
	want := "invite,confirm,confirm,confirm,decline,invite,confirm,submit,register,assign,opinion,answer,rate,answer,rate"
	if strings.Join(actions, ",") != want {
		t.Fatalf("timeline %v", actions)
	}
	if _, ok := tl["opinions"]; ok {
		t.Fatal("the sponsor reads the co-units' opinions")
	}
	if _, tl := send(t, s, unit, "GET", "/api/proposals/"+id+"/timeline", nil); len(tl["opinions"].([]any)) != 1 {
		t.Fatalf("the main unit does not read the opinion: %v", tl["opinions"])
	}

	// the rates: this one concluded (rated 基本满意 after the redo); the
	// fixtures' assigned and answered ones are handled, not concluded
	if code, _ := send(t, s, deputy, "GET", "/api/proposals/rates", nil); code != 403 {
		t.Fatalf("a deputy read the rates: %d", code)
	}
	_, r := send(t, s, presidium, "GET", "/api/proposals/rates?year="+strconv.Itoa(year), nil)
	total := r["total"].(map[string]any)
	if total["handled"].(float64) != 3 || total["concluded"].(float64) != 1 || total["rated"].(float64) != 1 ||
		total["satisfied"].(float64) != 1 || total["redone"].(float64) != 1 || total["satisfaction_rate"].(float64) != 1 {
		t.Fatalf("rates %v", total)
	}
	byUnit := r["by_unit"].([]any)
	if len(byUnit) != 1 || byUnit[0].(map[string]any)["name"] != "镇应急办" {
		t.Fatalf("by unit %v", byUnit)
	}
	// the workbook: Chinese headers, this proposal, its redo
	res := s.Must(200, staff, "GET", "/api/proposals/export.xlsx?year="+strconv.Itoa(year), nil)
	x, err := excelize.OpenReader(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("办理台账")
	if strings.Join(rows[1], ",") != strings.Join(proposals.LedgerHeaders, ",") {
		t.Fatalf("headers %v", rows[1])
	}
	found := false
	for _, row := range rows[2:] {
		if row[0] == strconv.Itoa(year)+"-001" {
			found = row[2] == "关于建设思蒙湾村文化广场的议案" && row[5] == "教育文化" && row[6] == "重点督办" && row[7] == "镇应急办" && row[17] == "是"
		}
	}
	if !found {
		t.Fatalf("ledger rows %v", rows)
	}
	rates, _ := x.GetRows("办结率满意率")
	if rates[2][0] != "全镇" || rates[2][4] != "33.3%" {
		t.Fatalf("rates sheet %v", rates[2])
	}
}

// Review: a 建议 rejected needs the reason the sponsor reads; a proposal
// merged into a main one lets its sponsor read the main; a unit gives a
// proposal back and no longer sees it; an extension must be later.
func TestReviewRejectMergeReturnExtend(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	// Deputy2's 建议, submitted from the phone
	code, m := send(t, s, deputy2, "POST", "/api/proposals", map[string]any{"client_id": "draftdeputy2001", "type": "suggestion",
		"title": "关于桥头村路灯维修的建议", "body": "桥头村主干道路灯损坏多处，夜间出行不便，建议尽快维修并建立巡查制度。", "category": "城乡建设", "action": "submit"})
	if code != 200 {
		t.Fatalf("Deputy2 submits: %d %v", code, m)
	}
	sub := "/api/proposals/" + m["proposal"].(map[string]any)["id"].(string)
	if code, m := send(t, s, staff, "POST", sub+"/register", map[string]any{"outcome": "reject"}); code != 400 || fieldMsg(m, "decision") == "" {
		t.Fatalf("rejected without a reason: %d %v", code, m)
	}
	if code, m := send(t, s, staff, "POST", sub+"/register", map[string]any{"outcome": "convert", "reason": "不是议案"}); code != 400 || fieldMsg(m, "outcome") == "" {
		t.Fatalf("a 建议 converted: %d %v", code, m)
	}
	// merged into the assigned one: Deputy2 now reads the main proposal
	main := f.IDs["proposal_assigned"]
	if code, _ := send(t, s, deputy2, "GET", "/api/collections/proposals/records/"+main, nil); code != 404 {
		t.Fatalf("Deputy2 read another's proposal before the merge: %d", code)
	}
	if code, m := send(t, s, presidium, "POST", sub+"/merge", map[string]any{"main": main}); code != 200 || m["status"] != "merged" {
		t.Fatalf("merge: %d %v", code, m)
	}
	if code, _ := send(t, s, deputy2, "GET", "/api/collections/proposals/records/"+main, nil); code != 200 {
		t.Fatalf("the merged proposal's sponsor cannot read the main: %d", code)
	}
	if code, m := send(t, s, deputy2, "POST", sub+"/withdraw", nil); code != 400 || fieldMsg(m, "status") == "" {
		t.Fatalf("withdrew a merged proposal: %d %v", code, m)
	}
	// extend: later only, with a reason
	as := "/api/proposals/" + main
	if code, m := send(t, s, staff, "POST", as+"/extend", map[string]any{"deadline": "2020-01-01", "reason": "x"}); code != 400 || fieldMsg(m, "deadline") == "" {
		t.Fatalf("extended to the past: %d %v", code, m)
	}
	later := chinatime.In(time.Now().AddDate(0, 3, 0)).Format("2006-01-02")
	if code, m := send(t, s, staff, "POST", as+"/extend", map[string]any{"deadline": later, "reason": "需协调县水利局"}); code != 200 {
		t.Fatalf("extend: %d %v", code, m)
	}
	// the unit gives it back: back to 已立案, and the unit no longer sees it
	if code, m := send(t, s, unit, "POST", as+"/return", map[string]any{}); code != 400 || fieldMsg(m, "reason") == "" {
		t.Fatalf("returned without a reason: %d %v", code, m)
	}
	if code, m := send(t, s, unit, "POST", as+"/return", map[string]any{"reason": "不属于本单位职责，建议交交通站办理"}); code != 200 || m["status"] != "registered" {
		t.Fatalf("return: %d %v", code, m)
	}
	if code, _ := send(t, s, unit, "GET", "/api/collections/proposals/records/"+main, nil); code != 404 {
		t.Fatalf("the unit still reads a proposal it gave back: %d", code)
	}
	// nothing else changed on the record: the admin UI's door is checked too
	r, _ := s.App.FindRecordById("proposals", main)
	r.Set("status", "closed")
	if err := s.App.Save(r); err == nil || !strings.Contains(err.Error(), "status") {
		t.Fatalf("a save skipped the lifecycle: %v", err)
	}
}

// The daily job: an unanswered proposal past its deadline is reported to
// the presidium, then listed for supervision; a reply whose rating window
// passed concludes the proposal.
func TestDailyOverdueAndLapse(t *testing.T) {
	f := testapp.F(t)
	app := testapp.New(t)
	assigned, _ := app.FindRecordById("proposals", f.IDs["proposal_assigned"])
	due := assigned.GetDateTime("deadline").Time()
	if n, err := proposals.RunDaily(app, due.Add(36*time.Hour)); err != nil || n != 2 {
		t.Fatalf("daily: %d %v", n, err)
	}
	assigned, _ = app.FindRecordById("proposals", f.IDs["proposal_assigned"])
	if !assigned.GetBool("overdue") || assigned.GetString("escalation") != "presidium" {
		t.Fatalf("not escalated: %v %v", assigned.GetBool("overdue"), assigned.GetString("escalation"))
	}
	answered, _ := app.FindRecordById("proposals", f.IDs["proposal_answered"])
	if answered.GetString("status") != "closed" || answered.GetString("closure") != "lapsed" {
		t.Fatalf("not lapsed: %s %s", answered.GetString("status"), answered.GetString("closure"))
	}
	if n, _ := proposals.RunDaily(app, due.Add(20*24*time.Hour)); n != 1 {
		t.Fatalf("second run changed %d", n)
	}
	assigned, _ = app.FindRecordById("proposals", f.IDs["proposal_assigned"])
	if assigned.GetString("escalation") != "supervised" {
		t.Fatalf("not supervised: %s", assigned.GetString("escalation"))
	}
	evs, _ := app.FindRecordsByFilter("proposal_events", "proposal = {:p} && action = 'escalate'", "", 0, 0, map[string]any{"p": assigned.Id})
	if len(evs) != 2 {
		t.Fatalf("%d escalation steps on the timeline", len(evs))
	}
}

// 金点子: the presidium's vote names those with a majority, at most two a
// year; a tie is decided by a recorded decision; the sponsor gets it.
func TestGoldenIdeas(t *testing.T) {
	f := testapp.F(t)
	s := testapp.NewServer(t)
	year := strconv.Itoa(chinatime.CurrentYear())
	a, b := f.IDs["proposal_assigned"], f.IDs["proposal_answered"]
	url := "/api/golden/" + year + "/rounds"
	if code, _ := send(t, s, deputy, "POST", url, map[string]any{"nominees": []string{a}}); code != 403 {
		t.Fatalf("a deputy nominated: %d", code)
	}
	if code, m := send(t, s, presidium, "POST", url, map[string]any{"nominees": []string{f.IDs["proposal_inviting"]}}); code != 400 || fieldMsg(m, "nominees") == "" {
		t.Fatalf("nominated a draft: %d %v", code, m)
	}
	c := f.IDs["proposal_submitted"]
	if code, m := send(t, s, staff, "POST", "/api/proposals/"+c+"/register", map[string]any{"outcome": "accept"}); code != 200 {
		t.Fatalf("register: %d %v", code, m)
	}
	// one presidium member in the fixtures: one vote is a majority; three
	// nominees with one vote each tie for the two places
	code, m := send(t, s, presidium, "POST", url, map[string]any{"nominees": []string{a, b, c}, "votes": map[string]int{a: 1, b: 1, c: 1}})
	if code != 200 || m["status"] != "open" || len(m["tied"].([]any)) != 3 || m["seats_left"].(float64) != 2 {
		t.Fatalf("round: %d %v", code, m)
	}
	decide := "/api/golden/rounds/" + m["id"].(string) + "/decide"
	if code, m := send(t, s, presidium, "POST", decide, map[string]any{"picks": []string{a, b}}); code != 400 || fieldMsg(m, "note") == "" {
		t.Fatalf("decided without minutes: %d %v", code, m)
	}
	if code, m := send(t, s, presidium, "POST", decide, map[string]any{"picks": []string{a, b, c}, "note": "再次表决"}); code != 400 || fieldMsg(m, "picks") == "" {
		t.Fatalf("named three: %d %v", code, m)
	}
	if code, m := send(t, s, presidium, "POST", decide, map[string]any{"picks": []string{a, b}, "note": "主席团会议再次表决，前两件各得1票"}); code != 200 || m["status"] != "decided" {
		t.Fatalf("decide: %d %v", code, m)
	}
	for _, id := range []string{a, b} {
		r, _ := s.App.FindRecordById("proposals", id)
		if r.GetString("golden_year") != year {
			t.Fatalf("%s not named: %v", id, r.Get("golden_year"))
		}
	}
	// the year's places are taken
	if code, m := send(t, s, staff, "POST", url, map[string]any{"nominees": []string{c}, "votes": map[string]int{c: 1}}); code != 400 || fieldMsg(m, "seats") == "" {
		t.Fatalf("a third 金点子: %d %v", code, m)
	}
}
