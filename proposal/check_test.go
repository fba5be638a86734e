package proposal

import (
	"strings"
	"testing"
	"time"
)

// complete is a proposal with every fact any status needs.
func complete(s Status) Proposal {
	p := draft(Suggestion)
	p.Status = s
	p.SubmittedAt = at(2026, 3, 2, 9)
	p.Decision = "理由"
	p.Grade = GradeNormal
	p.MainID = "other"
	p.MainUnit = "u1"
	p.AssignedAt = at(2026, 3, 3, 9)
	p.Deadline = at(2026, 5, 29, 23)
	p.Round = 1
	p.ReplyClass = ClassA
	p.Reply = "已于4月完成道路硬化。"
	p.AnsweredAt = at(2026, 4, 30, 9)
	p.Rating = Satisfied
	p.Closure = ClosedRated
	p.ClosedAt = at(2026, 5, 6, 9)
	return p
}

func TestCheckSaveEveryShortcutIsRefused(t *testing.T) {
	allowed := map[[2]Status]bool{}
	for from, tos := range next {
		for _, to := range tos {
			allowed[[2]Status{from, to}] = true
		}
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			if from == to {
				continue
			}
			old := complete(from)
			cur := complete(to)
			if from == Answered && to == Assigned {
				cur.Round = 2
			}
			errs := CheckSave(&old, cur, cfg)
			if allowed[[2]Status{from, to}] != (errs == nil) {
				t.Errorf("%s → %s: errors %v, allowed %v", from, to, errs, allowed[[2]Status{from, to}])
			}
		}
	}
}

func TestCheckSave(t *testing.T) {
	retired := complete(Assigned)
	retired.Category = "已停用的分类"
	cases := []struct {
		name  string
		old   *Proposal
		cur   Proposal
		field string // "" = accepted
		want  string
	}{
		{"new submitted", nil, complete(Submitted), "", ""},
		{"new paper proposal inviting", nil, complete(Inviting), "", ""},
		{"new closed refused", nil, complete(Closed), "status", "逐步办理"},
		{"new assigned refused", nil, complete(Assigned), "status", "逐步办理"},
		{"bad status", nil, Proposal{Status: "done"}, "status", "无效"},
		{"new motion short of sponsors", nil, func() Proposal { p := complete(Submitted); p.Type = Motion; return p }(), "co_sponsors", "至少 5 名"},
		{"new with bad category", nil, func() Proposal { p := complete(Submitted); p.Category = "x"; return p }(), "category", "无效"},
		{"retired category does not lock", ptr(retired), retired, "", ""},
		{"closed to assigned", ptr(complete(Closed)), complete(Assigned), "status", "已办结"},
		{"submitted to closed", ptr(complete(Submitted)), complete(Closed), "status", "下一步只能是「已立案待交办」或"},
		{"sponsor changed", ptr(complete(Registered)), func() Proposal { p := complete(Registered); p.Sponsor = "d2"; return p }(), "sponsor", "不能更改"},
		{"type changed later", ptr(complete(Assigned)), func() Proposal { p := complete(Assigned); p.Type = Motion; return p }(), "type", "立案审查"},
		{"second redo", ptr(func() Proposal { p := complete(Answered); p.Round = 2; return p }()), func() Proposal { p := complete(Assigned); p.Round = 2; return p }(), "status", "一次"},
		{"redo without round", ptr(complete(Answered)), complete(Assigned), "status", "一次"},
		{"assigned without unit", ptr(complete(Registered)), func() Proposal { p := complete(Assigned); p.MainUnit = ""; return p }(), "main_unit", "主办单位"},
		{"assigned without deadline", ptr(complete(Registered)), func() Proposal { p := complete(Assigned); p.Deadline = time.Time{}; return p }(), "deadline", "期限"},
		{"answered without reply", ptr(complete(Assigned)), func() Proposal { p := complete(Answered); p.Reply = ""; return p }(), "reply", "答复"},
		{"closed first-round unsatisfied", ptr(complete(Answered)), func() Proposal { p := complete(Closed); p.Rating = Unsatisfied; return p }(), "rating", "重新办理"},
		{"closed without closure", ptr(complete(Answered)), func() Proposal { p := complete(Closed); p.Closure = ""; return p }(), "closure", "办结方式"},
		{"lapsed with a rating", ptr(complete(Answered)), func() Proposal { p := complete(Closed); p.Closure = ClosedLapsed; return p }(), "rating", "逾期未评价"},
		{"rejected without reason", ptr(complete(Submitted)), func() Proposal { p := complete(Rejected); p.Decision = " "; return p }(), "decision", "理由"},
		{"merged into itself", ptr(complete(Registered)), func() Proposal { p := complete(Merged); p.MainID = p.ID; return p }(), "main", "不能是自己"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := CheckSave(c.old, c.cur, cfg)
			if c.field == "" {
				if errs != nil {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if msg := errs[c.field]; !strings.Contains(msg, c.want) {
				t.Fatalf("errors %v: want %s containing %q", errs, c.field, c.want)
			}
		})
	}
}

func ptr(p Proposal) *Proposal { return &p }
