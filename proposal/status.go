package proposal

// Type is 议案 or 建议.
type Type string

const (
	// Motion (议案) needs Config.MinJointSponsors deputies jointly and goes
	// through 立案 review; the presidium may turn it into a Suggestion.
	Motion Type = "motion"
	// Suggestion (建议, 批评和意见) may have co-sponsors.
	Suggestion Type = "suggestion"
)

// Types lists the types (the select field's values).
var Types = []Type{Motion, Suggestion}

// Label is the Chinese name of t.
func (t Type) Label() string {
	switch t {
	case Motion:
		return "议案"
	case Suggestion:
		return "建议"
	}
	return string(t)
}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool { return t == Motion || t == Suggestion }

// Status is where a proposal stands.
type Status string

// The lifecycle:
//
//	draft ─┬→ inviting ─→ submitted ─┬→ registered ─→ assigned ─→ answered ─→ closed
//	       └──────────────↗          ├→ rejected       ↑   │          │
//	                                 ├→ merged         │   ↓(退回)    │(不满意, once)
//	inviting, submitted → withdrawn  registered → merged   registered └→ assigned
const (
	// Draft (草稿) lives on the deputy's phone only; the server never stores
	// it. Apply accepts it as the starting point of invite and submit.
	Draft Status = "draft"
	// Inviting (征集附议): on the server so that invited deputies can
	// confirm in their own app; seen by the sponsor and the invited only.
	Inviting Status = "inviting"
	// Submitted (已提交): waiting for the presidium's 立案 review.
	Submitted Status = "submitted"
	// Registered (已立案): accepted (or turned into a 建议), to be
	// classified, graded and assigned.
	Registered Status = "registered"
	// Rejected (不予立案): final, with the reason in Decision.
	Rejected Status = "rejected"
	// Withdrawn (已撤回) by the sponsor before review: final.
	Withdrawn Status = "withdrawn"
	// Merged (已并案) into MainID: final for this record; the main
	// proposal's handling, reply and rating stand for it, and it is left
	// out of the rates so that one handling is counted once.
	Merged Status = "merged"
	// Assigned (办理中): a handling unit (主办) has it, with a deadline.
	Assigned Status = "assigned"
	// Answered (已答复): the unit replied; the sponsor rates it.
	Answered Status = "answered"
	// Closed (已办结): rated, or the rating window passed (see Concluded).
	Closed Status = "closed"
)

// Statuses lists the statuses the server stores, in lifecycle order (the
// select field's values). Draft is not among them.
var Statuses = []Status{Inviting, Submitted, Registered, Rejected, Withdrawn, Merged, Assigned, Answered, Closed}

// Label is the Chinese name of s.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Inviting:
		return "征集附议"
	case Submitted:
		return "已提交待审查"
	case Registered:
		return "已立案待交办"
	case Rejected:
		return "不予立案"
	case Withdrawn:
		return "已撤回"
	case Merged:
		return "已并案"
	case Assigned:
		return "办理中"
	case Answered:
		return "已答复待评价"
	case Closed:
		return "已办结"
	}
	return string(s)
}

// Valid reports whether s is a status the server stores.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether nothing can happen to a proposal in s any more.
func (s Status) Final() bool {
	return s == Rejected || s == Withdrawn || s == Merged || s == Closed
}

// Grade is the handling grade (分级).
type Grade string

const (
	GradeKey    Grade = "key"    // 重点督办: the presidium coordinates and follows it
	GradeNormal Grade = "normal" // 一般
)

// Grades lists the grades.
var Grades = []Grade{GradeKey, GradeNormal}

// Label is the Chinese name of g.
func (g Grade) Label() string {
	switch g {
	case GradeKey:
		return "重点督办"
	case GradeNormal:
		return "一般"
	}
	return string(g)
}

// Valid reports whether g is one of Grades.
func (g Grade) Valid() bool { return g == GradeKey || g == GradeNormal }

// ReplyClass is how the handling unit classes its reply (答复类别).
type ReplyClass string

const (
	ClassA ReplyClass = "A" // 已解决或基本解决
	ClassB ReplyClass = "B" // 正在解决或列入计划解决
	ClassC ReplyClass = "C" // 因条件限制留作参考
)

// ReplyClasses lists the classes.
var ReplyClasses = []ReplyClass{ClassA, ClassB, ClassC}

// Label is the Chinese name of c.
func (c ReplyClass) Label() string {
	switch c {
	case ClassA:
		return "A类（已解决或基本解决）"
	case ClassB:
		return "B类（正在解决或列入计划解决）"
	case ClassC:
		return "C类（因条件限制留作参考）"
	}
	return string(c)
}

// Valid reports whether c is one of ReplyClasses.
func (c ReplyClass) Valid() bool { return c == ClassA || c == ClassB || c == ClassC }

// Rating is the sponsor's opinion of the reply (代表满意度).
type Rating string

const (
	Satisfied   Rating = "satisfied"   // 满意
	Basic       Rating = "basic"       // 基本满意
	Unsatisfied Rating = "unsatisfied" // 不满意
)

// Ratings lists the ratings.
var Ratings = []Rating{Satisfied, Basic, Unsatisfied}

// Label is the Chinese name of r.
func (r Rating) Label() string {
	switch r {
	case Satisfied:
		return "满意"
	case Basic:
		return "基本满意"
	case Unsatisfied:
		return "不满意"
	}
	return string(r)
}

// Valid reports whether r is one of Ratings.
func (r Rating) Valid() bool { return r == Satisfied || r == Basic || r == Unsatisfied }

// Counts reports whether r counts as satisfied in the 满意率: 满意 and 基本满意
// do. See SatisfactionRate for why.
func (r Rating) Counts() bool { return r == Satisfied || r == Basic }

// Closure says how a proposal came to be closed.
type Closure string

const (
	ClosedRated  Closure = "rated"  // the sponsor rated the final reply
	ClosedLapsed Closure = "lapsed" // the rating window passed without a rating (逾期未评价视为办结)
)

// Label is the Chinese name of c.
func (c Closure) Label() string {
	switch c {
	case ClosedRated:
		return "代表已评价"
	case ClosedLapsed:
		return "逾期未评价，视为办结"
	}
	return string(c)
}

// Outcome is the result of the 立案 review.
type Outcome string

const (
	OutcomeAccept  Outcome = "accept"  // 立案 (a 建议 is accepted for handling)
	OutcomeConvert Outcome = "convert" // 转为建议: a 议案 handled as a 建议
	OutcomeReject  Outcome = "reject"  // 不予立案
)

// Label is the Chinese name of o.
func (o Outcome) Label() string {
	switch o {
	case OutcomeAccept:
		return "立案"
	case OutcomeConvert:
		return "转为建议"
	case OutcomeReject:
		return "不予立案"
	}
	return string(o)
}
