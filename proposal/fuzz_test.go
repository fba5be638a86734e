package proposal

import (
	"reflect"
	"testing"
	"time"
)

// fixtures are proposals in every stored status, reached through Apply.
func fixtures() []Proposal {
	step := func(p Proposal, a Action, by Actor, now time.Time) Proposal {
		next, r := Apply(p, a, by, cfg, cal, now)
		if r != nil {
			panic(r)
		}
		return next
	}
	d := draft(Motion)
	inv := step(d, Action{Kind: ActInvite, CoSponsors: []string{"d2", "d3", "d4", "d5"}}, sponsor, at(2026, 3, 1, 9))
	for _, id := range []string{"d2", "d3", "d4", "d5"} {
		inv = step(inv, Action{Kind: ActConfirm}, Actor{RoleDeputy, id}, at(2026, 3, 1, 10))
	}
	sub := step(inv, Action{Kind: ActSubmit}, sponsor, at(2026, 3, 2, 9))
	reg := step(sub, Action{Kind: ActRegister, Outcome: OutcomeAccept, Grade: GradeKey}, staff, at(2026, 3, 3, 9))
	asg := step(reg, Action{Kind: ActAssign, MainUnit: "u1", CoUnits: []string{"u2"}}, staff, at(2026, 3, 3, 10))
	ans := step(asg, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "道路已于三月底硬化完毕。"}, mainUnit, at(2026, 3, 20, 9))
	redo := step(ans, Action{Kind: ActRate, Rating: Unsatisfied, Comment: "质量差"}, sponsor, at(2026, 3, 21, 9))
	closed := step(step(redo, Action{Kind: ActAnswer, ReplyClass: ClassA, Reply: "已返工重新铺设路面。"}, mainUnit, at(2026, 4, 1, 9)),
		Action{Kind: ActRate, Rating: Basic}, sponsor, at(2026, 4, 2, 9))
	return []Proposal{draft(Suggestion), d, inv, sub, reg, asg, ans, redo, closed}
}

var fuzzRoles = []Role{RoleGuest, RoleDeputy, RolePresidium, RoleUnit, RoleStaff, RoleSystem}

func FuzzApply(f *testing.F) {
	f.Add(uint8(3), "register", uint8(4), "", "accept", "key", "", "", "", "", uint16(1))
	f.Add(uint8(6), "rate", uint8(1), "d1", "", "", "", "unsatisfied", "不行", "", uint16(30))
	f.Add(uint8(5), "answer", uint8(3), "u1", "", "", "A", "", "已经办好了请查收结果", "", uint16(2))
	f.Add(uint8(2), "invite", uint8(1), "d1", "", "", "", "", "", "d2", uint16(0))
	f.Add(uint8(6), "lapse", uint8(5), "", "", "", "", "", "", "", uint16(2000))
	f.Fuzz(func(t *testing.T, which uint8, kind string, role uint8, id, outcome, grade, class, rating, text, unit string, hours uint16) {
		all := fixtures()
		p := all[int(which)%len(all)]
		before := clone(p)
		act := Action{
			Kind: ActionKind(kind), Outcome: Outcome(outcome), Grade: Grade(grade), ReplyClass: ReplyClass(class),
			Rating: Rating(rating), Reply: text, Reason: text, Comment: text, Category: "交通水利",
			MainUnit: unit, CoSponsors: []string{unit}, CoUnits: []string{"u9"}, Main: &all[4],
			Deadline: at(2026, 3, 1, 0).Add(time.Duration(hours) * 24 * time.Hour),
		}
		by := Actor{fuzzRoles[int(role)%len(fuzzRoles)], id}
		now := at(2026, 3, 1, 0).Add(time.Duration(hours) * time.Hour)
		got, r := Apply(p, act, by, cfg, cal, now)
		if !reflect.DeepEqual(p, before) {
			t.Fatal("Apply changed its argument")
		}
		if r != nil {
			if len(r.Fields) == 0 {
				t.Fatal("a refusal names no field")
			}
			for f, m := range r.Fields {
				if f == "" || m == "" {
					t.Fatalf("empty error %q: %q", f, m)
				}
			}
			if !reflect.DeepEqual(got, p) {
				t.Fatal("a refused step returned a changed proposal")
			}
			return
		}
		if !got.Status.Valid() {
			t.Fatalf("accepted into status %q", got.Status)
		}
		if errs := CheckSave(storedOrNil(p), got, cfg); errs != nil {
			t.Fatalf("%s by %v accepted but CheckSave refuses: %v", kind, by, errs)
		}
		if by.Role == RoleGuest {
			t.Fatal("a guest changed a proposal")
		}
		if got.Status == Answered && p.Status != Answered && !(by.Role == RoleStaff || by.Role == RoleUnit && by.ID == p.MainUnit) {
			t.Fatalf("answered by %v", by)
		}
		if got.Status == Closed && p.Status != Closed && got.Closure == ClosedRated && by.ID != p.Sponsor {
			t.Fatalf("rated by %v", by)
		}
	})
}
