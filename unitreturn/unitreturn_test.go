package unitreturn_test

import (
	"strings"
	"testing"
	"time"

	"simeng/chinatime"
	"simeng/unitreturn"
	"simeng/workdays"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, chinatime.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func TestLastDayCountsChineseWorkdays(t *testing.T) {
	cal := workdays.New()
	for _, c := range []struct{ assigned, want string }{
		{"2026-03-02 10:00", "2026-03-09"}, // a Monday: the next Monday
		{"2026-03-06 17:30", "2026-03-13"}, // a Friday afternoon: the next Friday
		// National Day 2025: Oct 1–8 off, Sunday Sep 28 a make-up working day.
		{"2025-09-25 09:00", "2025-10-09"},
	} {
		got := unitreturn.LastDay(cal, at(c.assigned), unitreturn.DefaultLimitWorkdays)
		if d := got.In(chinatime.Location()).Format("2006-01-02"); d != c.want {
			t.Errorf("assigned %s: last day %s, want %s", c.assigned, d, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	cal := workdays.New()
	assigned := at("2026-03-02 10:00")
	base := unitreturn.Item{Kind: unitreturn.Proposal, Unit: "u1", AssignedAt: assigned}
	ok := unitreturn.Request{Unit: "u1", Reason: "不属于本单位职责，建议交农业综合服务中心办理"}
	cases := []struct {
		name      string
		it        unitreturn.Item
		req       unitreturn.Request
		now       time.Time
		field     string
		forbidden bool
	}{
		{"another unit", base, unitreturn.Request{Unit: "u2", Reason: ok.Reason}, at("2026-03-03 09:00"), "id", true},
		{"not a unit", base, unitreturn.Request{Reason: ok.Reason}, at("2026-03-03 09:00"), "id", true},
		{"past the limit", base, ok, at("2026-03-10 00:01"), "id", false},
		{"empty reason", base, unitreturn.Request{Unit: "u1", Reason: "  \n "}, at("2026-03-03 09:00"), "reason", false},
		{"too short a reason", base, unitreturn.Request{Unit: "u1", Reason: "不归我"}, at("2026-03-03 09:00"), "reason", false},
		{"too long a reason", base, unitreturn.Request{Unit: "u1", Reason: strings.Repeat("理", 501)}, at("2026-03-03 09:00"), "reason", false},
		{"already answered", unitreturn.Item{Kind: unitreturn.Problem, Unit: "u1", AssignedAt: assigned, Answered: true}, ok, at("2026-03-03 09:00"), "id", false},
		{"already asked", unitreturn.Item{Kind: unitreturn.Hazard, Unit: "u1", AssignedAt: assigned, Pending: true}, ok, at("2026-03-03 09:00"), "id", false},
		{"insisted on before", unitreturn.Item{Kind: unitreturn.Proposal, Unit: "u1", AssignedAt: assigned, Insisted: true}, ok, at("2026-03-03 09:00"), "id", false},
		{"unknown kind", unitreturn.Item{Kind: "project", Unit: "u1", AssignedAt: assigned}, ok, at("2026-03-03 09:00"), "kind", false},
		{"never assigned", unitreturn.Item{Kind: unitreturn.Hazard, Unit: "u1"}, ok, at("2026-03-03 09:00"), "id", false},
		{"on the last day", base, ok, at("2026-03-09 23:59"), "", false},
		{"the same day", base, ok, at("2026-03-02 11:00"), "", false},
	}
	for _, c := range cases {
		r := unitreturn.Check(c.it, c.req, cal, unitreturn.DefaultLimitWorkdays, c.now)
		switch {
		case c.field == "" && r != nil:
			t.Errorf("%s: refused: %s", c.name, r.Msg)
		case c.field != "" && r == nil:
			t.Errorf("%s: allowed", c.name)
		case r != nil && (r.Field != c.field || r.Forbidden != c.forbidden || r.Msg == ""):
			t.Errorf("%s: refusal %+v, want field %s forbidden %v", c.name, r, c.field, c.forbidden)
		}
	}
}

func TestCheckDecision(t *testing.T) {
	now := at("2026-03-05 10:00")
	cases := []struct {
		name   string
		kind   unitreturn.Kind
		status unitreturn.Status
		d      unitreturn.Decision
		field  string
	}{
		{"decided already", unitreturn.Proposal, unitreturn.Insisted, unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u2"}, "decision"},
		{"no outcome", unitreturn.Proposal, unitreturn.Pending, unitreturn.Decision{}, "decision"},
		{"reassign without a unit", unitreturn.Problem, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Reassigned}, "unit"},
		{"reassign to the same unit", unitreturn.Problem, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u1"}, "unit"},
		{"hazard without a deadline", unitreturn.Hazard, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u2"}, "deadline"},
		{"rectification due yesterday", unitreturn.Rectification, unitreturn.Pending,
			unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u2", Deadline: at("2026-03-04 00:00")}, "deadline"},
		{"insist without a word", unitreturn.Proposal, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Insisted, Note: " "}, "note"},
		{"reassign a proposal", unitreturn.Proposal, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u2"}, ""},
		{"reassign a hazard, due today", unitreturn.Hazard, unitreturn.Pending,
			unitreturn.Decision{Outcome: unitreturn.Reassigned, Unit: "u2", Deadline: at("2026-03-05 00:00")}, ""},
		{"insist", unitreturn.Problem, unitreturn.Pending, unitreturn.Decision{Outcome: unitreturn.Insisted, Note: "饮水安全属本单位职责"}, ""},
	}
	for _, c := range cases {
		r := unitreturn.CheckDecision(c.kind, "u1", c.status, c.d, now)
		switch {
		case c.field == "" && r != nil:
			t.Errorf("%s: refused: %s", c.name, r.Msg)
		case c.field != "" && (r == nil || r.Field != c.field):
			t.Errorf("%s: refusal %+v, want field %s", c.name, r, c.field)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, k := range unitreturn.Kinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("kind %s has no label", k)
		}
	}
	for _, s := range unitreturn.Statuses {
		if s.Label() == string(s) {
			t.Errorf("status %s has no label", s)
		}
	}
}

// Reasons come from a unit's phone: any text is refused or accepted with
// a field and a message, never a panic, and an accepted one is within the
// limits once cleaned.
func FuzzCheck(f *testing.F) {
	f.Add("不属于本单位职责", 5, int64(0))
	f.Add("", 1, int64(3600))
	f.Add(strings.Repeat("a", 600), 30, int64(-86400))
	cal := workdays.New()
	assigned := at("2026-03-02 10:00")
	f.Fuzz(func(t *testing.T, reason string, limit int, offset int64) {
		if limit < unitreturn.MinLimitWorkdays || limit > unitreturn.MaxLimitWorkdays {
			limit = unitreturn.DefaultLimitWorkdays
		}
		it := unitreturn.Item{Kind: unitreturn.Problem, Unit: "u1", AssignedAt: assigned}
		now := assigned.Add(time.Duration(offset%(90*86400)) * time.Second)
		r := unitreturn.Check(it, unitreturn.Request{Unit: "u1", Reason: reason}, cal, limit, now)
		if r != nil {
			if r.Field == "" || r.Msg == "" {
				t.Fatalf("refusal without a field or message: %+v", r)
			}
			return
		}
		n := len([]rune(unitreturn.CleanReason(reason)))
		if n < unitreturn.MinReasonRunes || n > unitreturn.MaxReasonRunes {
			t.Fatalf("accepted a reason of %d runes", n)
		}
	})
}
