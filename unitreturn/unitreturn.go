// Package unitreturn is the rule of 退办 (a handling unit returning
// something assigned to it that is outside its remit), without
// PocketBase: who may ask, until when, with what reason, and what the
// office may decide.
//
// A unit that finds an item is not its business says so early, in
// writing: within LimitWorkdays working days (the Chinese calendar, with
// its holidays and make-up working days) of the day it was assigned, and
// before it has answered. The office (staff, the presidium) then
// reassigns the item to another unit, with a fresh deadline, or insists
// that the unit keep it, saying why. One request at a time per item.
package unitreturn

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"simeng/chinatime"
	"simeng/deadline"
	"simeng/workdays"
)

// DefaultLimitWorkdays is the default limit, in working days after the
// day of assignment. Five working days is one working week whatever the
// weekday of assignment: long enough for a unit to read what it was given
// and check its remit with its leader (a week is the rhythm of a township
// office's meetings), short enough that the item loses at most a week
// before the right unit has it — against deadlines of 15 (a forwarded
// problem) to 60 (an ordinary proposal) working days. It is also the
// limit the suggestions already use for their first answer (5 个工作日内
// 反馈), so units and staff count one number.
const DefaultLimitWorkdays = 5

// Limits of the setting and of a reason.
const (
	MinLimitWorkdays = 1
	MaxLimitWorkdays = 30
	MinReasonRunes   = 5
	MaxReasonRunes   = 500
)

// Kind is what is returned.
type Kind string

// The kinds a unit may return.
const (
	Proposal      Kind = "proposal"      // 议案建议 (as 主办单位)
	Problem       Kind = "problem"       // 急难愁盼问题 forwarded through 代表直通车
	Rectification Kind = "rectification" // 监督通报整改事项
	Hazard        Kind = "hazard"        // 隐患整改
)

// Kinds are the kinds in display order.
var Kinds = []Kind{Proposal, Problem, Rectification, Hazard}

// Label is the kind in Chinese.
func (k Kind) Label() string {
	switch k {
	case Proposal:
		return "议案建议"
	case Problem:
		return "急难愁盼问题"
	case Rectification:
		return "监督通报整改事项"
	case Hazard:
		return "隐患整改"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Status is where a request stands.
type Status string

// Statuses of a request.
const (
	Pending    Status = "pending"    // 待处理: the office has not decided
	Reassigned Status = "reassigned" // 已改派: another unit has the item
	Insisted   Status = "insisted"   // 维持交办: the unit keeps it
)

// Statuses in display order.
var Statuses = []Status{Pending, Reassigned, Insisted}

// Label is the status in Chinese.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "待处理"
	case Reassigned:
		return "已改派"
	case Insisted:
		return "维持交办"
	}
	return string(s)
}

// Item is what the rule looks at in the returned item.
type Item struct {
	Kind       Kind
	Unit       string    // the unit it is assigned to now
	AssignedAt time.Time // when it was assigned to that unit
	Answered   bool      // the unit has answered or reported it done (or it is closed)
	Pending    bool      // a request on it is waiting for the office
	Insisted   bool      // the office already decided this unit keeps it
}

// Request is a unit's 申请退办.
type Request struct {
	Unit   string // the unit asking
	Reason string
}

// Refusal says why a request or a decision is refused: field names the
// request field, Msg is Chinese; Forbidden means the asker may not do
// this at all (403) rather than asked wrongly (400).
type Refusal struct {
	Field     string
	Msg       string
	Forbidden bool
}

func (r *Refusal) Error() string { return r.Msg }

// LastDay is the end (China time) of the last day a unit may ask to
// return an item assigned at assignedAt.
func LastDay(cal *workdays.Calendar, assignedAt time.Time, limit int) time.Time {
	return deadline.Due(cal, assignedAt, limit)
}

// CleanReason is the reason as stored: trimmed, inner runs of blank
// lines kept as they are.
func CleanReason(s string) string { return strings.TrimSpace(s) }

