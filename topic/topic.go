// Package topic holds the rules of a 云端议事 topic (online deliberation,
// R14): the presidium drafts it, opens it to deputies, residents or both
// until a deadline, and closes it with a conclusion (结论), which can then
// become a proposal (议案建议) or a problem (急难愁盼) with the link kept.
// Who may comment when, and which moves are allowed, are decided here; it
// knows nothing of PocketBase (hooks/deliberation calls it on every save,
// whichever door the save came in by).
package topic

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a topic stands.
type Status string

// The lifecycle: draft → open → closed.
const (
	Draft  Status = "draft"  // 草稿: only the presidium and staff see it
	Open   Status = "open"   // 征求意见中 (已截止 once the deadline passed)
	Closed Status = "closed" // 已结束, with the conclusion
)

// Statuses lists the statuses in order (the select field's values).
var Statuses = []Status{Draft, Open, Closed}

// Label is the Chinese name of s.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Open:
		return "征求意见中"
	case Closed:
		return "已形成结论"
	}
	return string(s)
}

// Audience is who is asked to comment.
type Audience string

// The audiences.
const (
	Deputies  Audience = "deputies"  // 代表
	Residents Audience = "residents" // 群众
	Both      Audience = "both"      // 代表和群众
)

// Audiences lists the audiences (the select field's values).
var Audiences = []Audience{Deputies, Residents, Both}

// Label is the Chinese name of a.
func (a Audience) Label() string {
	switch a {
	case Deputies:
		return "代表"
	case Residents:
		return "群众"
	case Both:
		return "代表和群众"
	}
	return string(a)
}

// HasDeputies reports whether deputies are asked.
func (a Audience) HasDeputies() bool { return a == Deputies || a == Both }

// HasResidents reports whether residents are asked (the public page).
func (a Audience) HasResidents() bool { return a == Residents || a == Both }

// Error is a refused move or comment, in Chinese, with the field it is about.
type Error struct {
	Field   string
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// MinConclusionRunes is the shortest conclusion a topic closes with: a
// sentence saying what was agreed, not "同意".
const MinConclusionRunes = 10

// next lists the allowed moves; staying is always allowed.
var next = map[Status][]Status{
	Draft:  {Open},
	Open:   {Closed},
	Closed: {},
}

// Topic is what the rules look at.
type Topic struct {
	Status     Status
	Audience   Audience
	Deadline   time.Time // comments are taken up to this instant
	Conclusion string
}

// CheckSave reports what is wrong with saving t, which was old (nil: a new
// topic), at now.
func CheckSave(old *Topic, t Topic, now time.Time) *Error {
	if !slices.Contains(Statuses, t.Status) {
		return &Error{"status", "invalid_status", "状态应是草稿、征求意见中或已形成结论。"}
	}
	if !slices.Contains(Audiences, t.Audience) {
		return &Error{"audience", "invalid_audience", "请选择征求意见的对象：代表、群众或代表和群众。"}
	}
	if t.Deadline.IsZero() {
		return &Error{"deadline", "validation_required", "请填写征求意见截止时间。"}
	}
	from := Draft
	if old != nil {
		from = old.Status
	}
	if t.Status != from && !slices.Contains(next[from], t.Status) {
		return &Error{"status", "validation_bad_transition", "不能从“" + from.Label() + "”改为“" + t.Status.Label() + "”。"}
	}
	opening := t.Status == Open && (old == nil || old.Status != Open)
	if opening && !t.Deadline.After(now) {
		return &Error{"deadline", "validation_past", "截止时间应晚于现在。"}
	}
	if t.Status == Closed && utf8.RuneCountInString(strings.TrimSpace(t.Conclusion)) < MinConclusionRunes {
		return &Error{"conclusion", "validation_required", "结束议题时请写明结论（至少10个字）。"}
	}
	if old != nil && old.Status == Closed && t.Conclusion != old.Conclusion {
		return &Error{"conclusion", "validation_closed", "议题已形成结论，结论不能再修改。"}
	}
	if old != nil && old.Status != Draft && t.Audience != old.Audience {
		return &Error{"audience", "validation_locked", "议题开始征求意见后，不能再更改征求意见的对象。"}
	}
	return nil
}

// Author is who writes a comment.
type Author string

// The authors.
const (
	ByDeputy   Author = "deputy"
	ByResident Author = "resident"
)

// CommentRefusal says why by may not comment on t now, nil if they may.
// writtenAt is when the comment was written: a deputy's phone may have
// kept it offline, and a comment written before the deadline counts as
// long as the topic is still open when it arrives.
func (t Topic) CommentRefusal(by Author, writtenAt, now time.Time) *Error {
	switch {
	case t.Status == Draft:
		return &Error{"topic", "not_open", "该议题尚未开始征求意见。"}
	case t.Status == Closed:
		return &Error{"topic", "closed", "该议题已形成结论，不再征求意见。"}
	case by == ByDeputy && !t.Audience.HasDeputies():
		return &Error{"topic", "not_audience", "该议题只面向群众征求意见。"}
	case by == ByResident && !t.Audience.HasResidents():
		return &Error{"topic", "not_audience", "该议题只面向代表征求意见。"}
	}
	if by == ByResident || writtenAt.IsZero() || writtenAt.After(now) {
		writtenAt = now
	}
	if writtenAt.After(t.Deadline) {
		return &Error{"topic", "past_deadline", "该议题征求意见已截止。"}
	}
	return nil
}

// Outcome is what a closed topic was turned into.
type Outcome string

// The outcomes.
const (
	ToProblem  Outcome = "problem"  // 急难愁盼: forwarded through 代表直通车
	ToProposal Outcome = "proposal" // 议案建议
)

// Outcomes lists the outcomes (the select field's values).
var Outcomes = []Outcome{ToProblem, ToProposal}

// Label is the Chinese name of o.
func (o Outcome) Label() string {
	switch o {
	case ToProblem:
		return "转为急难愁盼问题"
	case ToProposal:
		return "转为议案建议"
	}
	return string(o)
}

// ConvertRefusal says why t, already turned into done ("" if nothing),
// may not be turned into o, nil if it may.
func (t Topic) ConvertRefusal(o Outcome, done Outcome) *Error {
	switch {
	case !slices.Contains(Outcomes, o):
		return &Error{"to", "invalid_outcome", "只能转为议案建议或急难愁盼问题。"}
	case t.Status != Closed:
		return &Error{"to", "not_closed", "议题形成结论后才能转为议案建议或问题。"}
	case done != "" && done != o:
		return &Error{"to", "already_converted", "该议题已" + done.Label() + "，不能再转为其他。"}
	}
	return nil
}
