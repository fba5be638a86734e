package notify_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	. "simeng/hooks/notify"
	"simeng/hooks/proposals"
	"simeng/internal/testapp"
	"simeng/notify/notifytest"
	"simeng/proposal"
)

func record(t *testing.T, app core.App, col, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(col, id)
	if err != nil {
		t.Fatalf("%s %s: %v", col, id, err)
	}
	return r
}

// Handling units (承办单位) hear of what is assigned to them and of its
// deadlines, sponsors of replies, invitees of invitations: each event
// once per recipient and channel however often it is saved or the
// deadline job runs; an extended deadline is a new event. Units get the
// in-app notice (listed and marked read through the API, their own only)
// and the SMS at the unit account's phone.
func TestUnitEventsOnceEach(t *testing.T) {
	s := testapp.NewServer(t)
	app := s.App
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	configure(t, app, p)
	clockFor(t, app, p)
	staffRec := record(t, app, "staff", f.Staff)
	unitRec := record(t, app, "units", f.Unit)
	unit2 := f.IDs["unit2"]

	n := func(template, recipient, id string) int {
		t.Helper()
		return count(t, app, Outbox, "template = {:t} && recipient = {:r} && channel = 'inapp' && event_key ~ {:id}",
			dbx.Params{"t": template, "r": recipient, "id": id})
	}
	want := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %d messages, want %d", what, got, want)
		}
	}

	// A proposal's way: register, assign (主办 Unit, 协办 Unit2), answer,
	// 不满意 → 重新办理, answered again.
	prop := record(t, app, "proposals", f.IDs["proposal_submitted"])
	presidium := record(t, app, "deputies", f.Presidium)
	step := func(act proposal.Action, by *core.Record) {
		t.Helper()
		if err := proposals.Step(app, prop, act, by, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	step(proposal.Action{Kind: proposal.ActRegister, Outcome: proposal.OutcomeAccept, Category: prop.GetString("category"), Grade: proposal.GradeNormal}, staffRec)
	step(proposal.Action{Kind: proposal.ActAssign, MainUnit: f.Unit, CoUnits: []string{unit2}, Grade: proposal.GradeNormal}, staffRec)
	if err := app.Save(prop); err != nil { // saved again unchanged: nothing new
		t.Fatal(err)
	}
	want("assigned to the main unit", n("assigned", f.Unit, prop.Id), 1)
	want("assigned to the co-unit", n("assigned", unit2, prop.Id), 1)
	firstDue := prop.GetDateTime("deadline").Time()

	// Its reply due: soon (two working days before), then overdue; the job
	// runs every day, each message once; extended, the new date is a new
	// event.
	for range 2 {
		for _, at := range []time.Time{firstDue.Add(-26 * time.Hour), firstDue.Add(time.Hour), firstDue.Add(25 * time.Hour)} {
			if err := RunDeadlines(app, at); err != nil {
				t.Fatal(err)
			}
		}
	}
	want("reply due soon", n("deadline_soon", f.Unit, prop.Id), 1)
	want("reply overdue", n("deadline_passed", f.Unit, prop.Id), 1)
	want("overdue to the robot", count(t, app, Outbox, "template = 'deadline_passed' && channel = 'wecom' && event_key ~ {:id}", dbx.Params{"id": prop.Id}), 1)
	step(proposal.Action{Kind: proposal.ActExtend, Deadline: firstDue.AddDate(0, 0, 20), Reason: "涉及跨部门协调，需延期办理"}, staffRec)
	secondDue := prop.GetDateTime("deadline").Time()
	if secondDue.Equal(firstDue) {
		t.Fatal("the deadline was not extended")
	}
	for range 2 {
		if err := RunDeadlines(app, secondDue.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	want("overdue again after the extension (a new deadline)", n("deadline_passed", f.Unit, prop.Id), 2)

	step(proposal.Action{Kind: proposal.ActAnswer, ReplyClass: proposal.ClassB, Reply: "已列入明年路灯维修计划，先行修复主干道三盏。"}, unitRec)
	want("replied, to the sponsor", n("proposal_replied", f.Presidium, prop.Id), 1)
	step(proposal.Action{Kind: proposal.ActRate, Rating: proposal.Unsatisfied, Comment: "主干道以外的路灯仍未修复，群众夜间出行不便。"}, presidium)
	want("重新办理 to the main unit", n("proposal_redo", f.Unit, prop.Id), 1)
	want("重新办理 to the co-unit", n("proposal_redo", unit2, prop.Id), 1)
	want("no second assignment for the redo", n("assigned", f.Unit, prop.Id), 1)
	step(proposal.Action{Kind: proposal.ActAnswer, ReplyClass: proposal.ClassA, Reply: "其余路灯已全部修复。"}, unitRec)
	want("the second reply, to the sponsor", n("proposal_replied", f.Presidium, prop.Id), 2)

	// A co-sponsor invitation: to each invitee, once, and to a later
	// invitee when the list grows.
	col, _ := app.FindCollectionByNameOrId("proposals")
	draft := core.NewRecord(col)
	draft.Set("client_id", "invitetest00001")
	draft.Set("type", "suggestion")
	draft.Set("title", "关于增设思蒙湾村垃圾转运点的建议")
	draft.Set("body", "村里垃圾转运点太远，群众倾倒不便，建议在三组增设一处。")
	draft.Set("category", "生态环保")
	draft.Set("sponsor", f.Deputy)
	draft.Set("round", 0)
	deputy := record(t, app, "deputies", f.Deputy)
	if err := proposals.Step(app, draft, proposal.Action{Kind: proposal.ActInvite, CoSponsors: []string{f.Deputy2}}, deputy, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := proposals.Step(app, draft, proposal.Action{Kind: proposal.ActInvite, CoSponsors: []string{f.Deputy2, f.Presidium}}, deputy, time.Now()); err != nil {
		t.Fatal(err)
	}
	want("invitation", n("cosponsor_invite", f.Deputy2, draft.Id), 1)
	want("later invitation", n("cosponsor_invite", f.Presidium, draft.Id), 1)

	// A problem (急难愁盼) forwarded to the unit, then due and overdue.
	prob := record(t, app, "problems", f.IDs["problem_a"])
	prob.Set("status", "forwarded")
	prob.Set("unit", f.Unit)
	if err := app.Save(prob); err != nil {
		t.Fatal(err)
	}
	prob.Set("forwarded_at", time.Now().Add(-72*time.Hour)) // the date corrected: still the same forward
	if err := app.Save(prob); err != nil {
		t.Fatal(err)
	}
	want("problem forwarded", n("assigned", f.Unit, prob.Id), 1)
	due := prob.GetDateTime("deadline").Time()
	for range 2 {
		if err := RunDeadlines(app, due.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	want("problem overdue", n("deadline_passed", f.Unit, prob.Id), 1)

	// A hazard assigned to a unit, once, and its deadline to both the
	// deputy who follows it and the unit.
	hz := save(t, app, "hazards", map[string]any{"title": "桥头村渡口护栏松动", "description": "护栏底座锈蚀，雨天有落水危险。",
		"source": "other", "severity": "general", "responsible_unit": "镇应急办", "deadline": time.Now().Add(30 * time.Hour),
		"status": "open", "deputy": f.Deputy, "village": f.VillageB, "unit": f.Unit})
	hz.Set("status", "rectifying")
	if err := app.Save(hz); err != nil {
		t.Fatal(err)
	}
	want("hazard assigned", n("assigned", f.Unit, hz.Id), 1)
	for range 2 {
		if err := RunDeadlines(app, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	want("hazard due soon, to the unit", n("deadline_soon", f.Unit, hz.Id), 1)
	want("hazard due soon, to the deputy", n("deadline_soon", f.Deputy, hz.Id), 1)

	// Supervision rectification items (of issued reports only) and
	// 民生实事 milestones.
	rect := record(t, app, "rectification_items", f.IDs["rect_item_a"])
	for range 2 {
		if err := RunDeadlines(app, rect.GetDateTime("deadline").Time().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	want("rectification overdue", n("deadline_passed", unit2, rect.Id), 1)
	want("nothing for a draft report's item", count(t, app, Outbox, "event_key ~ {:id}", dbx.Params{"id": f.IDs["rect_item_draft"]}), 0)
	want("late milestone", n("deadline_passed", f.Unit, f.IDs["milestone_late"]), 1)

	// Delivered: the unit's notices, one per in-app message; its texts to
	// the unit account's phone, none twice.
	flush(t, app)
	inApp := count(t, app, Outbox, "recipient = {:u} && channel = 'inapp'", dbx.Params{"u": f.Unit})
	if got := count(t, app, Notices, "unit = {:u}", dbx.Params{"u": f.Unit}); got != inApp || got < 6 {
		t.Fatalf("unit notices = %d, in-app messages %d", got, inApp)
	}
	sent, seen := 0, map[string]bool{}
	for _, x := range p.Texts() {
		if seen[x.OutID] {
			t.Fatalf("text %s sent twice", x.OutID)
		}
		seen[x.OutID] = true
		if x.Phone == f.UnitPhone {
			sent++
		}
	}
	if smsRows := count(t, app, Outbox, "recipient = {:u} && channel = 'sms' && state = 'sent'", dbx.Params{"u": f.Unit}); sent != smsRows || sent < 6 {
		t.Fatalf("texts to the unit's phone = %d, sent SMS rows %d", sent, smsRows)
	}

	// The unit lists its own notices (nobody else's sees them) and marks one read.
	list := s.Must(200, testapp.RoleUnit, http.MethodGet, "/api/collections/notices/records?perPage=200", nil).JSON(t)
	if int(list["totalItems"].(float64)) != inApp {
		t.Fatalf("the unit lists %v notices, want %d", list["totalItems"], inApp)
	}
	first := list["items"].([]any)[0].(map[string]any)["id"].(string)
	for _, role := range []string{testapp.RoleDeputy, testapp.RoleStaff} {
		if body := string(s.Must(200, role, http.MethodGet, "/api/collections/notices/records?filter="+"unit%3D%22"+f.Unit+"%22", nil).Body); !strings.Contains(body, `"totalItems":0`) {
			t.Fatalf("%s sees the unit's notices: %s", role, body)
		}
		s.Must(404, role, http.MethodPost, "/api/simeng/notices/"+first+"/read", nil)
	}
	s.Must(200, testapp.RoleUnit, http.MethodPost, "/api/simeng/notices/"+first+"/read", nil)
	if record(t, app, Notices, first).GetString("read_at") == "" {
		t.Fatal("the unit's notice is not marked read")
	}
}

// DropSettled removes waiting messages about matters settled since (the
// demo enters a township's history at once) and keeps the rest.
func TestDropSettled(t *testing.T) {
	app := testapp.New(t)
	f := testapp.F(t)
	mk := func(title string) *core.Record {
		return save(t, app, "hazards", map[string]any{"title": title, "description": "护栏底座锈蚀，雨天有落水危险。",
			"source": "other", "severity": "general", "responsible_unit": "镇应急办", "deadline": time.Now().Add(30 * time.Hour),
			"status": "open", "deputy": f.Deputy, "village": f.VillageB, "unit": f.Unit})
	}
	settled, open := mk("桥头村渡口护栏松动"), mk("思蒙湾村小学围墙开裂")
	if _, err := app.DB().NewQuery("UPDATE hazards SET status = 'closed' WHERE id = {:id}").Bind(dbx.Params{"id": settled.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	n, err := DropSettled(app)
	if err != nil || n != 1 {
		t.Fatalf("dropped %d, %v; want the settled hazard's one message", n, err)
	}
	if count(t, app, Outbox, "event_key ~ {:id}", dbx.Params{"id": settled.Id}) != 0 || count(t, app, Outbox, "event_key ~ {:id}", dbx.Params{"id": open.Id}) != 1 {
		t.Fatal("DropSettled kept the settled or dropped the open")
	}
}

// A unit's request to return an item (退办) reaches the office once (each
// active staff member in the app, the group's robot); the decision reaches
// the unit once, however often either record is saved.
func TestReturnEventsOnceEach(t *testing.T) {
	s := testapp.NewServer(t)
	app := s.App
	f := testapp.F(t)
	p := notifytest.NewProviders()
	defer p.Close()
	configure(t, app, p)
	clockFor(t, app, p)

	col, err := app.FindCollectionByNameOrId("unit_returns")
	if err != nil {
		t.Fatal(err)
	}
	req := core.NewRecord(col)
	req.Load(map[string]any{"kind": "problem", "record_id": "abcdefghijklmno", "title": "桥头村三组至集镇道路破损。",
		"unit": f.Unit, "reason": "道路养护属交通站职责，不属本单位。", "status": "pending"})
	for range 2 {
		if err := app.Save(req); err != nil {
			t.Fatal(err)
		}
	}
	n := func(template, recipient, channel string) int {
		t.Helper()
		return count(t, app, Outbox, "template = {:t} && recipient = {:r} && channel = {:c} && event_key ~ {:id}",
			dbx.Params{"t": template, "r": recipient, "c": channel, "id": req.Id})
	}
	if got := n("return_requested", f.Staff, "inapp"); got != 1 {
		t.Errorf("request to staff in the app: %d, want 1", got)
	}
	if got := n("return_requested", OfficeRobot, "wecom"); got != 1 {
		t.Errorf("request to the office robot: %d, want 1", got)
	}
	if got := n("return_requested", f.Unit, "inapp"); got != 0 {
		t.Errorf("the requesting unit told of its own request: %d", got)
	}
	if got := n("return_decided", f.Unit, "inapp"); got != 0 {
		t.Errorf("a decision before any was made: %d", got)
	}

	req = record(t, app, "unit_returns", req.Id) // as the decide route reads it
	req.Set("status", "insisted")
	req.Set("note", "经核实，该路段在你单位辖区。")
	for range 2 {
		if err := app.Save(req); err != nil {
			t.Fatal(err)
		}
	}
	if got := n("return_decided", f.Unit, "inapp"); got != 1 {
		t.Errorf("decision to the unit in the app: %d, want 1", got)
	}
	if got := n("return_decided", f.Unit, "sms"); got != 1 {
		t.Errorf("decision to the unit by SMS: %d, want 1", got)
	}
	msgs, err := app.FindRecordsByFilter(Outbox, "template = 'return_decided' && channel = 'inapp'", "", 0, 0)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("decision rows: %d %v", len(msgs), err)
	}
}
