package proposal

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

var (
	sponsor   = Actor{RoleDeputy, "d1"}
	other     = Actor{RoleDeputy, "d9"}
	presidium = Actor{RolePresidium, "p1"}
	staff     = Actor{Role: RoleStaff}
	system    = Actor{Role: RoleSystem}
	mainUnit  = Actor{RoleUnit, "u1"}
	coUnit    = Actor{RoleUnit, "u2"}
	otherUnit = Actor{RoleUnit, "u3"}
	guest     = Actor{Role: RoleGuest}
)

func draft(t Type) Proposal {
	return Proposal{
		ID: "pr1", Type: t, Status: Draft, Sponsor: "d1", Category: "交通水利",
		Title: "关于硬化思蒙湾村组道路的建议",
		Body:  "思蒙湾村三组至五组道路雨天泥泞，学生上学和农产品外运困难，建议纳入今年村道硬化计划。",
	}
}

// must applies a step that must succeed.
func must(t *testing.T, p Proposal, a Action, by Actor, now time.Time) Proposal {
	t.Helper()
	next, r := Apply(p, a, by, cfg, cal, now)
	if r != nil {
		t.Fatalf("%s by %s refused: %v", a.Kind, by.Role, r)
	}
	if errs := CheckSave(storedOrNil(p), next, cfg); errs != nil {
		t.Fatalf("%s: result does not pass CheckSave: %v", a.Kind, errs)
	}
	return next
}

func storedOrNil(p Proposal) *Proposal {
	if p.Status == Draft {
		return nil
	}
	return &p
}

// submittedSuggestion is a 建议 submitted on 2 March 2026.
func submittedSuggestion(t *testing.T) Proposal {
	return must(t, draft(Suggestion), Action{Kind: ActSubmit}, sponsor, at(2026, 3, 2, 9))
}

func assigned(t *testing.T, g Grade) Proposal {
	p := submittedSuggestion(t)
	p = must(t, p, Action{Kind: ActRegister, Outcome: OutcomeAccept, Grade: g}, staff, at(2026, 3, 2, 10))
	return must(t, p, Action{Kind: ActAssign, MainUnit: "u1", CoUnits: []string{"u2"}}, presidium, at(2026, 3, 2, 11))
}

func answered(t *testing.T) Proposal {
	return must(t, assigned(t, GradeNormal), Action{Kind: ActAnswer, ReplyClass: ClassB, Reply: "已列入2026年村道硬化计划，预计9月完工。"}, mainUnit, at(2026, 4, 1, 9))
}

func TestMotionNeedsJointSponsors(t *testing.T) {
	d := draft(Motion)
	_, r := Apply(d, Action{Kind: ActSubmit}, sponsor, cfg, cal, at(2026, 3, 2, 9))
	if r == nil || !strings.Contains(r.Fields["co_sponsors"], "至少 5 名") || r.Forbidden {
		t.Fatalf("a motion with one sponsor was not refused on co_sponsors: %v", r)
	}
	p := must(t, d, Action{Kind: ActInvite, CoSponsors: []string{"d2", "d3", "d4", "d5", "d6"}}, sponsor, at(2026, 3, 1, 9))
	for _, id := range []string{"d2", "d3", "d4"} {
		p = must(t, p, Action{Kind: ActConfirm}, Actor{RoleDeputy, id}, at(2026, 3, 1, 10))
	}
	p = must(t, p, Action{Kind: ActDecline}, Actor{RoleDeputy, "d5"}, at(2026, 3, 1, 10))
	if _, r := Apply(p, Action{Kind: ActSubmit}, sponsor, cfg, cal, at(2026, 3, 2, 9)); r == nil || !strings.Contains(r.Fields["co_sponsors"], "已确认 4 名") {
		t.Fatalf("4 joint sponsors accepted: %v", r)
	}
	p = must(t, p, Action{Kind: ActConfirm}, presidium.withID("d6"), at(2026, 3, 1, 11))
	p = must(t, p, Action{Kind: ActSubmit}, sponsor, at(2026, 3, 2, 9))
	if p.Status != Submitted || p.JointSponsors() != 5 || len(p.CoSponsors) != 4 {
		t.Fatalf("after submit: %+v", p)
	}
	// A stricter township setting.
	strict := cfg
	strict.MinJointSponsors = 6
	if _, r := Apply(p, Action{Kind: ActSubmit}, sponsor, strict, cal, at(2026, 3, 2, 9)); r == nil {
		t.Fatal("submitted twice")
	}
}

func (a Actor) withID(id string) Actor { a.ID = id; return a }

