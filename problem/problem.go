// Package problem holds the rules of the 急难愁盼 list (R4, issue 13): a
// problem raised in a visit, by a resident or at a station moves only
// forward, open → forwarded to a unit (代表直通车) → answered → closed;
// reopening needs a reason; each forward has a deadline in working days on
// the suggestions' calendar, and an unanswered problem past it is overdue
// and escalated like a hazard. It knows nothing of PocketBase: the hook on
// the problems collection runs Check and Stamp on every save, whichever door
// it came in by (REST, offline sync, admin UI), and the presidium's action
// routes call Apply.
package problem

import (
	"strconv"
	"strings"
	"time"

	"simeng/deadline"
	"simeng/workdays"
)

// Status is where a problem stands.
type Status string

// The lifecycle, in order.
const (
	Open      Status = "open"      // 待办: raised, nobody has it yet (or reopened)
	Forwarded Status = "forwarded" // 已转办: a unit has it, with a deadline
	Answered  Status = "answered"  // 已答复: the unit replied
	Closed    Status = "closed"    // 已办结
)

// Statuses lists the statuses in order (the select field's values).
var Statuses = []Status{Open, Forwarded, Answered, Closed}

// Label is the Chinese name of s.
func (s Status) Label() string {
	switch s {
	case Open:
		return "待办"
	case Forwarded:
		return "已转办"
	case Answered:
		return "已答复"
	case Closed:
		return "已办结"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	return s == Open || s == Forwarded || s == Answered || s == Closed
}

// next lists the allowed moves. Forwarded → Forwarded is a new forward
// (转办 to another unit), with a new deadline. Answered and Closed go back
// to Open only by reopening, with a reason.
var next = map[Status][]Status{
	Open:      {Forwarded},
	Forwarded: {Answered},
	Answered:  {Closed, Open},
	Closed:    {Open},
}

// CanMove reports whether a problem may go from one status to another in one
// save. Staying put is always allowed.
func CanMove(from, to Status) bool {
	if from == to {
		return true
	}
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Config holds the settings staff may change.
type Config struct {
	// ForwardWorkdays is the deadline of each forward, in working days from
	// the day it was forwarded. Default 15: three working weeks, three times
	// the 5 working days a resident's suggestion gets for feedback, since a
	// problem on this list is one that needed a unit's action, not an
	// answer; short enough that the monthly 走访月 round sees it settled.
	ForwardWorkdays int
}

// DefaultConfig returns the shipped settings.
func DefaultConfig() Config { return Config{ForwardWorkdays: 15} }

// Validate checks the settings.
func (c Config) Validate() FieldErrors {
	if c.ForwardWorkdays < 1 || c.ForwardWorkdays > 250 {
		return FieldErrors{"forward_workdays": "转办期限须在 1 至 250 个工作日之间，当前为 " + strconv.Itoa(c.ForwardWorkdays)}
	}
	return nil
}

// ReasonMax is the longest reopen reason, in characters.
const ReasonMax = 1000

// State is what the rules look at in a problem record. ForwardedAt,
// Deadline, AnsweredAt, ClosedAt and Reopens are the server's (Stamp sets
// them); a request body never does.
type State struct {
	Status       Status
	Unit         string // the units record forwarded to, "" for a body without an account
	ForwardedTo  string // the name of the body forwarded to, as shown
	ForwardedAt  time.Time
	Deadline     time.Time
	Reply        string
	AnsweredAt   time.Time
	ClosedAt     time.Time
	ReopenReason string // why it was last reopened
	Reopens      int
}

// FieldErrors maps a field name to a Chinese message, in the shape of
// PocketBase's 400 response data.
type FieldErrors map[string]string

// Check validates a problem about to be saved. old is nil for a new one. It
// returns nil when the save may go ahead; then Stamp fills the server's
// fields.
func Check(old *State, cur State) FieldErrors {
	if !cur.Status.Valid() {
		return FieldErrors{"status": "状态无效"}
	}
	if old == nil {
		if cur.Status != Open {
			return FieldErrors{"status": "新登记的问题状态必须是「待办」，之后按 转办 → 答复 → 办结 逐步办理"}
		}
		return nil
	}
	if !CanMove(old.Status, cur.Status) {
		return FieldErrors{"status": skipMessage(old.Status, cur.Status)}
	}
	errs := FieldErrors{}
	switch {
	case cur.Status == Forwarded && strings.TrimSpace(cur.ForwardedTo) == "":
		errs["forwarded_to"] = "转办时请填写转办单位。"
	case cur.Status == Answered && strings.TrimSpace(cur.Reply) == "":
		errs["reply"] = "答复时请填写办理答复。"
	case reopened(old, cur):
		switch {
		case strings.TrimSpace(cur.ReopenReason) == "" || cur.ReopenReason == old.ReopenReason:
			errs["reopen_reason"] = "重新办理须写明本次的理由"
		case len([]rune(cur.ReopenReason)) > ReasonMax:
			errs["reopen_reason"] = "理由不能超过 " + strconv.Itoa(ReasonMax) + " 字"
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func reopened(old *State, cur State) bool {
	return old != nil && cur.Status == Open && (old.Status == Answered || old.Status == Closed)
}

// forwardedAgain reports whether cur is a new forward: into Forwarded, or
// to another unit while forwarded.
func forwardedAgain(old *State, cur State) bool {
	if cur.Status != Forwarded {
		return false
	}
	return old == nil || old.Status != Forwarded || old.Unit != cur.Unit ||
		strings.TrimSpace(old.ForwardedTo) != strings.TrimSpace(cur.ForwardedTo)
}

// Stamp returns cur with the server's fields set for a save at now that
// Check accepted: a forward gets its time and deadline, an answer and a
// close their time, a reopen clears the last round and counts itself. The
// server's fields are otherwise kept from old whatever cur says.
func Stamp(old *State, cur State, cfg Config, cal *workdays.Calendar, now time.Time) State {
	if old != nil {
		cur.ForwardedAt, cur.Deadline, cur.AnsweredAt, cur.ClosedAt, cur.Reopens =
			old.ForwardedAt, old.Deadline, old.AnsweredAt, old.ClosedAt, old.Reopens
	} else {
		cur.ForwardedAt, cur.Deadline, cur.AnsweredAt, cur.ClosedAt, cur.Reopens = time.Time{}, time.Time{}, time.Time{}, time.Time{}, 0
	}
	switch {
	case forwardedAgain(old, cur):
		cur.ForwardedAt = now
		cur.Deadline = deadline.Due(cal, now, cfg.ForwardWorkdays)
	case cur.Status == Answered && (old == nil || old.Status != Answered):
		cur.AnsweredAt = now
	case cur.Status == Closed && (old == nil || old.Status != Closed):
		cur.ClosedAt = now
	case reopened(old, cur):
		cur.Reopens++
		cur.Deadline, cur.AnsweredAt, cur.ClosedAt = time.Time{}, time.Time{}, time.Time{}
		cur.Reply = ""
	}
	return cur
}

// Overdue returns the escalation stage of s at now: only a forwarded
// problem waits for its unit. Stages and the grace before 挂牌督办 are those
// of hazards; the overdue job escalates to the presidium member paired
// (包联) with the problem's village.
func Overdue(cal *workdays.Calendar, s State, now time.Time) deadline.Stage {
	if s.Status != Forwarded {
		return deadline.StageNone
	}
	return deadline.StageAt(cal, s.Deadline, now, deadline.EscalateAfterWorkdays)
}

// AnsweredLate reports whether the answer came after the forward's deadline.
func AnsweredLate(s State) bool {
	return !s.AnsweredAt.IsZero() && !s.Deadline.IsZero() && s.AnsweredAt.After(s.Deadline)
}

func skipMessage(from, to Status) string {
	msg := "不能从「" + from.Label() + "」直接改为「" + to.Label() + "」"
	if want := next[from]; len(want) > 0 {
		msg += "，下一步只能是「" + want[0].Label() + "」"
		if len(want) > 1 {
			msg += "（或写明理由后重新办理）"
		}
	}
	return msg + "。流程：待办 → 已转办 → 已答复 → 已办结"
}
