package problem

import (
	"simeng/chinatime"
	"strings"
	"testing"
	"time"

	"simeng/deadline"
	"simeng/workdays"
)

var (
	cal = workdays.New()
	cst = chinatime.Location()
	cfg = DefaultConfig()
)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, cst) }

func full(s Status) State {
	return State{Status: s, Unit: "u1", ForwardedTo: "镇农业综合服务中心", Reply: "已安排维修", ReopenReason: "群众反映仍未修好"}
}

func TestEveryShortcutIsRefused(t *testing.T) {
	allowed := map[[2]Status]bool{
		{Open, Forwarded}: true, {Forwarded, Answered}: true, {Answered, Closed}: true,
		{Answered, Open}: true, {Closed, Open}: true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if from == to {
				continue
			}
			old := full(from)
			old.ReopenReason = ""
			errs := Check(&old, full(to))
			if allowed[[2]Status{from, to}] != (errs == nil) {
				t.Errorf("%s → %s: errors %v, allowed %v", from, to, errs, allowed[[2]Status{from, to}])
			}
		}
	}
}

func TestCheck(t *testing.T) {
	st := func(s State) *State { return &s }
	cases := []struct {
		name  string
		old   *State
		cur   State
		field string
		want  string
	}{
		{"new open", nil, State{Status: Open}, "", ""},
		{"new forwarded refused", nil, full(Forwarded), "status", "待办"},
		{"new closed refused", nil, full(Closed), "status", "待办"},
		{"bad status", st(full(Open)), State{Status: "done"}, "status", "无效"},
		{"forward without unit", st(State{Status: Open}), State{Status: Forwarded, ForwardedTo: " "}, "forwarded_to", "转办单位"},
		{"answer without reply", st(full(Forwarded)), State{Status: Answered, ForwardedTo: "x"}, "reply", "答复"},
		{"forwarded then closed", st(full(Forwarded)), full(Closed), "status", "下一步只能是「已答复」"},
		{"closed then answered", st(full(Closed)), full(Answered), "status", "不能从「已办结」直接改为「已答复」"},
		{"open then answered", st(full(Open)), full(Answered), "status", "已转办"},
		{"reopen without reason", st(State{Status: Closed}), State{Status: Open}, "reopen_reason", "理由"},
		{"reopen with the old reason", st(full(Closed)), full(Open), "reopen_reason", "本次"},
		{"reopen", st(State{Status: Answered}), State{Status: Open, ReopenReason: "答复与实际不符"}, "", ""},
		{"reopen too long", st(State{Status: Closed}), State{Status: Open, ReopenReason: strings.Repeat("长", ReasonMax+1)}, "reopen_reason", "不能超过"},
		{"forward again", st(full(Forwarded)), func() State { s := full(Forwarded); s.Unit, s.ForwardedTo = "u2", "镇交通站"; return s }(), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Check(c.old, c.cur)
			if c.field == "" {
				if errs != nil {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if !strings.Contains(errs[c.field], c.want) {
				t.Fatalf("errors %v: want %s containing %q", errs, c.field, c.want)
			}
		})
	}
}

func TestLifecycleThroughApply(t *testing.T) {
	presidium := Actor{RolePresidium, "p1"}
	unit := Actor{RoleUnit, "u1"}
	s := State{Status: Open}
	step := func(a Action, by Actor, now time.Time) {
		t.Helper()
		next, r := Apply(s, a, by, cfg, cal, now)
		if r != nil {
			t.Fatalf("%s refused: %v", a.Kind, r)
		}
		s = next
	}
	// Forwarded Thursday 30 April 2026; 劳动节 1–5 May does not count.
	step(Action{Kind: ActForward, Unit: "u1", UnitName: "镇农业综合服务中心"}, presidium, at(2026, 4, 30, 10))
	if want := deadline.Due(cal, at(2026, 4, 30, 10), 15); !s.Deadline.Equal(want) || !s.ForwardedAt.Equal(at(2026, 4, 30, 10)) {
		t.Fatalf("forwarded: %+v, want deadline %v", s, want)
	}
	if s.Deadline.Before(at(2026, 5, 22, 0)) { // 15 working days from 6 May at the earliest
		t.Fatalf("deadline %v ignores the May holidays", s.Deadline)
	}
	step(Action{Kind: ActAnswer, Reply: "已更换水泵，恢复供水"}, unit, at(2026, 5, 20, 9))
	if s.Status != Answered || AnsweredLate(s) {
		t.Fatalf("answered: %+v", s)
	}
	step(Action{Kind: ActClose}, Actor{Role: RoleStaff}, at(2026, 5, 21, 9))
	step(Action{Kind: ActReopen, Reason: "群众反映水压仍不足"}, presidium, at(2026, 6, 1, 9))
	if s.Status != Open || s.Reopens != 1 || s.Reply != "" || !s.Deadline.IsZero() || !s.ClosedAt.IsZero() {
		t.Fatalf("reopened: %+v", s)
	}
	step(Action{Kind: ActForward, Unit: "u1", UnitName: "镇农业综合服务中心"}, presidium, at(2026, 6, 2, 9))
	if want := deadline.Due(cal, at(2026, 6, 2, 9), 15); !s.Deadline.Equal(want) {
		t.Fatalf("second forward deadline %v, want %v", s.Deadline, want)
	}
	step(Action{Kind: ActForward, Unit: "u2", UnitName: "镇水利站"}, presidium, at(2026, 6, 10, 9))
	if want := deadline.Due(cal, at(2026, 6, 10, 9), 15); s.Unit != "u2" || !s.Deadline.Equal(want) {
		t.Fatalf("forwarded again: %+v", s)
	}
}

func TestApplyRefusals(t *testing.T) {
	fwd := full(Forwarded)
	cases := []struct {
		name      string
		s         State
		act       Action
		by        Actor
		forbidden bool
		field     string
	}{
		{"guest forwards", full(Open), Action{Kind: ActForward, UnitName: "x"}, Actor{Role: RoleGuest}, true, "forwarded_to"},
		{"deputy forwards", full(Open), Action{Kind: ActForward, UnitName: "x"}, Actor{RoleDeputy, "d1"}, true, "forwarded_to"},
		{"presidium without id", full(Open), Action{Kind: ActForward, UnitName: "x"}, Actor{Role: RolePresidium}, true, "forwarded_to"},
		{"deputy closes", full(Answered), Action{Kind: ActClose}, Actor{RoleDeputy, "d1"}, true, "status"},
		{"unit closes", full(Answered), Action{Kind: ActClose}, Actor{RoleUnit, "u1"}, true, "status"},
		{"other unit answers", fwd, Action{Kind: ActAnswer, Reply: "好"}, Actor{RoleUnit, "u9"}, true, "reply"},
		{"unit reopens", full(Closed), Action{Kind: ActReopen, Reason: "再办"}, Actor{RoleUnit, "u1"}, true, "reopen_reason"},
		{"forward to the same unit", fwd, Action{Kind: ActForward, Unit: "u1", UnitName: "镇农业综合服务中心"}, Actor{Role: RoleStaff}, false, "forwarded_to"},
		{"close twice", full(Closed), Action{Kind: ActClose}, Actor{Role: RoleStaff}, false, "status"},
		{"close unanswered", fwd, Action{Kind: ActClose}, Actor{Role: RoleStaff}, false, "status"},
		{"empty answer", fwd, Action{Kind: ActAnswer}, Actor{RoleUnit, "u1"}, false, "reply"},
		{"reopen open", full(Open), Action{Kind: ActReopen, Reason: "x"}, Actor{Role: RoleStaff}, false, "status"},
		{"unknown", fwd, Action{Kind: "escalate"}, Actor{Role: RoleStaff}, false, "action"},
	}
	for _, c := range cases {
		got, r := Apply(c.s, c.act, c.by, cfg, cal, at(2026, 6, 1, 9))
		if r == nil {
			t.Errorf("%s: accepted %+v", c.name, got)
			continue
		}
		if r.Forbidden != c.forbidden || r.Fields[c.field] == "" {
			t.Errorf("%s: %+v, want forbidden=%v on %s", c.name, r, c.forbidden, c.field)
		}
		if got != c.s {
			t.Errorf("%s: a refused step changed the state", c.name)
		}
	}
}

func TestStampKeepsServerFields(t *testing.T) {
	old := full(Forwarded)
	old.ForwardedAt, old.Deadline = at(2026, 3, 2, 9), at(2026, 3, 20, 23)
	cur := old
	cur.Deadline = at(2030, 1, 1, 0) // a body trying to move the deadline
	cur.Reopens = 9
	got := Stamp(&old, cur, cfg, cal, at(2026, 3, 5, 9))
	if !got.Deadline.Equal(old.Deadline) || got.Reopens != 0 {
		t.Fatalf("server fields taken from the body: %+v", got)
	}
	fresh := Stamp(nil, State{Status: Open, Deadline: at(2030, 1, 1, 0)}, cfg, cal, at(2026, 3, 5, 9))
	if !fresh.Deadline.IsZero() {
		t.Fatalf("a new problem came with a deadline: %+v", fresh)
	}
}

func TestOverdue(t *testing.T) {
	s := full(Forwarded)
	s.Deadline = deadline.Due(cal, at(2026, 3, 2, 9), 15)
	if Overdue(cal, s, s.Deadline) != deadline.StageNone ||
		Overdue(cal, s, s.Deadline.Add(time.Second)) != deadline.StagePresidium ||
		Overdue(cal, s, deadline.Due(cal, s.Deadline, 5).Add(time.Second)) != deadline.StageSupervised {
		t.Fatal("stages")
	}
	a := s
	a.Status = Answered
	if Overdue(cal, a, at(2027, 1, 1, 0)) != deadline.StageNone {
		t.Fatal("an answered problem is not overdue")
	}
	if DefaultConfig().Validate() != nil || (Config{}).Validate()["forward_workdays"] == "" {
		t.Fatal("config validation")
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("open", "forwarded", "u1", "镇水利站", "", "", uint16(3))
	f.Add("closed", "open", "", "", "", "理由", uint16(40))
	f.Add("forwarded", "closed", "u1", "x", "reply", "", uint16(1))
	f.Fuzz(func(t *testing.T, from, to, unit, name, reply, reason string, hours uint16) {
		old := State{Status: Status(from), Unit: "u1", ForwardedTo: "镇水利站", Deadline: at(2026, 3, 20, 23)}
		cur := State{Status: Status(to), Unit: unit, ForwardedTo: name, Reply: reply, ReopenReason: reason}
		errs := Check(&old, cur)
		if errs != nil {
			for f, m := range errs {
				if f == "" || m == "" {
					t.Fatalf("empty error %q: %q", f, m)
				}
			}
			return
		}
		if !CanMove(old.Status, cur.Status) || !cur.Status.Valid() {
			t.Fatalf("accepted %s → %s", from, to)
		}
		now := at(2026, 3, 1, 0).Add(time.Duration(hours) * time.Hour)
		got := Stamp(&old, cur, cfg, cal, now)
		if got.Status == Forwarded && (got.Deadline.IsZero() || strings.TrimSpace(got.ForwardedTo) == "") {
			t.Fatalf("forwarded without deadline or unit: %+v", got)
		}
		if got.Status == Answered && strings.TrimSpace(got.Reply) == "" {
			t.Fatal("answered without reply")
		}
		if reopened(&old, cur) && (got.Reopens != old.Reopens+1 || strings.TrimSpace(reason) == "") {
			t.Fatalf("reopen without reason or count: %+v", got)
		}
	})
}