func TestSuggestionNeedsNoCoSponsor(t *testing.T) {
	p := submittedSuggestion(t)
	if p.Status != Submitted || !p.SubmittedAt.Equal(at(2026, 3, 2, 9)) {
		t.Fatalf("%+v", p)
	}
}

func TestUnansweredInvitationsLapseOnSubmit(t *testing.T) {
	p := must(t, draft(Suggestion), Action{Kind: ActInvite, CoSponsors: []string{"d2", "d3"}}, sponsor, at(2026, 3, 1, 9))
	p = must(t, p, Action{Kind: ActConfirm}, Actor{RoleDeputy, "d3"}, at(2026, 3, 1, 9))
	p = must(t, p, Action{Kind: ActSubmit}, sponsor, at(2026, 3, 1, 10))
	if got := p.ConfirmedCoSponsors(); len(got) != 1 || got[0] != "d3" || len(p.CoSponsors) != 1 {
		t.Fatalf("co-sponsors after submit: %+v", p.CoSponsors)
	}
	// Re-inviting keeps confirmations of those still invited.
	q := must(t, draft(Suggestion), Action{Kind: ActInvite, CoSponsors: []string{"d2", "d3"}}, sponsor, at(2026, 3, 1, 9))
	q = must(t, q, Action{Kind: ActConfirm}, Actor{RoleDeputy, "d3"}, at(2026, 3, 1, 9))
	q = must(t, q, Action{Kind: ActInvite, CoSponsors: []string{"d3", "d4"}}, sponsor, at(2026, 3, 1, 9))
	if !q.CoSponsors[0].Confirmed || q.CoSponsors[1].Confirmed || len(q.CoSponsors) != 2 {
		t.Fatalf("re-invite: %+v", q.CoSponsors)
	}
}