// Check says whether unit may ask to return it now, limit working days
// after assignment; nil means yes.
func Check(it Item, req Request, cal *workdays.Calendar, limit int, now time.Time) *Refusal {
	if req.Unit == "" || it.Unit != req.Unit {
		return &Refusal{Field: "id", Msg: "这不是交办给本单位的事项，不能申请退办", Forbidden: true}
	}
	if !it.Kind.Valid() {
		return &Refusal{Field: "kind", Msg: "只有议案建议、急难愁盼问题、监督通报整改事项和隐患整改可以申请退办"}
	}
	if it.Answered {
		return &Refusal{Field: "id", Msg: "本单位已答复或已报整改完成，不能再申请退办"}
	}
	if it.Pending {
		return &Refusal{Field: "id", Msg: "已申请退办，正等待镇人大办公室处理"}
	}
	if it.Insisted {
		return &Refusal{Field: "id", Msg: "镇人大办公室已决定维持交办，请按交办办理"}
	}
	reason := CleanReason(req.Reason)
	if n := utf8.RuneCountInString(reason); n < MinReasonRunes || n > MaxReasonRunes {
		return &Refusal{Field: "reason", Msg: "请写明退办理由（" + strconv.Itoa(MinReasonRunes) + "至" + strconv.Itoa(MaxReasonRunes) +
			"字），例如不属于本单位职责的依据、建议改由哪个单位办理"}
	}
	if it.AssignedAt.IsZero() {
		return &Refusal{Field: "id", Msg: "该事项没有交办时间，不能申请退办，请联系镇人大办公室"}
	}
	if last := LastDay(cal, it.AssignedAt, limit); now.After(last) {
		return &Refusal{Field: "id", Msg: "退办须在交办后" + strconv.Itoa(limit) + "个工作日内申请（截至" + dateCN(last) +
			"），已超过期限，请按交办办理；确有困难请联系镇人大办公室"}
	}
	return nil
}

// Decision is the office's answer to a pending request.
type Decision struct {
	Outcome  Status    // Reassigned or Insisted
	Unit     string    // Reassigned: the new unit
	Deadline time.Time // Reassigned: the new deadline, when the kind takes one typed (TypedDeadline)
	Note     string    // the office's words to the unit(s); required to insist
}

// TypedDeadline reports whether the office types the new deadline of a
// reassigned item of kind k. Proposals and problems get theirs from their
// own rules (by grade, or the forward's working days), counted from the
// reassignment, so the new unit has the full term a first assignment
// gives; rectification items and hazards had typed deadlines to begin
// with, so the office types the new one.
func TypedDeadline(k Kind) bool { return k == Rectification || k == Hazard }

// CheckDecision says whether d is a valid decision on a request of kind k
// from unit from, at now; nil means yes.
func CheckDecision(k Kind, from string, status Status, d Decision, now time.Time) *Refusal {
	if status != Pending {
		return &Refusal{Field: "decision", Msg: "该退办申请已处理（" + status.Label() + "）"}
	}
	note := strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(note) > MaxReasonRunes {
		return &Refusal{Field: "note", Msg: "说明不能超过" + strconv.Itoa(MaxReasonRunes) + "字"}
	}
	switch d.Outcome {
	case Reassigned:
		if d.Unit == "" {
			return &Refusal{Field: "unit", Msg: "请选择改派的承办单位"}
		}
		if d.Unit == from {
			return &Refusal{Field: "unit", Msg: "改派的单位不能是申请退办的单位；要由该单位继续办理请选择“维持交办”"}
		}
		if TypedDeadline(k) {
			if d.Deadline.IsZero() {
				return &Refusal{Field: "deadline", Msg: "请填写新的整改期限"}
			}
			if deadline.EndOfDay(d.Deadline).Before(now) {
				return &Refusal{Field: "deadline", Msg: "新的整改期限不能早于今天"}
			}
		}
	case Insisted:
		if note == "" {
			return &Refusal{Field: "note", Msg: "维持交办请写明理由，承办单位会看到"}
		}
	default:
		return &Refusal{Field: "decision", Msg: "请选择“改派”或“维持交办”"}
	}
	return nil
}

func dateCN(t time.Time) string {
	return t.In(chinatime.Location()).Format("2006年1月2日")
}
