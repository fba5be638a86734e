package problem

import (
	"time"

	"simeng/workdays"
)

// Role is who acts, as the integrator reads it from the auth record.
type Role string

const (
	RoleGuest     Role = "guest"
	RoleDeputy    Role = "deputy"    // a deputy not in the presidium, the one who raised it included
	RolePresidium Role = "presidium" // 主席团成员
	RoleUnit      Role = "unit"      // 承办单位
	RoleStaff     Role = "staff"     // superusers
)

// Actor is who takes a step.
type Actor struct {
	Role Role
	ID   string
}

// ActionKind names a step of the presidium's action list.
type ActionKind string

const (
	ActForward ActionKind = "forward" // presidium or staff: 转办 (again: to another unit)
	ActAnswer  ActionKind = "answer"  // the unit forwarded to, or presidium or staff recording it: 答复
	ActClose   ActionKind = "close"   // presidium or staff: 办结
	ActReopen  ActionKind = "reopen"  // presidium or staff: 重新办理, with a reason
)

// Action is one step and what it carries.
type Action struct {
	Kind     ActionKind
	Unit     string // forward: the units record, "" for a body without an account
	UnitName string // forward: the name shown (required)
	Reply    string // answer
	Reason   string // reopen
}

// Refusal is why a step was refused: Forbidden (403) or bad input (400).
type Refusal struct {
	Forbidden bool
	Fields    FieldErrors
}

func (r *Refusal) Error() string {
	for f, m := range r.Fields {
		return f + ": " + m
	}
	return "refused"
}

// Apply takes one step on s at now, or says why not. It runs Check and
// Stamp, so a route and a direct save agree.
func Apply(s State, act Action, by Actor, cfg Config, cal *workdays.Calendar, now time.Time) (State, *Refusal) {
	manager := by.Role == RolePresidium && by.ID != "" || by.Role == RoleStaff
	cur := s
	field := "status"
	switch act.Kind {
	case ActForward:
		field = "forwarded_to"
		cur.Status, cur.Unit, cur.ForwardedTo = Forwarded, act.Unit, act.UnitName
	case ActAnswer:
		field = "reply"
		if by.Role == RoleUnit && by.ID != "" && by.ID == s.Unit {
			manager = true
		}
		cur.Status, cur.Reply = Answered, act.Reply
	case ActClose:
		cur.Status = Closed
	case ActReopen:
		field = "reopen_reason"
		cur.Status, cur.ReopenReason = Open, act.Reason
	default:
		return s, &Refusal{Fields: FieldErrors{"action": "未知的操作"}}
	}
	if !manager {
		msg := "只有主席团成员或工作人员可以办理"
		if act.Kind == ActAnswer {
			msg = "只有承办单位、主席团成员或工作人员可以答复"
		}
		return s, &Refusal{Forbidden: true, Fields: FieldErrors{field: msg}}
	}
	if act.Kind == ActForward && s.Status == Forwarded && !forwardedAgain(&s, cur) {
		return s, &Refusal{Fields: FieldErrors{"forwarded_to": "已转办给该单位；改转其他单位请选择新的单位"}}
	}
	if s.Status == cur.Status && act.Kind != ActForward {
		return s, &Refusal{Fields: FieldErrors{"status": "问题已是「" + s.Status.Label() + "」"}}
	}
	if errs := Check(&s, cur); errs != nil {
		return s, &Refusal{Fields: errs}
	}
	return Stamp(&s, cur, cfg, cal, now), nil
}