func TestRefusals(t *testing.T) {
	sub := submittedSuggestion(t)
	own := sub
	own.CoSponsors = []CoSponsor{{Deputy: "p1", Confirmed: true}}
	inviting := must(t, draft(Motion), Action{Kind: ActInvite, CoSponsors: []string{"d2"}}, sponsor, at(2026, 3, 1, 9))
	asg := assigned(t, GradeKey)
	ans := answered(t)
	ans.ID = "ans"
	motion := sub
	motion.Type = Motion
	reg := must(t, sub, Action{Kind: ActRegister, Outcome: OutcomeAccept}, staff, at(2026, 3, 2, 10))

	cases := []struct {
		name      string
		p         Proposal
		act       Action
		by        Actor
		forbidden bool
		field     string
		want      string
	}{
		// Denied: wrong actor.
		{"guest submits", draft(Suggestion), Action{Kind: ActSubmit}, guest, true, "status", "登录"},
		{"deputy without id", draft(Suggestion), Action{Kind: ActSubmit}, Actor{Role: RoleDeputy}, true, "status", "登录"},
		{"another deputy submits", draft(Suggestion), Action{Kind: ActSubmit}, other, true, "status", "领衔代表"},
		{"unit invites", draft(Suggestion), Action{Kind: ActInvite, CoSponsors: []string{"d2"}}, mainUnit, true, "co_sponsors", "领衔代表"},
		{"uninvited deputy confirms", inviting, Action{Kind: ActConfirm}, other, true, "co_sponsors", "被邀请"},
		{"deputy registers", sub, Action{Kind: ActRegister, Outcome: OutcomeAccept}, other, true, "status", "主席团成员或工作人员"},
		{"unit registers", sub, Action{Kind: ActRegister, Outcome: OutcomeAccept}, mainUnit, true, "status", "主席团成员或工作人员"},
		{"presidium registers own", own, Action{Kind: ActRegister, Outcome: OutcomeAccept}, presidium, true, "status", "自己领衔或附议"},
		{"sponsor assigns", reg, Action{Kind: ActAssign, MainUnit: "u1"}, sponsor, true, "main_unit", "主席团"},
		{"co-unit answers", asg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已经全部办理完毕。"}, coUnit, true, "reply", "主办单位统一答复"},
		{"other unit answers", asg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已经全部办理完毕。"}, otherUnit, true, "reply", "只有主办单位"},
		{"deputy answers", asg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已经全部办理完毕。"}, sponsor, true, "reply", "只有主办单位"},
		{"other unit returns", asg, Action{Kind: ActReturn, Reason: "不属本单位职责"}, otherUnit, true, "main_unit", "主办单位"},
		{"co-sponsor rates", ans, Action{Kind: ActRate, Rating: Satisfied}, Actor{RoleDeputy, "d2"}, true, "rating", "领衔代表"},
		{"presidium rates", ans, Action{Kind: ActRate, Rating: Satisfied}, presidium, true, "rating", "领衔代表"},
		{"unit rates its own reply", ans, Action{Kind: ActRate, Rating: Satisfied}, mainUnit, true, "rating", "领衔代表"},
		{"staff lapses by hand", ans, Action{Kind: ActLapse}, staff, true, "status", "系统"},
		{"sponsor withdraws assigned", asg, Action{Kind: ActWithdraw}, sponsor, false, "status", "不能撤回"},

		// Invalid input or state.
		{"empty title", Proposal{Type: Suggestion, Status: Draft, Sponsor: "d1", Body: strings.Repeat("路", 30)}, Action{Kind: ActSubmit}, sponsor, false, "title", "标题"},
		{"short body", Proposal{Type: Suggestion, Status: Draft, Sponsor: "d1", Title: "修路", Body: "请修路"}, Action{Kind: ActSubmit}, sponsor, false, "body", "至少 20 字"},
		{"bad type", Proposal{Type: "petition", Status: Draft, Sponsor: "d1", Title: "修路", Body: strings.Repeat("路", 30)}, Action{Kind: ActSubmit}, sponsor, false, "type", "议案或建议"},
		{"bad category", func() Proposal { p := draft(Suggestion); p.Category = "娱乐"; return p }(), Action{Kind: ActSubmit}, sponsor, false, "category", "分类无效"},
		{"invite nobody", draft(Motion), Action{Kind: ActInvite}, sponsor, false, "co_sponsors", "至少邀请"},
		{"invite self", draft(Motion), Action{Kind: ActInvite, CoSponsors: []string{"d1"}}, sponsor, false, "co_sponsors", "自己"},
		{"invite twice", draft(Motion), Action{Kind: ActInvite, CoSponsors: []string{"d2", "d2"}}, sponsor, false, "co_sponsors", "一次"},
		{"confirm after submit", func() Proposal { p := sub; p.CoSponsors = []CoSponsor{{Deputy: "d2"}}; return p }(), Action{Kind: ActConfirm}, Actor{RoleDeputy, "d2"}, false, "status", "不能确认附议"},
		{"register without outcome", sub, Action{Kind: ActRegister}, staff, false, "outcome", "立案"},
		{"reject without reason", sub, Action{Kind: ActRegister, Outcome: OutcomeReject}, staff, false, "decision", "理由"},
		{"convert without reason", motion, Action{Kind: ActRegister, Outcome: OutcomeConvert}, staff, false, "decision", "理由"},
		{"convert a suggestion", sub, Action{Kind: ActRegister, Outcome: OutcomeConvert, Reason: "x"}, staff, false, "outcome", "只有议案"},
		{"register twice", reg, Action{Kind: ActRegister, Outcome: OutcomeAccept}, staff, false, "status", "不能立案审查"},
		{"bad grade", sub, Action{Kind: ActRegister, Outcome: OutcomeAccept, Grade: "urgent"}, staff, false, "grade", "分级无效"},
		{"assign unclassified", func() Proposal { p := reg; p.Category = ""; return p }(), Action{Kind: ActAssign, MainUnit: "u1", Grade: GradeKey}, staff, false, "category", "先分类"},
		{"assign ungraded", reg, Action{Kind: ActAssign, MainUnit: "u1"}, staff, false, "grade", "先分级"},
		{"assign no unit", reg, Action{Kind: ActAssign, Grade: GradeKey}, staff, false, "main_unit", "主办单位"},
		{"main unit also co-unit", reg, Action{Kind: ActAssign, Grade: GradeKey, MainUnit: "u1", CoUnits: []string{"u1"}}, staff, false, "co_units", "不能同时"},
		{"regrade after assignment", asg, Action{Kind: ActClassify, Grade: GradeNormal}, staff, false, "grade", "延期"},
		{"classify nothing", reg, Action{Kind: ActClassify}, staff, false, "category", "分类或分级"},
		{"merge into self", reg, Action{Kind: ActMerge, Main: &reg}, staff, false, "main", "自己"},
		{"merge into answered", reg, Action{Kind: ActMerge, Main: &ans}, staff, false, "main", "尚未答复"},
		{"merge without main", reg, Action{Kind: ActMerge}, staff, false, "main", "主件"},
		{"merge assigned", asg, Action{Kind: ActMerge, Main: &reg}, staff, false, "status", "不能并案"},
		{"extend earlier", asg, Action{Kind: ActExtend, Deadline: at(2026, 3, 3, 0), Reason: "资金未到位"}, staff, false, "deadline", "晚于原期限"},
		{"extend without reason", asg, Action{Kind: ActExtend, Deadline: at(2026, 12, 31, 0)}, staff, false, "reason", "理由"},
		{"return without reason", asg, Action{Kind: ActReturn}, mainUnit, false, "reason", "理由"},
		{"answer without class", asg, Action{Kind: ActAnswer, Reply: "已经全部办理完毕。"}, mainUnit, false, "reply_class", "答复类别"},
		{"answer too short", asg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已办"}, mainUnit, false, "reply", "过短"},
		{"answer before assignment", reg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已经全部办理完毕。"}, staff, false, "status", "不能答复"},
		{"rate before answer", asg, Action{Kind: ActRate, Rating: Satisfied}, sponsor, false, "status", "不能评价"},
		{"unsatisfied without reason", ans, Action{Kind: ActRate, Rating: Unsatisfied}, sponsor, false, "rating_comment", "理由"},
		{"bad rating", ans, Action{Kind: ActRate, Rating: "great"}, sponsor, false, "rating", "满意"},
		{"lapse too early", ans, Action{Kind: ActLapse}, system, false, "rating", "未到"},
		{"unknown action", sub, Action{Kind: "approve"}, staff, false, "action", "未知"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := clone(c.p)
			got, r := Apply(c.p, c.act, c.by, cfg, cal, at(2026, 4, 2, 9))
			if r == nil {
				t.Fatalf("accepted: %+v", got)
			}
			if r.Forbidden != c.forbidden {
				t.Errorf("forbidden = %v, want %v (%v)", r.Forbidden, c.forbidden, r)
			}
			if msg := r.Fields[c.field]; !strings.Contains(msg, c.want) {
				t.Errorf("fields %v: want %s containing %q", r.Fields, c.field, c.want)
			}
			if got.Status != before.Status || len(got.CoSponsors) != len(before.CoSponsors) {
				t.Errorf("a refused step changed the proposal: %+v", got)
			}
		})
	}
}

func TestRegistrationOutcomes(t *testing.T) {
	sub := submittedSuggestion(t)
	sub.Type = Motion
	conv := must(t, sub, Action{Kind: ActRegister, Outcome: OutcomeConvert, Reason: "属于政府日常工作，不属于人代会职权范围"}, presidium, at(2026, 3, 3, 9))
	if conv.Type != Suggestion || !conv.Converted || conv.Status != Registered || conv.Decision == "" {
		t.Fatalf("convert: %+v", conv)
	}
	rej := must(t, sub, Action{Kind: ActRegister, Outcome: OutcomeReject, Reason: "内容涉及个人诉求，建议通过信访渠道反映"}, staff, at(2026, 3, 3, 9))
	if rej.Status != Rejected || !rej.Status.Final() {
		t.Fatalf("reject: %+v", rej)
	}
	if _, r := Apply(rej, Action{Kind: ActAssign, MainUnit: "u1", Grade: GradeKey}, staff, cfg, cal, at(2026, 3, 4, 9)); r == nil || !strings.Contains(r.Fields["status"], "不予立案") {
		t.Fatalf("a rejected proposal was assigned: %v", r)
	}
}

func TestMergeFollowsMain(t *testing.T) {
	main := assigned(t, GradeKey)
	main.ID = "main"
	dup := submittedSuggestion(t)
	dup.ID = "dup"
	m := must(t, dup, Action{Kind: ActMerge, Main: &main}, staff, at(2026, 3, 3, 9))
	if m.Status != Merged || m.MainID != "main" || InScope(m) {
		t.Fatalf("merged: %+v", m)
	}
	if _, r := Apply(m, Action{Kind: ActRate, Rating: Satisfied}, sponsor, cfg, cal, at(2026, 3, 3, 9)); r == nil {
		t.Fatal("a merged proposal was rated on its own")
	}
}

func TestDeadlines(t *testing.T) {
	// Assigned Monday 2 March 2026, 11:00. 30 working days skip 清明 (4–6 April).
	key := assigned(t, GradeKey)
	if want := deadline.EndOfDay(at(2026, 4, 14, 0)); !key.Deadline.Equal(want) {
		t.Errorf("重点督办 deadline %v, want %v", key.Deadline, want)
	}
	normal := assigned(t, GradeNormal)
	if want := deadline.Due(cal, at(2026, 3, 2, 11), 60); !normal.Deadline.Equal(want) {
		t.Errorf("一般 deadline %v, want %v", normal.Deadline, want)
	}
	// 60 working days is about three calendar months, as the county gives.
	if days := normal.Deadline.Sub(normal.AssignedAt).Hours() / 24; days < 84 || days > 95 {
		t.Errorf("一般 deadline is %.0f calendar days after assignment", days)
	}
	ext := must(t, key, Action{Kind: ActExtend, Deadline: at(2026, 5, 15, 10), Reason: "需等待县交通局批复"}, staff, at(2026, 4, 10, 9))
	if !ext.Deadline.Equal(deadline.EndOfDay(at(2026, 5, 15, 0))) {
		t.Errorf("extended to %v", ext.Deadline)
	}
}

func TestRedoOnceThenClosed(t *testing.T) {
	p := answered(t)
	p = must(t, p, Action{Kind: ActRate, Rating: Unsatisfied, Comment: "答复没有说明资金来源"}, sponsor, at(2026, 4, 3, 9))
	if p.Status != Assigned || p.Round != 2 || p.Reply != "" || p.RedoReason == "" {
		t.Fatalf("after first 不满意: %+v", p)
	}
	if want := deadline.Due(cal, at(2026, 4, 3, 9), cfg.RedoWorkdays); !p.Deadline.Equal(want) {
		t.Errorf("redo deadline %v, want %v", p.Deadline, want)
	}
	p = must(t, p, Action{Kind: ActAnswer, ReplyClass: ClassB, Reply: "资金来源为县级衔接资金，已于4月下达。"}, mainUnit, at(2026, 4, 20, 9))
	p = must(t, p, Action{Kind: ActRate, Rating: Unsatisfied, Comment: "仍未开工"}, sponsor, at(2026, 4, 21, 9))
	if p.Status != Closed || p.Rating != Unsatisfied || p.Closure != ClosedRated {
		t.Fatalf("a second 不满意 must close it: %+v", p)
	}
}

func TestReturnedGoesBackForAssignment(t *testing.T) {
	p := must(t, assigned(t, GradeKey), Action{Kind: ActReturn, Reason: "道路养护属交通站职责"}, mainUnit, at(2026, 3, 3, 9))
	if p.Status != Registered || p.MainUnit != "" || !p.Deadline.IsZero() {
		t.Fatalf("returned: %+v", p)
	}
	p = must(t, p, Action{Kind: ActAssign, MainUnit: "u4"}, staff, at(2026, 3, 4, 9))
	if p.MainUnit != "u4" || p.Round != 1 {
		t.Fatalf("reassigned: %+v", p)
	}
}

func TestLapse(t *testing.T) {
	p := answered(t) // answered 1 April 2026
	due := RatingDue(p, cfg, cal)
	if Concluded(p, cfg, cal, due) {
		t.Error("concluded inside the rating window")
	}
	if !Concluded(p, cfg, cal, due.Add(time.Second)) {
		t.Error("not concluded after the rating window")
	}
	p = must(t, p, Action{Kind: ActLapse}, system, due.Add(time.Minute))
	if p.Status != Closed || p.Closure != ClosedLapsed || p.Rating != "" {
		t.Fatalf("lapsed: %+v", p)
	}
}

func TestOverdue(t *testing.T) {
	p := assigned(t, GradeKey) // due 14 April 2026
	for _, c := range []struct {
		now  time.Time
		want deadline.Stage
	}{
		{at(2026, 4, 14, 23), deadline.StageNone},
		{at(2026, 4, 15, 8), deadline.StagePresidium},
		{at(2026, 4, 22, 8), deadline.StageSupervised},
	} {
		if got := Overdue(cal, p, c.now); got != c.want {
			t.Errorf("at %v: %s, want %s", c.now, got, c.want)
		}
	}
	if Overdue(cal, answered(t), at(2027, 1, 1, 0)) != deadline.StageNone {
		t.Error("an answered proposal is not overdue")
	}
}

func TestConfigValidate(t *testing.T) {
	if errs := DefaultConfig().Validate(); errs != nil {
		t.Fatalf("default config: %v", errs)
	}
	bad := DefaultConfig()
	bad.MinJointSponsors = 3
	bad.KeyWorkdays = 0
	bad.Categories = []string{"a", "a"}
	errs := bad.Validate()
	for _, f := range []string{"min_joint_sponsors", "key_workdays", "categories"} {
		if errs[f] == "" {
			t.Errorf("no error on %s: %v", f, errs)
		}
	}
	slow := DefaultConfig()
	slow.KeyWorkdays = 90
	if slow.Validate()["key_workdays"] == "" {
		t.Error("key deadline longer than normal accepted")
	}
}
