package proposal

import (
	"testing"
	"time"
)

func TestRates(t *testing.T) {
	now := at(2026, 12, 31, 12)
	closed := func(r Rating, c ReplyClass, unit, cat string, round int) Proposal {
		p := complete(Closed)
		p.Rating, p.ReplyClass, p.MainUnit, p.Category, p.Round = r, c, unit, cat, round
		return p
	}
	answeredOn := func(day time.Time) Proposal {
		p := complete(Answered)
		p.AnsweredAt = day
		return p
	}
	late := complete(Assigned)
	late.Deadline = at(2026, 6, 1, 23)
	lapsed := complete(Closed)
	lapsed.Closure, lapsed.Rating, lapsed.ReplyClass = ClosedLapsed, "", ClassC
	registered := complete(Registered)
	registered.MainUnit = ""
	prev := complete(Closed)
	prev.SubmittedAt = at(2025, 3, 1, 9)

	ps := []Proposal{
		closed(Satisfied, ClassA, "u1", "交通水利", 1),
		closed(Basic, ClassB, "u1", "交通水利", 1),
		closed(Unsatisfied, ClassB, "u2", "教育文化", 2),
		lapsed,                          // concluded, not rated
		answeredOn(at(2026, 3, 2, 9)),   // window long passed: concluded, lapsed
		answeredOn(at(2026, 12, 30, 9)), // window open: not concluded
		late,                            // overdue, not concluded
		registered,                      // not yet assigned
		complete(Submitted),             // in review: out of scope
		complete(Merged),                // follows its main: out of scope
		complete(Rejected),              // out of scope
		prev,                            // another year
	}
	y := ByYear(ps, cfg, cal, now)
	r := y[2026]
	want := Rates{Handled: 8, Concluded: 5, Rated: 3, Satisfied: 2, FullySatisfied: 1, Lapsed: 2, Redone: 1, Overdue: 1, ClassA: 2, ClassB: 2, ClassC: 1}
	if r != want {
		t.Fatalf("2026 rates\n got %+v\nwant %+v", r, want)
	}
	if rate, ok := r.CompletionRate(); !ok || rate != 5.0/8 {
		t.Errorf("办结率 %v %v", rate, ok)
	}
	if rate, ok := r.SatisfactionRate(); !ok || rate != 2.0/3 {
		t.Errorf("满意率 %v %v", rate, ok)
	}
	if rate, ok := r.FullSatisfactionRate(); !ok || rate != 1.0/3 {
		t.Errorf("满意 only %v %v", rate, ok)
	}
	if y[2025].Handled != 1 {
		t.Errorf("2025: %+v", y[2025])
	}
	if _, ok := (Rates{}).CompletionRate(); ok {
		t.Error("an empty set has a 办结率")
	}
	if _, ok := (Rates{Handled: 2}).SatisfactionRate(); ok {
		t.Error("nothing rated has a 满意率")
	}

	units := ByUnit(ps, 2026, cfg, cal, now)
	if units["u1"].Handled != 6 || units["u2"].Handled != 1 || units[Unassigned].Handled != 1 {
		t.Errorf("by unit: %+v", units)
	}
	if units["u2"].Satisfied != 0 || units["u2"].Rated != 1 {
		t.Errorf("u2: %+v", units["u2"])
	}
	cats := ByCategory(ps, 2026, cfg, cal, now)
	if cats["教育文化"].Handled != 1 || cats["交通水利"].Handled != 7 {
		t.Errorf("by category: %+v", cats)
	}
	if k := Keys(cats); len(k) != 2 || k[0] > k[1] {
		t.Errorf("keys %v", k)
	}
}

func TestYearIsChinaTime(t *testing.T) {
	p := Proposal{SubmittedAt: time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC)} // 01:00 on 1 January in China
	if Year(p) != 2026 {
		t.Fatalf("year %d", Year(p))
	}
}
